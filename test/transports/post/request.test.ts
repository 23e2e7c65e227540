/** The event POST request (§3.3): exact headers, signature (C.4), body bytes, redirects, keep-alive. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, test } from 'node:test';
import { createHttpPostChannel, DEFAULT_USER_AGENT, isPostUrl } from '../../../src/transports/post/channel.js';
import { signBody } from '../../../src/transports/post/signature.js';
import { answer, captureLogger, channelTo, closeLeftovers, GROUP_BODY, GROUP_EVENT, recordingDispatcher, startReceiver } from './harness.js';

after(closeLeftovers);

const C4_BODY = '{"_post_method":1,"meta_event_type":"lifecycle","post_type":"meta_event","self_id":10001000,"sub_type":"enable","time":1590000000}';
const C4_SIGNATURE = 'sha1=e28e371f635cabbff3fa3eb43e5f1ad5c4fbb871';

test('Appendix C.4: the signature test vector', () => {
  assert.equal(signBody('some-secret', C4_BODY), C4_SIGNATURE);
  assert.equal(signBody('some-secret', Buffer.from(C4_BODY)), C4_SIGNATURE);
});

test('exact request: method, path, headers in curl order, signature, body bytes', async () => {
  const receiver = await startReceiver(answer(204));
  const d = recordingDispatcher();
  const channel = channelTo(`${receiver.url}events/?a=1&b=%20`, d.dispatch, captureLogger().logger, { secret: 'söme-secret' });
  await channel.deliver(GROUP_BODY, GROUP_EVENT);
  const [req] = receiver.requests;
  assert.ok(req);
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/events/?a=1&b=%20');
  const length = String(Buffer.byteLength(GROUP_BODY));
  const signature = 'sha1=' + createHmac('sha1', Buffer.from('söme-secret', 'utf8')).update(req.body).digest('hex');
  assert.deepEqual(req.rawHeaders, [
    'Host', `127.0.0.1:${receiver.port}`,
    'Accept', '*/*',
    'Content-Type', 'application/json; charset=UTF-8',
    'User-Agent', 'CQHttp/4.15.0',
    'X-Self-ID', '10001000',
    'X-Signature', signature,
    'Content-Length', length,
    'Connection', 'keep-alive',
  ]);
  assert.ok(req.body.equals(Buffer.from(GROUP_BODY, 'utf8')), 'body is byte-identical to the given body');
  assert.equal(d.dispatched.length, 0, '204: no quick operation');
  await channel.close();
  await receiver.close();
  await d.close();
});

test('C.4 end to end: the lifecycle body is signed as the spec says', async () => {
  const receiver = await startReceiver(answer(200, ''));
  const d = recordingDispatcher();
  const channel = channelTo(receiver.url, d.dispatch, captureLogger().logger, { secret: 'some-secret' });
  await channel.deliver(C4_BODY, JSON.parse(C4_BODY) as { post_type: string });
  assert.equal(receiver.requests[0]?.headers['x-signature'], C4_SIGNATURE);
  assert.equal(receiver.requests[0]?.body.toString('utf8'), C4_BODY);
  await channel.close();
  await receiver.close();
  await d.close();
});

test('no secret → no X-Signature; self id and user agent are configurable', async () => {
  const receiver = await startReceiver(answer(200));
  const d = recordingDispatcher();
  const channel = channelTo(receiver.url, d.dispatch, captureLogger().logger, { selfId: 42, userAgent: 'CQHttp/9.9.9' });
  await channel.deliver('{"post_type":"meta_event"}', { post_type: 'meta_event' });
  const headers = receiver.requests[0]?.headers;
  assert.equal(headers?.['x-signature'], undefined);
  assert.equal(headers?.['x-self-id'], '42');
  assert.equal(headers?.['user-agent'], 'CQHttp/9.9.9');
  assert.equal(DEFAULT_USER_AGENT, 'CQHttp/4.15.0');
  assert.equal(channel.kind, 'http_post');
  assert.equal(channel.name, `post ${receiver.url}`);
  assert.equal(channel.filter, null);
  await channel.close();
  await receiver.close();
  await d.close();
});

test('credentials in post_url: sent as Basic auth (as libcurl does), hidden in the channel name', async () => {
  const receiver = await startReceiver(answer(204));
  const d = recordingDispatcher();
  const channel = channelTo(`http://bot:p%40ss@127.0.0.1:${receiver.port}/hook`, d.dispatch, captureLogger().logger);
  await channel.deliver('{"post_type":"notice"}', { post_type: 'notice' });
  const [req] = receiver.requests;
  assert.equal(req?.headers.authorization, 'Basic ' + Buffer.from('bot:p@ss').toString('base64'));
  assert.deepEqual(req?.rawHeaders.slice(0, 4), ['Host', `127.0.0.1:${receiver.port}`, 'Authorization', req?.headers.authorization]);
  assert.equal(channel.name, `post http://***@127.0.0.1:${receiver.port}/hook`);
  await channel.close();
  await Promise.all([receiver.close(), d.close()]);
});

