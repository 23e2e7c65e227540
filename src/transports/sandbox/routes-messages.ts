/** Control API routes for speaking, reading conversations, recalling and poking. */
import { decodeSendMessage } from '../../message/index.js';
import type { Segment } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import type { Fields } from './fields.js';
import type { Route } from './router.js';
import { messageToWire } from './wire.js';

/** `message` as a CQ-code string, a segment array or one segment; `auto_escape` takes a string literally. */
function messageOf(body: Fields): Segment[] {
  if (!body.has('message')) throw new ApiError('BAD_PARAMS', 'message is required (a CQ-code string or a segment array)');
  const raw = body.raw('message');
  if (typeof raw !== 'string' && typeof raw !== 'object') throw new ApiError('BAD_PARAMS', 'message must be a CQ-code string or a segment array');
  return decodeSendMessage(raw, body.bool('auto_escape', false));
}

/** `/api/messages`, `/api/recall`, `/api/essence`, `/api/poke`, `/api/events`. */
export const MESSAGE_ROUTES: readonly Route[] = [
  {
    method: 'POST', path: '/api/messages', world: false, summary: 'a user says something, in a group or privately to the bot', handler: async ({ sb, resolveMedia }, { body }) => {
      const from = body.id('from');
      const groupId = body.optId('group_id');
      const message = resolveMedia === undefined ? messageOf(body) : await resolveMedia(messageOf(body));
      if (body.bool('anonymous', false)) {
        if (groupId === undefined) throw new ApiError('BAD_PARAMS', 'an anonymous message needs group_id');
        const sent = sb.postAnonymousMessage({ from, groupId, message });
        return { message_id: sent.messageId, anonymous: { id: sent.anonymous.id, name: sent.anonymous.name, flag: sent.anonymous.flag } };
      }
      return { message_id: (await sb.postMessageBatched({ from, groupId, message })).messageId };
    },
  },

  {
    method: 'GET', path: '/api/messages', summary: 'a conversation (?group_id= or ?user_id=), the messages of the bot included', handler: ({ sb }, { query }) => {
      const groupId = query.optId('group_id');
      const userId = query.optId('user_id');
      if ((groupId === undefined) === (userId === undefined)) throw new ApiError('BAD_PARAMS', 'give exactly one of group_id and user_id');
      const list = groupId !== undefined ? sb.listMessages({ groupId }) : sb.listMessages({ userId: userId as number });
      return { messages: list.map(messageToWire) };
    },
  },

  {
    method: 'POST', path: '/api/recall', summary: 'a user (or an admin) recalls a message', handler: ({ sb }, { body }) => {
      sb.recallAs(body.id('operator'), body.id('message_id'));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/essence', summary: 'an admin or the owner sets or removes an essence message', handler: ({ sb }, { body }) => {
      sb.setEssenceAs(body.id('operator'), body.id('message_id'), body.bool('enable', true));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/events', summary: 'send the bot any event as given (a raw event the world cannot produce)', handler: ({ sb }, { body }) => {
      const event = body.raw('event');
      if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new ApiError('BAD_PARAMS', 'event is required: a JSON object, the OneBot event to send');
      const postType = (event as Record<string, unknown>)['post_type'];
      if (typeof postType !== 'string' || postType === '') throw new ApiError('BAD_PARAMS', 'event.post_type is required: message, notice, request or meta_event');
      return { event: sb.emitRawEvent(event as { post_type: string } & Record<string, unknown>) };
    },
  },

  {
    method: 'POST', path: '/api/poke', summary: 'a user pokes someone', handler: ({ sb }, { body }) => {
      sb.pokeAs(body.id('from'), body.has('target') ? body.id('target') : sb.selfId, body.optId('group_id'));
      return {};
    },
  },
];
