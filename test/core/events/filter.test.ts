import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { OneBotEvent } from '../../../src/core/events/channel.js';
import { loadFilterFile } from '../../../src/core/events/filter-file.js';
import { compileFilter, FilterSyntaxError, jsonEqual } from '../../../src/core/events/filter.js';
import { put, tempDir } from '../../config/helpers.js';
import { anonymousGroupMessage, friendRequest, groupBanNotice, groupMessage, heartbeat, lifecycle, privateMessage } from './fixtures.js';

/** Whether `rule` lets `event` through. */
const passes = (rule: unknown, event: OneBotEvent): boolean => compileFilter(rule)(event);

test('§10.4: only messages starting with "!!"', () => {
  const rule = { raw_message: { '.regex': '^!!' } };
  assert.equal(passes(rule, groupMessage()), true);
  assert.equal(passes(rule, privateMessage()), false);
  assert.equal(passes(rule, privateMessage({ raw_message: 'say !!hi' })), false);
  assert.equal(passes(rule, heartbeat()), false, 'no raw_message: the field fails');
});

test('§10.4: group, non-anonymous', () => {
  const rule = { message_type: 'group', anonymous: { '.eq': null } };
  assert.equal(passes(rule, groupMessage()), true);
  assert.equal(passes(rule, anonymousGroupMessage()), false);
  assert.equal(passes(rule, privateMessage()), false);
  assert.equal(passes(rule, heartbeat()), false);
});

test('§10.4: private, or specific groups without anonymous', () => {
  const rule = {
    '.or': [
      { message_type: 'private' },
      { message_type: 'group', group_id: { '.in': [123456] }, anonymous: { '.eq': null } },
    ],
  };
  assert.equal(passes(rule, privateMessage()), true);
  assert.equal(passes(rule, groupMessage()), true);
  assert.equal(passes(rule, groupMessage({ group_id: 654321 })), false);
  assert.equal(passes(rule, anonymousGroupMessage()), false);
  assert.equal(passes(rule, groupBanNotice()), false);
});

test('§10.4: the compound example, with the inner .or applying to the event root', () => {
  const rule = {
    '.or': [
      { message_type: 'private', user_id: { '.not': { '.in': [11111, 22222, 33333] }, '.neq': 44444 } },
      { message_type: { '.regex': 'group|discuss' }, '.or': [{ group_id: 12345 }, { raw_message: { '.contains': '通知' } }] },
    ],
  };
  assert.equal(passes(rule, privateMessage()), true);
  assert.equal(passes(rule, privateMessage({ user_id: 22222 })), false);
  assert.equal(passes(rule, privateMessage({ user_id: 44444 })), false);
  assert.equal(passes(rule, groupMessage({ group_id: 12345 })), true);
  assert.equal(passes(rule, groupMessage({ raw_message: '群通知：明天开会' })), true);
  assert.equal(passes(rule, groupMessage()), false, 'neither group 12345 nor 通知');
  assert.equal(passes(rule, groupMessage({ message_type: 'discuss', discuss_id: 1, group_id: 12345 })), true);
  assert.equal(passes(rule, heartbeat()), false);
});

test('§10.4: keeping heartbeats while filtering messages', () => {
  const rule = { '.or': [{ post_type: 'meta_event' }, { message_type: 'private' }] };
  assert.equal(passes(rule, heartbeat()), true);
  assert.equal(passes(rule, lifecycle()), true);
  assert.equal(passes(rule, privateMessage()), true);
  assert.equal(passes(rule, groupMessage()), false);
});

test('meta events go through the filter: a message rule blocks heartbeats and lifecycle', () => {
  const rule = { message_type: 'group' };
  assert.equal(passes(rule, heartbeat()), false);
  assert.equal(passes(rule, lifecycle()), false);
  assert.equal(passes({ _post_method: 1 }, lifecycle()), true);
  assert.equal(passes({ status: { online: true } }, heartbeat()), true);
});

test('an empty rule passes everything; the key "" is ignored', () => {
  for (const event of [groupMessage(), privateMessage(), heartbeat(), friendRequest()]) {
    assert.equal(passes({}, event), true);
    assert.equal(passes({ '': 'anything', post_type: event.post_type }, event), true);
  }
  assert.equal(passes({ '': 1, post_type: 'notice' }, heartbeat()), false);
  assert.equal(passes({ sender: { '': 'x' } }, groupMessage()), true);
  assert.equal(passes({ sender: { '': 'x' } }, heartbeat()), false, 'the field itself still needs sender');
});

