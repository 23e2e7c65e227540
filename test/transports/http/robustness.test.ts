import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Dispatch } from '../../../src/core/result.js';
import { createHttpApiServer } from '../../../src/transports/http/server.js';
import { call, captureLogger, head, raw, start, TOKEN, type Started } from './harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('body limit, broken clients, load', () => {
  let s: Started;
  before(async () => (s = await start({ maxBodySize: 1000 })));
  after(() => s.stop());

  test('declared Content-Length above the limit → 413 at once, before the body is sent, then close', async () => {
    const { responses, ended } = await raw(s.port, head('POST', '/echo_params', ['Content-Type: application/json', 'Content-Length: 1001']));
    assert.equal(responses[0]!.statusLine, 'HTTP/1.1 413 Payload Too Large');
    assert.equal(responses[0]!.headers['content-length'], '0');
    assert.equal(responses[0]!.headers.connection, 'close');
    assert.equal(responses[0]!.body, '');
    assert.equal(ended, false, 'answered while the server still waited for the body');
  });

  test('a chunked body growing past the limit → 413 and the connection is closed', async () => {
    const chunk = `{"a":"${'x'.repeat(600)}"}`;
    const size = Buffer.byteLength(chunk).toString(16);
    const text = head('POST', '/echo_params', ['Content-Type: application/json', 'Transfer-Encoding: chunked']) + `${size}\r\n${chunk}\r\n${size}\r\n${chunk}\r\n`;
    const { responses } = await raw(s.port, text);
    assert.equal(responses[0]!.status, 413);
    assert.equal(responses[0]!.headers.connection, 'close');
  });

  test('a body in the head\'s packet, a body sent later in pieces, and pipelined bodies are all read whole', async () => {
    const body = '{"message":"héllo [CQ:face,id=1]","n":1}';
    const request = head('POST', '/echo_params', ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, `Authorization: Bearer ${TOKEN}`]);
    const together = await raw(s.port, request + body);
    assert.equal(together.responses[0]!.status, 200);
    assert.match(together.responses[0]!.body, /"message":"héllo \[CQ:face,id=1\]"/);

    const socket = connect(s.port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(request);
    await sleep(30); // the request is dispatched to the listener path: nothing of the body yet
    const bytes = Buffer.from(body);
    socket.write(bytes.subarray(0, 5));
    await sleep(10);
    socket.write(bytes.subarray(5));
    for (let i = 0; i < 100 && !Buffer.concat(received).includes('\r\n\r\n{'); i++) await sleep(10);
    socket.destroy();
    assert.match(Buffer.concat(received).toString(), /^HTTP\/1\.1 200[\s\S]*"message":"héllo \[CQ:face,id=1\]"/);

    const pipelined = await raw(s.port, (request + body).repeat(3), 3);
    assert.deepEqual(pipelined.responses.map((r) => r.status), [200, 200, 200]);
    assert.ok(pipelined.responses.every((r) => r.body.includes('"n":1')));
  });

  test('a body of exactly the limit is accepted', async () => {
    const body = `{"a":"${'x'.repeat(1000 - 8)}"}`;
    assert.equal(Buffer.byteLength(body), 1000);
    const r = await call(s.port, 'POST', '/echo_params', { 'Content-Type': 'application/json' }, body);
    assert.equal(r.status, 200);
  });

  test('Expect: 100-continue: 100 only when the body will be read; 413/401 answered without it', async () => {
    const big = await raw(s.port, head('POST', '/echo_params', ['Content-Type: application/json', 'Content-Length: 5000', 'Expect: 100-continue']));
    assert.equal(big.responses[0]!.status, 413);
    assert.ok(!big.received.toString().includes('100 Continue'));

    const socket = connect(s.port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    socket.write(head('POST', '/echo_params', ['Content-Type: application/json', 'Content-Length: 7', 'Expect: 100-continue']));
    while (!Buffer.concat(received).toString().includes('100 Continue')) await sleep(5);
    socket.write('{"a":1}');
    while (!Buffer.concat(received).toString().includes('"status"')) await sleep(5);
    socket.destroy();
    assert.match(Buffer.concat(received).toString(), /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n[\s\S]*\{"data":\{"a":1\},"retcode":0,"status":"ok"\}$/);
  });

  test('malformed requests are answered 400 and close; the server stays up', async () => {
    for (const text of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /echo_params HTTP/1.1\r\nBad Header\r\n\r\n', 'POST /echo_params HTTP/1.1\r\nContent-Length: x\r\n\r\n']) {
      const { responses, ended } = await raw(s.port, text);
      assert.equal(responses[0]?.status, 400, JSON.stringify(text));
      assert.equal(responses[0]?.headers['content-length'], '0');
      assert.equal(ended, false);
    }
    assert.equal((await call(s.port, 'GET', '/echo_params')).status, 200);
  });

  test('a client that disconnects mid-body, mid-headers or while waiting does not hurt the server', async () => {
    for (const text of [
      head('POST', '/echo_params', ['Content-Type: application/json', 'Content-Length: 500']) + '{"a":',
      head('POST', '/echo_params', ['Content-Type: application/json', 'Transfer-Encoding: chunked']) + '5\r\n{"a":',
      'GET /echo_params HTTP/1.1\r\nHost: x\r\nX-Half: ',
      head('GET', '/slow?ms=50'),
    ]) {
      const socket = connect(s.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(text);
      await sleep(20);
      socket.destroy();
    }
    await sleep(100);
    assert.equal((await call(s.port, 'GET', '/echo_params?alive=1')).body, '{"data":{"alive":"1"},"retcode":0,"status":"ok"}');
  });

  test('a request whose body never completes gets 408 after requestTimeout; the server stays up', async () => {
    const { requestTimeout, headersTimeout } = s.api.server;
    s.api.server.requestTimeout = 300;
    s.api.server.headersTimeout = 300;
    try {
      const { responses, ended } = await raw(s.port, head('POST', '/echo_params', ['Content-Type: application/json', 'Content-Length: 50']) + '{"a":', 1, 4000);
      assert.equal(responses[0]?.statusLine, 'HTTP/1.1 408 Request Timeout');
      assert.equal(responses[0]?.headers['content-length'], '0');
      assert.equal(ended, false);
      const stalled = await raw(s.port, 'GET /echo_params HTTP/1.1\r\nHost: x\r\n', 1, 4000);
      assert.equal(stalled.responses[0]?.status, 408, 'incomplete headers');
    } finally {
      s.api.server.requestTimeout = requestTimeout;
      s.api.server.headersTimeout = headersTimeout;
    }
    assert.equal((await call(s.port, 'GET', '/echo_params')).status, 200);
  });

  test('a burst of 10 000 requests over 50 keep-alive connections', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    let connections = 0;
    const count = (): void => {
      connections++;
    };
    s.api.server.on('connection', count);
    try {
      const results = await Promise.all(Array.from({ length: 10_000 }, (_, i) =>
        i % 2 === 0
          ? call(s.port, 'GET', `/echo_params?i=${i}`, {}, undefined, agent)
          : call(s.port, 'POST', '/echo_params', { 'Content-Type': 'application/json' }, `{"i":${i}}`, agent)));
      results.forEach((r, i) => {
        assert.equal(r.status, 200);
        assert.equal(r.body, i % 2 === 0 ? `{"data":{"i":"${i}"},"retcode":0,"status":"ok"}` : `{"data":{"i":${i}},"retcode":0,"status":"ok"}`);
      });
      assert.ok(connections <= 50, `${connections} connections`);
      assert.equal((await call(s.port, 'GET', '/echo_params')).status, 200);
    } finally {
      s.api.server.off('connection', count);
      agent.destroy();
    }
  });
});

