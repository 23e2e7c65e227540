/**
 * The hostile-input fuzzer: the real command line (`src/cli.ts`) in a child process, driven with
 * malformed, deeply nested, huge and forged input on every listener — HTTP API bodies, forward
 * WebSocket frames, sandbox control API bodies, and HTTP POST answers (quick operations) — by
 * fast-check. After every input: the process is alive and never reached its last-resort handler,
 * every HTTP answer has a documented status, every envelope is JSON with its keys in order; at the
 * end its RSS is within a bound. Used bounded by `hostile.test.ts` and for longer runs by
 * `scripts/fuzz.ts` (`npm run fuzz`).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import WebSocket from 'ws';

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface FuzzOptions {
  /** Inputs to try (default 200). */
  runs?: number;
  /** Stop after this many ms even if runs are left (default: none). */
  timeLimitMs?: number;
  /** fast-check seed, to replay a failure. */
  seed?: number;
  /**
   * Largest RSS the server may reach, in bytes. Default 384 MiB: about 75 MiB idle, plus what the
   * fuzzer can make it hold at once within the byte budgets of docs/limits.md (bodies and frames in
   * flight, the journal's 16 MiB, a stream reader's 8 MiB, a WebSocket peer's answers), plus the
   * garbage V8 leaves before it collects. A 300 s run peaked at 280 MiB.
   */
  maxRssBytes?: number;
  /** Print one line per 100 inputs. */
  progress?: (line: string) => void;
}

export interface FuzzReport {
  runs: number;
  rssBytes: number;
  seed: number;
}

/** A TCP port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const MAX_BODY = 1 << 20;
/** Documented HTTP API statuses (README, "The HTTP API"). */
const HTTP_STATUSES = new Set([200, 400, 401, 403, 404, 406, 413, 431]);
const ENVELOPE_KEYS = ['data', 'echo', 'msg', 'retcode', 'status', 'wording'];