test('fields switch the subject; a missing key or a non-object subject fails the entry', () => {
  assert.equal(passes({ sender: { role: 'member', user_id: 42 } }, groupMessage()), true);
  assert.equal(passes({ sender: { role: 'owner' } }, groupMessage()), false);
  assert.equal(passes({ sender: { card: { '.eq': '' } } }, privateMessage()), false, 'private sender has no card');
  assert.equal(passes({ user_id: { nested: 1 } }, privateMessage()), false, 'user_id is a number, not an object');
  assert.equal(passes({ message: { type: 'text' } }, groupMessage()), false, 'an array is not an object');
  assert.equal(passes({ anonymous: { name: '匿名者' } }, anonymousGroupMessage()), true);
  assert.equal(passes({ anonymous: { name: '匿名者' } }, groupMessage()), false, 'null is not an object');
  assert.equal(passes({ constructor: { '.neq': 1 } }, groupMessage()), false, 'inherited properties are not keys');
  assert.equal(passes({ group_id: { '.neq': 1 } }, privateMessage()), false, 'absent key fails even under .neq');
});

test('a literal is an implicit .eq: scalars, null, arrays', () => {
  assert.equal(passes({ anonymous: null }, groupMessage()), true);
  assert.equal(passes({ anonymous: null }, anonymousGroupMessage()), false);
  assert.equal(passes({ user_id: 42, font: 0 }, groupMessage()), true);
  assert.equal(passes({ message: [{ type: 'text', data: { text: '你好～' } }] }, privateMessage()), true);
  assert.equal(passes({ message: [{ type: 'text', data: { text: '你好' } }] }, privateMessage()), false);
  assert.equal(passes({ status: { app_good: true, good: true } }, heartbeat()), true);
});

test('.eq / .neq: deep JSON equality, numbers numerically, "1" is not 1', () => {
  assert.equal(passes({ user_id: { '.eq': 42.0 } }, groupMessage()), true);
  assert.equal(passes({ user_id: 1.0 }, privateMessage({ user_id: 1 })), true);
  assert.equal(passes({ user_id: { '.eq': '42' } }, groupMessage()), false);
  assert.equal(passes({ user_id: { '.neq': '42' } }, groupMessage()), true);
  assert.equal(passes({ '.eq': groupMessage() }, groupMessage()), true, 'the whole event as the argument');
  const reordered = { ...groupMessage().sender as object };
  assert.equal(passes({ sender: { '.eq': Object.fromEntries(Object.entries(reordered).reverse()) } }, groupMessage()), true);
  assert.equal(passes({ sender: { '.eq': { user_id: 42 } } }, groupMessage()), false, 'a subset is not equal');
  assert.equal(passes({ sender: { '.neq': { user_id: 42 } } }, groupMessage()), true);
  assert.equal(passes({ anonymous: { '.neq': null } }, anonymousGroupMessage()), true);
  assert.equal(passes({ message: { '.eq': [] } }, groupMessage()), false);
  assert.equal(passes({ anonymous: { '.eq': {} } }, groupMessage()), false, 'null is not {}');
  assert.equal(passes({ anonymous: { '.eq': false } }, groupMessage()), false, 'null is not false');
});

test('jsonEqual: order-free objects, arrays by position, undefined members count as absent', () => {
  assert.equal(jsonEqual({ a: 1, b: [1, { c: null }] }, { b: [1.0, { c: null }], a: 1 }), true);
  assert.equal(jsonEqual([1, 2], [2, 1]), false);
  assert.equal(jsonEqual({ a: 1, x: undefined }, { a: 1 }), true);
  assert.equal(jsonEqual({ a: 1 }, { a: 1, b: 2 }), false);
  assert.equal(jsonEqual({ a: 1, b: 2 }, { a: 1, c: 2 }), false);
  assert.equal(jsonEqual([], {}), false);
  assert.equal(jsonEqual(0, -0), true);
});

test('.in with a string: substring of the argument — "oup" and "" match "private|group"', () => {
  const rule = { message_type: { '.in': 'private|group' } };
  assert.equal(passes(rule, groupMessage()), true);
  assert.equal(passes(rule, privateMessage()), true);
  assert.equal(passes(rule, groupMessage({ message_type: 'oup' })), true);
  assert.equal(passes(rule, groupMessage({ message_type: '' })), true);
  assert.equal(passes(rule, groupMessage({ message_type: 'discuss' })), false);
  assert.equal(passes({ user_id: { '.in': '12345678' } }, privateMessage()), false, 'a number is not a string');
});

