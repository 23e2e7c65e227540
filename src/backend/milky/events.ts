/**
 * Milky events as the OneBot v11 events cqhttpd emits (docs/bridge.md lists the mapping): messages
 * with cqhttpd's message ids and 4.15's sender fields, recalls, requests (their `flag` carries what
 * Milky needs to answer them: flags.ts), member changes, mutes, admins, nudges as pokes, reactions
 * as `group_msg_emoji_like`, essence, uploads. The bot's own messages are stored (for `get_msg`)
 * but not emitted, and a message already delivered is not delivered again; other Milky events pass
 * through as notice `milky_<event_type>` with their data.
 */
import { serialiseCQ } from '../../message/index.js';
import type { MessageObject } from '../port-messages.js';
import type { BackendEvent } from '../port.js';
import type { MessageIds } from '../onebot/ids.js';
import { friendFlag, groupFlag } from './flags.js';
import { messageKey, type Scene } from './keys.js';
import type { MilkyFrame } from './stream.js';
import { fromMilkySegments } from './segments.js';

type Wire = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : Number(value) || 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const obj = (value: unknown): Wire => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Wire : {});

/** A Milky incoming message as cqhttpd's message object (the message event it is, plus real_id and message_seq). */
export function messageObject(ids: MessageIds, selfId: number, m: Wire, time?: number): MessageObject {
  const scene = (m['message_scene'] === 'group' || m['message_scene'] === 'temp' ? m['message_scene'] : 'friend') as Scene;
  const peer = num(m['peer_id']);
  const seq = num(m['message_seq']);
  const senderId = num(m['sender_id']);
  const messageId = ids.local(messageKey(scene, peer, seq));
  const message = fromMilkySegments(ids, scene, peer, m['segments']);
  const base = {
    post_type: senderId === selfId ? 'message_sent' as const : 'message' as const,
    time: num(m['time']) || (time ?? 0), self_id: selfId, message_id: messageId, user_id: senderId,
    message, raw_message: serialiseCQ(message), font: 0, real_id: messageId, message_seq: seq,
  };
  if (scene === 'group') {
    const member = obj(m['group_member']);
    return {
      ...base, message_type: 'group', sub_type: 'normal', group_id: peer, anonymous: null,
      sender: {
        age: 0, area: '', card: str(member['card']), level: String(num(member['level'])), nickname: str(member['nickname']),
        role: member['role'] === 'owner' || member['role'] === 'admin' ? member['role'] : 'member',
        sex: member['sex'] === 'male' || member['sex'] === 'female' ? member['sex'] : 'unknown', title: str(member['title']), user_id: senderId,
      },
    };
  }
  const friend = obj(m['friend']);
  return {
    ...base, message_type: 'private', sub_type: scene === 'temp' ? 'group' : 'friend',
    sender: { age: 0, nickname: str(friend['nickname']), sex: friend['sex'] === 'male' || friend['sex'] === 'female' ? friend['sex'] : 'unknown', user_id: senderId },
  };
}

/** The message event of a message object (without `real_id`/`message_seq`, which events do not carry). */
function messageEvent(object: MessageObject): BackendEvent {
  const { real_id: _r, message_seq: _s, ...event } = object;
  return event as BackendEvent;
}

const notice = (f: MilkyFrame, fields: Wire): BackendEvent => ({ post_type: 'notice', time: f.time, self_id: f.self_id, ...fields });
const request = (f: MilkyFrame, fields: Wire): BackendEvent => ({ post_type: 'request', time: f.time, self_id: f.self_id, ...fields });

