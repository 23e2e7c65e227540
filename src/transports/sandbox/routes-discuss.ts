/** Control API routes of the messages extension: discuss groups (decision P10) and emoji reactions. */
import { decodeSendMessage } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import { pathId } from './fields.js';
import type { Route, RouteInput } from './router.js';
import { messageToWire } from './wire.js';

const did = (input: RouteInput): number => pathId(input.params['did'], 'discuss id');

/** `/api/discusses…`, `/api/reactions`. */
export const DISCUSS_ROUTES: readonly Route[] = [
  {
    method: 'POST', path: '/api/discusses', summary: 'create a discuss group', handler: ({ sb }, { body }) => {
      const members = body.raw('members');
      if (!Array.isArray(members)) throw new ApiError('BAD_PARAMS', 'members is required (an array of user ids)');
      const memberIds = members.map((m, i) => {
        const n = typeof m === 'string' && /^\d+$/.test(m) ? Number(m) : m;
        if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) throw new ApiError('BAD_PARAMS', `members[${i}] must be a positive integer`);
        return n;
      });
      return { discuss_id: sb.createDiscuss({ discussId: body.optId('discuss_id'), name: body.optStr('name'), memberIds }) };
    },
  },

  {
    method: 'GET', path: '/api/discusses', summary: 'list the discuss groups', handler: ({ sb }) => ({
      discusses: sb.listDiscusses().map((d) => ({ discuss_id: d.discussId, members: d.memberIds, name: d.name })),
    }),
  },

  {
    method: 'POST', path: '/api/discusses/:did/messages', world: false, summary: 'a member says something in a discuss group', handler: async ({ sb, resolveMedia }, input) => {
      const { body } = input;
      if (!body.has('message')) throw new ApiError('BAD_PARAMS', 'message is required (a CQ-code string or a segment array)');
      const decoded = decodeSendMessage(body.raw('message'), body.bool('auto_escape', false));
      const message = resolveMedia === undefined ? decoded : await resolveMedia(decoded);
      return { message_id: sb.postDiscussMessage({ from: body.id('from'), discussId: did(input), message }).messageId };
    },
  },

  {
    method: 'GET', path: '/api/discusses/:did/messages', summary: 'the messages of a discuss group', handler: ({ sb }, input) => ({
      messages: sb.listMessages({ discussId: did(input) }).map(messageToWire),
    }),
  },

  {
    method: 'POST', path: '/api/discusses/:did/members', summary: 'add a member to a discuss group', handler: ({ sb }, input) => {
      sb.inviteToDiscussAs(input.body.id('inviter'), did(input), input.body.id('user_id'));
      return {};
    },
  },

  {
    method: 'DELETE', path: '/api/discusses/:did/members/:uid', summary: 'a member leaves a discuss group', handler: ({ sb }, input) => {
      sb.leaveDiscussAs(pathId(input.params['uid'], 'user id'), did(input));
      return {};
    },
  },

  {
    method: 'POST', path: '/api/reactions', summary: 'a user reacts to a message with an emoji', handler: ({ sb }, { body }) => {
      const emoji = body.raw('emoji_id');
      const emojiId = typeof emoji === 'number' && Number.isInteger(emoji) ? String(emoji) : body.str('emoji_id');
      sb.reactAs(body.id('from'), body.id('message_id'), emojiId, body.bool('set', true));
      return {};
    },
  },
];