test('.in with an array: deep membership, any type', () => {
  assert.equal(passes({ group_id: { '.in': [1, 123456.0, 'x'] } }, groupMessage()), true);
  assert.equal(passes({ group_id: { '.in': ['123456'] } }, groupMessage()), false);
  assert.equal(passes({ group_id: { '.in': [] } }, groupMessage()), false);
  assert.equal(passes({ anonymous: { '.in': [null, false] } }, groupMessage()), true);
  assert.equal(passes({ anonymous: { '.in': [{ id: 2046, name: '匿名者', flag: 'AAAA==' }] } }, anonymousGroupMessage()), true);
  assert.equal(passes({ anonymous: { '.in': [{ id: 2046 }] } }, anonymousGroupMessage()), false);
  assert.equal(passes({ message: { '.in': [[{ type: 'text', data: { text: '你好～' } }]] } }, privateMessage()), true);
});

test('.contains and .regex: strings only, unanchored search, type mismatch fails', () => {
  assert.equal(passes({ raw_message: { '.contains': 'face' } }, groupMessage()), true);
  assert.equal(passes({ raw_message: { '.contains': 'image' } }, groupMessage()), false);
  assert.equal(passes({ user_id: { '.contains': '4' } }, groupMessage()), false);
  assert.equal(passes({ raw_message: { '.regex': 'face,id=\\d+\\]$' } }, groupMessage()), true);
  assert.equal(passes({ raw_message: { '.regex': 'look' } }, groupMessage()), true, 'search, not full match');
  assert.equal(passes({ raw_message: { '.regex': '^look' } }, groupMessage()), false);
  assert.equal(passes({ user_id: { '.regex': '42' } }, groupMessage()), false);
  assert.equal(passes({ message: { '.regex': 'look' } }, groupMessage()), false, 'the segment array is not a string');
  const filter = compileFilter({ raw_message: { '.regex': 'a' } });
  for (let i = 0; i < 3; i++) assert.equal(filter(privateMessage({ raw_message: 'aaa' })), true, 'no lastIndex state');
});

test('.not, .and and .or: combinators on the same subject', () => {
  assert.equal(passes({ '.not': { message_type: 'group' } }, privateMessage()), true);
  assert.equal(passes({ '.not': { message_type: 'group' } }, groupMessage()), false);
  assert.equal(passes({ '.not': { group_id: 1 } }, heartbeat()), true, 'a failing missing field, negated');
  assert.equal(passes({ '.not': {} }, heartbeat()), false);
  assert.equal(passes({ '.and': { post_type: 'message', user_id: 42 } }, groupMessage()), true);
  assert.equal(passes({ '.and': { post_type: 'message', user_id: 43 } }, groupMessage()), false);
  assert.equal(passes({ user_id: { '.and': { '.neq': 1, '.in': [42, 43] } } }, groupMessage()), true);
  assert.equal(passes({ '.or': [] }, groupMessage()), false, 'empty .or fails');
  assert.equal(passes({ '.or': [{}] }, groupMessage()), true);
  assert.equal(passes({ '.or': [{ user_id: 1 }, { user_id: 2 }, { user_id: 42 }] }, groupMessage()), true);
  assert.equal(passes({ '.or': [{ user_id: 1 }, { user_id: 2 }] }, groupMessage()), false);
});

test('the filter sees 4.x names: notice_type and comment, not their compat names', () => {
  assert.equal(passes({ notice_type: 'group_ban', duration: { '.in': [600] } }, groupBanNotice()), true);
  assert.equal(passes({ post_type: 'event' }, groupBanNotice()), false);
  assert.equal(passes({ comment: { '.contains': '[CQ:face' } }, friendRequest()), true);
});

test('compiling copies the rule: later changes to it have no effect', () => {
  const rule = { user_id: { '.in': [42] }, sender: { role: 'member' } };
  const filter = compileFilter(rule);
  rule.user_id['.in'][0] = 1;
  rule.sender.role = 'owner';
  assert.equal(filter(groupMessage()), true);
});

/** Asserts `rule` is rejected with a FilterSyntaxError whose message matches. */
function rejects(rule: unknown, message: RegExp, path?: string): void {
  assert.throws(() => compileFilter(rule), (error: unknown) => {
    assert.ok(error instanceof FilterSyntaxError, String(error));
    assert.match(error.message, message);
    if (path !== undefined) assert.equal(error.path, path);
    return true;
  });
}

test('syntax errors: the top level must be an object', () => {
  rejects([], /^top level: the rule must be a JSON object, not an array$/, '');
  rejects(null, /not null$/);
  rejects('message_type', /not a string$/);
  rejects(42, /not a number$/);
});

