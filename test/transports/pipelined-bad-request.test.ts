/**
 * A malformed request pipelined after a valid one (raw socket, one write): the valid request's
 * answer comes first, then the bare 400 and the close — on the HTTP API and the control API.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** Write `text` on a fresh connection and read until the server closes it (5 s at most). */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection; got:\n${got}`));
    }, 5000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (got += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.write(text);
  });
}

const post = (path: string, body: string): string =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const GARBAGE = 'THIS IS NOT HTTP\r\n\r\n';

/** The status lines of the responses in `raw`, in order. */
const statuses = (raw: string): string[] => raw.match(/HTTP\/1\.1 \d{3}/g) ?? [];

describe('a malformed request pipelined after a valid one', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t?.close();
  });

  it('HTTP API: the send is answered 200 with its message id, then 400 and close', async () => {
    const before = t.app.backend.listMessages({ groupId: 100001 }).length;
    const raw = await exchange(t.app.http!.port, post('/send_group_msg', '{"group_id":100001,"message":"pipelined"}') + GARBAGE);
    assert.deepEqual(statuses(raw), ['HTTP/1.1 200', 'HTTP/1.1 400'], raw);
    const id = /"message_id":(\d+)/.exec(raw)?.[1];
    assert.ok(id !== undefined, raw);
    const stored = t.app.backend.listMessages({ groupId: 100001 });
    assert.equal(stored.length, before + 1);
    assert.equal(String(stored.at(-1)!.messageId), id);
  });

  it('HTTP API: two valid requests then a bad one: both answers, in order, then 400', async () => {
    const raw = await exchange(t.app.http!.port, post('/send_group_msg', '{"group_id":100001,"message":"one"}') + 'GET /get_login_info HTTP/1.1\r\nHost: x\r\n\r\n' + GARBAGE);
    assert.deepEqual(statuses(raw), ['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 400'], raw);
    assert.match(raw, /"message_id":\d+[\s\S]*"nickname":"cqhttpd-bot"/);
  });

  it('a bad request alone is still a bare 400', async () => {
    assert.deepEqual(statuses(await exchange(t.app.http!.port, GARBAGE)), ['HTTP/1.1 400']);
  });

  it('control API: the posted message is answered 200, then 400 and close', async () => {
    const raw = await exchange(t.app.sandbox.port, post('/api/messages', '{"from":20003,"group_id":100001,"message":"via control"}') + GARBAGE);
    assert.deepEqual(statuses(raw), ['HTTP/1.1 200', 'HTTP/1.1 400'], raw);
    assert.match(raw, /"message_id":\d+/);
  });
});
