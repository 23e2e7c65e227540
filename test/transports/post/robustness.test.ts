/**
 * A dead, hanging or slow receiver (§3.3 `post_timeout`): `deliver` resolves within the timeout,
 * never rejects, never delays other dispatch calls; failures are logged once per streak; the
 * number of deliveries in flight is bounded; `close()` ends everything.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { NO_TIMEOUT_CAP_SECONDS } from '../../../src/transports/post/channel.js';
import { answer, captureLogger, channelTo, closeLeftovers, deadPort, GROUP_BODY, GROUP_EVENT, recordingDispatcher, sleep, startReceiver, until } from './harness.js';

after(closeLeftovers);

/** A receiver that reads requests but never answers them. */
const hangingServer = () => startReceiver(() => {});

/** Time `work`, in milliseconds. */
async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

test('a hanging receiver: deliver resolves at post_timeout, API calls meanwhile are not delayed', async () => {
  const hanging = await hangingServer();
  const d = recordingDispatcher();
  const log = captureLogger();
  const channel = channelTo(hanging.url, d.dispatch, log.logger, { timeoutSeconds: 2 });
  const started = performance.now();
  const delivery = channel.deliver(GROUP_BODY, GROUP_EVENT);
  let resolvedAt = 0;
  void Promise.resolve(delivery).then(() => (resolvedAt = performance.now()));
  await until(() => hanging.requests.length === 1);
  const apiTime = await timed(async () => assert.deepEqual(await d.dispatch('echo', { a: 1 }, 'http'), { retcode: 0, data: { a: 1 } }));
  assert.ok(apiTime < 500, `an API call took ${apiTime.toFixed(0)} ms while the POST hung`);
  assert.equal(resolvedAt, 0, 'deliver is still waiting for the receiver');
  await delivery;
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 1950 && elapsed < 6000, `deliver resolved after ${elapsed.toFixed(0)} ms (post_timeout 2 s)`);
  assert.deepEqual(d.names(), []);
  assert.match(log.at('warn').join('\n'), /timed out after 2 s/);
  await channel.close();
  await hanging.close();
  await d.close();
});

test('a dead receiver (connection refused): deliver resolves at once, warned once per failure streak', async () => {
  const port = await deadPort();
  const d = recordingDispatcher();
  const log = captureLogger();
  const channel = channelTo(`http://127.0.0.1:${port}/`, d.dispatch, log.logger, { timeoutSeconds: 5 });
  const [first, second, api] = await Promise.all([
    timed(() => channel.deliver(GROUP_BODY, GROUP_EVENT)),
    timed(() => channel.deliver(GROUP_BODY, GROUP_EVENT)),
    timed(() => d.dispatch('echo', {}, 'http')),
  ]);
  assert.ok(first < 2000 && second < 2000, `deliveries took ${first.toFixed(0)} / ${second.toFixed(0)} ms`);
  assert.ok(api < 500, `the concurrent API call took ${api.toFixed(0)} ms`);
  for (let i = 0; i < 3; i++) await channel.deliver(GROUP_BODY, GROUP_EVENT);
  const warnings = log.at('warn');
  assert.equal(warnings.length, 1, `one warning for five failed events: ${warnings.join(' | ')}`);
  assert.match(warnings[0]!, /ECONNREFUSED/);
  assert.ok(log.records.every((r) => r.component === 'post'), 'logged under the component "post"');
  assert.equal(log.at('debug').filter((m) => m.includes('ECONNREFUSED')).length, 4, 'the repeats at debug level');
  assert.equal(d.dispatched.filter((c) => c.action === '.handle_quick_operation').length, 0);
  await channel.close();
  await d.close();
});