test('syntax errors: unknown operators, wherever they are', () => {
  rejects({ '.regexp': 'x' }, /^top level: unknown operator "\.regexp"$/, '');
  rejects({ sender: { '.startsWith': 'a' } }, /^\.sender: unknown operator/, '.sender');
  rejects({ '.or': [{}, { '.nor': [] }] }, /^\.or\[1\]: unknown operator "\.nor"$/, '.or[1]');
  rejects({ '.': 1 }, /unknown operator "\."/);
});

test('syntax errors: wrong argument types, with the path inside the rule', () => {
  rejects({ '.or': [{}, { group_id: { '.in': 5 } }] }, /^\.or\[1\]\.group_id: \.in needs a string or an array, not a number$/, '.or[1].group_id');
  rejects({ '.not': [] }, /^top level: \.not needs an object, not an array$/);
  rejects({ '.not': 'x' }, /\.not needs an object/);
  rejects({ '.and': null }, /\.and needs an object, not null/);
  rejects({ '.or': {} }, /\.or needs an array of objects, not an object/);
  rejects({ '.or': [{}, 'private'] }, /^\.or\[1\]: each element of \.or must be an object, not a string$/, '.or[1]');
  rejects({ '.or': [[]] }, /each element of \.or must be an object, not an array/);
  rejects({ raw_message: { '.contains': 1 } }, /^\.raw_message: \.contains needs a string, not a number$/);
  rejects({ raw_message: { '.regex': ['^!!'] } }, /\.regex needs a string, not an array/);
  rejects({ sender: { 'odd key': { '.in': true } } }, /^\.sender\["odd key"\]: \.in needs a string or an array, not a boolean$/);
  rejects({ '.not': { '.and': { '.or': [{ '.eq': 1, '.in': {} }] } } }, /^\.not\.and\.or\[0\]: \.in needs/);
});

test('syntax errors: an invalid regex is rejected at compile time', () => {
  rejects({ raw_message: { '.regex': '(' } }, /^\.raw_message: \.regex "\(" is not a valid regular expression/, '.raw_message');
  rejects({ '.or': [{ raw_message: { '.regex': '[a-' } }] }, /^\.or\[0\]\.raw_message: \.regex/);
  rejects({ raw_message: { '.regex': '*' } }, /not a valid regular expression/);
});

test('syntax errors: values that are not JSON (programmatic rules)', () => {
  rejects({ user_id: Number.NaN }, /^\.user_id: NaN is not a JSON value$/);
  rejects({ user_id: { '.eq': undefined } }, /undefined is not a JSON value/);
  rejects({ user_id: { '.in': [1, () => 1] } }, /^\.user_id\.in\[1\]: function is not a JSON value$/);
});

test('loadFilterFile: a valid file compiles; a BOM is tolerated', (t) => {
  const dir = tempDir(t);
  const file = put(dir, 'filter.json', '\uFEFF{"message_type": "group", "anonymous": {".eq": null}}');
  const result = loadFilterFile(file);
  assert.ok('filter' in result, JSON.stringify(result));
  assert.equal(result.filter(groupMessage()), true);
  assert.equal(result.filter(anonymousGroupMessage()), false);
  assert.equal(result.filter(heartbeat()), false);
});

test('loadFilterFile: every failure is an error naming the file, never a throw', (t) => {
  const dir = tempDir(t);
  const cases: [string, RegExp][] = [
    [path.join(dir, 'missing.json'), /^event filter file .*missing\.json not found$/],
    [put(dir, 'bad.json', '{"message_type": "group",}'), /^event filter file .*bad\.json is not valid JSON: /],
    [put(dir, 'empty.json', ''), /empty\.json is not valid JSON/],
    [put(dir, 'array.json', '[{"message_type": "group"}]'), /^event filter file .*array\.json: top level: the rule must be a JSON object, not an array$/],
    [put(dir, 'syntax.json', '{".or": [{}, {"group_id": {".in": 5}}]}'), /syntax\.json: \.or\[1\]\.group_id: \.in needs a string or an array/],
    [put(dir, 'regex.json', '{"raw_message": {".regex": "(("}}'), /regex\.json: \.raw_message: \.regex "\(\(" is not a valid regular expression/],
    [dir, /cannot be read/],
  ];
  for (const [file, message] of cases) {
    const result = loadFilterFile(file);
    assert.ok('error' in result, file);
    assert.match(result.error, message);
  }
});
