import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCQ, summariseMessage } from '../../src/message/index.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

test('summariseMessage: text as it reads, other segments as short tags, never their data', () => {
  assert.equal(summariseMessage(parseCQ('hi [CQ:at,qq=20001] and [CQ:at,qq=all]')), 'hi @20001 and @all');
  assert.equal(summariseMessage(parseCQ(`[CQ:image,file=base64://${PNG}]look[CQ:record,file=http://x/y.amr][CQ:face,id=14][CQ:reply,id=5]`)), '[image]look[voice][face:14][reply]');
  assert.equal(summariseMessage(parseCQ('[CQ:share,url=http://example.com/?token=abc,title=t]')), '[link]');
  assert.equal(summariseMessage([{ type: 'weird_thing', data: { x: '1' } }, { type: 'b%d\n', data: {} }]), '[weird_thing][segment]');
  assert.equal(summariseMessage(parseCQ('[CQ:at,qq=<script>]')), '@?');
});

test('summariseMessage: line breaks and control characters become spaces, so a message cannot forge a log line', () => {
  assert.equal(summariseMessage(parseCQ('one\ntwo\r\n[12:00] INFO: fake\u0007\u2028x')), 'one two [12:00] INFO: fake x');
});

test('summariseMessage: cut at the length in code points, with an ellipsis; empty says so', () => {
  assert.equal(summariseMessage(parseCQ('x'.repeat(200))), `${'x'.repeat(80)}…`);
  assert.equal(summariseMessage(parseCQ('😀'.repeat(10)), 5), '😀😀😀😀😀…');
  assert.equal(summariseMessage(parseCQ('short'), 5), 'short');
  assert.equal(summariseMessage([]), '(empty)');
  assert.equal(summariseMessage(parseCQ('   ')), '(empty)');
  // A huge message is not copied whole before the cut.
  assert.equal(summariseMessage(parseCQ('y'.repeat(5_000_000)), 10), `${'y'.repeat(10)}…`);
});
