import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, head, raw, start, TOKEN, type Started } from './harness.js';

const JSON_CT = 'application/json; charset=UTF-8';

/** Assert the bare error shape of §3.1: status, `Content-Length: 0`, no body, no JSON, no CORS. */
function assertBare(r: { status: number; headers: Record<string, string>; body: string; statusLine: string }, status: number, reason: string): void {
  assert.equal(r.statusLine, `HTTP/1.1 ${status} ${reason}`);
  assert.equal(r.headers['content-length'], '0');
  assert.equal(r.body, '');
  assert.equal(r.headers['content-type'], undefined);
  assert.equal(r.headers['access-control-allow-origin'], undefined);
}

describe('Appendix C.1 (access token set)', () => {
  let s: Started;
  before(async () => (s = await start({ accessToken: TOKEN })));
  after(() => s.stop());

  test('GET with Bearer token: exact status line, headers and 54-byte body', async () => {
    const { responses } = await raw(s.port, head('GET', '/send_private_msg?user_id=10001000&message=hello', [`Authorization: Bearer ${TOKEN}`]));
    const r = responses[0]!;
    assert.equal(r.statusLine, 'HTTP/1.1 200 OK');
    assert.equal(r.headers['content-type'], JSON_CT);
    assert.equal(r.headers['content-length'], '54');
    assert.equal(r.body, '{"data":{"message_id":1234},"retcode":0,"status":"ok"}');
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    assert.deepEqual(s.calls.at(-1), { action: 'send_private_msg', params: { user_id: '10001000', message: 'hello' }, channel: 'http' });
  });

  test('same call via JSON POST', async () => {
    const body = '{"user_id": 10001000, "message": [{"type": "text", "data": {"text": "hello"}}]}';
    const r = await call(s.port, 'POST', '/send_private_msg', { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body);
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"data":{"message_id":1234},"retcode":0,"status":"ok"}');
    assert.deepEqual(s.calls.at(-1)?.params, { user_id: 10001000, message: [{ type: 'text', data: { text: 'hello' } }] });
  });

  test('failure table', async () => {
    const auth = `Authorization: Bearer ${TOKEN}`;
    assertBare((await raw(s.port, head('GET', '/send_private_msg'))).responses[0]!, 401, 'Unauthorized');
    assertBare((await raw(s.port, head('GET', '/send_private_msg', ['Authorization: Bearer wrong']))).responses[0]!, 403, 'Forbidden');
    assertBare((await raw(s.port, head('GET', `/send_private_msg?access_token=${TOKEN}`, [`Authorization: bearer ${TOKEN}`]))).responses[0]!, 401, 'Unauthorized');
    assertBare((await raw(s.port, head('POST', '/send_private_msg', [auth, 'Content-Type: text/plain', 'Content-Length: 2']) + 'hi')).responses[0]!, 406, 'Not Acceptable');
    assertBare((await raw(s.port, head('POST', '/send_private_msg', [auth, 'Content-Type: application/json', 'Content-Length: 5']) + '[1,2]')).responses[0]!, 400, 'Bad Request');
    assertBare((await raw(s.port, head('POST', '/send_private_msg', [auth, 'Content-Type: application/json', 'Content-Length: 4']) + '{bad')).responses[0]!, 400, 'Bad Request');
    assertBare((await raw(s.port, head('GET', '/no_such_action', [auth]))).responses[0]!, 404, 'Not Found');
    const noParams = (await raw(s.port, head('GET', '/send_private_msg', [auth]))).responses[0]!;
    assert.equal(noParams.status, 200);
    assert.equal(noParams.body, '{"data":null,"retcode":100,"status":"failed"}');
    const asyncCall = await call(s.port, 'GET', '/send_msg_async?user_id=1&message=x', { Authorization: `Bearer ${TOKEN}` });
    assert.equal(asyncCall.status, 200);
    assert.equal(asyncCall.body, '{"data":null,"retcode":1,"status":"async"}');
    assertBare((await raw(s.port, head('GET', '/send_msg_rate_limited?user_id=1&message=x', [auth]))).responses[0]!, 404, 'Not Found');
    assertBare((await raw(s.port, head('OPTIONS', '/send_msg'))).responses[0]!, 405, 'Method Not Allowed');
  });
});

