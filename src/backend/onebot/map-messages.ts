/**
 * The port's messages extension over a OneBot v11 upstream: forwards (sent and read back), history,
 * read marks, reactions, friends, the bot's profile and devices. Message ids cross in both
 * directions through the bridge's id store; forward nodes quoting a message cqhttpd never handed
 * out are left out (as QQ skips a node it cannot use).
 */
import { ApiError } from '../../protocol/errors.js';
import type {
  ConversationTarget, ForwardContent, ForwardItem, ForwardNode, MessageObject, OnlineClient, ProfileUpdate, ReadTarget, SentForward,
} from '../port-messages.js';
import { fromUpstreamMessage } from './events.js';
import { int, items, object, record, segmentsOf, str } from './normalise.js';
import { toUpstreamMessage } from './outgoing.js';
import type { Upstream } from './upstream.js';

type Wire = Record<string, unknown>;

/** A forward id, or the message_id of the message carrying it (cqhttpd's, translated). */
function forwardRef(up: Upstream, id: string): string | number {
  if (/^\d{1,10}$/.test(id) && up.ids.get(Number(id)) !== undefined) return up.upstreamId(Number(id));
  return id;
}

/** A go-cqhttp item (`sender`, `content`) or a v11 node segment (`data.user_id`, `data.content`). */
function forwardItem(w: Wire): ForwardItem {
  const node = w['type'] === 'node' ? record(w['data']) : undefined;
  const sender = record(node ?? w['sender']);
  const content = (node ?? w)['content'];
  const nested = Array.isArray(content) && content.length > 0 && content.every((c) => typeof c === 'object' && c !== null && ('sender' in c || (c as Wire)['type'] === 'node'));
  return {
    userId: int(sender['user_id'] ?? sender['uin']),
    nickname: str(sender['nickname'] ?? sender['name']),
    time: int((node ?? w)['time']),
    content: nested ? items(content).map(forwardItem) : segmentsOf(content),
  };
}

export async function getForwardMessage(up: Upstream, id: string): Promise<ForwardContent> {
  const ref = forwardRef(up, id);
  const data = await up.object('get_forward_msg', { id: ref, message_id: ref });
  const list = items(data['messages'] ?? data['message']);
  const first = list[0] ?? {};
  const groupId = int(first['group_id']);
  const out: ForwardContent = { messageType: first['message_type'] === 'group' || groupId !== 0 ? 'group' : 'private', items: list.map(forwardItem) };
  if (groupId !== 0) out.groupId = groupId;
  return out;
}

/** Nodes as the upstream takes them; a reference to an id cqhttpd never gave out is dropped. */
async function upstreamNodes(up: Upstream, nodes: ForwardNode[]): Promise<Wire[]> {
  const out: Wire[] = [];
  for (const node of nodes) {
    if (node.kind === 'reference') {
      const mapped = up.ids.get(node.messageId);
      if (mapped !== undefined) out.push({ type: 'node', data: { id: mapped.upstreamId } });
      continue;
    }
    const data: Wire = { user_id: String(node.userId), nickname: node.nickname };
    if (node.time !== undefined) data['time'] = String(node.time);
    data['content'] = node.content.kind === 'message' ? await toUpstreamMessage(up.ids, up.dataDir, node.content.message) : await upstreamNodes(up, node.content.nodes);
    out.push({ type: 'node', data });
  }
  return out;
}

export async function sendForwardMessage(up: Upstream, target: ConversationTarget, nodes: ForwardNode[]): Promise<SentForward> {
  const messages = await upstreamNodes(up, nodes);
  if (messages.length === 0) throw new ApiError('MESSAGE_EMPTY_OR_TOO_LONG', 'the forward has no usable node (every node quotes a message cqhttpd does not know)');
  const data = 'groupId' in target
    ? await up.object('send_group_forward_msg', { group_id: target.groupId, messages })
    : await up.object('send_private_forward_msg', { user_id: target.userId, messages });
  const id = data['message_id'];
  if (typeof id !== 'number' && typeof id !== 'string') throw new ApiError('INVALID_DATA', 'sending a forward: the upstream answered without a message_id');
  return { messageId: up.localId(id), forwardId: str(data['forward_id'] ?? data['res_id']) };
}

export async function getMessageHistory(up: Upstream, target: ConversationTarget, anchorSeq: number, count: number): Promise<MessageObject[]> {
  const data = 'groupId' in target
    ? await up.call('get_group_msg_history', { group_id: target.groupId, message_seq: anchorSeq, count })
    : await up.call('get_friend_msg_history', { user_id: target.userId, message_seq: anchorSeq, count });
  const list = items(Array.isArray(data) ? data : record(data)['messages']);
  return list.map((m) => fromUpstreamMessage(up.ids, up.localId(m['message_id']), m));
}

export function markMessageAsRead(up: Upstream, target: ReadTarget): Promise<void> {
  if ('messageId' in target) return up.run('mark_msg_as_read', { message_id: up.upstreamId(target.messageId) });
  return up.run('mark_msg_as_read', 'groupId' in target ? { group_id: target.groupId } : { user_id: target.userId });
}

export function setMessageEmojiLike(up: Upstream, messageId: number, emojiId: string, set: boolean): Promise<void> {
  return up.run('set_msg_emoji_like', { message_id: up.upstreamId(messageId), emoji_id: emojiId, set });
}

export function deleteFriend(up: Upstream, userId: number): Promise<void> {
  return up.run('delete_friend', { user_id: userId });
}

export function setProfile(up: Upstream, profile: ProfileUpdate): Promise<void> {
  const params: Wire = {};
  if (profile.nickname !== undefined) params['nickname'] = profile.nickname;
  if (profile.company !== undefined) params['company'] = profile.company;
  if (profile.email !== undefined) params['email'] = profile.email;
  if (profile.college !== undefined) params['college'] = profile.college;
  if (profile.personalNote !== undefined) params['personal_note'] = profile.personalNote;
  return up.run('set_qq_profile', params);
}

/** go-cqhttp's `{clients: [...]}`, or a bare list. */
export async function getOnlineClients(up: Upstream, noCache: boolean): Promise<OnlineClient[]> {
  const data = await up.call('get_online_clients', { no_cache: noCache });
  const list = Array.isArray(data) ? items(data) : items(object('get_online_clients', data)['clients']);
  return list.map((c) => ({ appId: int(c['app_id']), deviceName: str(c['device_name']), deviceKind: str(c['device_kind']) }));
}
