/**
 * Prometheus metrics at `GET /metrics` of the control listener: scraped from a whole running
 * cqhttpd after real API calls, events to an HTTP POST receiver and a forward WebSocket; behind
 * `sandbox_token` (Bearer, as Prometheus sends it); off with `metrics = false`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { PostReceiver, textMsg, waitFor, WsClient } from './helpers.js';

const TOKEN = 'scrape-token';

/** The value of one series (labels exactly as written), or undefined. */
function series(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels === '' ? ' ' : `{${labels}} `}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Scrape until `probe` holds; fail after `ms`. */
async function scrapeUntil(scrape: () => Promise<{ text: string }>, probe: (text: string) => boolean, what: string, ms = 3000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const { text } = await scrape();
    if (probe(text)) return text;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('metrics', () => {
  let t: TestApp;
  let post: PostReceiver;
  const scrape = async (auth = `Bearer ${TOKEN}`): Promise<{ status: number; type: string; text: string }> => {
    const res = await fetch(`http://127.0.0.1:${t.app.sandbox.port}/metrics`, { headers: { authorization: auth } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  before(async () => {
    post = await PostReceiver.start();
    t = await startTestApp({ config: { sandbox_token: TOKEN, post_url: post.url('/'), use_ws: true } });
  });

  after(async () => {
    await t?.close();
    await post?.close();
  });

  it('is behind sandbox_token like the rest of the control API', async () => {
    assert.equal((await scrape('')).status, 401);
    assert.equal((await scrape('Bearer wrong')).status, 403);
    const ok = await scrape();
    assert.equal(ok.status, 200);
    assert.match(ok.type, /^text\/plain; version=0\.0\.4/);
    // The first scrape loads prom-client; its event-loop lag histogram already has samples.
    const lagMin = series(ok.text, 'nodejs_eventloop_lag_min_seconds');
    assert.ok(lagMin !== undefined && lagMin >= 0 && lagMin < 1, `event-loop lag min ${lagMin}`);
  });

  it('counts calls by action and retcode, with latency histograms by action', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await t.call('get_login_info')).body?.retcode, 0);
    const failed = await t.call('get_group_info', { group_id: 999999 });
    assert.notEqual(failed.body?.retcode, 0);
    assert.equal((await t.call('no_such_action')).status, 404);
    const { text } = await scrape();
    assert.equal(series(text, 'cqhttpd_api_calls_total', 'action="get_login_info",retcode="0"'), 3);
    assert.equal(series(text, 'cqhttpd_api_calls_total', `action="get_group_info",retcode="${failed.body?.retcode}"`), 1);
    assert.ok(!text.includes('no_such_action'), 'an unknown action name makes no series of its own (bounded labels)');
    assert.equal(series(text, 'cqhttpd_api_calls_total', 'action="_unknown",retcode="1404"'), 1);
    assert.equal(series(text, 'cqhttpd_api_call_duration_seconds_count', 'action="get_login_info"'), 3);
    assert.equal(series(text, 'cqhttpd_api_call_duration_seconds_bucket', 'le="10",action="get_login_info"'), 3);
    assert.equal(series(text, 'cqhttpd_api_call_duration_seconds_bucket', 'le="+Inf",action="get_login_info"'), 3);
    assert.equal(series(text, 'cqhttpd_api_call_duration_seconds_count', 'action="_unknown"'), 1);
    assert.ok(series(text, 'cqhttpd_api_call_duration_seconds_sum', 'action="get_login_info"')! > 0);
    assert.match(text, /# TYPE cqhttpd_api_call_duration_seconds histogram/);
  });

  it('counts events delivered by transport and by connection; open connections; queue depths; RSS', async () => {
    const ws = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/ws?access_token=`);
    const id = (await waitFor(() => t.app.connections.list().find((c) => c.transport === 'ws'), 3000, 'the socket')).id;
    try {
      const before = series((await scrape()).text, 'cqhttpd_events_delivered_total', 'transport="http_post",outcome="sent"') ?? 0;
      t.app.backend.postMessage({ from: 20001, message: textMsg('metered') });
      await ws.inbox.waitFor((f) => f.raw_message === 'metered');
      await post.inbox.waitFor((f) => f.raw_message === 'metered');
      const text = await scrapeUntil(scrape, (s) => series(s, 'cqhttpd_events_delivered_total', 'transport="http_post",outcome="sent"') === before + 1, 'the POST delivery to be counted');
      assert.ok(series(text, 'cqhttpd_events_delivered_total', 'transport="ws",outcome="sent"')! >= 2, 'connect + message');
      assert.equal(series(text, 'cqhttpd_events_delivered_total', 'transport="ws_reverse",outcome="sent"'), 0, 'every child exists from the start');
      assert.equal(series(text, 'cqhttpd_connections', 'transport="ws",role="universal"'), 1);
      assert.equal(series(text, 'cqhttpd_connections', 'transport="http_post",role="event"'), 1);
      assert.ok(series(text, 'cqhttpd_connection_events_total', `connection="${id}",transport="ws",role="universal",path="/ws",outcome="sent"`)! >= 2);
      assert.equal(series(text, 'cqhttpd_queue_length', 'queue="async"'), 0);
      assert.equal(series(text, 'cqhttpd_queue_length', 'queue="rate_limited"'), 0);
      assert.equal(series(text, 'cqhttpd_queue_length', 'queue="events"'), 0);
      assert.ok(series(text, 'process_resident_memory_bytes')! > 10_000_000, 'RSS from the default metrics');
    } finally {
      ws.close();
    }
    const closed = await scrapeUntil(scrape, (s) => series(s, 'cqhttpd_connections', 'transport="ws",role="universal"') === undefined, 'the closed socket to leave the gauge');
    assert.ok(!closed.includes('cqhttpd_connection_events_total{connection="'.concat(String(id))), 'its per-connection series ended');
  });

  it('metrics = false: nothing collected, /metrics answers 404', async () => {
    const off = await startTestApp({ config: { metrics: false } });
    try {
      const res = await fetch(`http://127.0.0.1:${off.app.sandbox.port}/metrics`);
      assert.equal(res.status, 404);
      assert.match(await res.text(), /metrics are off/);
    } finally {
      await off.close();
    }
  });
});
