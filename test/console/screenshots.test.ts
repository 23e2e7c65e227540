/**
 * The README's screenshots of the web console, taken in a real Chromium at 1280×720 in English and
 * Chinese: world + chat + inspector (a short group conversation with a real Koishi bot, one of its
 * answers inspected), the Connections tab, the API tab, and faults (go-cqhttp's risk control set from
 * the Faults panel, the injection that failed the bot's answer inspected). Every run checks that the screens render; only
 * `UPDATE_SCREENSHOTS=1` writes docs/screenshots/*.png, so ordinary runs leave the tree clean.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { fontsLoaded, provideFonts, startConsoleWorld, until, updateScreenshots, type ConsoleBrowser, type ConsoleWorld } from './harness.js';

const SELF_ID = 10001000;
const LOUNGE = 100001;
const OUT = path.resolve('docs/screenshots');

/** Who says what in the Sandbox Lounge; the bot answers the lines it knows. */
const CONVERSATION: Array<[from: number, message: string]> = [
  [20001, '早上好'],
  [20004, '来了 [CQ:face,id=14]'],
  [20003, 'ping'],
  [20002, 'Is the deploy done?'],
  [20003, '/weather'],
];
const ANSWERS = { 早上好: '早上好！今天也要加油哦', ping: 'pong', '/weather': 'Sandbox City: sunny, 22 °C / 晴，22 °C' };

/** The few labels the test looks for, as each language shows them. */
const LABELS = {
  en: {
    messages: 'Messages', inspect: /^Inspect message/, details: 'Details', call: 'Call send_group_msg', timeline: 'Timeline', delivered: /ping → forward WS/, connections: 'Connections', api: 'API', filter: 'Filter actions', callButton: 'Call', answer: 'Answer',
    faults: 'Faults', profile: 'Fault profile', inject: 'Inject fault', active: 'Active faults', showHit: 'Show the call it hit',
  },
  'zh-CN': {
    messages: '消息', inspect: /^查看消息/, details: '详情', call: /send_group_msg/, timeline: '时间线', delivered: /ping → 正向 WS/, connections: '连接', api: '接口', filter: '筛选动作', callButton: '调用', answer: '响应',
    faults: '故障注入', profile: '故障预设', inject: '注入故障', active: '生效中的故障', showHit: '显示受影响的调用',
  },
} as const;

type Lang = keyof typeof LABELS;