/** The OneBot event of a Milky event, or `undefined` (the bot's own message: stored, not emitted). */
export function fromMilkyEvent(ids: MessageIds, f: MilkyFrame): BackendEvent | undefined {
  const d = f.data;
  switch (f.event_type) {
    case 'message_receive': {
      const object = messageObject(ids, f.self_id, d, f.time);
      const messageId = object['message_id'] as number;
      ids.remember(messageId, object);
      if (object.post_type === 'message_sent') return undefined;
      // An implementation re-sending a message after a reconnect (or after cqhttpd restarted): never twice.
      return ids.firstDelivery(messageId) ? messageEvent(object) : undefined;
    }
    case 'message_recall': {
      const scene = d['message_scene'] === 'group' ? 'group' : d['message_scene'] === 'temp' ? 'temp' : 'friend';
      const messageId = ids.local(messageKey(scene, num(d['peer_id']), num(d['message_seq'])));
      ids.recalled(messageId);
      if (scene === 'group') return notice(f, { notice_type: 'group_recall', group_id: num(d['peer_id']), user_id: num(d['sender_id']), operator_id: num(d['operator_id']), message_id: messageId });
      return notice(f, { notice_type: 'friend_recall', user_id: num(d['peer_id']), message_id: messageId });
    }
    case 'friend_request':
      return request(f, { request_type: 'friend', user_id: num(d['initiator_id']), comment: str(d['comment']), flag: friendFlag(str(d['initiator_uid']), false) });
    case 'group_join_request':
      return request(f, {
        request_type: 'group', sub_type: 'add', group_id: num(d['group_id']), user_id: num(d['initiator_id']), comment: str(d['comment']),
        flag: groupFlag('join_request', num(d['group_id']), num(d['notification_seq']), d['is_filtered'] === true),
      });
    case 'group_invited_join_request':
      return request(f, {
        request_type: 'group', sub_type: 'add', group_id: num(d['group_id']), user_id: num(d['target_user_id']), comment: '',
        flag: groupFlag('invited_join_request', num(d['group_id']), num(d['notification_seq']), false),
      });
    case 'group_invitation':
      return request(f, {
        request_type: 'group', sub_type: 'invite', group_id: num(d['group_id']), user_id: num(d['initiator_id']), comment: '',
        flag: groupFlag('invitation', num(d['group_id']), num(d['invitation_seq']), false),
      });
    case 'friend_nudge': {
      const poker = d['is_self_send'] === true ? f.self_id : num(d['user_id']);
      const target = d['is_self_receive'] === true ? f.self_id : num(d['user_id']);
      return notice(f, { notice_type: 'notify', sub_type: 'poke', user_id: poker, sender_id: poker, target_id: target });
    }
    case 'group_nudge':
      return notice(f, { notice_type: 'notify', sub_type: 'poke', group_id: num(d['group_id']), user_id: num(d['sender_id']), sender_id: num(d['sender_id']), target_id: num(d['receiver_id']) });
    case 'group_member_increase': {
      const invitor = num(d['invitor_id']);
      return notice(f, {
        notice_type: 'group_increase', sub_type: invitor > 0 ? 'invite' : 'approve', group_id: num(d['group_id']),
        operator_id: num(d['operator_id']) || invitor, user_id: num(d['user_id']),
      });
    }
    case 'group_member_decrease': {
      const userId = num(d['user_id']);
      const operator = num(d['operator_id']);
      const subType = userId === f.self_id ? 'kick_me' : operator > 0 && operator !== userId ? 'kick' : 'leave';
      return notice(f, { notice_type: 'group_decrease', sub_type: subType, group_id: num(d['group_id']), operator_id: operator || userId, user_id: userId });
    }
    case 'group_admin_change':
      return notice(f, { notice_type: 'group_admin', sub_type: d['is_set'] === true ? 'set' : 'unset', group_id: num(d['group_id']), user_id: num(d['user_id']) });
    case 'group_mute': {
      const duration = num(d['duration']);
      return notice(f, {
        notice_type: 'group_ban', sub_type: duration > 0 ? 'ban' : 'lift_ban', group_id: num(d['group_id']), operator_id: num(d['operator_id']), user_id: num(d['user_id']), duration,
      });
    }
    case 'group_whole_mute':
      return notice(f, {
        notice_type: 'group_ban', sub_type: d['is_mute'] === true ? 'ban' : 'lift_ban', group_id: num(d['group_id']), operator_id: num(d['operator_id']), user_id: 0,
        duration: d['is_mute'] === true ? -1 : 0,
      });
    case 'group_message_reaction':
      return notice(f, {
        notice_type: 'group_msg_emoji_like', group_id: num(d['group_id']), user_id: num(d['user_id']),
        message_id: ids.local(messageKey('group', num(d['group_id']), num(d['message_seq']))), likes: [{ emoji_id: str(d['face_id']), count: 1 }], is_add: d['is_add'] === true,
      });
    case 'group_essence_message_change':
      return notice(f, {
        notice_type: 'essence', sub_type: d['is_set'] === true ? 'add' : 'delete', group_id: num(d['group_id']), sender_id: 0, operator_id: num(d['operator_id']),
        message_id: ids.local(messageKey('group', num(d['group_id']), num(d['message_seq']))),
      });
    case 'group_file_upload':
      return notice(f, {
        notice_type: 'group_upload', group_id: num(d['group_id']), user_id: num(d['user_id']),
        file: { id: str(d['file_id']), name: str(d['file_name']), size: num(d['file_size']), busid: 0 },
      });
    case 'friend_file_upload':
      return notice(f, { notice_type: 'offline_file', user_id: num(d['user_id']), file: { name: str(d['file_name']), size: num(d['file_size']), url: '' } });
    case 'bot_offline':
      return notice(f, { notice_type: 'bot_offline', user_id: f.self_id, tag: 'bot_offline', message: str(d['reason']) });
    default:
      return notice(f, { ...d, notice_type: `milky_${f.event_type}` });
  }
}