test('a dispatch that throws → 500, logged, connection closed, server up', async () => {
  let n = 0;
  const dispatch: Dispatch = async () => {
    if (n++ === 0) throw new Error('boom');
    return { retcode: 0, data: null };
  };
  const s = await start({}, dispatch);
  try {
    const { responses, ended } = await raw(s.port, head('GET', '/anything'));
    assert.equal(responses[0]!.statusLine, 'HTTP/1.1 500 Internal Server Error');
    assert.equal(responses[0]!.headers['content-length'], '0');
    assert.equal(ended, false);
    assert.ok(s.lines.some((l) => l.includes('boom') && l.includes('"level":50')));
    assert.equal((await call(s.port, 'GET', '/anything')).body, '{"data":null,"retcode":0,"status":"ok"}');
  } finally {
    await s.stop();
  }
});

test('logs: listening at info, rejections at debug, never the token', async () => {
  const s = await start({ accessToken: TOKEN });
  try {
    await call(s.port, 'GET', `/echo_params?access_token=${TOKEN}`);
    await call(s.port, 'GET', `/echo_params?access_token=${TOKEN}x`);
    await call(s.port, 'GET', '/echo_params', { Authorization: `Bearer ${TOKEN}y` });
    await call(s.port, 'GET', `/nope?access_token=${TOKEN}`);
    await raw(s.port, `GET /x?access_token=${TOKEN} HTTP/1.1\r\nBad\r\n\r\n`);
    assert.ok(s.lines.some((l) => l.includes(`HTTP API listening on http://127.0.0.1:${s.port}`)));
    assert.ok(s.lines.some((l) => l.includes('"status":403') && l.includes('"path":"/echo_params"')));
    assert.ok(s.lines.some((l) => l.includes('"status":404') && l.includes('"path":"/nope"')));
    for (const line of s.lines) assert.ok(!line.includes(TOKEN), line);
  } finally {
    await s.stop();
  }
});

