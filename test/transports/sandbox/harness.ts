/**
 * Test harness for the sandbox control API: a real sandbox in a temp dir (fake clock), a call
 * journal, and the control server on an ephemeral port, driven with fetch.
 */
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { Writable } from 'node:stream';
import { openSandbox } from '../../../src/backend/sandbox/index.js';
import type { SandboxBackend } from '../../../src/backend/sandbox/index.js';
import type { BackendEvent } from '../../../src/backend/port.js';
import { FaultEngine } from '../../../src/core/faults/index.js';
import { CallJournal, createSandboxControlServer } from '../../../src/transports/sandbox/index.js';
import type { SandboxControlOptions } from '../../../src/transports/sandbox/index.js';
import { ERRORS } from '../../../src/protocol/errors.js';
import type { ErrorCode } from '../../../src/protocol/errors.js';
import { FakeClock, makeTempDir, removeDir } from '../../backend/helpers.js';

/** A parsed answer. */
export interface Answer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined when empty). */
  json: Record<string, unknown> & { error?: string; message?: unknown };
  text: string;
}

/** Captured log lines (pino objects). */
export type LogLines = Record<string, unknown>[];

export interface ControlHarness {
  sb: SandboxBackend;
  calls: CallJournal;
  clock: FakeClock;
  base: string;
  port: number;
  logs: LogLines;
  /** Every event the sandbox emitted since the start. */
  events: BackendEvent[];
  /** Send a request; a non-string body is JSON-encoded. */
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

/** A logger that keeps every line in `lines`. */
export function captureLogger(lines: LogLines): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return pino({ level: 'debug' }, sink);
}

/** Start a control server over a fresh default-world sandbox. */
export async function startControl(options: Partial<SandboxControlOptions> = {}): Promise<ControlHarness> {
  const dir = makeTempDir();
  const clock = new FakeClock();
  const sb = openSandbox({ dataDir: dir, now: clock.now });
  const calls = new CallJournal(50);
  const logs: LogLines = [];
  const events: BackendEvent[] = [];
  sb.onEvent((e) => events.push(e));
  const control = createSandboxControlServer({
    sandbox: sb, calls, logger: captureLogger(logs), faults: new FaultEngine({ logger: captureLogger([]), selfId: sb.selfId }),
    options: { host: '127.0.0.1', port: 0, token: '', maxBodySize: 64 * 1024, ...options },
  });
  const { port } = await control.listen();
  const base = `http://127.0.0.1:${port}`;
  return {
    sb, calls, clock, base, port, logs, events,
    async req(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${base}${path}`, init);
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: text === '' ? {} : JSON.parse(text) as Answer['json'] };
    },
    async close() {
      await control.close();
      await sb.close();
      removeDir(dir);
    },
  };
}

/** Run `fn` with a fresh harness, closing it afterwards. */
export async function withControl(fn: (h: ControlHarness) => Promise<void>, options: Partial<SandboxControlOptions> = {}): Promise<void> {
  const h = await startControl(options);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

/**
 * Assert the answer is `{"error": code, "message": …}` with `status` (and a message matching
 * `pattern`); a catalogue code also carries its `retcode` and `wording`.
 */
export function assertFailure(a: Answer, status: number, code: string, pattern?: RegExp): void {
  assert.equal(a.status, status, `expected ${status} ${code}, got ${a.status} ${a.text}`);
  const catalogued = Object.hasOwn(ERRORS, code);
  assert.deepEqual(Object.keys(a.json).sort(), catalogued ? ['error', 'message', 'retcode', 'wording'] : ['error', 'message'], a.text);
  if (catalogued) {
    const entry = ERRORS[code as ErrorCode];
    assert.deepEqual([a.json['retcode'], a.json['wording']], [entry.retcode, entry.wording], a.text);
  }
  assert.equal(a.json.error, code, a.text);
  assert.ok(typeof a.json.message === 'string' && a.json.message.length > 0);
  if (pattern !== undefined) assert.match(a.json.message as string, pattern);
  assert.match(a.headers.get('content-type') ?? '', /^application\/json/);
}