describe('routing, methods, parameters (no token, CORS off)', () => {
  let s: Started;
  before(async () => (s = await start()));
  after(() => s.stop());
  const echo = async (path: string) => JSON.parse((await call(s.port, 'GET', path)).body).data as unknown;

  test('trailing slash, hidden action, raw (undecoded) action names', async () => {
    assert.deepEqual(await echo('/echo_params/?a=1'), { a: '1' });
    assert.equal((await call(s.port, 'GET', '/.handle_quick_operation')).status, 200);
    assert.equal((await call(s.port, 'GET', '/echo%5Fparams')).status, 404);
    assert.equal(s.calls.at(-1)?.action, 'echo%5Fparams');
  });

  test('paths outside the action route are 404 for every method, without calling dispatch', async () => {
    const before = s.calls.length;
    for (const path of ['/a/b', '/', '//', '/echo_params//', '/data/image/x.cqimg', '/echo_params/x']) {
      for (const method of ['GET', 'POST', 'PUT', 'OPTIONS']) {
        const r = (await raw(s.port, head(method, path, ['Content-Length: 0']))).responses[0]!;
        assertBare(r, 404, 'Not Found');
      }
    }
    assert.equal(s.calls.length, before);
  });

  test('other methods on an action path: 405 with Allow, never a hang', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'HEAD', 'TRACE']) {
      const { responses, received } = await raw(s.port, head(method, '/echo_params', ['Content-Length: 0']));
      const r = responses[0]!;
      assertBare(r, 405, 'Method Not Allowed');
      assert.equal(r.headers.allow, 'GET, POST, OPTIONS', method);
      assert.ok(!received.toString().includes('{'), 'no JSON');
    }
  });

  test('query values: + and percent-decoding, bad escapes kept, bare names, last wins, first-= split', async () => {
    assert.deepEqual(await echo('/echo_params?a=hello+world&b=%E4%B8%AD%E6%96%87&c=100%&d&=x&e=1&e=2&f=a%2Bb&g=x=y&n%61me=1'), {
      a: 'hello world', b: '中文', c: '100%', d: '', e: '2', f: 'a+b', g: 'x=y', 'n%61me': '1',
    });
    assert.deepEqual(await echo('/echo_params?'), {});
    assert.deepEqual(await echo('/echo_params?message=%5BCQ%3Aface%2Cid%3D14%5D%E2%9D%A4'), { message: '[CQ:face,id=14]❤' });
  });

  test('POST form body: strings, decoded; charset parameter allowed', async () => {
    const r = await call(s.port, 'POST', '/echo_params', { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, 'user_id=123&message=a+b%21&auto_escape=true');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], JSON_CT);
    assert.deepEqual(JSON.parse(r.body).data, { user_id: '123', message: 'a b!', auto_escape: 'true' });
  });

  test('POST JSON: typed values kept; charset allowed; BOM tolerated', async () => {
    const r = await call(s.port, 'POST', '/echo_params', { 'Content-Type': 'application/json; charset=utf-8' }, '{"user_id":123,"auto_escape":true,"x":null}');
    assert.deepEqual(JSON.parse(r.body).data, { user_id: 123, auto_escape: true, x: null });
    const bom = await call(s.port, 'POST', '/echo_params', { 'Content-Type': 'application/json' }, Buffer.from('\uFEFF{"a":1}'));
    assert.equal(bom.status, 200);
    assert.deepEqual(JSON.parse(bom.body).data, { a: 1 });
  });

  test('POST JSON: non-objects, garbage, empty and invalid UTF-8 bodies are 400', async () => {
    for (const body of ['[1,2]', '{bad', '"str"', '1', 'null', '{"a":1} x', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])]) {
      const r = (await raw(s.port, Buffer.concat([Buffer.from(head('POST', '/echo_params', ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`])), Buffer.from(body)]))).responses[0]!;
      assertBare(r, 400, 'Bad Request');
    }
    const empty = (await raw(s.port, head('POST', '/echo_params', ['Content-Type: application/json', 'Content-Length: 0']))).responses[0]!;
    assertBare(empty, 400, 'Bad Request');
    const emptyChunked = (await raw(s.port, head('POST', '/echo_params', ['Content-Type: application/json', 'Transfer-Encoding: chunked']) + '0\r\n\r\n')).responses[0]!;
    assertBare(emptyChunked, 400, 'Bad Request');
  });

  test('Content-Type is compared case-sensitively by prefix: anything else is 406 and not dispatched', async () => {
    const before = s.calls.length;
    for (const type of ['text/plain', 'Application/JSON', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/x-www-form-urlencode', 'json']) {
      const r = (await raw(s.port, head('POST', '/echo_params', [`Content-Type: ${type}`, 'Content-Length: 7']) + '{"a":1}')).responses[0]!;
      assert.equal(r.status, type === 'application/jsonp' ? 200 : 406, type);
    }
    assert.equal(s.calls.length, before + 1, 'only the prefix match (application/jsonp) reached dispatch');
  });

  test('POST without (or with an empty) Content-Type: body ignored, query used', async () => {
    for (const headers of [[], ['Content-Type: ']]) {
      const { responses } = await raw(s.port, head('POST', '/echo_params?q=1', [...headers, 'Content-Length: 7']) + '{"a":1}' + head('GET', '/echo_params?next=1'), 2);
      assert.equal(responses[0]!.status, 200);
      assert.deepEqual(JSON.parse(responses[0]!.body).data, { q: '1' });
      assert.deepEqual(JSON.parse(responses[1]!.body).data, { next: '1' }, 'the ignored body did not desynchronise the connection');
    }
  });

  test('GET never reads the body, whatever the Content-Type; keep-alive continues', async () => {
    const body = '{"a":"from body"}';
    const first = head('GET', '/echo_params?q=1', ['Content-Type: application/json', `Content-Length: ${body.length}`]) + body;
    const { responses, ended } = await raw(s.port, first + head('GET', '/echo_params?second=1'), 2);
    assert.equal(ended, false);
    assert.deepEqual(JSON.parse(responses[0]!.body).data, { q: '1' });
    assert.deepEqual(JSON.parse(responses[1]!.body).data, { second: '1' });
    const bad = await raw(s.port, head('GET', '/echo_params', ['Content-Type: text/plain', 'Content-Length: 3']) + 'abc');
    assert.equal(bad.responses[0]!.status, 200, 'no 406 for GET');
    const chunked = await raw(s.port, head('GET', '/echo_params?c=1', ['Transfer-Encoding: chunked']) + '3\r\nabc\r\n');
    assert.deepEqual(JSON.parse(chunked.responses[0]!.body).data, { c: '1' }, 'answered before the chunked body ends');
    assert.equal(chunked.responses[0]!.headers.connection, 'close', 'a body of unknown size is not drained on a kept-alive connection');
  });

  test('merge: query > form > JSON', async () => {
    const json = await call(s.port, 'POST', '/echo_params?a=query&x=%20', { 'Content-Type': 'application/json' }, '{"a":"json","b":"json","n":5}');
    assert.deepEqual(JSON.parse(json.body).data, { a: 'query', b: 'json', n: 5, x: ' ' });
    const form = await call(s.port, 'POST', '/echo_params?a=query', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'a=form&b=form');
    assert.deepEqual(JSON.parse(form.body).data, { a: 'query', b: 'form' });
  });

  test('pipelined requests are answered in order on one connection', async () => {
    const text = [1, 2, 3, 4, 5].map((i) => head('GET', `/echo_params?i=${i}`)).join('');
    const { responses } = await raw(s.port, text, 5);
    assert.deepEqual(responses.map((r) => JSON.parse(r.body).data.i), ['1', '2', '3', '4', '5']);
  });

  test('a long GET query (60 KB) is accepted; a head over max_header_size (64 KiB) is 431', async () => {
    const long = 'x'.repeat(60_000);
    const r = await call(s.port, 'GET', `/echo_params?message=${long}`);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).data.message.length, 60_000);
    const over = await raw(s.port, head('GET', `/echo_params?message=${'x'.repeat(66_000)}`));
    assert.equal(over.responses[0]?.statusLine, 'HTTP/1.1 431 Request Header Fields Too Large');
    assert.equal(over.responses[0]?.headers.connection, 'close');
  });
});

describe('CORS on', () => {
  let s: Started;
  before(async () => (s = await start({ enableCors: true, accessToken: TOKEN })));
  after(() => s.stop());

  test('OPTIONS preflight: 200, three Allow-* headers, empty, not authenticated', async () => {
    const r = (await raw(s.port, head('OPTIONS', '/send_msg', ['Origin: http://x', 'Access-Control-Request-Method: POST']))).responses[0]!;
    assert.equal(r.statusLine, 'HTTP/1.1 200 OK');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['access-control-allow-methods'], '*');
    assert.equal(r.headers['access-control-allow-headers'], '*');
    assert.equal(r.headers['content-length'], '0');
    assert.equal(r.body, '');
  });

  test('envelopes carry Access-Control-Allow-Origin; error responses do not', async () => {
    const ok = await call(s.port, 'GET', `/fail?access_token=${TOKEN}`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['access-control-allow-origin'], '*');
    assert.equal(ok.body, '{"data":null,"retcode":100,"status":"failed"}');
    assertBare((await raw(s.port, head('GET', '/fail'))).responses[0]!, 401, 'Unauthorized');
    assertBare((await raw(s.port, head('GET', `/nope?access_token=${TOKEN}`))).responses[0]!, 404, 'Not Found');
    assertBare((await raw(s.port, head('OPTIONS', '/a/b'))).responses[0]!, 404, 'Not Found');
  });
});

test('failureDetails adds msg and wording on failures only', async () => {
  const s = await start({ failureDetails: true });
  try {
    const fail = await call(s.port, 'GET', '/fail');
    assert.equal(fail.body, '{"data":null,"msg":"BAD_PARAMS","retcode":100,"status":"failed","wording":"fail: always fails"}');
    assert.equal(fail.headers['content-length'], String(Buffer.byteLength(fail.body)));
    const ok = await call(s.port, 'GET', '/send_private_msg?user_id=1&message=%E4%BD%A0');
    assert.equal(ok.body, '{"data":{"message_id":1234},"retcode":0,"status":"ok"}');
  } finally {
    await s.stop();
  }
});
