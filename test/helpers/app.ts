/**
 * A real cqhttpd for tests: the composition root started on an ephemeral port with a fresh data
 * directory (real SQLite file), driven over real HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { silentLogger } from '../../src/app/logger.js';
import { startCqhttpd, type Cqhttpd } from '../../src/app/start.js';
import type { SandboxBackend } from '../../src/backend/sandbox/index.js';
import { loadConfig } from '../../src/config/index.js';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** Parsed envelope (undefined for empty-bodied errors). */
  body: { status: string; retcode: number; data: unknown; msg?: string; wording?: string } | undefined;
  text: string;
}

/** A cqhttpd running the sandbox (the default backend): its world is what most tests act on. */
export type SandboxApp = Cqhttpd & { readonly backend: SandboxBackend; readonly sandbox: NonNullable<Cqhttpd['sandbox']> };

export interface TestApp {
  /** The instance as a sandbox; throws when it runs another backend (use {@link TestApp.instance}). */
  app: SandboxApp;
  /** The instance, whatever its backend. */
  instance: Cqhttpd;
  base: string;
  dataDir: string;
  /** POST JSON to /<action>. */
  call(action: string, params?: Record<string, unknown>, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** GET /<action>?<query>. */
  get(pathAndQuery: string, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** Stop and start again on the same data directory (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Record<string, unknown>;
  now?: () => number;
  dataDir?: string;
  /** Where the app logs (default: nowhere). */
  logger?: Logger;
  /** The built web console to serve (default: dist/console). */
  consoleDir?: string;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-test-'));
  const boot = async () => {
    const { config, bots } = loadConfig({ searchDir: dataDir, env: {}, overrides: { port: 0, ws_port: 0, sandbox_port: 0, data_dir: dataDir, ...options.config } });
    return startCqhttpd({ config, bots, logger: options.logger ?? silentLogger(), ...(options.now ? { now: options.now } : {}), ...(options.consoleDir !== undefined ? { consoleDir: options.consoleDir } : {}) });
  };
  let app = await boot();
  const base = () => `http://127.0.0.1:${app.http!.port}`;
  const answer = async (res: Response): Promise<ApiAnswer> => {
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text === '' ? undefined : (JSON.parse(text) as ApiAnswer['body']) };
  };
  const handle: TestApp = {
    get app() {
      if (app.backend.kind !== 'sandbox' || app.sandbox === undefined) throw new Error(`this test app runs backend ${app.backend.kind}, not the sandbox; use .instance`);
      return app as SandboxApp;
    },
    get instance() {
      return app;
    },
    get base() {
      return base();
    },
    dataDir,
    async call(action, params = {}, headers = {}) {
      return answer(await fetch(`${base()}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(params) }));
    },
    async get(pathAndQuery, headers = {}) {
      return answer(await fetch(`${base()}/${pathAndQuery}`, { headers }));
    },
    async restart() {
      await app.close();
      app = await boot();
    },
    async close() {
      await app.close();
      if (options.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Assert-friendly shortcut: the envelope of a successful call, or throw with what came back. */
export async function ok<T = unknown>(app: TestApp, action: string, params?: Record<string, unknown>): Promise<T> {
  const res = await app.call(action, params);
  if (res.status !== 200 || res.body?.retcode !== 0) throw new Error(`${action} failed: ${res.status} ${res.text}`);
  return res.body.data as T;
}
