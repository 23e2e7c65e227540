/** `send_private_msg`, `send_group_msg`, `send_msg` (CQHTTP 4.15 §6.1). */
import { z } from 'zod';
import { defineAction } from '../../core/action.js';
import type { ActionContext } from '../../core/context.js';
import { bool, getString, id, params, raw } from '../../core/params.js';
import { decodeSendMessage } from '../../message/index.js';
import type { Segment } from '../../message/segment.js';
import { ApiError } from '../../protocol/errors.js';

/** Decode `message` as every send action does (§5 double pass); empty → 100. */
function messageOf(value: unknown, autoEscape: boolean, action: string): Segment[] {
  const segments = decodeSendMessage(value, autoEscape);
  if (segments.length === 0) throw new ApiError('BAD_PARAMS', `${action}: message is missing or empty`);
  return segments;
}

const messageParams = { message: raw(), auto_escape: bool(false) };

async function sendPrivate(ctx: ActionContext, userId: number, message: Segment[]) {
  const { messageId } = await ctx.backend.sendPrivateMessage(userId, message);
  return { message_id: messageId };
}

async function sendGroup(ctx: ActionContext, groupId: number, message: Segment[]) {
  const { messageId } = await ctx.backend.sendGroupMessage(groupId, message);
  return { message_id: messageId };
}

export const sendPrivateMsg = defineAction({
  name: 'send_private_msg',
  summary: 'Send a private message to a friend (or a temporary session).',
  params: params({ user_id: id(), ...messageParams }),
  handler: (p, ctx) => sendPrivate(ctx, p.user_id, messageOf(p.message, p.auto_escape, 'send_private_msg')),
});

export const sendGroupMsg = defineAction({
  name: 'send_group_msg',
  summary: 'Send a message to a group.',
  params: params({ group_id: id(), ...messageParams }),
  handler: (p, ctx) => sendGroup(ctx, p.group_id, messageOf(p.message, p.auto_escape, 'send_group_msg')),
});

const MESSAGE_TYPES = ['private', 'group', 'discuss'] as const;

export const sendMsg = defineAction({
  name: 'send_msg',
  summary: 'Send a message; the target kind comes from message_type, else from which id key is present.',
  params: params({
    message_type: z.unknown().optional().transform((v) => getString(v, '')),
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
    const targetKey = type === 'private' ? 'user_id' : type === 'group' ? 'group_id' : 'discuss_id';
    const target = id().safeParse(p[targetKey]);
    if (!target.success) throw new ApiError('BAD_PARAMS', `send_msg: ${targetKey} is required and must be a non-zero integer`);
    const message = messageOf(p.message, p.auto_escape, 'send_msg');
    if (type === 'private') return sendPrivate(ctx, target.data, message);
    if (type === 'group') return sendGroup(ctx, target.data, message);
    throw new ApiError('INVALID_TARGET', `send_msg: discuss group ${target.data} does not exist in this backend`);
  },
});