/** A JSON envelope with its top-level keys in code-point order and a status matching its retcode. */
function assertEnvelope(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    assert.fail(`${where}: the answer is not JSON: ${text.slice(0, 200)}`);
  }
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${where}: not an object: ${text.slice(0, 200)}`);
  const keys = Object.keys(value);
  assert.deepEqual(keys, [...keys].sort(), `${where}: keys out of order: ${text.slice(0, 200)}`);
  for (const key of keys) assert.ok(ENVELOPE_KEYS.includes(key), `${where}: unexpected key ${key}: ${text.slice(0, 200)}`);
  const envelope = value as Record<string, unknown>;
  assert.equal(typeof envelope.retcode, 'number', `${where}: ${text.slice(0, 200)}`);
  const retcode = envelope.retcode as number;
  assert.equal(envelope.status, retcode === 0 ? 'ok' : retcode === 1 ? 'async' : 'failed', `${where}: ${text.slice(0, 200)}`);
  return envelope;
}

// ── Inputs ────────────────────────────────────────────────────────────────────────────────────

const nest = (depth: number, open: string, close: string, inner: string): string => open.repeat(depth) + inner + close.repeat(depth);

/** A JSON-ish value text: valid, deep, overflowing, forged, huge or broken. */
const hostileValue: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(998, 999, 1000, 1001, 5000, 60_000).chain((d) =>
    fc.constantFrom(nest(d, '[', ']', '0'), nest(d, '{"a":', '}', '1.0'), nest(d, '[', ']', ''), '['.repeat(d)),
  ),
  fc.constantFrom('1e400', '-1e309', '1' + '0'.repeat(400), '1.0', '-0', '12345678901234567890', '18446744073709551616', '1e-400', '0.1e1'),
  fc.string({ maxLength: 60 }).map((v) => JSON.stringify({ isLosslessNumber: true, value: `0}\n\nevent: message\ndata: {"forged":true}\n\n: ${v}` })),
  fc.constantFrom('"\\ud800"', '"\\u0000"', '"\\', '{"a":1,"a":[2]}', '{"__proto__":{"x":1}}', '{"toJSON":1,"constructor":{}}'),
  fc.integer({ min: 1, max: 3 }).map((mb) => JSON.stringify('x'.repeat(mb * 300_000))),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

/** Names to call: real actions (reads, sends, the quick operation), unknown ones, odd ones. */
const actionName = fc.constantFrom('get_login_info', 'get_status', 'send_group_msg', 'send_msg', '.handle_quick_operation', 'get_msg', 'no_such_action', 'get_login_info_async', '');

/** The text of an HTTP body or WS frame: mostly frames/params shaped right around hostile values. */
const hostileDocument: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(actionName, hostileValue, hostileValue).map(([a, p, e]) => `{"action":${JSON.stringify(a)},"params":{"group_id":100001,"message":${p}},"echo":${e}}`), weight: 3 },
  { arbitrary: fc.tuple(hostileValue, hostileValue).map(([r, c]) => `{"context":{"post_type":"message","message_type":"group","group_id":100001,"user_id":20003},"operation":{"reply":${r},"x":${c}}}`), weight: 2 },
  { arbitrary: hostileValue, weight: 2 },
  { arbitrary: fc.tuple(hostileValue, fc.nat(40), fc.string({ unit: 'binary', maxLength: 4 })).map(([v, at, junk]) => v.slice(0, at) + junk + v.slice(at)), weight: 1 },
);

type Target = 'http' | 'ws' | 'control' | 'post';
interface Input {
  target: Target;
  action: string;
  text: string;
}
/** Counterexamples are printed shortened: a 60 000-level frame would fill the terminal. */
const input = fc.record({ target: fc.constantFrom<Target>('http', 'ws', 'control', 'post'), action: actionName, text: hostileDocument }).map(
  (i): Input => Object.assign(i, { [fc.toStringMethod]: () => `${i.target} ${i.action} ${JSON.stringify(i.text.slice(0, 200))}… (${i.text.length} chars)` }),
);

// ── The server under test ─────────────────────────────────────────────────────────────────────

interface FuzzServer {
  child: ChildProcess;
  http: string;
  ws: string;
  control: string;
  /** The output's tail, for failure messages. */
  output(): string;
  lastResort(): string | undefined;
  /** The body the event receiver answers the next POST with (a quick operation). */
  nextPostAnswer: string;
  stop(): Promise<void>;
}

async function startServer(dataDir: string): Promise<FuzzServer> {
  const [port, wsPort, controlPort] = [await freePort(), await freePort(), await freePort()];
  const receiver: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(handle.nextPostAnswer);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const postPort = (receiver.address() as AddressInfo).port;
  const child = spawn(process.execPath, [
    '--import', 'tsx', path.join(repoRoot, 'src', 'cli.ts'),
    '--data-dir', dataDir, '--port', String(port), '--log-level', 'warning',
    '--set', 'use_ws=true', '--set', `ws_port=${wsPort}`, '--set', `sandbox_port=${controlPort}`,
    '--set', `post_url=http://127.0.0.1:${postPort}/`, '--set', 'post_timeout=2', '--set', 'log_format=json',
    '--set', `max_body_size=${MAX_BODY}`, '--set', `max_ws_frame_size=${MAX_BODY}`,
  ], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let lastResort: string | undefined;
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-20_000);
    const at = text.indexOf('last-resort handler:');
    if (at >= 0 && lastResort === undefined) lastResort = text.slice(Math.max(0, at - 200), at + 2000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const handle: FuzzServer = {
    child,
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${wsPort}/api`,
    control: `http://127.0.0.1:${controlPort}`,
    output: () => tail,
    lastResort: () => lastResort,
    nextPostAnswer: '{}',
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      await new Promise((resolve) => receiver.close(resolve));
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    assert.ok(child.exitCode === null, `cqhttpd exited at start:\n${tail}`);
    try {
      const res = await fetch(`${handle.control}/api/calls`);
      await res.arrayBuffer();
      const api = await fetch(`${handle.http}/get_status`);
      await api.arrayBuffer();
      if (res.status === 200 && api.status === 200) break;
    } catch {
      // not listening yet
    }
    assert.ok(Date.now() < deadline, `cqhttpd did not start within 60 s:\n${tail}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return handle;
}

/** The server's resident set size in bytes (Linux /proc; 0 where unavailable). */
function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
}

/** One WebSocket API connection; reopened when the server closes it (a frame over the limit). */
class WsApi {
  #ws: WebSocket | undefined;
  constructor(readonly url: string) {}

  async #open(): Promise<WebSocket> {
    if (this.#ws !== undefined && this.#ws.readyState === WebSocket.OPEN) return this.#ws;
    const ws = new WebSocket(this.url, { perMessageDeflate: false, maxPayload: 64 * MAX_BODY });
    ws.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    this.#ws = ws;
    return ws;
  }

  /** Send `text`; the answer, or null when the server closed the connection instead (1009). */
  async ask(text: string): Promise<string | null> {
    const ws = await this.#open();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no WS answer within 10 s to ${text.slice(0, 120)}`)), 10_000);
      const done = (value: string | null): void => {
        clearTimeout(timer);
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve(value);
      };
      const onMessage = (data: Buffer): void => done(data.toString('utf8'));
      const onClose = (): void => done(null);
      ws.on('message', onMessage);
      ws.on('close', onClose);
      ws.send(text);
    });
  }

  close(): void {
    this.#ws?.terminate();
  }
}

