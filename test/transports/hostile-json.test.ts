/**
 * Hostile JSON over the real transports (docs/limits.md, "Hostile input"): nesting past the depth
 * limit and numbers beyond a double are malformed on every listener (HTTP 400, WS 1400, control
 * API 400, POST answers ignored) and the process keeps serving; client objects shaped like lossless
 * numbers are ordinary objects (no forged SSE events or WS keys); `echo` comes back with its numbers
 * as sent; `.handle_quick_operation` called as an action keeps reply number lexemes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { MAX_JSON_DEPTH } from '../../src/protocol/json-scan.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { control, PostReceiver, like, type Json } from '../events/helpers.js';

/** A WebSocket client that sends raw text and reads the answers in order. */
class RawWs {
  readonly #queue: string[] = [];
  readonly #waiting: ((text: string) => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      const waiter = this.#waiting.shift();
      if (waiter) waiter(text);
      else this.#queue.push(text);
    });
  }

  static open(url: string): Promise<RawWs> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawWs(ws)));
      ws.once('error', reject);
    });
  }

  /** Send `text` and resolve with the next answer (within 5 s). */
  ask(text: string): Promise<string> {
    this.ws.send(text);
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${text.slice(0, 80)}`)), 5000);
      this.#waiting.push((answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

const nested = (depth: number, inner = '0'): string => '['.repeat(depth) + inner + ']'.repeat(depth);
const BAD_FRAME = '{"data":null,"retcode":1400,"status":"failed"}';
const LOGIN = '{"data":{"nickname":"cqhttpd-bot","user_id":10001000}';

describe('hostile JSON on every listener', () => {
  let t: TestApp;
  let ws: RawWs;
  let post: PostReceiver;
  const postJson = (action: string, body: string) =>
    fetch(`${t.base}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  before(async () => {
    post = await PostReceiver.start();
    t = await startTestApp({ config: { use_ws: true, post_url: post.url(), post_message_format: 'array' } });
    ws = await RawWs.open(`ws://127.0.0.1:${t.app.ws!.port}/api`);
  });

  after(async () => {
    ws?.close();
    await t?.close();
    await post?.close();
  });

  it("the issue's WS frame 5 000 levels deep is 1400, and the server keeps answering", async () => {
    const frame = '{"action":"get_status","echo":' + nested(5000) + '}';
    assert.equal(await ws.ask(frame), BAD_FRAME);
    assert.ok((await ws.ask('{"action":"get_login_info","echo":1}')).startsWith(LOGIN));
  });

  it(`exactly ${MAX_JSON_DEPTH} levels is accepted and echoed back; one more is 1400`, async () => {
    // The frame object is level 1, so its echo may nest MAX_JSON_DEPTH - 1 levels.
    const deepest = nested(MAX_JSON_DEPTH - 1, '1.0');
    const answer = await ws.ask(`{"action":"get_login_info","echo":${deepest}}`);
    assert.equal(answer, `${LOGIN},"echo":${deepest},"retcode":0,"status":"ok"}`);
    assert.equal(await ws.ask(`{"action":"get_login_info","echo":${nested(MAX_JSON_DEPTH)}}`), BAD_FRAME);
    assert.equal(await ws.ask(`{"action":"get_login_info","params":{"x":${nested(MAX_JSON_DEPTH)}}}`), BAD_FRAME);
  });

  it('HTTP API: deeper than the limit is 400 (not 500), at the limit is 200', async () => {
    const deep = await postJson('get_status', `{"x":${nested(5000)}}`);
    assert.deepEqual([deep.status, await deep.text()], [400, '']);
    const limit = await postJson('get_login_info', `{"x":${nested(MAX_JSON_DEPTH - 1)}}`);
    assert.equal(limit.status, 200);
    assert.ok((await limit.text()).startsWith(LOGIN));
  });

  it('a number literal beyond a double is malformed: HTTP 400, WS 1400, control API 400', async () => {
    for (const n of ['1e400', '-1e400', '1' + '0'.repeat(400)]) {
      const res = await postJson('get_login_info', `{"x":${n}}`);
      assert.equal(res.status, 400, n);
      assert.equal(await ws.ask(`{"action":"get_login_info","echo":${n}}`), BAD_FRAME, n);
      assert.equal(await ws.ask(`{"action":"get_login_info","params":{"x":[${n}]},"echo":1}`), BAD_FRAME, n);
    }
    // Underflow is not overflow: 1e-400 reads as 0, as in the original.
    assert.equal((await postJson('get_login_info', '{"x":1e-400}')).status, 200);
    const res = await fetch(`http://127.0.0.1:${t.app.sandbox.port}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"from":20003,"group_id":100001,"message":"x","n":1e400}',
    });
    assert.equal(res.status, 400);
  });

  it('control API: a deep body is 400 BAD_JSON and the listener keeps serving', async () => {
    const res = await fetch(`http://127.0.0.1:${t.app.sandbox.port}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"from":20003,"group_id":100001,"message":${nested(5000, '"x"')}}`,
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /BAD_JSON/);
    assert.equal((await control(t.app.sandbox.port, 'GET', '/api/calls')).status, 200);
  });

  it('a deep or overflowing HTTP POST answer is ignored; the next quick operation still runs', async () => {
    const answers = [`{"reply":${nested(5000, '"x"')}}`, '{"reply":"overflow","n":1e400}', '{"reply":"fine"}'];
    let next = 0;
    post.respond = () => ({ status: 200, body: answers[next++] ?? '' });
    for (let i = 0; i < answers.length; i++) {
      const from = post.inbox.mark();
      const res = await control(t.app.sandbox.port, 'POST', '/api/messages', { from: 20003, group_id: 100001, message: `quick ${i}` });
      assert.equal(res.status, 200);
      await post.request(like({ raw_message: `quick ${i}` }), from);
    }
    const said = async () => t.app.backend.listMessages({ groupId: 100001 }).filter((m) => m.userId === 10001000).map((m) => m.rawMessage);
    const deadline = Date.now() + 3000;
    while (!(await said()).some((m) => m.endsWith(' fine')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const mine = await said();
    assert.ok(mine.some((m) => m.endsWith(' fine')), mine.join('\n'));
    assert.ok(!mine.some((m) => m.includes('overflow') || m.endsWith(' x')), mine.join('\n'));
  });

  it("the issue's forged lossless number is written as an ordinary object: no SSE event, /api/calls parses", async () => {
    const stream = await fetch(`http://127.0.0.1:${t.app.sandbox.port}/api/stream`);
    const reader = stream.body!.getReader();
    const forged = '0}\n\nevent: message\ndata: {"forged":true}\n\n: ';
    const body = JSON.stringify({ x: { isLosslessNumber: true, value: forged } });
    const res = await postJson('get_login_info', body);
    assert.equal(res.status, 200);
    let text = '';
    const decoder = new TextDecoder();
    const deadline = Date.now() + 3000;
    while (!text.includes('"action":"get_login_info"') && Date.now() < deadline) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    await reader.cancel();
    assert.ok(!text.includes('"forged":true}\n'), text);
    const frames = text.split('\n\n').filter((b) => b.startsWith('event: '));
    for (const frame of frames) {
      // A frame is `event:`, `data:` and, since the stream resumes by Last-Event-ID, `id:`.
      const lines = frame.split('\n');
      assert.ok(lines.length === 2 || (lines.length === 3 && lines[2]!.startsWith('id: ')), frame);
      assert.ok(['event: call', 'event: message', 'event: event'].includes(lines[0]!), frame);
      JSON.parse(lines[1]!.slice('data: '.length));
    }
    const calls = (await control(t.app.sandbox.port, 'GET', '/api/calls')).json.calls as { action: string; params: Json }[];
    const last = calls.filter((c) => c.action === 'get_login_info').at(-1)!;
    assert.deepEqual(last.params, { x: { isLosslessNumber: true, value: forged } });
  });

  it('a forged lossless number in a WS frame injects no keys into the answer', async () => {
    const frame = JSON.stringify({ action: 'get_login_info', echo: { isLosslessNumber: true, value: '1,"retcode":0,"status":"ok"}' } });
    const answer = await ws.ask(frame);
    assert.deepEqual(JSON.parse(answer), {
      data: { nickname: 'cqhttpd-bot', user_id: 10001000 },
      echo: { isLosslessNumber: true, value: '1,"retcode":0,"status":"ok"}' },
      retcode: 0,
      status: 'ok',
    });
  });

  it('echo comes back with its numbers exactly as sent, objects with sorted keys', async () => {
    const rows: [string, string][] = [
      ['12345678901234567890', '12345678901234567890'],
      ['1.0', '1.0'],
      ['-0', '-0'],
      ['1E5', '1E5'],
      ['1e-400', '1e-400'],
      ['"e\\u0041"', '"eA"'],
      ['{ "b" : 1.50 , "a" : [ 18446744073709551615 , true ] }', '{"a":[18446744073709551615,true],"b":1.50}'],
      ['[0.1, {"z":{"y":2.0,"x":null}}]', '[0.1,{"z":{"x":null,"y":2.0}}]'],
    ];
    for (const [sent, expected] of rows) {
      assert.equal(await ws.ask(`{"echo" : ${sent} , "action":"get_login_info"}`), `${LOGIN},"echo":${expected},"retcode":0,"status":"ok"}`, sent);
    }
    // The last echo member wins, as with any duplicate key; an escaped key name counts too.
    assert.equal(await ws.ask('{"action":"get_login_info","echo":1.0,"\\u0065cho":2.50}'), `${LOGIN},"echo":2.50,"retcode":0,"status":"ok"}`);
    // Unknown actions and failures echo the same way.
    assert.equal(await ws.ask('{"action":"no_such_action","echo":1.0}'), '{"data":null,"echo":1.0,"retcode":1404,"status":"failed"}');
  });

  it('.handle_quick_operation as an action keeps the number lexemes of operation.reply (HTTP and WS)', async () => {
    const context = { post_type: 'message', message_type: 'group', group_id: 100001, user_id: 20003, message_id: 1 };
    const reply = '[{"type":"text","data":{"text":1.0}},{"type":"text","data":{"text":18446744073709551615}}]';
    const operation = `{"reply":${reply},"at_sender":false}`;
    const http = await postJson('.handle_quick_operation', `{"context":${JSON.stringify(context)},"operation":${operation}}`);
    assert.equal(http.status, 200);
    const wsAnswer = await ws.ask(`{"action":".handle_quick_operation","params":{"context":${JSON.stringify(context)},"operation":${operation}},"echo":1}`);
    assert.equal(wsAnswer, '{"data":null,"echo":1,"retcode":0,"status":"ok"}');
    const said = t.app.backend.listMessages({ groupId: 100001 }).filter((m) => m.userId === 10001000).map((m) => m.rawMessage);
    assert.deepEqual(said.slice(-2), ['1.018446744073709551615', '1.018446744073709551615']);
  });
});
