import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { ALL_ACTIONS } from '../../src/actions/index.js';
import WebSocket from 'ws';
import { startTestApp } from '../helpers/app.js';
import { CASE_SETS, NO_FAILURE_PATH } from './cases/index.js';

const CASES = Object.values(CASE_SETS).flat();

test('every registered action has a success case, a failure case and a line in docs/actions.md', () => {
  const docs = fs.readFileSync(new URL('../../docs/actions.md', import.meta.url), 'utf8');
  const missing: string[] = [];
  for (const { name } of ALL_ACTIONS) {
    // retcode 1 (async) is how actions that run in the background succeed (set_restart_plugin, .check_update)
    if (!CASES.some((c) => c.action === name && (c.retcode === 0 || c.retcode === 1))) missing.push(`${name}: no success case`);
    if (!NO_FAILURE_PATH.has(name) && !CASES.some((c) => c.action === name && c.retcode !== 0 && c.retcode !== 1)) missing.push(`${name}: no failure case`);
    if (!docs.includes(`\`${name}\``)) missing.push(`${name}: not in docs/actions.md`);
  }
  assert.deepEqual(missing, []);
});

describe('the conformance table over HTTP', () => {
  for (const [name, cases] of Object.entries(CASE_SETS)) test(`${name}: each case answers its retcode`, async () => {
    const t = await startTestApp();
    try {
      for (const c of cases) {
        const params = typeof c.params === 'function' ? c.params(t.app.backend) : c.params;
        const res = await t.call(c.action, params);
        assert.equal(res.status, 200, `${c.action} → HTTP ${res.status}`);
        assert.equal(res.body?.retcode, c.retcode, `${c.action} ${JSON.stringify(params)} ${c.note ?? ''} → ${res.text}`);
        if (c.retcode === 0) c.check?.(res.body?.data);
      }
    } finally {
      await t.close();
    }
  });
});

test('docs/actions.md is the registry (run `npm run docs:actions` after adding an action)', async () => {
  const { catalogueMarkdown } = await import('../../src/core/catalogue.js');
  const docs = fs.readFileSync(new URL('../../docs/actions.md', import.meta.url), 'utf8');
  assert.equal(docs, catalogueMarkdown(ALL_ACTIONS));
});

/** A forward-WS `/api` client that answers calls by echo. */
async function wsCaller(url: string) {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const pending = new Map<number, (frame: { retcode: number; data: unknown; echo: number }) => void>();
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { retcode: number; data: unknown; echo: number };
    pending.get(frame.echo)?.(frame);
    pending.delete(frame.echo);
  });
  let next = 0;
  return {
    call(action: string, params: Record<string, unknown>) {
      const echo = ++next;
      return new Promise<{ retcode: number; data: unknown; echo: number }>((resolve) => {
        pending.set(echo, resolve);
        socket.send(JSON.stringify({ action, params, echo }));
      });
    },
    close: () => socket.close(),
  };
}

describe('the conformance table over forward WebSocket /api', () => {
  for (const [name, cases] of Object.entries(CASE_SETS)) test(`${name}: each case answers its retcode`, async () => {
    const t = await startTestApp({ config: { use_ws: true } });
    const ws = await wsCaller(`ws://127.0.0.1:${t.app.ws!.port}/api`);
    try {
      for (const c of cases) {
        const params = typeof c.params === 'function' ? c.params(t.app.backend) : c.params;
        const frame = await ws.call(c.action, params);
        assert.equal(frame.retcode, c.retcode, `${c.action} ${JSON.stringify(params)} ${c.note ?? ''} → ${JSON.stringify(frame)}`);
        if (c.retcode === 0) c.check?.(frame.data);
      }
    } finally {
      ws.close();
      await t.close();
    }
  });
});
