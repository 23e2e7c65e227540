/**
 * Forward cards (docs/extensions.md §2.2, §5.2–5.4): `send_group_forward_msg`, `send_private_forward_msg`,
 * `send_forward_msg` → `{forward_id, message_id}`, and `get_forward_msg`, which answers both
 * go-cqhttp's `messages: [{content, sender, time, …}]` and v11's `message: [node…]` (decision P6).
 */
import type { ConversationTarget, ForwardContent, ForwardItem } from '../../backend/port-messages.js';
import { defineAction } from '../../core/action.js';
import type { ActionContext } from '../../core/context.js';
import { getString, id, int, params, raw, str } from '../../core/params.js';
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';
import { resolveOutgoingNodes } from '../media/resolve.js';
import { formatMessage } from './format.js';
import { parseForwardNodes } from './forward-nodes.js';

/** `messages`, or NapCat/LLB's alias `message`. */
const nodesParams = { messages: raw(), message: raw() };

async function sendForward(ctx: ActionContext, target: ConversationTarget, p: { messages?: unknown; message?: unknown }, action: string) {
  const nodes = await resolveOutgoingNodes(ctx, parseForwardNodes(p.messages ?? p.message, action)); // media stored first (§8.6)
  const sent = await ctx.backend.sendForwardMessage(target, nodes);
  return { forward_id: sent.forwardId, message_id: sent.messageId };
}

export const sendGroupForwardMsg = defineAction({
  name: 'send_group_forward_msg',
  summary: 'Send a forward card (node segments: {id} or {user_id|uin, nickname|name, content}) to a group.',
  origin: 'extension',
  params: params({ group_id: id(), ...nodesParams }),
  handler: (p, ctx) => sendForward(ctx, { groupId: p.group_id }, p, 'send_group_forward_msg'),
});

export const sendPrivateForwardMsg = defineAction({
  name: 'send_private_forward_msg',
  summary: 'Send a forward card to a friend (or a temporary session).',
  origin: 'extension',
  params: params({ user_id: id(), ...nodesParams }),
  handler: (p, ctx) => sendForward(ctx, { userId: p.user_id }, p, 'send_private_forward_msg'),
});

export const sendForwardMsg = defineAction({
  name: 'send_forward_msg',
  summary: 'Send a forward card; the target comes from message_type, else group_id before user_id.',
  origin: 'extension',
  params: params({ message_type: str(), group_id: int(), user_id: int(), ...nodesParams }),
  handler: (p, ctx) => {
    let type = p.message_type;
    if (type === '') type = p.group_id !== 0 ? 'group' : p.user_id !== 0 ? 'private' : '';
    if (type === 'group' && p.group_id !== 0) return sendForward(ctx, { groupId: p.group_id }, p, 'send_forward_msg');
    if (type === 'private' && p.user_id !== 0) return sendForward(ctx, { userId: p.user_id }, p, 'send_forward_msg');
    throw new ApiError('BAD_PARAMS', 'send_forward_msg: give message_type group with group_id, or private with user_id');
  },
});

/** go-cqhttp's item: a nested forward's `content` is its item array (whatever the format). */
function gocqItem(ctx: ActionContext, item: ForwardItem, where: ForwardContent): Record<string, unknown> {
  const content = isNested(item.content) ? item.content.map((i) => gocqItem(ctx, i, where)) : formatMessage(ctx, item.content);
  const out: Record<string, unknown> = { content };
  if (where.groupId !== undefined) out.group_id = where.groupId;
  out.message_type = where.messageType;
  out.sender = { nickname: item.nickname, user_id: item.userId };
  out.time = item.time;
  return out;
}

/** v11's node segment: string data except `content`, which is a message or, nested, a node array. */
function v11Node(ctx: ActionContext, item: ForwardItem): Record<string, unknown> {
  const content = isNested(item.content) ? item.content.map((i) => v11Node(ctx, i)) : formatMessage(ctx, item.content);
  return { data: { content, nickname: item.nickname, user_id: String(item.userId) }, type: 'node' };
}

function isNested(content: Segment[] | ForwardItem[]): content is ForwardItem[] {
  const first = content[0];
  return first !== undefined && 'userId' in first;
}

/** `id` (v11) or `message_id` (go-cqhttp docs, Koishi — sent as a number when numeric). */
function forwardIdParam(v: unknown): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return getString(v, '');
}

export const getForwardMsg = defineAction({
  name: 'get_forward_msg',
  summary: 'A forward card\'s content: go-cqhttp `messages` items and v11 `message` nodes.',
  origin: 'onebot-v11',
  params: params({ id: raw(), message_id: raw() }),
  handler: async (p, ctx) => {
    const forwardId = forwardIdParam(p.id) || forwardIdParam(p.message_id);
    if (forwardId === '') throw new ApiError('BAD_PARAMS', 'get_forward_msg: id (or message_id) is required');
    const content = await ctx.backend.getForwardMessage(forwardId);
    return {
      message: content.items.map((i) => v11Node(ctx, i)),
      messages: content.items.map((i) => gocqItem(ctx, i, content)),
    };
  },
});
