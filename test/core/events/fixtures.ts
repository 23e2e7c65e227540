/** Realistic events (CQHTTP 4.15 §7, Appendix B) shared by the filter and format tests. */
import type { OneBotEvent } from '../../../src/core/events/channel.js';

/** A group message (not anonymous), `message` as the segment array the pipeline carries. */
export function groupMessage(overrides: Record<string, unknown> = {}): OneBotEvent {
  return {
    anonymous: null,
    font: 0,
    group_id: 123456,
    message: [
      { type: 'text', data: { text: '!!look ' } },
      { type: 'face', data: { id: '14' } },
    ],
    message_id: 5,
    message_type: 'group',
    post_type: 'message',
    raw_message: '!!look [CQ:face,id=14]',
    self_id: 10001000,
    sender: {
      age: 0, area: '', card: '', level: '活跃', nickname: 'nick', role: 'member', sex: 'unknown', title: '', user_id: 42,
    },
    sub_type: 'normal',
    time: 1590000000,
    user_id: 42,
    ...overrides,
  };
}

/** An anonymous group message. */
export function anonymousGroupMessage(): OneBotEvent {
  return groupMessage({
    anonymous: { flag: 'AAAA==', id: 2046, name: '匿名者' },
    sub_type: 'anonymous',
    user_id: 80000000,
    sender: { user_id: 80000000 },
  });
}

/** A private message from a friend. */
export function privateMessage(overrides: Record<string, unknown> = {}): OneBotEvent {
  return {
    font: 456,
    message: [{ type: 'text', data: { text: '你好～' } }],
    message_id: 12,
    message_type: 'private',
    post_type: 'message',
    raw_message: '你好～',
    self_id: 10001000,
    sender: { age: 18, nickname: '小不点', sex: 'male', user_id: 12345678 },
    sub_type: 'friend',
    time: 1515204254,
    user_id: 12345678,
    ...overrides,
  };
}

/** A heartbeat meta event. */
export function heartbeat(): OneBotEvent {
  return {
    interval: 15000,
    meta_event_type: 'heartbeat',
    post_type: 'meta_event',
    self_id: 10001000,
    status: { app_enabled: true, app_good: true, app_initialized: true, good: true, online: true, plugins_good: null },
    time: 1590000000,
  };
}

/** A lifecycle/enable meta event, with 4.15's leaked `_post_method`. */
export function lifecycle(): OneBotEvent {
  return { _post_method: 1, meta_event_type: 'lifecycle', post_type: 'meta_event', self_id: 10001000, sub_type: 'enable', time: 1590000000 };
}

/** A group_ban notice. */
export function groupBanNotice(): OneBotEvent {
  return {
    duration: 600, group_id: 123, notice_type: 'group_ban', operator_id: 111, post_type: 'notice',
    self_id: 10001000, sub_type: 'ban', time: 1590000000, user_id: 222,
  };
}

/** A friend request. */
export function friendRequest(): OneBotEvent {
  return {
    comment: 'hi [CQ:face,id=1]', flag: 'flag-1', post_type: 'request', request_type: 'friend',
    self_id: 10001000, time: 1590000000, user_id: 333,
  };
}