test('a token in post_url\'s query is sent but never logged: the channel name and its warnings show the URL without its query', async () => {
  const receiver = await startReceiver(answer(500));
  const d = recordingDispatcher();
  const log = captureLogger();
  const channel = channelTo(`http://127.0.0.1:${receiver.port}/hook?access_token=q-secret-77#frag`, d.dispatch, log.logger);
  await channel.deliver('{"post_type":"notice"}', { post_type: 'notice' });
  assert.equal(receiver.requests[0]?.url, '/hook?access_token=q-secret-77');
  assert.equal(channel.name, `post http://127.0.0.1:${receiver.port}/hook`);
  assert.ok(log.at('warn').length > 0, 'the failed POST is a warning');
  assert.ok(log.records.every((r) => !JSON.stringify(r).includes('q-secret-77')), JSON.stringify(log.records));
  await channel.close();
  await Promise.all([receiver.close(), d.close()]);
});

test('keep-alive: consecutive events reuse one connection', async () => {
  const receiver = await startReceiver(answer(204));
  const d = recordingDispatcher();
  const channel = channelTo(receiver.url, d.dispatch, captureLogger().logger);
  for (let i = 0; i < 3; i++) await channel.deliver(`{"n":${i},"post_type":"notice"}`, { post_type: 'notice' });
  assert.equal(receiver.requests.length, 3);
  assert.equal(new Set(receiver.requests.map((r) => r.remotePort)).size, 1);
  await channel.close();
  await receiver.close();
  await d.close();
});

test('redirects are followed: 301/302/307/308 re-POST the same bytes and headers, 303 turns into GET', async () => {
  for (const status of [301, 302, 307, 308, 303]) {
    const target = await startReceiver((req, res) => answer(200, req.method === 'POST' ? '{"reply":"moved","at_sender":false}' : '')(req, res));
    const origin = await startReceiver((_req, res) => {
      res.writeHead(status, { Location: `${target.url}final?x=1` });
      res.end('moved');
    });
    const d = recordingDispatcher();
    const channel = channelTo(`${origin.url}start`, d.dispatch, captureLogger().logger, { secret: 's' });
    await channel.deliver(GROUP_BODY, GROUP_EVENT);
    const [first] = origin.requests;
    const [second] = target.requests;
    assert.ok(first && second, `HTTP ${status} followed`);
    assert.equal(second.url, '/final?x=1');
    assert.equal(second.headers.host, `127.0.0.1:${target.port}`);
    assert.equal(second.headers['x-self-id'], '10001000');
    assert.equal(second.headers['x-signature'], first.headers['x-signature']);
    if (status === 303) {
      assert.equal(second.method, 'GET');
      assert.equal(second.body.length, 0);
      assert.deepEqual(d.names(), []);
    } else {
      assert.equal(second.method, 'POST');
      assert.ok(second.body.equals(first.body));
      assert.deepEqual(d.names(), ['send_msg'], 'the final response is the quick operation');
    }
    await channel.close();
    await Promise.all([origin.close(), target.close(), d.close()]);
  }
});

test('a redirect loop ends as a failure, with no quick operation', async () => {
  const loop = await startReceiver((_req, res) => {
    res.writeHead(307, { Location: '/again' });
    res.end();
  });
  const d = recordingDispatcher();
  const log = captureLogger();
  const channel = channelTo(loop.url, d.dispatch, log.logger);
  await channel.deliver(GROUP_BODY, GROUP_EVENT);
  assert.equal(loop.requests.length, 11, 'the first request and 10 redirects');
  assert.equal(d.dispatched.length, 0);
  assert.match(log.at('warn').join('\n'), /more than 10 redirects/);
  await channel.close();
  await loop.close();
  await d.close();
});

test('the §3.3 enable rule', () => {
  for (const url of ['http://127.0.0.1:8080/', 'HTTPS://example.com/post', 'Http://h']) assert.equal(isPostUrl(url), true, url);
  for (const url of ['', 'ws://127.0.0.1/', '127.0.0.1:8080', 'ftp://x/', ' http://x/', 'http://']) assert.equal(isPostUrl(url), false, url);
  const d = recordingDispatcher();
  assert.throws(() => createHttpPostChannel({ url: 'ws://x/', secret: '', timeoutSeconds: 0, selfId: 1, format: { messageFormat: 'string', backwardCompatibility: false }, dispatch: d.dispatch, logger: captureLogger().logger }), TypeError);
});
