/**
 * `get_message` (CQHTTP 4.15 §5): the three input shapes, malformed input, non-string data values,
 * and the double pass of the send actions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LosslessNumber } from 'lossless-json';
import { decodeMessage, decodeSendMessage, type Segment } from '../../src/message/index.js';

const text = (t: string): Segment => ({ type: 'text', data: { text: t } });
const face = (id: string): Segment => ({ type: 'face', data: { id } });

test('strings: CQ-code parsed without merging, or one verbatim text segment with auto_escape', () => {
  assert.deepEqual(decodeMessage('a[CQ:face,id=1]', false), [text('a'), face('1')]);
  assert.deepEqual(decodeMessage('a[CQ:face,id=1]', true), [text('a[CQ:face,id=1]')]);
  assert.deepEqual(decodeMessage('&amp;', true), [text('&amp;')]);
  assert.deepEqual(decodeMessage('', true), [text('')]);
  assert.deepEqual(decodeMessage('', false), []);
  assert.deepEqual(decodeMessage('[CQ:text,text=a]b', false), [text('a'), text('b')]);
});

test('arrays are decoded per element, then merged; objects give one segment, unmerged', () => {
  assert.deepEqual(decodeMessage([text('a'), text('b'), face('1')], false), [text('ab'), face('1')]);
  assert.deepEqual(decodeMessage([text('')], false), []);
  assert.deepEqual(decodeMessage([{ type: 'text', data: {} }], false), []);
  assert.deepEqual(decodeMessage(text(''), false), [text('')]);
  assert.deepEqual(decodeMessage({ type: 'text', data: {} }, false), [{ type: 'text', data: {} }]);
  assert.deepEqual(decodeMessage(face('1'), true), [face('1')], 'auto_escape only affects strings');
  assert.deepEqual(decodeMessage([], false), []);
});

test('anything else, or one malformed segment, gives an empty message', () => {
  const malformed: unknown[] = [
    123,
    true,
    null,
    undefined,
    new LosslessNumber('1'),
    [face('1'), 'x'],
    [face('1'), null],
    [face('1'), [face('2')]],
    [{ type: 'face' }],
    [{ data: {} }],
    [{ type: 1, data: {} }],
    [{ type: null, data: {} }],
    [{ type: 'face', data: null }],
    [{ type: 'face', data: [] }],
    [{ type: 'face', data: 'id=1' }],
    [{ type: 'face', data: new LosslessNumber('1') }],
    { type: 'face', data: null },
    { type: 'face' },
    Object.create({ type: 'face', data: {} }),
  ];
  for (const value of malformed) {
    assert.deepEqual(decodeMessage(value, false), [], JSON.stringify(value));
    assert.deepEqual(decodeSendMessage(value, false), [], JSON.stringify(value));
  }
});

test('extra keys beside type and data are ignored', () => {
  assert.deepEqual(decodeMessage([{ type: 'face', data: { id: '1' }, extra: 1 }], false), [face('1')]);
});

test('non-string data values become their nlohmann dump text, strings stay', () => {
  const [seg] = decodeMessage(
    {
      type: 'x',
      data: {
        i: 14,
        f: 1.5,
        big: new LosslessNumber('18446744073709551615'),
        d: new LosslessNumber('1.0'),
        b: true,
        n: null,
        o: { z: 1, y: ['s', false] },
        s: 'str',
      },
    },
    false,
  );
  assert.deepEqual(seg, {
    type: 'x',
    data: {
      i: '14',
      f: '1.5',
      big: '18446744073709551615',
      d: '1.0',
      b: 'true',
      n: 'null',
      o: '{"y":["s",false],"z":1}',
      s: 'str',
    },
  });
});

test('a data key __proto__ stays an own key', () => {
  const input = JSON.parse('[{"type":"a","data":{"__proto__":1}}]') as unknown;
  const [seg] = decodeMessage(input, false);
  assert.ok(seg !== undefined && Object.hasOwn(seg.data, '__proto__'));
  assert.equal(Object.getOwnPropertyDescriptor(seg.data, '__proto__')?.value, '1');
});

test('send actions: the merge step applies to every shape and auto_escape only to the first pass', () => {
  assert.deepEqual(decodeSendMessage('', true), []);
  assert.deepEqual(decodeSendMessage(text(''), false), []);
  assert.deepEqual(decodeSendMessage('[CQ:text,text=]', false), []);
  assert.deepEqual(decodeSendMessage('[CQ:text,text=a]b', false), [text('ab')]);
  assert.deepEqual(decodeSendMessage('[CQ:text]', false), []);
  assert.deepEqual(decodeSendMessage({ type: 'text', data: {} }, false), []);
  assert.deepEqual(decodeSendMessage({ type: 'text', data: { x: '1' } }, false), []);
  assert.deepEqual(decodeSendMessage([{ type: 'text', data: {} }], false), []);
  assert.deepEqual(decodeSendMessage('[CQ:face,id=1]', true), [text('[CQ:face,id=1]')]);
  assert.deepEqual(decodeSendMessage('a[CQ:face,id=1]b', false), [text('a'), face('1'), text('b')]);
  assert.deepEqual(decodeSendMessage([text('a'), text('b')], false), [text('ab')]);
});
