import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventFormat, OneBotEvent } from '../../../src/core/events/channel.js';
import { formatEvent } from '../../../src/core/events/format.js';
import { anonymousGroupMessage, friendRequest, groupBanNotice, groupMessage, heartbeat, lifecycle, privateMessage } from './fixtures.js';

const ARRAY: EventFormat = { messageFormat: 'array', backwardCompatibility: false };
const STRING: EventFormat = { messageFormat: 'string', backwardCompatibility: false };
const ARRAY_COMPAT: EventFormat = { messageFormat: 'array', backwardCompatibility: true };
const STRING_COMPAT: EventFormat = { messageFormat: 'string', backwardCompatibility: true };

/** Deep-freezes an event so that any mutation by `formatEvent` throws. */
function frozen(event: OneBotEvent): OneBotEvent {
  const freeze = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    Object.freeze(value);
    for (const inner of Object.values(value)) freeze(inner);
  };
  freeze(event);
  return event;
}

test('array format without compat: the very same object, for every kind of event', () => {
  for (const event of [groupMessage(), privateMessage(), heartbeat(), lifecycle(), groupBanNotice(), friendRequest()]) {
    assert.equal(formatEvent(event, ARRAY), event);
  }
});

test('string format: message becomes its CQ string; the input keeps its array', () => {
  const event = frozen(groupMessage());
  const out = formatEvent(event, STRING);
  assert.notEqual(out, event);
  assert.equal(out.message, '!!look [CQ:face,id=14]');
  assert.ok(Array.isArray(event.message));
  assert.deepEqual({ ...out, message: event.message }, event, 'every other key unchanged');
  assert.equal(out.sender, event.sender, 'a shallow copy');
});

test('string format: adjacent text segments are merged and CQ special characters escaped', () => {
  const merged = formatEvent(privateMessage({ message: [{ type: 'text', data: { text: 'a' } }, { type: 'text', data: { text: 'b' } }] }), STRING);
  assert.equal(merged.message, 'ab');
  const escaped = formatEvent(privateMessage({
    message: [
      { type: 'text', data: { text: '[x] & y,' } },
      { type: 'share', data: { url: 'http://a/?x=1&y=2', title: 'Hi, [there]' } },
    ],
  }), STRING);
  assert.equal(escaped.message, '&#91;x&#93; &amp; y,[CQ:share,title=Hi&#44; &#91;there&#93;,url=http://a/?x=1&amp;y=2]');
  const lone = formatEvent(privateMessage({ message: [{ type: 'text', data: { text: '' } }] }), STRING);
  assert.equal(lone.message, '');
  const textCode = formatEvent(privateMessage({ message: [{ type: 'text', data: { text: 'x' } }, { type: 'text', data: { text: 'a' } }], raw_message: 'x[CQ:text,text=a]' }), STRING);
  assert.equal(textCode.message, 'xa');
  assert.equal(textCode.raw_message, 'x[CQ:text,text=a]', 'raw_message untouched');
});

test('string format leaves events without a message array alone', () => {
  for (const event of [heartbeat(), lifecycle(), groupBanNotice(), friendRequest()]) assert.equal(formatEvent(event, STRING), event);
  const already = privateMessage({ message: 'already a string' });
  assert.equal(formatEvent(already, STRING), already);
});

test('compat: a non-anonymous group message gets anonymous "" and anonymous_flag ""', () => {
  const event = frozen(groupMessage());
  const out = formatEvent(event, ARRAY_COMPAT);
  assert.equal(out.anonymous, '');
  assert.equal(out.anonymous_flag, '');
  assert.equal(out.message, event.message);
  assert.equal(event.anonymous, null);
  assert.ok(!('anonymous_flag' in event));
  assert.deepEqual(Object.keys(out).sort(), [...Object.keys(event), 'anonymous_flag'].sort());
});

test('compat: an anonymous group message carries the name and the flag as strings', () => {
  const event = frozen(anonymousGroupMessage());
  const out = formatEvent(event, STRING_COMPAT);
  assert.equal(out.anonymous, '匿名者');
  assert.equal(out.anonymous_flag, 'AAAA==');
  assert.equal(out.message, '!!look [CQ:face,id=14]', 'string format applies too');
  assert.deepEqual(event.anonymous, { flag: 'AAAA==', id: 2046, name: '匿名者' });
});

test('compat: private messages and meta events are unchanged', () => {
  const message = privateMessage();
  assert.equal(formatEvent(message, ARRAY_COMPAT), message);
  const beat = heartbeat();
  assert.equal(formatEvent(beat, ARRAY_COMPAT), beat);
  const life = lifecycle();
  assert.equal(formatEvent(life, STRING_COMPAT), life);
  assert.equal(formatEvent(privateMessage(), STRING_COMPAT).anonymous_flag, undefined);
});

test('compat: a notice becomes post_type "event" with event instead of notice_type', () => {
  const event = frozen(groupBanNotice());
  const out = formatEvent(event, STRING_COMPAT);
  assert.deepEqual(out, {
    duration: 600, event: 'group_ban', group_id: 123, operator_id: 111, post_type: 'event',
    self_id: 10001000, sub_type: 'ban', time: 1590000000, user_id: 222,
  });
  assert.equal(event.post_type, 'notice');
  assert.equal(event.notice_type, 'group_ban');
});

test('compat: a request carries message instead of comment', () => {
  const event = frozen(friendRequest());
  const out = formatEvent(event, ARRAY_COMPAT);
  assert.deepEqual(out, {
    flag: 'flag-1', message: 'hi [CQ:face,id=1]', post_type: 'request', request_type: 'friend',
    self_id: 10001000, time: 1590000000, user_id: 333,
  });
  assert.equal(event.comment, 'hi [CQ:face,id=1]');
  assert.ok(!('message' in event));
});

test('the input is never mutated, whatever the format (shared between channels)', () => {
  const events = [groupMessage(), anonymousGroupMessage(), privateMessage(), heartbeat(), lifecycle(), groupBanNotice(), friendRequest()];
  const copies = events.map((event) => structuredClone(event));
  for (const event of events.map(frozen)) {
    for (const format of [ARRAY, STRING, ARRAY_COMPAT, STRING_COMPAT]) formatEvent(event, format);
  }
  assert.deepEqual(events, copies);
});