describe('the web console screenshots', () => {
  let world: ConsoleWorld | undefined;
  let app: TestApp;
  let chrome: ConsoleBrowser;
  let base = '';

  before(async () => {
    world = await startConsoleWorld(SELF_ID, ANSWERS);
    ({ chrome, app, base } = world);
    for (const [from, message] of CONVERSATION) {
      const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, group_id: LOUNGE, message }) });
      assert.equal(res.status, 200, await res.text());
      const answer = (ANSWERS as Record<string, string>)[message];
      if (answer !== undefined) await until(`the bot's answer to ${message}`, () => (app.app.calls.list().some((c) => c.action === 'send_group_msg' && JSON.stringify(c.params).includes(answer.slice(0, 4))) ? true : undefined), 5_000);
    }
    if (updateScreenshots) fs.mkdirSync(OUT, { recursive: true });
  });

  after(async () => {
    await world?.close();
  });

  async function shoot(lang: Lang, screen: string, page: import('playwright-core').Page): Promise<void> {
    await fontsLoaded(page);
    const png = await page.screenshot({ type: 'png' });
    assert.ok(png.length > 10_000, `${screen}-${lang}: ${png.length} bytes`);
    if (updateScreenshots) fs.writeFileSync(path.join(OUT, `console-${screen}-${lang}.png`), png);
  }

  for (const lang of Object.keys(LABELS) as Lang[]) {
    const label = LABELS[lang];

    it(`${lang}: world, chat and inspector — the bot's answer inspected down to its call`, async () => {
      const { page, errors } = await chrome.page();
      await provideFonts(page);
      await page.goto(`${base}/?lang=${lang}&group=${LOUNGE}`);
      const messages = page.getByRole('list', { name: label.messages, exact: true });
      const pong = messages.getByRole('listitem').filter({ hasText: 'pong' });
      await pong.first().waitFor({ timeout: 5_000 });
      await messages.getByRole('listitem').filter({ hasText: '今天也要加油' }).waitFor({ timeout: 2_000 });
      // One more ping while the page is open: its event shows in the timeline with the connection it went to.
      const pongs = await pong.count();
      const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 20003, group_id: LOUNGE, message: 'ping' }) });
      assert.equal(res.status, 200);
      await page.getByRole('region', { name: label.timeline }).getByRole('button', { name: label.delivered }).waitFor({ timeout: 3_000 });
      await pong.nth(pongs).waitFor({ timeout: 3_000 });
      await pong.nth(pongs).getByRole('button', { name: label.inspect }).click();
      await page.getByRole('region', { name: label.details }).getByRole('region', { name: label.call }).first().waitFor({ timeout: 2_000 });
      await shoot(lang, 'chat', page);
      assert.deepEqual(errors, []);
      await page.close();
    });

    it(`${lang}: the Connections tab lists the Koishi bot's forward WebSocket`, async () => {
      const { page, errors } = await chrome.page();
      await provideFonts(page);
      await page.goto(`${base}/?lang=${lang}`);
      await page.getByRole('tab', { name: label.connections }).click();
      const table = page.getByRole('region', { name: label.connections }).getByRole('table');
      await table.waitFor({ timeout: 3_000 });
      assert.match(await table.textContent() ?? '', /ws/);
      await shoot(lang, 'connections', page);
      assert.deepEqual(errors, []);
      await page.close();
    });

    it(`${lang}: the API tab calls get_group_info as the bot from its generated form`, async () => {
      const { page, errors } = await chrome.page();
      await provideFonts(page);
      await page.goto(`${base}/?lang=${lang}`);
      await page.getByRole('tab', { name: label.api }).click();
      const panel = page.getByRole('region', { name: label.api });
      await panel.getByRole('searchbox', { name: label.filter }).fill('group_info');
      await panel.getByRole('button', { name: 'get_group_info', exact: true }).click();
      await panel.getByRole('spinbutton', { name: 'group_id' }).fill(String(LOUNGE));
      await panel.getByRole('button', { name: label.callButton, exact: true }).click();
      const answer = panel.getByRole('region', { name: label.answer });
      await answer.filter({ hasText: '"group_name": "Sandbox Lounge"' }).waitFor({ timeout: 3_000 });
      await shoot(lang, 'api', page);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  // After the other screens of both languages: the failed answer stays in the conversation.
  for (const lang of Object.keys(LABELS) as Lang[]) {
    const label = LABELS[lang];

    it(`${lang}: faults — go-cqhttp's risk control set from the Faults panel fails the bot's answer; the injection inspected`, async () => {
      const { page, errors } = await chrome.page();
      await provideFonts(page);
      await page.goto(`${base}/?lang=${lang}&group=${LOUNGE}`);
      const panel = page.getByRole('region', { name: label.faults, exact: true });
      await panel.getByRole('combobox', { name: label.profile }).selectOption('gocq-risk-control');
      await panel.getByRole('button', { name: label.inject, exact: true }).click();
      await panel.getByRole('list', { name: label.active }).getByRole('listitem').waitFor({ timeout: 2_000 });
      const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 20003, group_id: LOUNGE, message: '/weather' }) });
      assert.equal(res.status, 200);
      const fault = page.getByRole('region', { name: label.timeline }).getByRole('button', { name: /fail send_group_msg · ws → 100/ });
      await fault.waitFor({ timeout: 3_000 });
      await fault.click();
      await page.getByRole('region', { name: label.details }).getByRole('button', { name: label.showHit }).waitFor({ timeout: 2_000 });
      await panel.scrollIntoViewIfNeeded();
      await shoot(lang, 'faults', page);
      assert.equal((await fetch(`${base}/api/faults`, { method: 'DELETE' })).status, 200);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
