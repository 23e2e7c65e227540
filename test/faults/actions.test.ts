/**
 * Action faults over every transport a bot calls through — the HTTP API, the forward WebSocket,
 * the reverse WebSocket: fail (any retcode, msg, wording, status), delay, timeout (WS: no answer;
 * HTTP: the connection closes unanswered), shadow_drop (ok, but the world never gets the message),
 * params/contains/times targeting, the gocq-risk-control and napcat-send-timeout profiles, and the
 * trace line of every injection.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { faultLines, LOUNGE, startWorld, until, type World } from './harness.js';

type Via = 'http' | 'ws' | 'ws_reverse';
const VIAS: readonly Via[] = ['http', 'ws', 'ws_reverse'];

describe('action faults', () => {
  let w: World;
  before(async () => {
    w = await startWorld({ quiet: 300 });
  });
  after(() => w.close());
  beforeEach(() => w.sb.clearFaults());

  /** Call through one transport; the envelope (without echo), or 'no answer'. */
  async function call(via: Via, action: string, params: Record<string, unknown>, ms = 5000): Promise<Record<string, unknown> | 'no answer'> {
    if (via === 'http') {
      const res = await w.http(action, params, AbortSignal.timeout(ms)).catch(() => 'no answer' as const);
      return res === 'no answer' ? res : (res.body ?? 'no answer');
    }
    const answer = await (via === 'ws' ? w.forward : w.reverse()).call(action, params, ms);
    if (answer === 'no answer') return answer;
    const { echo: _echo, ...envelope } = answer;
    return envelope;
  }

  async function lounge(): Promise<string[]> {
    const { messages } = (await w.sb.control('GET', `/api/messages?group_id=${LOUNGE}`)) as { messages: { raw_message: string }[] };
    return messages.map((m) => m.raw_message);
  }

  for (const via of VIAS) {
    test(`fail answers the given retcode, msg and wording (${via}), and the call is journalled with them`, async () => {
      await w.sb.fault({ action: 'get_group_info', params: { group_id: LOUNGE }, effect: 'fail', retcode: 1200, msg: 'GROUP_INFO_TIMEOUT', wording: 'kernel did not answer' });
      assert.deepEqual(await call(via, 'get_group_info', { group_id: LOUNGE }), { data: null, msg: 'GROUP_INFO_TIMEOUT', retcode: 1200, status: 'failed', wording: 'kernel did not answer' });
      await w.sb.expectCall({ action: 'get_group_info', retcode: 1200, channel: via });
      // Another group does not match the params subset.
      assert.equal((await call(via, 'get_group_info', { group_id: 100002 }) as Record<string, unknown>)['retcode'], 0);
      const line = faultLines(w).at(-1)?.['data'] as Record<string, unknown>;
      assert.deepEqual({ ...line, id: '' }, { id: '', effect: 'fail', target: 'action', action: 'get_group_info', channel: via, retcode: 1200 });
    });

    test(`gocq-risk-control: a send answers 100 SEND_MSG_API_ERROR and nothing reaches the chat (${via})`, async () => {
      await w.sb.fault('gocq-risk-control');
      const text = `risk ${via}`;
      assert.deepEqual(await call(via, 'send_group_msg', { group_id: LOUNGE, message: text }), {
        data: null, msg: 'SEND_MSG_API_ERROR', retcode: 100, status: 'failed', wording: '请参考 go-cqhttp 端输出',
      });
      assert.equal((await lounge()).includes(text), false);
      assert.equal((await call(via, 'get_login_info', {}) as Record<string, unknown>)['retcode'], 0);
    });

    test(`shadow_drop answers ok with a message id, and the world never gets the message (${via})`, async () => {
      await w.sb.fault({ action: 'send_group_msg', contains: 'swallow', effect: 'shadow_drop' });
      const answer = await call(via, 'send_group_msg', { group_id: LOUNGE, message: `please swallow me ${via}` }) as { data: { message_id: number }; retcode: number; status: string };
      assert.equal(answer.status, 'ok');
      assert.ok(Number.isInteger(answer.data.message_id) && answer.data.message_id > 0);
      await w.sb.expectNone({ reply: { text: `please swallow me ${via}` } });
      assert.equal((await lounge()).includes(`please swallow me ${via}`), false);
      // Text that does not contain it goes through.
      assert.equal((await call(via, 'send_group_msg', { group_id: LOUNGE, message: `keep me ${via}` }) as Record<string, unknown>)['status'], 'ok');
      await w.sb.expectReply({ text: `keep me ${via}`, group_id: LOUNGE });
    });

    test(`delay answers the real result late (${via})`, async () => {
      await w.sb.fault({ action: 'get_login_info', effect: 'delay', duration: '400ms' });
      const started = Date.now();
      const answer = await call(via, 'get_login_info', {}) as { data: { user_id: number } };
      assert.ok(Date.now() - started >= 380, `answered after ${Date.now() - started} ms`);
      assert.equal(answer.data.user_id, w.sb.connection.selfId);
    });

    test(`timeout never answers (${via}); times expires the fault`, async () => {
      await w.sb.fault({ action: 'get_status', effect: 'timeout', duration: '700ms', times: 1 });
      const started = Date.now();
      const answer = await call(via, 'get_status', {}, 1500);
      assert.equal(answer, 'no answer');
      // HTTP: the connection was closed unanswered once the hang ended (before the client's 1.5 s).
      if (via === 'http') assert.ok(Date.now() - started < 1400, `the HTTP hang lasted ${Date.now() - started} ms`);
      await w.sb.expectCall({ action: 'get_status', retcode: -1, channel: via });
      assert.equal((await call(via, 'get_status', {}) as Record<string, unknown>)['retcode'], 0);
      assert.deepEqual((await w.sb.control('GET', '/api/faults'))['faults'], []);
    });
  }

  test('status overrides the one of the retcode', async () => {
    await w.sb.fault({ action: 'get_status', effect: 'fail', retcode: 200, status: 'ok', msg: 'ODD', wording: 'odd' });
    assert.deepEqual(await call('http', 'get_status', {}), { data: null, msg: 'ODD', retcode: 200, status: 'ok', wording: 'odd' });
  });

  test('a reset gives up a hanging HTTP call at once', async () => {
    await w.sb.fault({ action: 'get_status', effect: 'timeout', duration: '5m' });
    const seen = faultLines(w).length;
    const pending = call('http', 'get_status', {}, 4000);
    await until(() => faultLines(w).length > seen, 2000, 'the injection');
    const started = Date.now();
    await w.sb.clearFaults();
    assert.equal(await pending, 'no answer');
    assert.ok(Date.now() - started < 2000);
  });

  test('napcat-send-timeout: 10 s, then 1200 with the kernel timeout text — and the message did arrive', { timeout: 30_000 }, async () => {
    await w.sb.fault('napcat-send-timeout');
    const started = Date.now();
    const answers = await Promise.all(VIAS.map((via) => call(via, 'send_group_msg', { group_id: LOUNGE, message: `slow ${via}` }, 15_000)));
    assert.ok(Date.now() - started >= 9900, `answered after ${Date.now() - started} ms`);
    for (const answer of answers) {
      const a = answer as Record<string, unknown>;
      assert.equal(a['retcode'], 1200);
      assert.equal(a['status'], 'failed');
      assert.match(String(a['wording']), /^Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService\/sendMsg/);
    }
    const stored = await lounge();
    for (const via of VIAS) assert.ok(stored.includes(`slow ${via}`), `slow ${via} reached the chat`);
  });
});
