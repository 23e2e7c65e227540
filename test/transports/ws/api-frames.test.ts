/**
 * The shared API frame handler (§3.4) in isolation: what reaches `dispatch`, every answer shape,
 * a dispatch that throws, and frame decoding.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallResult, Channel, Dispatch } from '../../../src/core/result.js';
import { ApiError } from '../../../src/protocol/errors.js';
import { frameText, handleApiFrame } from '../../../src/transports/ws/api-frames.js';

function stub(result: CallResult | null) {
  const seen: { action: string; params: Record<string, unknown>; channel: Channel }[] = [];
  const dispatch: Dispatch = (action, params, channel) => {
    seen.push({ action, params, channel });
    return Promise.resolve(result);
  };
  return { seen, dispatch };
}

test('dispatch receives the action, the params object (or {}) and the channel', async () => {
  const { seen, dispatch } = stub({ retcode: 0, data: null });
  assert.equal(await handleApiFrame('{"action":"a","params":{"x":[1]},"echo":"e"}', dispatch, 'ws_reverse', false), '{"data":null,"echo":"e","retcode":0,"status":"ok"}');
  assert.equal(await handleApiFrame('{"action":"b","params":[1]}', dispatch, 'ws', false), '{"data":null,"retcode":0,"status":"ok"}');
  assert.deepEqual(seen, [
    { action: 'a', params: { x: [1] }, channel: 'ws_reverse' },
    { action: 'b', params: {}, channel: 'ws' },
  ]);
});

test('1400 frames never reach dispatch; 1404 and failures keep the echo', async () => {
  const { seen, dispatch } = stub(null);
  for (const frame of ['x', '[]', '{"echo":1}', '{"action":false,"echo":1}']) {
    assert.equal(await handleApiFrame(frame, dispatch, 'ws', true), '{"data":null,"retcode":1400,"status":"failed"}');
  }
  assert.equal(seen.length, 0);
  assert.equal(await handleApiFrame('{"action":"x","echo":0}', dispatch, 'ws', true), '{"data":null,"echo":0,"retcode":1404,"status":"failed"}');
  const failing = stub({ retcode: -34, data: null, error: new ApiError('BOT_MUTED', 'muted in 1') });
  assert.equal(
    await handleApiFrame('{"action":"x","echo":"q"}', failing.dispatch, 'ws', true),
    '{"data":null,"echo":"q","msg":"BOT_MUTED","retcode":-34,"status":"failed","wording":"muted in 1"}',
  );
});

test('a dispatch that throws is answered with 103 (echoed) and reported, never rejected', async () => {
  const errors: [unknown, string][] = [];
  const boom: Dispatch = () => Promise.reject(new TypeError('bug'));
  const answer = await handleApiFrame('{"action":"x","echo":[1]}', boom, 'ws', false, (err, action) => errors.push([err, action]));
  assert.equal(answer, '{"data":null,"echo":[1],"retcode":103,"status":"failed"}');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.[1], 'x');
  assert.ok(errors[0]?.[0] instanceof TypeError);
});

test('frameText: Buffer, fragments and ArrayBuffer decode as UTF-8; invalid UTF-8 is null', () => {
  assert.equal(frameText(Buffer.from('é{}')), 'é{}');
  assert.equal(frameText([Buffer.from([0xc3]), Buffer.from([0xa9])]), 'é');
  assert.equal(frameText(new Uint8Array([0x7b, 0x7d]).buffer), '{}');
  assert.equal(frameText(Buffer.from([0xc3, 0x28])), null);
  assert.equal(frameText(Buffer.from([0xed, 0xa0, 0x80])), null, 'an encoded surrogate is not UTF-8');
});
