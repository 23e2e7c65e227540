/**
 * Essence messages (精华消息; docs/qq-rules.md §8, docs/extensions.md §6.1–6.3, §4.10): admins and the owner mark
 * group messages; a recalled message loses the status. Notices `essence` `add`/`delete` reach the bot
 * for other people's operations only (go-cqhttp suppresses the bot's own).
 */
import { ApiError } from '../../protocol/errors.js';
import type { EssenceMessage } from '../port-groups.js';
import type { SandboxContext } from './context.js';
import type { Outbox } from './events.js';
import { essenceEvent } from './group-events.js';
import { requireAdmin } from './group-rules.js';
import { ANONYMOUS_USER_ID } from './rules.js';

/** `actorId` (admin/owner) makes a group message essence (`enable`) or takes it off the list. */
export function setEssence(ctx: SandboxContext, out: Outbox, actorId: number, messageId: number, enable: boolean): void {
  const row = ctx.store.messages.get(messageId);
  if (row === undefined || row.peer_type !== 'group') throw new ApiError('MESSAGE_NOT_FOUND', `there is no group message with message_id ${messageId}`);
  if (row.recalled === 1) throw new ApiError('MESSAGE_NOT_FOUND', `message ${messageId} has been recalled`);
  const groupId = row.peer_id;
  requireAdmin(ctx, groupId, actorId, enable ? 'set essence messages' : 'remove essence messages');
  const current = ctx.store.groupExtras.essence(messageId);
  if (enable) {
    if (current !== undefined) throw new ApiError('OPERATION_FAILED', `message ${messageId} is already an essence message of group ${groupId}`);
    ctx.store.groupExtras.addEssence(messageId, groupId, actorId, ctx.nowSec());
  } else {
    if (current === undefined) throw new ApiError('OPERATION_FAILED', `message ${messageId} is not an essence message of group ${groupId}`);
    ctx.store.groupExtras.removeEssence(messageId);
  }
  if (actorId === ctx.selfId || !ctx.botInGroup(groupId)) return;
  const senderId = row.anon_id === null ? row.sender_id : ANONYMOUS_USER_ID;
  out.push(essenceEvent(ctx.eventBase(), enable, groupId, messageId, senderId, actorId));
}

/** The essence messages of a group the bot is in (102 otherwise), newest first; recalled ones are gone. */
export function essenceList(ctx: SandboxContext, groupId: number): EssenceMessage[] {
  if (!ctx.botInGroup(groupId)) throw new ApiError('INVALID_DATA', `the bot is not a member of group ${groupId}`);
  const nick = (userId: number): string => ctx.store.users.get(userId)?.nickname ?? '';
  return ctx.store.groupExtras.essenceOf(groupId).map((e) => {
    const anon = e.anon_id === null ? undefined : ctx.store.anonymous.get(e.anon_id);
    return {
      messageId: e.message_id,
      senderId: anon === undefined ? e.sender_id : ANONYMOUS_USER_ID,
      senderNick: anon === undefined ? nick(e.sender_id) : anon.name,
      senderTime: Math.floor(e.time_ms / 1000),
      operatorId: e.operator_id,
      operatorNick: nick(e.operator_id),
      operatorTime: e.set_at,
    };
  });
}