test('EADDRINUSE: a clear message naming host:port and how to change it', async () => {
  const s = await start();
  const { logger } = captureLogger();
  const other = createHttpApiServer({
    dispatch: async () => null,
    options: { host: '127.0.0.1', port: s.port, accessToken: '', enableCors: false, maxBodySize: 1000, failureDetails: false },
    logger,
  });
  try {
    await assert.rejects(other.listen(), (err: Error & { code?: string }) => {
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${s.port} is already in use`));
      assert.match(err.message, /`port`/);
      assert.match(err.message, /--port/);
      assert.equal(err.code, 'EADDRINUSE');
      return true;
    });
    assert.equal((await call(s.port, 'GET', '/echo_params')).status, 200, 'the first server is unaffected');
  } finally {
    await other.close();
    await s.stop();
  }
});

test('close(): idle keep-alive sockets closed, in-flight request finishes, new connections refused', async () => {
  const s = await start();
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  await call(s.port, 'GET', '/echo_params', {}, undefined, agent);
  const idle = connect(s.port, '127.0.0.1');
  await new Promise((resolve) => idle.once('connect', resolve));
  const idleClosed = new Promise((resolve) => idle.once('close', resolve));
  const inFlight = call(s.port, 'GET', '/slow?ms=300');
  await sleep(50);
  const started = Date.now();
  const closing = s.api.close();
  await idleClosed;
  const r = await inFlight;
  assert.equal(r.status, 200);
  assert.equal(r.body, '{"data":"done","retcode":0,"status":"ok"}');
  assert.equal(r.headers.connection, 'close');
  await closing;
  assert.ok(Date.now() - started < 2000, 'no wait for keep-alive timeouts');
  assert.equal(s.api.server.listening, false);
  await assert.rejects(call(s.port, 'GET', '/echo_params'), /ECONNREFUSED/);
  assert.equal(s.api.close(), s.api.close(), 'idempotent');
  agent.destroy();
  await s.stop();
});

test('close(): a request that outlives the grace period is cut', async () => {
  const s = await start({ shutdownGraceMs: 100 });
  const inFlight = call(s.port, 'GET', '/slow?ms=3000').then(() => 'answered', () => 'cut');
  await sleep(50);
  const started = Date.now();
  await s.api.close();
  assert.ok(Date.now() - started < 1000);
  assert.equal(await inFlight, 'cut');
  await s.stop();
});
