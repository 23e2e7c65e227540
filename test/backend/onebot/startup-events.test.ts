/**
 * Events an upstream pushes while cqhttpd is still starting (connected to the upstream, the bot
 * side not built yet) are held and delivered once every listener is attached — not lost, and not
 * marked delivered without having gone anywhere (src/backend/event-gate.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp } from '../../helpers/app.js';
import { startBodyServer } from '../../helpers/http-receiver.js';
import { startFakeUpstream } from './fake-upstream.js';

const SELF = 10001000;

const groupMessage = (id: number, text: string) => ({
  post_type: 'message', message_type: 'group', sub_type: 'normal', message_id: id, group_id: 100001, user_id: 20003, self_id: SELF, time: 1700000000,
  message: [{ type: 'text', data: { text } }], raw_message: text, font: 0, anonymous: null, sender: { user_id: 20003, nickname: 'carol', card: '', role: 'member' },
});

test('a message the upstream pushes during start-up reaches the HTTP POST bot, once', async (t) => {
  const posted: Record<string, unknown>[] = [];
  const receiver = await startBodyServer((_req, body, res) => {
    posted.push(JSON.parse(body.toString()) as Record<string, unknown>);
    res.writeHead(204).end();
  });
  t.after(() => receiver.close());
  let pushed = false;
  const upstream = await startFakeUpstream((call) => {
    if (call.action === 'get_login_info') {
      // Pushed while cqhttpd asks who the account is: its bot side is not built yet.
      if (!pushed) {
        pushed = true;
        setImmediate(() => upstream.push(groupMessage(555, 'early bird')));
      }
      return { user_id: SELF, nickname: 'bot' };
    }
    if (call.action === 'get_status') return { online: true, good: true };
    return {};
  });
  t.after(() => upstream.close());
  const bridge = await startTestApp({ config: { backend: 'onebot', upstream_url: upstream.url, post_url: `http://127.0.0.1:${receiver.port}/`, post_message_format: 'string' } });
  t.after(() => bridge.close());
  assert.ok(pushed, 'the upstream pushed during start-up');
  const deadline = Date.now() + 5000;
  while (!posted.some((e) => e['raw_message'] === 'early bird') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const early = posted.filter((e) => e['raw_message'] === 'early bird');
  assert.equal(early.length, 1, JSON.stringify(posted) + ' calls: ' + JSON.stringify(upstream.calls.map((c) => c.action)));
  assert.equal(early[0]?.['message'], 'early bird');
});
