/**
 * The web console in a real Chromium, end to end: a person speaks in a group as a member through the
 * console, a real Koishi bot on the forward WebSocket answers, and the answer, the event and the call
 * are shown and linked; a refused act shows QQ's rule with its retcode and wording.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { gzipJsBytes, startConsoleWorld, type ConsoleBrowser, type ConsoleWorld } from './harness.js';

const SELF_ID = 10001000;
const LOUNGE = 100001;
const CAROL = 20003;

describe('the web console in Chromium', () => {
  let world: ConsoleWorld | undefined;
  let dir = '';
  let app: TestApp;
  let chrome: ConsoleBrowser;
  let base = '';

  before(async () => {
    world = await startConsoleWorld(SELF_ID, { ping: 'pong' });
    ({ dir, chrome, app, base } = world);
  });

  after(async () => {
    await world?.close();
  });

  it('ships at most 60 KB of gzipped JavaScript', () => {
    const bytes = gzipJsBytes(dir);
    assert.ok(bytes > 0 && bytes <= 60 * 1024, `${bytes} bytes of gzipped JS`);
  });

  it('a member says ping in the console; the Koishi bot\'s pong shows within 1 s, linked to its call and the ping to its event', async () => {
    const { page, errors } = await chrome.page();
    await page.goto(`${base}/?lang=en&group=${LOUNGE}`);
    await page.getByRole('combobox', { name: 'Speaker' }).selectOption(String(CAROL));
    await page.getByRole('textbox', { name: 'Message' }).fill('ping');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const messages = page.getByRole('list', { name: 'Messages' });
    await messages.getByRole('listitem').filter({ hasText: 'ping' }).waitFor({ timeout: 5_000 });
    const pong = messages.getByRole('listitem').filter({ hasText: 'pong' });
    const seen = Date.now();
    await pong.waitFor({ timeout: 1_000 });
    assert.ok(Date.now() - seen <= 1_000);

    // The pong bubble → the call that sent it, with its result.
    await pong.getByRole('button', { name: /^Inspect message/ }).click();
    const details = page.getByRole('region', { name: 'Details' });
    const call = details.getByRole('region', { name: 'Call send_group_msg' });
    await call.waitFor({ timeout: 2_000 });
    const json = await call.locator('pre').textContent() ?? '';
    const record = JSON.parse(json) as { action: string; retcode: number; channel: string; data: { message_id: number }; params: { group_id: number } };
    assert.deepEqual([record.action, record.retcode, record.channel, record.params.group_id], ['send_group_msg', 0, 'ws', LOUNGE]);
    // …and back: the call leads to the bubble it sent.
    await call.getByRole('button', { name: `Show message #${record.data.message_id} in the chat` }).click();
    assert.equal(await pong.getByRole('button', { name: /^Inspect message/ }).getAttribute('aria-pressed'), 'true');

    // The ping bubble → the message event the bot was sent, in both message forms.
    const ping = messages.getByRole('listitem').filter({ hasText: 'ping' }).first();
    await ping.getByRole('button', { name: /^Inspect message/ }).click();
    const event = details.getByRole('region', { name: 'event' }).first();
    await event.waitFor({ timeout: 2_000 });
    const payload = JSON.parse(await event.locator('pre').textContent() ?? '{}') as Record<string, unknown>;
    assert.deepEqual([payload['post_type'], payload['message_type'], payload['user_id'], payload['group_id']], ['message', 'group', CAROL, LOUNGE]);
    assert.match(await event.textContent() ?? '', /CQ code:\s*ping/);

    // The timeline lists the event and the call.
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByRole('button', { name: /send_group_msg → 0/ }).waitFor({ timeout: 2_000 });
    await timeline.getByRole('button', { name: /message group\/normal: ping/ }).waitFor({ timeout: 2_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a member trying to kick the owner is refused: the rule, retcode -39 and the wording are shown', async () => {
    const { page, errors } = await chrome.page();
    await page.goto(`${base}/?lang=en&group=${LOUNGE}`);
    await page.getByRole('combobox', { name: 'Speaker' }).selectOption(String(CAROL));
    const members = page.getByRole('complementary', { name: 'Members' });
    await members.getByLabel('Act on Bot').click();
    await members.getByRole('button', { name: 'Kick' }).first().click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 2_000 });
    const text = await alert.textContent() ?? '';
    assert.match(text, /Refused: Kick/);
    assert.match(text, /the owner of group 100001; nobody can kick the owner/);
    assert.match(text, /-39/);
    assert.match(text, /NO_PERMISSION — the bot's role does not allow this/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('lists the Koishi bot\'s forward WebSocket on the Connections tab', async () => {
    const { page, errors } = await chrome.page();
    await page.goto(`${base}/?lang=en`);
    await page.getByRole('tab', { name: 'Connections' }).click();
    const table = page.getByRole('region', { name: 'Connections' }).getByRole('table');
    await table.waitFor({ timeout: 3_000 });
    assert.match(await table.textContent() ?? '', /ws/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('calls actions as the bot from the API tab: a form from the schema, the envelope shown, journalled as console', async () => {
    const { page, errors } = await chrome.page();
    await page.goto(`${base}/?lang=en`);
    await page.getByRole('tab', { name: 'API' }).click();
    const panel = page.getByRole('region', { name: 'API' });
    await panel.getByRole('searchbox', { name: 'Filter actions' }).fill('login');
    await panel.getByRole('button', { name: 'get_login_info', exact: true }).click();
    await panel.getByRole('button', { name: 'Call', exact: true }).click();
    const answer = panel.getByRole('region', { name: 'Answer' });
    await answer.filter({ hasText: '"status": "ok"' }).waitFor({ timeout: 3_000 });
    assert.match(await answer.textContent() ?? '', new RegExp(`"user_id": ${SELF_ID}`));

    await panel.getByRole('searchbox', { name: 'Filter actions' }).fill('send_group');
    await panel.getByRole('button', { name: 'send_group_msg', exact: true }).click();
    await panel.getByRole('spinbutton', { name: 'group_id' }).fill(String(LOUNGE));
    await panel.getByRole('textbox', { name: 'message' }).fill('hello from the API tab');
    await panel.getByRole('checkbox', { name: 'auto_escape' }).check();
    await panel.getByRole('button', { name: 'Call', exact: true }).click();
    await answer.filter({ hasText: '"message_id"' }).waitFor({ timeout: 3_000 });
    assert.match(await answer.textContent() ?? '', /"retcode": 0/);
    const journal = app.app.calls.list().filter((c) => c.channel === 'console');
    assert.deepEqual(journal.map((c) => c.action), ['get_login_info', 'send_group_msg']);
    assert.deepEqual(journal[1]?.params, { group_id: LOUNGE, message: 'hello from the API tab', auto_escape: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('speaks Chinese with ?lang=zh-CN: the composer is 消息 / 发送', async () => {
    const { page } = await chrome.page();
    await page.goto(`${base}/?lang=zh-CN&group=${LOUNGE}`);
    await page.getByRole('textbox', { name: '消息' }).waitFor({ timeout: 2_000 });
    await page.getByRole('button', { name: '发送', exact: true }).waitFor({ timeout: 2_000 });
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await page.close();
  });

  it('keeps a 10 000-entry timeline windowed: a few dozen rows in the page, the newest reachable', async () => {
    const { page } = await chrome.page();
    await page.goto(`${base}/?lang=en`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 2_000 });
    // 10 000 calls in one second, 500 every 50 ms (as a busy bot would make them).
    for (let i = 0; i < 10_000; i++) {
      app.app.calls.record({ action: `bulk_${i}`, params: {}, channel: 'http', retcode: 0, duration: 0.1, time: Date.now(), data: null });
      if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByRole('button', { name: /bulk_9999 →/ }).waitFor({ timeout: 5_000 });
    const rows = await timeline.getByRole('listitem').count();
    assert.ok(rows < 100, `${rows} rows in the DOM`);
    await page.close();
  });
});
