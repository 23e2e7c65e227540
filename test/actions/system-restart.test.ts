/**
 * The in-process restart end to end, over real sockets, with the configuration file on disk:
 * `set_restart_plugin` / `set_restart` / `_set_restart` reload it, re-bind the listeners, drop the
 * connections, emit lifecycle disable/enable, and keep the data; a bad file or a taken port fail
 * clearly.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { freePort, startSupervised, type SupervisedApp } from '../helpers/supervised.js';

const GROUP = 100001;

interface Answer { status: number; body: { data: unknown; retcode: number; status: string } | undefined; text: string }

async function call(base: string, action: string, params: Record<string, unknown>, token?: string): Promise<Answer> {
  const res = await fetch(`${base}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(params),
  });
  const text = await res.text();
  return { status: res.status, text, body: text === '' ? undefined : (JSON.parse(text) as Answer['body']) };
}

/** An HTTP POST receiver collecting the event bodies. */
async function receiver(): Promise<{ server: Server; url: string; events: Record<string, unknown>[] }> {
  const events: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      events.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`, events };
}

const lifecycle = (events: Record<string, unknown>[]) =>
  events.filter((e) => e.meta_event_type === 'lifecycle').map((e) => e.sub_type);

async function waitUntil(probe: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('set_restart_plugin: a real in-process restart', () => {
  let t: SupervisedApp;
  let post: Awaited<ReturnType<typeof receiver>>;
  let firstPort: number;
  let wsPort: number;
  before(async () => {
    post = await receiver();
    firstPort = await freePort();
    wsPort = await freePort();
    t = await startSupervised({ port: firstPort, use_ws: true, ws_port: wsPort, access_token: 'old-token', post_url: post.url });
  });
  after(async () => {
    await t.close();
    post.server.close();
  });

  test('the new config file is enforced: new token, new port, connections dropped, messages survive', async () => {
    const base = t.base();
    const sent = await call(base, 'send_group_msg', { group_id: GROUP, message: 'before the restart' }, 'old-token');
    assert.equal(sent.body?.retcode, 0, sent.text);
    const messageId = (sent.body?.data as { message_id: number }).message_id;

    const ws = new WebSocket(`ws://127.0.0.1:${wsPort}/api`, { headers: { authorization: 'Bearer old-token' } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const wsClosed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

    const newPort = await freePort();
    t.writeConfig({ port: newPort, use_ws: true, ws_port: wsPort, access_token: 'new-token', post_url: post.url });
    const restarted = t.sup.nextRestart();
    const accepted = await call(base, 'set_restart_plugin', { delay: 0 }, 'old-token');
    assert.equal(accepted.status, 200);
    assert.equal(accepted.text, '{"data":null,"retcode":1,"status":"async"}');
    assert.deepEqual(await restarted, { restarted: true });

    assert.equal(await wsClosed, 1001, 'the forward WS connection was dropped');
    assert.equal(t.sup.current.http?.port, newPort, 'the HTTP API re-bound on the new port');
    await assert.rejects(fetch(`http://127.0.0.1:${firstPort}/get_status`), 'the old port no longer answers');

    const nextBase = t.base();
    assert.equal((await call(nextBase, 'get_status', {}, 'old-token')).status, 403, 'the old token is refused');
    assert.equal((await call(nextBase, 'get_status', {})).status, 401);
    const status = await call(nextBase, 'get_status', {}, 'new-token');
    assert.equal(status.body?.retcode, 0);
    assert.equal((status.body?.data as { plugins_good: Record<string, boolean> }).plugins_good.restarter, true);

    const recalled = await call(nextBase, 'delete_msg', { message_id: messageId }, 'new-token');
    assert.equal(recalled.body?.retcode, 0, `the message stored before the restart is still known: ${recalled.text}`);

    await waitUntil(() => lifecycle(post.events).length >= 3, 'lifecycle events');
    assert.deepEqual(lifecycle(post.events), ['enable', 'disable', 'enable']);
    assert.ok(t.logs.some((l) => l.msg === 'restarted'));
  });

  test('set_restart (v11) waits `delay` ms, and the WS listener comes back on its port', async () => {
    const restarted = t.sup.nextRestart();
    const started = Date.now();
    const accepted = await call(t.base(), 'set_restart', { delay: 300 }, 'new-token');
    assert.equal(accepted.body?.retcode, 1);
    assert.equal(accepted.body?.status, 'async');
    assert.deepEqual(await restarted, { restarted: true });
    assert.ok(Date.now() - started >= 280, `restarted after ${Date.now() - started} ms`);
    assert.equal(t.sup.current.ws?.port, wsPort);
    const ws = new WebSocket(`ws://127.0.0.1:${wsPort}/api`, { headers: { authorization: 'Bearer new-token' } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.close();
  });

  test('a bad config on disk: the server stays up on the old config and logs the problems', async () => {
    const base = t.base();
    t.writeConfig({ port: 'not-a-port', access_token: 'newer-token' });
    const attempt = t.sup.nextRestart();
    assert.equal((await call(base, 'set_restart_plugin', {}, 'new-token')).body?.retcode, 1);
    const outcome = await attempt;
    assert.equal(outcome.restarted, false);
    assert.match(outcome.restarted ? '' : outcome.reason, /port/);
    const logged = t.logs.find((l) => l.msg.startsWith('restart refused'));
    assert.ok(logged, 'the refusal is logged');
    assert.equal(logged.level, 50, 'at error level');
    assert.match(logged.msg, /port/);

    assert.equal(t.base(), base, 'same listener');
    const status = await call(base, 'get_status', {}, 'new-token');
    assert.equal(status.body?.retcode, 0, 'still serving with the old token');
    assert.equal((status.body?.data as { plugins_good: Record<string, boolean>; good: boolean }).plugins_good.restarter, false);
    assert.equal((status.body?.data as { good: boolean }).good, false);

    t.writeConfig('{ not json');
    const again = t.sup.nextRestart();
    await call(base, 'set_restart_plugin', {}, 'new-token');
    assert.equal((await again).restarted, false);
    assert.equal((await call(base, 'get_status', {}, 'new-token')).body?.retcode, 0);
    assert.equal(t.fatal.length, 0);
  });

  test('_set_restart with clean_log: the log is emptied and the fixed config is picked up', async () => {
    const logFile = `${t.dataDir}/logs/10001000.log`;
    t.sup.logger.info('marker-before-clean');
    assert.match(fs.readFileSync(logFile, 'utf8'), /marker-before-clean/);
    t.writeConfig({ port: 0, access_token: 'fixed-token' });
    const restarted = t.sup.nextRestart();
    const res = await call(t.base(), '_set_restart', { clean_log: true, clean_event: true }, 'new-token');
    assert.equal(res.text, '{"data":null,"retcode":0,"status":"ok"}');
    assert.deepEqual(await restarted, { restarted: true });
    assert.doesNotMatch(fs.readFileSync(logFile, 'utf8'), /marker-before-clean/);
    const status = await call(t.base(), 'get_status', {}, 'fixed-token');
    assert.equal((status.body?.data as { plugins_good: Record<string, boolean> }).plugins_good.restarter, true);
    assert.equal(t.sup.current.ws, undefined, 'use_ws is off in the new config');
  });
});

