/** The response of an event POST (§3.3): only 2xx + non-empty JSON object is a quick operation. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseOperation } from '../../../src/transports/post/response.js';
import { answer, captureLogger, channelTo, closeLeftovers, GROUP_BODY, GROUP_EVENT, recordingDispatcher, startReceiver, type Responder } from './harness.js';

after(closeLeftovers);

/** Deliver the group event to a receiver answering with `respond`; what the channel dispatched and logged. */
async function roundTrip(respond: Responder, sendDelayMs = 0, event: { post_type: string } = GROUP_EVENT) {
  const receiver = await startReceiver(respond);
  const d = recordingDispatcher(sendDelayMs);
  const log = captureLogger();
  const channel = channelTo(receiver.url, d.dispatch, log.logger);
  await channel.deliver(event === GROUP_EVENT ? GROUP_BODY : JSON.stringify(event), event);
  const seen = { dispatched: [...d.dispatched], calls: [...d.calls], names: d.names(), log };
  await channel.close();
  await Promise.all([receiver.close(), d.close()]);
  return seen;
}

test('the C.4 quick reply runs through .handle_quick_operation before deliver resolves', async () => {
  const { dispatched, calls, names } = await roundTrip(answer(200, '{"reply": "hi", "at_sender": false, "ban": true, "ban_duration": 60}'), 100);
  assert.equal(dispatched.length, 1);
  assert.equal(dispatched[0]!.action, '.handle_quick_operation');
  assert.equal(dispatched[0]!.channel, 'quick_operation');
  assert.deepEqual(dispatched[0]!.params, { context: GROUP_EVENT, operation: { reply: 'hi', at_sender: false, ban: true, ban_duration: 60 } });
  assert.deepEqual(names, ['send_msg', 'set_group_ban'], 'the slow send_msg had finished when deliver resolved');
  assert.deepEqual(calls[0]!.params.message, [{ type: 'text', data: { text: 'hi' } }]);
  assert.equal(calls[0]!.params.group_id, 100001);
  assert.equal(calls[1]!.params.duration, 60);
});

test('request events through the POST path: approve must be a JSON boolean', async () => {
  const request = { comment: 'hi', flag: 'f-1', post_type: 'request', request_type: 'friend', self_id: 10001000, time: 1590000000, user_id: 20005 };
  const approved = await roundTrip(answer(200, '{"approve":true,"remark":"Eve"}'), 0, request);
  assert.deepEqual(approved.calls.map((c) => c.params), [{ ...request, approve: true, remark: 'Eve', reason: '' }]);
  assert.deepEqual(approved.names, ['set_friend_add_request']);
  const ignored = await roundTrip(answer(200, '{"approve":"true"}'), 0, request);
  assert.equal(ignored.dispatched.length, 1, 'the operation is dispatched…');
  assert.deepEqual(ignored.names, [], '…but a string approve does nothing');
});

test('any 2xx with a JSON object counts, whatever its Content-Type', async () => {
  for (const status of [200, 201, 202, 299]) {
    const { names } = await roundTrip(answer(status, '{"reply":"ok"}', 'text/plain'));
    assert.deepEqual(names, ['send_msg'], `HTTP ${status}`);
  }
});

test('non-2xx answers are ignored even with a valid operation, and warned about', async () => {
  // 3xx without a Location header cannot be followed.
  for (const status of [300, 301, 400, 404, 500, 503]) {
    const { dispatched, log } = await roundTrip(answer(status, '{"reply":"no"}'));
    assert.equal(dispatched.length, 0, `HTTP ${status}`);
    assert.match(log.at('warn').join('\n'), new RegExp(`HTTP ${status}`));
  }
});

test('empty, 204, non-JSON, non-object and non-UTF-8 bodies are "no operation"', async () => {
  const bodies: [string, Responder][] = [
    ['204', answer(204)],
    ['empty 200', answer(200, '')],
    ['text', answer(200, 'ok', 'text/plain')],
    ['array', answer(200, '[{"reply":"x"}]')],
    ['string', answer(200, '"reply"')],
    ['null', answer(200, 'null')],
    ['number', answer(200, '1')],
    ['truncated', answer(200, '{"reply":"x"')],
    ['latin-1', (_req, res) => res.end(Buffer.from([0x7b, 0x22, 0x72, 0x65, 0x70, 0x6c, 0x79, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]))],
  ];
  for (const [label, respond] of bodies) {
    const { dispatched, log } = await roundTrip(respond);
    assert.equal(dispatched.length, 0, label);
    assert.deepEqual(log.at('warn'), [], `${label}: a working receiver is not warned about`);
  }
});

test('block is accepted and ignored (logged at debug)', async () => {
  const { dispatched, names, log } = await roundTrip(answer(200, '{"block":true}'));
  assert.equal(dispatched.length, 1);
  assert.deepEqual(names, []);
  assert.match(log.at('debug').join('\n'), /block/);
});

test('a BOM before the JSON is skipped, as nlohmann does', async () => {
  const { names } = await roundTrip(answer(200, '\ufeff{"reply":"bom"}'));
  assert.deepEqual(names, ['send_msg']);
});

test('segment data numbers in a reply keep their lexemes (nlohmann stringification, §5)', async () => {
  const { calls } = await roundTrip(answer(200, '{"reply":[{"type":"face","data":{"id":14}},{"type":"x","data":{"v":1.0,"big":12345678901234567890}}],"at_sender":false}'));
  assert.deepEqual(calls[0]!.params.message, [{ type: 'face', data: { id: '14' } }, { type: 'x', data: { v: '1.0', big: '12345678901234567890' } }]);
});

test('parseOperation', () => {
  assert.deepEqual(parseOperation(Buffer.from('{"a":1,"a":2}')), { a: 2 }, 'last duplicate key wins');
  assert.deepEqual(parseOperation(Buffer.from(' \n{"reply":"x"}\n ')), { reply: 'x' });
  assert.equal(parseOperation(Buffer.alloc(0)), null);
  assert.equal(parseOperation(Buffer.from('{}x')), null);
  assert.equal(parseOperation(Buffer.from([0xff, 0xfe, 0x7b, 0x7d])), null);
  const lossless = parseOperation(Buffer.from('{"reply":{"type":"t","data":{"n":2.50}},"ban_duration":60}'));
  assert.equal(lossless?.ban_duration, 60, 'only reply is read losslessly');
  assert.equal(String((lossless?.reply as { data: { n: unknown } }).data.n), '2.50');
});
