/**
 * Message history, forwards and read marks through Milky's message API: history from
 * `get_history_messages` (at most 30 a call, every message's id mapped, oldest first), a forward's
 * content from `get_forwarded_messages` (by its forward id, or by the message id of a message
 * carrying one), a forward sent as Milky's `forward` segment (nested forwards nested; a node quoting
 * a message cqhttpd never saw left out), and `mark_message_as_read` up to a message — or, for a
 * whole conversation, up to its newest.
 */
import { ApiError } from '../../protocol/errors.js';
import type { ConversationTarget, ForwardContent, ForwardItem, ForwardNode, MessageObject, ReadTarget, SentForward } from '../port-messages.js';
import type { MessageIds } from '../onebot/ids.js';
import type { MilkyApi } from './api.js';
import { messageObject } from './events.js';
import { messageKey, parseMessageKey, type Scene } from './keys.js';
import { fromMilkySegments, toMilkySegments, type MilkySegment } from './segments.js';
import type * as M from './types.js';

/** Messages Milky answers in one history call at most. */
const HISTORY_PAGE = 30;

const conversation = (target: ConversationTarget): { scene: Scene; peer: number } =>
  'groupId' in target ? { scene: 'group', peer: target.groupId } : { scene: 'friend', peer: target.userId };

export async function getMessageHistory(api: MilkyApi, ids: MessageIds, selfId: number, target: ConversationTarget, anchorSeq: number, count: number): Promise<MessageObject[]> {
  const { scene, peer } = conversation(target);
  const input: M.GetHistoryMessagesInput = { message_scene: scene, peer_id: peer, limit: Math.max(1, Math.min(count, HISTORY_PAGE)), ...(anchorSeq > 0 ? { start_message_seq: anchorSeq } : {}) };
  const { messages } = await api.call<M.GetHistoryMessagesOutput>('get_history_messages', input);
  return (messages ?? [])
    .map((m) => {
      const object = messageObject(ids, selfId, m as unknown as Record<string, unknown>);
      ids.remember(object['message_id'] as number, object);
      return object;
    })
    .sort((a, b) => a.message_seq - b.message_seq);
}

/** A forward id, or the message id of a stored message whose first forward segment names one. */
function forwardIdOf(ids: MessageIds, id: string): string {
  if (!/^\d{1,10}$/.test(id)) return id;
  const stored = ids.get(Number(id))?.message;
  const segment = stored?.message.find((s) => s.type === 'forward');
  return segment?.data['id'] ?? id;
}

export async function getForwardMessage(api: MilkyApi, ids: MessageIds, id: string): Promise<ForwardContent> {
  const { messages } = await api.call<M.GetForwardedMessagesOutput>('get_forwarded_messages', { forward_id: forwardIdOf(ids, id) } satisfies M.GetForwardedMessagesInput);
  // Milky names a forwarded message's sender by name only; its scene is not given.
  const items: ForwardItem[] = (messages ?? []).map((m) => ({ userId: 0, nickname: m.sender_name, time: m.time, content: fromMilkySegments(ids, 'friend', 0, m.segments) }));
  return { messageType: 'private', items };
}

/** Forward nodes as Milky's forwarded messages (the stored copy of a quoted message; custom nodes as given). */
function forwardedMessages(ids: MessageIds, nodes: ForwardNode[]): { user_id: number; sender_name: string; segments: MilkySegment[] }[] {
  const out: { user_id: number; sender_name: string; segments: MilkySegment[] }[] = [];
  for (const node of nodes) {
    if (node.kind === 'reference') {
      const stored = ids.get(node.messageId)?.message;
      if (stored === undefined) continue;
      const sender = (stored['sender'] ?? {}) as Record<string, unknown>;
      const name = String(sender['card'] || sender['nickname'] || stored['user_id']);
      out.push({ user_id: Number(stored['user_id']), sender_name: name, segments: toMilkySegments(ids, stored.message) });
      continue;
    }
    if (node.userId === 0 || node.nickname === '') continue;
    const segments = node.content.kind === 'message'
      ? toMilkySegments(ids, node.content.message)
      : [{ type: 'forward', data: { messages: forwardedMessages(ids, node.content.nodes) } }];
    out.push({ user_id: node.userId, sender_name: node.nickname, segments });
  }
  return out;
}

/** Send the forward; its id is read back from the sent message (empty when the implementation does not say). */
export async function sendForwardMessage(api: MilkyApi, ids: MessageIds, target: ConversationTarget, nodes: ForwardNode[]): Promise<SentForward> {
  const messages = forwardedMessages(ids, nodes);
  if (messages.length === 0) throw new ApiError('OPERATION_FAILED', 'the forward has no node Milky can send');
  const { scene, peer } = conversation(target);
  const message = [{ type: 'forward', data: { messages } }];
  const { message_seq: seq } = scene === 'group'
    ? await api.call<M.SendGroupMessageOutput>('send_group_message', { group_id: peer, message })
    : await api.call<M.SendPrivateMessageOutput>('send_private_message', { user_id: peer, message });
  const messageId = ids.local(messageKey(scene, peer, seq));
  const sent = await api.call<M.GetMessageOutput>('get_message', { message_scene: scene, peer_id: peer, message_seq: seq } satisfies M.GetMessageInput).catch(() => undefined);
  const forward = sent?.message.segments.find((s) => s.type === 'forward') as { data?: { forward_id?: unknown } } | undefined;
  return { messageId, forwardId: typeof forward?.data?.forward_id === 'string' ? forward.data.forward_id : '' };
}

export async function markMessageAsRead(api: MilkyApi, ids: MessageIds, target: ReadTarget): Promise<void> {
  let key: { scene: Scene; peer: number; seq: number } | undefined;
  if ('messageId' in target) {
    const mapped = ids.get(target.messageId);
    key = mapped === undefined ? undefined : parseMessageKey(mapped.upstreamId);
    if (key === undefined) throw new ApiError('MESSAGE_NOT_FOUND', `there is no message with message_id ${target.messageId}`);
  } else {
    const { scene, peer } = conversation(target);
    const { messages } = await api.call<M.GetHistoryMessagesOutput>('get_history_messages', { message_scene: scene, peer_id: peer, limit: 1 } satisfies M.GetHistoryMessagesInput);
    const newest = (messages ?? []).reduce((seq, m) => Math.max(seq, m.message_seq), 0);
    if (newest === 0) return; // nothing to mark
    key = { scene, peer, seq: newest };
  }
  await api.call('mark_message_as_read', { message_scene: key.scene, peer_id: key.peer, message_seq: key.seq } satisfies M.MarkMessageAsReadInput);
}