test('a failure streak is reported again when its kind changes, and its end at info level', async () => {
  let status = 500;
  const receiver = await startReceiver((req, res) => answer(status, '{"reply":"x"}')(req, res));
  const d = recordingDispatcher();
  const log = captureLogger();
  const channel = channelTo(receiver.url, d.dispatch, log.logger);
  await channel.deliver(GROUP_BODY, GROUP_EVENT);
  await channel.deliver(GROUP_BODY, GROUP_EVENT);
  status = 502;
  await channel.deliver(GROUP_BODY, GROUP_EVENT);
  assert.equal(log.at('warn').length, 2);
  assert.match(log.at('warn')[1]!, /HTTP 502/);
  status = 200;
  await channel.deliver(GROUP_BODY, GROUP_EVENT);
  assert.match(log.at('info').join('\n'), /works again \(HTTP 200\) after 3 failed event/);
  assert.deepEqual(d.names(), ['send_msg'], 'only the 2xx answer ran its quick operation');
  const named = captureLogger();
  const own = channelTo(receiver.url, d.dispatch, named.logger.child({ component: 'post main' }));
  await own.deliver(GROUP_BODY, GROUP_EVENT);
  await own.close();
  assert.ok(named.records.length > 0 && named.records.every((r) => r.component === 'post main'), 'a component chosen by the caller is kept');
  await channel.close();
  await Promise.all([receiver.close(), d.close()]);
});

test('a slow receiver within post_timeout still gets its quick operation; timeout 0 is not "immediately"', async () => {
  assert.equal(NO_TIMEOUT_CAP_SECONDS, 30);
  const receiver = await startReceiver((req, res) => void setTimeout(() => answer(200, '{"reply":"late"}')(req, res), 1200));
  const d = recordingDispatcher();
  const channel = channelTo(receiver.url, d.dispatch, captureLogger().logger, { timeoutSeconds: 0 });
  await channel.deliver(GROUP_BODY, GROUP_EVENT);
  assert.deepEqual(d.names(), ['send_msg']);
  await channel.close();
  await Promise.all([receiver.close(), d.close()]);
});

test('deliveries in flight are bounded by maxPending: the excess is dropped at once, with a warning', async () => {
  const hanging = await hangingServer();
  const d = recordingDispatcher();
  const log = captureLogger();
  const channel = channelTo(hanging.url, d.dispatch, log.logger, { timeoutSeconds: 1, maxPending: 2 });
  const pending = [channel.deliver(GROUP_BODY, GROUP_EVENT), channel.deliver(GROUP_BODY, GROUP_EVENT)];
  assert.equal(channel.deliver(GROUP_BODY, GROUP_EVENT), 'dropped', 'dropped: nothing to wait for');
  assert.equal(channel.deliver(GROUP_BODY, GROUP_EVENT), 'dropped');
  assert.equal(log.at('warn').length, 1, 'one warning for the overflow');
  assert.match(log.at('warn')[0]!, /2 POSTs .* in flight/);
  await until(() => hanging.requests.length === 2);
  await sleep(50);
  assert.equal(hanging.requests.length, 2, 'only two requests reached the receiver');
  await Promise.all(pending);
  await channel.deliver(GROUP_BODY, GROUP_EVENT);
  assert.match(log.at('warn').join('\n'), /2 event\(s\) were not POSTed/);
  await channel.close();
  await hanging.close();
  await d.close();
});

test('close() aborts POSTs in flight, resolves their deliveries, and ignores later events', async () => {
  const hanging = await hangingServer();
  const d = recordingDispatcher();
  const log = captureLogger();
  const channel = channelTo(hanging.url, d.dispatch, log.logger, { timeoutSeconds: 30 });
  const delivery = channel.deliver(GROUP_BODY, GROUP_EVENT);
  await until(() => hanging.requests.length === 1);
  const closing = await timed(() => channel.close());
  assert.ok(closing < 2000, `close took ${closing.toFixed(0)} ms`);
  assert.equal(await delivery, 'dropped', 'a POST cut by close() was not delivered');
  assert.equal(channel.deliver(GROUP_BODY, GROUP_EVENT), 'dropped');
  await sleep(50);
  assert.equal(hanging.requests.length, 1);
  assert.deepEqual(log.at('warn'), [], 'a shutdown is not a receiver failure');
  await hanging.close();
  await d.close();
});

test('a receiver that drops the connection mid-response is a failure, not a crash', async () => {
  const receiver = await startReceiver((_req, res) => {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('{"reply":');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  const d = recordingDispatcher();
  const log = captureLogger();
  const channel = channelTo(receiver.url, d.dispatch, log.logger);
  await channel.deliver(GROUP_BODY, GROUP_EVENT);
  assert.equal(d.dispatched.length, 0);
  assert.equal(log.at('warn').length, 1);
  await channel.close();
  await Promise.all([receiver.close(), d.close()]);
});
