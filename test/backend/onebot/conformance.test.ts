/**
 * The whole conformance table (test/actions/cases/) through the bridge: bot → cqhttpd (`backend =
 * onebot`) → a second cqhttpd running the sandbox. Each case set runs in order on two fresh default
 * worlds, one called directly and one through a bridge, and every answer through the bridge must be
 * the direct one — retcode, msg, wording and data — over HTTP and over the forward WebSocket.
 * Values that differ between any two fresh worlds (times, random file ids, flags, local paths and
 * URLs) are compared by type only; message ids are compared as they are: the bridge hands out its
 * own from 1 in the order it sees the upstream's messages, which here is the upstream's own order.
 * One wording is the bridge's own: a message id it never handed out is refused by the bridge itself
 * (`MESSAGE_NOT_FOUND`, "there is no message with message_id N") without asking the upstream, whose
 * sentence for it may name the kind of message it looked for.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import type { SandboxBackend } from '../../../src/backend/sandbox/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { CASE_SETS } from '../../actions/cases/index.js';

type Envelope = { status?: string; retcode: number; data: unknown; msg?: string; wording?: string };
type Caller = (action: string, params: Record<string, unknown>) => Promise<Envelope>;

/** Keys whose values differ between two fresh worlds whatever the bridge does. */
const VOLATILE = /^(time|.*_time|pubt|file_id|folder_id|fid|flag|forward_id|url|file|skey|cookies|token|csrf_token)$/;
/** Actions answered by each cqhttpd itself from its own process (uptime, counters): compared by shape. */
const OWN_STATE = new Set(['get_status', 'get_version_info']);

/** Random ids inside texts: uuids (group files, folders) and forward card ids. */
const scrubIds = (text: string): string => text
  .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
  .replace(/\[CQ:forward,id=[^\]]+\]/g, '[CQ:forward,id=<id>]');

/** A wording with the case's own random values (its request flag, ids) replaced. */
function scrubWording(wording: string | undefined, params: Record<string, unknown>): string | undefined {
  if (wording === undefined) return undefined;
  let out = wording;
  for (const key of ['flag', 'file_id', 'folder_id', 'id']) {
    const value = params[key];
    if (typeof value === 'string' && value.length >= 6) out = out.split(value).join(`<${key}>`);
  }
  return scrubIds(out);
}

function normalise(value: unknown, key = ''): unknown {
  if (VOLATILE.test(key) && value !== null && typeof value !== 'object') return `<${typeof value}>`;
  if (typeof value === 'string') return scrubIds(value);
  if (Array.isArray(value)) return value.map((v) => normalise(v));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
  return value;
}

const shape = (value: unknown): unknown => (typeof value === 'object' && value !== null ? Object.keys(value).sort() : typeof value);

/** The upstream's sandbox, but files the cases put "into the app's data directory" go to the bridge's. */
function bridgedSandbox(sb: SandboxBackend, bridgeDir: string): SandboxBackend {
  return new Proxy(sb, {
    get(target, prop) {
      if (prop === 'dbFile') return path.join(bridgeDir, 'sandbox.db');
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function wsCaller(url: string): Promise<{ call: Caller; close(): void }> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const pending = new Map<number, (frame: Envelope) => void>();
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Envelope & { echo: number };
    pending.get(frame.echo)?.(frame);
    pending.delete(frame.echo);
  });
  let next = 0;
  return {
    call: (action, params) => new Promise((resolve) => {
      const echo = ++next;
      pending.set(echo, resolve);
      socket.send(JSON.stringify({ action, params, echo }));
    }),
    close: () => socket.close(),
  };
}

const httpCaller = (app: TestApp): Caller => async (action, params) => {
  const res = await app.call(action, params);
  assert.equal(res.status, 200, `${action} → HTTP ${res.status}`);
  return res.body as Envelope;
};

/** A direct sandbox, an upstream sandbox and a bridge in front of it; counts of the events each backend emitted. */
async function startWorlds() {
  const direct = await startTestApp({ config: { use_ws: true } });
  const upstream = await startTestApp({ config: { use_ws: true } });
  const bridge = await startTestApp({ config: { backend: 'onebot', upstream_url: `ws://127.0.0.1:${upstream.app.ws!.port}/`, use_ws: true } });
  const seen = { upstream: 0, bridge: 0 };
  upstream.app.backend.onEvent(() => seen.upstream++);
  bridge.instance.backend.onEvent(() => seen.bridge++);
  /** Resolves once the bridge has passed on every event the upstream emitted so far. */
  const settled = async () => {
    const end = Date.now() + 3000;
    while (seen.bridge < seen.upstream) {
      if (Date.now() > end) throw new Error(`the bridge passed on ${seen.bridge} of the upstream's ${seen.upstream} events`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const close = async () => {
    await bridge.close();
    await upstream.close();
    await direct.close();
  };
  return { direct, upstream, bridge, settled, close, sb: bridgedSandbox(upstream.app.backend, bridge.dataDir) };
}

for (const transport of ['HTTP', 'forward WebSocket'] as const) {
  describe(`the conformance table through the bridge over ${transport}`, () => {
    for (const [name, cases] of Object.entries(CASE_SETS)) test(`${name}: every answer is the sandbox's own`, async () => {
      const w = await startWorlds();
      const sockets = transport === 'HTTP' ? undefined : await Promise.all([
        wsCaller(`ws://127.0.0.1:${w.direct.app.ws!.port}/api`), wsCaller(`ws://127.0.0.1:${w.bridge.instance.ws!.port}/api`),
      ]);
      const callDirect = sockets?.[0].call ?? httpCaller(w.direct);
      const callBridge = sockets?.[1].call ?? httpCaller(w.bridge);
      try {
        for (const c of cases) {
          const directParams = typeof c.params === 'function' ? c.params(w.direct.app.backend) : c.params;
          const bridgedParams = typeof c.params === 'function' ? c.params(w.sb) : c.params;
          await w.settled();
          const direct = await callDirect(c.action, directParams);
          const bridged = await callBridge(c.action, bridgedParams);
          const what = `${c.action} ${JSON.stringify(bridgedParams).slice(0, 200)} ${c.note ?? ''}`;
          assert.equal(direct.retcode, c.retcode, `direct ${what} → ${JSON.stringify(direct)}`);
          assert.equal(bridged.retcode, c.retcode, `bridged ${what} → ${JSON.stringify(bridged)}`);
          if (c.retcode === 0) c.check?.(bridged.data);
          const ownRefusal = bridged.msg === 'MESSAGE_NOT_FOUND' && /^there is no message with message_id \d+$/.test(bridged.wording ?? '');
          const strip = ({ status, retcode, msg, wording, data }: Envelope, params: Record<string, unknown>) => ({
            status, retcode, msg, wording: ownRefusal ? '<unknown id>' : scrubWording(wording, params), data: OWN_STATE.has(c.action) ? shape(data) : normalise(data),
          });
          assert.deepEqual(strip(bridged, bridgedParams), strip(direct, directParams), `bridged ${what}`);
        }
      } finally {
        for (const socket of sockets ?? []) socket.close();
        await w.close();
      }
    });
  });
}
