/**
 * Forward WebSocket API frames (§3.4, Appendix C.2) over real connections: the C.2 transcript,
 * echo of every JSON type, 1400/1404, `params` handling, failure details, concurrency.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONNECT, Peer, startForward, TOKEN } from './harness.js';
import type { ForwardFixture } from './harness.js';

const BAD = '{"data":null,"retcode":1400,"status":"failed"}';
const LOGIN = '{"nickname":"bot","user_id":10001000}';

let f: ForwardFixture;
let api: Peer;
before(async () => {
  f = await startForward();
  api = await Peer.open(f.url('/api'));
});
after(async () => {
  api.close();
  await f.stop();
});

test('Appendix C.2, byte for byte (token in the query, connect first)', async () => {
  const g = await startForward({ accessToken: TOKEN });
  const peer = await Peer.open(g.url(`/?access_token=${TOKEN}`));
  try {
    assert.equal(await peer.next(), CONNECT);
    assert.equal(await peer.call('{"action":"get_login_info","echo":"a1"}'), `{"data":${LOGIN},"echo":"a1","retcode":0,"status":"ok"}`);
    assert.equal(await peer.call('{"action":"nope","params":{},"echo":{"k":1}}'), '{"data":null,"echo":{"k":1},"retcode":1404,"status":"failed"}');
    assert.equal(await peer.call('hello'), BAD);
  } finally {
    peer.close();
    await g.stop();
  }
});

test('echo comes back verbatim for every JSON type; objects get sorted keys; null means absent', async () => {
  const cases: [string, string | null][] = [
    ['"a1"', '"a1"'],
    ['""', '""'],
    ['1648451782', '1648451782'],
    ['-1.5', '-1.5'],
    ['true', 'true'],
    ['false', 'false'],
    ['{"z":1,"a":{"y":[2],"b":"\\u00e9"}}', '{"a":{"b":"é","y":[2]},"z":1}'],
    ['[3,"a",{"b":1,"a":2},null]', '[3,"a",{"a":2,"b":1},null]'],
    ['[]', '[]'],
    ['{}', '{}'],
    ['null', null],
  ];
  for (const [given, expected] of cases) {
    const answer = await api.call(`{"action":"get_login_info","echo":${given}}`);
    const echo = expected === null ? '' : `"echo":${expected},`;
    assert.equal(answer, `{"data":${LOGIN},${echo}"retcode":0,"status":"ok"}`, `echo ${given}`);
  }
  assert.equal(await api.call('{"action":"get_login_info"}'), `{"data":${LOGIN},"retcode":0,"status":"ok"}`);
  assert.equal(await api.call('{"action":"nope","echo":[1,{"b":0,"a":0}]}'), '{"data":null,"echo":[1,{"a":0,"b":0}],"retcode":1404,"status":"failed"}');
  assert.equal(await api.call('{"action":"nope","echo":null}'), '{"data":null,"retcode":1404,"status":"failed"}');
});

test('1400 for non-JSON, non-objects, missing or non-string action — never echoed', async () => {
  const frames = [
    'hello', '[1]', '{}', '{"action":1}', '"get_login_info"', '1', 'null', '', ' ', '{"action":"get_login_info"',
    '\ufeff{"action":"get_login_info"}',
    '{"echo":"e"}', '{"action":1,"echo":"e"}', '{"action":null,"echo":{"k":1}}', '{"action":["get_login_info"],"echo":2}',
    '{"action":{"name":"x"},"params":{},"echo":"e"}',
  ];
  for (const frame of frames) assert.equal(await api.call(frame), BAD, `frame ${JSON.stringify(frame)}`);
  // The connection keeps working afterwards.
  assert.equal(await api.call('{"action":"get_login_info","echo":1}'), `{"data":${LOGIN},"echo":1,"retcode":0,"status":"ok"}`);
});

test('params missing or not an object is {}; an object is passed through', async () => {
  for (const params of ['', ',"params":[1,2]', ',"params":"a=1"', ',"params":null', ',"params":7', ',"params":true']) {
    assert.equal(await api.call(`{"action":"echo_params"${params},"echo":"p"}`), '{"data":{},"echo":"p","retcode":0,"status":"ok"}', params);
  }
  assert.equal(await api.call('{"action":"echo_params","params":{"b":[1],"a":"x"}}'), '{"data":{"a":"x","b":[1]},"retcode":0,"status":"ok"}');
  const last = f.calls.at(-1);
  assert.equal(last?.channel, 'ws');
  assert.deepEqual(last?.params, { b: [1], a: 'x' });
});

test('numbers in message segment data keep their lexemes (§5), as in an HTTP JSON body', async () => {
  const frame = '{"action":"echo_params","params":{"message":[{"type":"face","data":{"id":1.0,"n":12345678901234567890}}]}}';
  assert.equal(await api.call(frame), '{"data":{"message":[{"data":{"id":1.0,"n":12345678901234567890},"type":"face"}]},"retcode":0,"status":"ok"}');
});

test('failures: msg/wording only with failureDetails (decision P4); action suffixes go through dispatch', async () => {
  assert.equal(await api.call('{"action":"fail","echo":"e"}'), '{"data":null,"echo":"e","retcode":-9,"status":"failed"}');
  const g = await startForward({ failureDetails: true });
  const peer = await Peer.open(g.url('/api/'));
  try {
    assert.equal(
      await peer.call('{"action":"fail","echo":"e"}'),
      '{"data":null,"echo":"e","msg":"NOT_IN_GROUP","retcode":-9,"status":"failed","wording":"fail: not in group 1"}',
    );
    assert.equal(await peer.call('{"action":"nope","echo":"e"}'), '{"data":null,"echo":"e","retcode":1404,"status":"failed"}');
    assert.equal(await peer.call('{"action":"get_login_info_async","echo":"e"}'), '{"data":null,"echo":"e","retcode":1,"status":"async"}');
  } finally {
    peer.close();
    await g.stop();
  }
});

test('binary frames are read as text; bad UTF-8 (text or binary) answers 1400 and keeps the connection', async () => {
  const answer = await api.call(Buffer.from('{"action":"get_login_info","echo":"bin"}'), true);
  assert.equal(answer, `{"data":${LOGIN},"echo":"bin","retcode":0,"status":"ok"}`);
  assert.equal(await api.call(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), true), BAD);
  // A text frame whose payload is not UTF-8 (the ws client does not validate what it sends).
  assert.equal(await api.call(Buffer.from([0x22, 0xc3, 0x28, 0x22]), false), BAD);
  assert.equal(await api.call('{"action":"get_login_info","echo":"after"}'), `{"data":${LOGIN},"echo":"after","retcode":0,"status":"ok"}`);
});

test('calls on one connection run concurrently: answers arrive in finish order', async () => {
  const started = performance.now();
  api.ws.send('{"action":"slow","params":{"ms":400},"echo":"slow"}');
  api.ws.send('{"action":"slow","params":{"ms":20},"echo":"fast"}');
  api.ws.send('{"action":"get_login_info","echo":"instant"}');
  const first = await api.next();
  const second = await api.next();
  const third = await api.next(3000);
  assert.equal(first, `{"data":${LOGIN},"echo":"instant","retcode":0,"status":"ok"}`);
  assert.equal(second, '{"data":20,"echo":"fast","retcode":0,"status":"ok"}');
  assert.equal(third, '{"data":400,"echo":"slow","retcode":0,"status":"ok"}');
  // Run serially it would take ≥ 420 ms; concurrently, about 400.
  assert.ok(performance.now() - started < 700);
});

test('calls from many connections are answered each on its own connection', async () => {
  const peers = await Promise.all([1, 2, 3, 4, 5].map(() => Peer.open(f.url('/api'))));
  try {
    const answers = await Promise.all(peers.map((p, i) => p.call(`{"action":"slow","params":{"ms":${50 - i * 10}},"echo":${i}}`)));
    answers.forEach((a, i) => assert.equal(a, `{"data":${50 - i * 10},"echo":${i},"retcode":0,"status":"ok"}`));
  } finally {
    peers.forEach((p) => p.close());
  }
});