async function post(url: string, text: string): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    // An answer before the whole upload (413) may reset the rest of it.
    return { status: -1, body: String(err) };
  }
}

/** Run the fuzzer against a fresh server; throws (with the server's output) on the first violation. */
export async function runHostileFuzz(options: FuzzOptions = {}): Promise<FuzzReport> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-fuzz-'));
  const server = await startServer(dataDir);
  const ws = new WsApi(server.ws);
  const seed = options.seed ?? Date.now() ^ (Math.random() * 0x7fffffff);
  const maxRss = options.maxRssBytes ?? 384 * 1024 * 1024;
  let runs = 0;
  let peakRss = 0;
  const alive = (where: string): void => {
    assert.ok(server.child.exitCode === null && server.child.signalCode === null, `cqhttpd died after ${where}:\n${server.output()}`);
    const lastResort = server.lastResort();
    assert.equal(lastResort, undefined, `cqhttpd reached its last-resort handler after ${where}:\n${lastResort}`);
  };
  try {
    await fc.assert(
      fc.asyncProperty(input, async ({ target, action, text }) => {
        runs++;
        const where = `${target} ${action} ${JSON.stringify(text.slice(0, 160))}… (${text.length} chars)`;
        if (target === 'http') {
          const { status, body } = await post(`${server.http}/${action}`, text);
          if (status !== -1) {
            assert.ok(HTTP_STATUSES.has(status), `${where}: HTTP ${status} ${body.slice(0, 200)}`);
            if (status === 200) assertEnvelope(body, where);
            else assert.equal(body, '', `${where}: a bare status has no body`);
          }
        } else if (target === 'ws') {
          const answer = await ws.ask(text);
          if (answer !== null) assertEnvelope(answer, where);
        } else if (target === 'control') {
          const { status, body } = await post(`${server.control}/api/messages`, text);
          // -1: the 413 came before the whole upload and reset the rest of it (see post()).
          if (status !== -1) {
            assert.ok(status < 500, `${where}: control API ${status} ${body.slice(0, 200)}`);
            if (body !== '') JSON.parse(body);
          }
        } else {
          server.nextPostAnswer = text;
          const { status, body } = await post(`${server.control}/api/messages`, JSON.stringify({ from: 20003, group_id: 100001, message: `fuzz ${runs}` }));
          assert.equal(status, 200, `${where}: ${body.slice(0, 200)}`);
        }
        alive(where);
        if (runs % 25 === 0) peakRss = Math.max(peakRss, rssOf(server.child.pid!));
        if (runs % 100 === 0) options.progress?.(`${runs} inputs, server RSS ${(rssOf(server.child.pid!) / 2 ** 20).toFixed(0)} MiB`);
      }),
      {
        numRuns: options.runs ?? 200,
        seed,
        ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false }),
      },
    );
    // Let the POST deliveries still in flight finish, then one ordinary call must still work.
    await new Promise((resolve) => setTimeout(resolve, 300));
    alive('the last input');
    const res = await fetch(`${server.http}/get_login_info`);
    assert.equal(res.status, 200);
    assertEnvelope(await res.text(), 'final get_login_info');
    peakRss = Math.max(peakRss, rssOf(server.child.pid!));
    assert.ok(peakRss <= maxRss, `cqhttpd's RSS reached ${(peakRss / 2 ** 20).toFixed(0)} MiB (bound ${(maxRss / 2 ** 20).toFixed(0)} MiB)`);
    return { runs, rssBytes: peakRss, seed };
  } finally {
    ws.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