describe('a restart that cannot re-bind', () => {
  let t: SupervisedApp;
  let blocker: net.Server;
  before(async () => {
    t = await startSupervised({ port: 0 });
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    blocker.close();
    await t.close();
  });

  test('logs a fatal line and hands over to onFatal (the CLI exits 1) instead of hanging half-alive', async () => {
    const taken = (blocker.address() as net.AddressInfo).port;
    t.writeConfig({ port: taken });
    const attempt = t.sup.nextRestart();
    assert.equal((await call(t.base(), 'set_restart_plugin', {})).body?.retcode, 1);
    const outcome = await attempt;
    assert.equal(outcome.restarted, false);
    assert.match(outcome.restarted ? '' : outcome.reason, /already in use/);
    await waitUntil(() => t.fatal.length === 1, 'onFatal');
    const fatal = t.logs.find((l) => l.level === 60);
    assert.ok(fatal, 'a fatal line');
    assert.match(fatal.msg, /restart failed.*already in use/);
    assert.equal(t.sup.healthy(), false);
  });
});

describe('clean_plugin_log and .check_update under the supervisor', () => {
  let t: SupervisedApp;
  before(async () => {
    t = await startSupervised({ port: 0 });
  });
  after(() => t.close());

  test('clean_plugin_log truncates the real file and logging goes on into it', async () => {
    const logFile = `${t.dataDir}/logs/10001000.log`;
    t.sup.logger.info('marker-old-line');
    const before = fs.readFileSync(logFile, 'utf8');
    assert.match(before, /marker-old-line/);
    const res = await call(t.base(), 'clean_plugin_log', {});
    assert.equal(res.text, '{"data":null,"retcode":0,"status":"ok"}');
    const afterClean = fs.readFileSync(logFile, 'utf8');
    assert.doesNotMatch(afterClean, /marker-old-line/);
    assert.ok(afterClean.length < before.length);
    t.sup.logger.info('marker-new-line');
    assert.match(fs.readFileSync(logFile, 'utf8'), /marker-new-line/);
  });

  test('.check_update answers async and logs that update checks are not supported (info)', async () => {
    const res = await call(t.base(), '.check_update', {});
    assert.equal(res.text, '{"data":null,"retcode":1,"status":"async"}');
    await waitUntil(() => t.logs.some((l) => l.msg === 'update checks are not supported'), 'the update log line');
    assert.equal(t.logs.find((l) => l.msg === 'update checks are not supported')?.level, 30);
    assert.equal(t.fatal.length, 0);
  });
});
