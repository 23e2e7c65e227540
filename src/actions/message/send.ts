/** `send_private_msg`, `send_group_msg`, `send_msg` (CQHTTP 4.15 §6.1), and the sending they share with `send_discuss_msg`. */
import type { ForwardNode } from '../../backend/port-messages.js';
import { defineAction } from '../../core/action.js';
import type { ActionContext } from '../../core/context.js';
import { bool, getInteger, id, params, raw, str } from '../../core/params.js';
import { decodeSendMessage } from '../../message/index.js';
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import { needsResolution, resolveOutgoingContent } from '../media/resolve.js';
import { nodeList, parseForwardNodes } from './forward-nodes.js';

/** Where a message goes. */
export interface SendTarget { kind: 'private' | 'group' | 'discuss'; id: number }

/** What a send action's `message` holds: segments, or (only nodes) a forward card (docs/extensions.md §3.3). */
type Outgoing = { kind: 'message'; message: Segment[] } | { kind: 'forward'; nodes: ForwardNode[] };

/** Decode `message` as every send action does (§5 double pass); empty → 100. A message of nodes only is a forward. */
function outgoingOf(value: unknown, autoEscape: boolean, action: string): Outgoing {
  if (!(autoEscape && typeof value === 'string') && nodeList(value) !== undefined) {
    return { kind: 'forward', nodes: parseForwardNodes(value, action) };
  }
  const message = decodeSendMessage(value, autoEscape);
  if (message.length === 0) throw new ApiError('BAD_PARAMS', `${action}: message is missing or empty`);
  return { kind: 'message', message };
}

/**
 * Send `value` (a `message` parameter) to the target; data `{message_id}` (plus `forward_id` for a
 * forward). A bad message throws at once. A plain message with no media goes straight to the
 * backend: its answer is the backend's promise mapped once, with no `async` layers in between.
 */
export function sendTo(ctx: ActionContext, target: SendTarget, value: unknown, autoEscape: boolean, action: string): Promise<Record<string, unknown>> {
  const outgoing = outgoingOf(value, autoEscape, action);
  if (outgoing.kind === 'message' && !needsResolution(outgoing.message)) return sendMessage(ctx, target, outgoing.message);
  return resolveOutgoingContent(ctx, outgoing).then((out) => { // media stored first (§8.6)
    if (out.kind === 'message') return sendMessage(ctx, target, out.message);
    if (target.kind === 'discuss') throw new ApiError('BAD_PARAMS', `${action}: forward cards cannot be sent to a discuss group`);
    return ctx.backend.sendForwardMessage(target.kind === 'group' ? { groupId: target.id } : { userId: target.id }, out.nodes)
      .then((sent) => ({ forward_id: sent.forwardId, message_id: sent.messageId }));
  });
}

function sendMessage(ctx: ActionContext, target: SendTarget, message: Segment[]): Promise<Record<string, unknown>> {
  const sent = target.kind === 'private' ? ctx.backend.sendPrivateMessage(target.id, message)
    : target.kind === 'group' ? ctx.backend.sendGroupMessage(target.id, message)
      : ctx.backend.sendDiscussMessage(target.id, message);
  return sent.then(messageIdData);
}

function messageIdData(sent: { messageId: number }): Record<string, unknown> {
  return { message_id: sent.messageId };
}

/** The parameters every send action shares. */
export const messageParams = { message: raw(), auto_escape: bool(false) };

export const sendPrivateMsg = defineAction({
  name: 'send_private_msg',
  summary: 'Send a private message to a friend (or a temporary session).',
  params: params({ user_id: id(), ...messageParams }),
  handler: (p, ctx) => sendTo(ctx, { kind: 'private', id: p.user_id }, p.message, p.auto_escape, 'send_private_msg'),
});

export const sendGroupMsg = defineAction({
  name: 'send_group_msg',
  summary: 'Send a message to a group.',
  params: params({ group_id: id(), ...messageParams }),
  handler: (p, ctx) => sendTo(ctx, { kind: 'group', id: p.group_id }, p.message, p.auto_escape, 'send_group_msg'),
});

const MESSAGE_TYPES = ['private', 'group', 'discuss'] as const;

export const sendMsg = defineAction({
  name: 'send_msg',
  summary: 'Send a message; the target kind comes from message_type, else from which id key is present.',
  params: params({
    message_type: str(),
    user_id: raw(),
    group_id: raw(),
    discuss_id: raw(),
    ...messageParams,
  }),
  handler: (p, ctx) => {
    // Inference looks at key presence, not value (§6.1).
    let type = p.message_type;
    if (type === '') type = p.group_id !== undefined ? 'group' : p.discuss_id !== undefined ? 'discuss' : p.user_id !== undefined ? 'private' : '';
    if (!(MESSAGE_TYPES as readonly string[]).includes(type)) {
      throw new ApiError('BAD_PARAMS', 'send_msg: message_type must be private, group or discuss, or one of user_id/group_id/discuss_id must be given');
    }
    const kind = type as SendTarget['kind'];
    const targetKey = kind === 'private' ? 'user_id' : kind === 'group' ? 'group_id' : 'discuss_id';
    const target = getInteger(p[targetKey], 0); // as `id()` decodes it
    if (target === 0) throw new ApiError('BAD_PARAMS', `send_msg: ${targetKey} is required and must be a non-zero integer`);
    return sendTo(ctx, { kind, id: target }, p.message, p.auto_escape, 'send_msg');
  },
});
