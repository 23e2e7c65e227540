/**
 * A message the Milky implementation pushes the moment cqhttpd's event stream opens — before
 * cqhttpd has built its bot side — is held and delivered once every listener is attached
 * (src/backend/event-gate.ts), to an HTTP POST bot, exactly once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp } from '../../helpers/app.js';
import { startBodyServer } from '../../helpers/http-receiver.js';
import { fakeMilky, groupMessage, milkyAnswers, text, TOKEN } from './fake-milky.js';

test('an event pushed as the stream opens (cqhttpd still starting) reaches the HTTP POST bot, once', async (t) => {
  const posted: Record<string, unknown>[] = [];
  const receiver = await startBodyServer((_req, body, res) => {
    posted.push(JSON.parse(body.toString()) as Record<string, unknown>);
    res.writeHead(204).end();
  });
  t.after(() => receiver.close());
  const upstream = await fakeMilky(t, milkyAnswers);
  upstream.onConnect(() => upstream.push('message_receive', groupMessage(41, [text('early bird')])));
  const bridge = await startTestApp({ config: { backend: 'milky', upstream_url: upstream.url, upstream_access_token: TOKEN, post_url: `http://127.0.0.1:${receiver.port}/`, post_message_format: 'string' } });
  t.after(() => bridge.close());
  const deadline = Date.now() + 5000;
  while (!posted.some((e) => e['raw_message'] === 'early bird') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(posted.filter((e) => e['raw_message'] === 'early bird').length, 1, JSON.stringify(posted));
});
