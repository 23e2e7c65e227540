/**
 * Fault injection in the web console, in a real Chromium with a real Koishi bot: a profile set from
 * the Faults panel (POST /api/faults) makes the bot's answer fail, the injection shows in the
 * timeline in its own look, linked both ways to the call it hit; an event fault given as JSON
 * doubles an event's deliveries and is linked to that event; a fault a script sets shows in the
 * panel within a second; a refused fault object shows its problems; one fault and then all are
 * cleared (DELETE /api/faults/:id, DELETE /api/faults). In Chinese the panel speaks Chinese.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { FAULT_PROFILES } from '../../src/protocol/fault-spec.js';
import { startConsoleWorld, type ConsoleWorld } from './harness.js';

const SELF_ID = 10001000;
const LOUNGE = 100001;
const CAROL = 20003;

describe('the web console in Chromium: injected faults', () => {
  let world: ConsoleWorld | undefined;
  let base = '';

  before(async () => {
    world = await startConsoleWorld(SELF_ID, { ping: 'pong' });
    base = world.base;
  });

  after(async () => {
    await world?.close();
  });

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const opened = await world!.chrome.page();
    await opened.page.goto(url);
    await opened.page.getByRole('status').filter({ hasText: /Live|已连接/ }).waitFor({ timeout: 3_000 });
    return opened;
  }

  async function faultsSet(): Promise<{ id: string; profile?: string }[]> {
    return (await (await fetch(`${base}/api/faults`)).json() as { faults: { id: string; profile?: string }[] }).faults;
  }

  it('sets a profile from the panel; the bot\'s failed answer and the injection are in the timeline, linked both ways; cleared from the panel', async () => {
    const { page, errors } = await open(`${base}/?lang=en&group=${LOUNGE}`);
    const panel = page.getByRole('region', { name: 'Faults' });
    await panel.getByText('No fault set').waitFor({ timeout: 2_000 });
    // The console offers every profile the server has (it imports none of the server's code).
    assert.deepEqual(await panel.getByRole('combobox', { name: 'Fault profile' }).getByRole('option').allTextContents(), [...FAULT_PROFILES]);
    await panel.getByRole('combobox', { name: 'Fault profile' }).selectOption('gocq-risk-control');
    await panel.getByRole('button', { name: 'Inject fault' }).click();
    const active = panel.getByRole('list', { name: 'Active faults' });
    await active.getByRole('listitem').filter({ hasText: 'gocq-risk-control' }).waitFor({ timeout: 2_000 });
    assert.deepEqual((await faultsSet()).map((f) => f.profile), ['gocq-risk-control']);
    const id = (await faultsSet())[0]?.id ?? '';

    await page.getByRole('combobox', { name: 'Speaker' }).selectOption(String(CAROL));
    await page.getByRole('textbox', { name: 'Message' }).fill('ping');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const fault = timeline.getByRole('button', { name: new RegExp(`^fault .*(Fault injected|⚡).*${id} fail send_group_msg · ws → 100 · gocq-risk-control`, 'i') });
    await fault.waitFor({ timeout: 3_000 });
    const call = timeline.getByRole('button', { name: /send_group_msg → 100 SEND_MSG_API_ERROR/ });
    await call.waitFor({ timeout: 3_000 });
    assert.match(await call.getByLabel('Hit by an injected fault').textContent() ?? '', /⚡/);
    assert.match(await fault.getAttribute('class') ?? '', /\bfault\b/, 'a fault row has its own look');
    // No pong: the send failed as go-cqhttp's would.
    assert.equal(await page.getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'pong' }).count(), 0);

    // The injection → the call it hit → back.
    await fault.click();
    const details = page.getByRole('region', { name: 'Details' });
    const about = details.getByRole('region', { name: `Fault ${id}` });
    await about.waitFor({ timeout: 2_000 });
    assert.match(await about.textContent() ?? '', /gocq-risk-control/);
    await about.getByRole('button', { name: 'Show the call it hit' }).click();
    const hit = details.getByRole('region', { name: 'Call send_group_msg' });
    await hit.waitFor({ timeout: 2_000 });
    assert.match(await hit.textContent() ?? '', new RegExp(`Fault ${id} injected here: fail`));
    assert.match(await hit.textContent() ?? '', /"wording": "请参考 go-cqhttp 端输出"/);
    await hit.getByRole('button', { name: `Show fault ${id}` }).click();
    await about.waitFor({ timeout: 2_000 });

    // Only the injections.
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('fault');
    await call.waitFor({ state: 'detached', timeout: 2_000 });
    assert.ok(await fault.isVisible());
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('all');

    await active.getByRole('button', { name: `Clear fault ${id}` }).click();
    await panel.getByText('No fault set').waitFor({ timeout: 2_000 });
    assert.deepEqual(await faultsSet(), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('an event fault given as JSON doubles an event\'s deliveries and is linked to it; a script\'s fault shows within 1 s; a bad object shows its problems; Clear all', async () => {
    const { page, errors } = await open(`${base}/?lang=en&group=${LOUNGE}`);
    const panel = page.getByRole('region', { name: 'Faults' });
    await panel.getByText('Custom fault (JSON)').click();
    await panel.getByRole('textbox', { name: 'Fault object' }).fill('{"event": {"post_type": "message"}, "effect": "duplicate", "times": 1}');
    await panel.getByRole('button', { name: 'Inject', exact: true }).click();
    await panel.getByRole('list', { name: 'Active faults' }).getByRole('listitem').filter({ hasText: /event message duplicate/ }).waitFor({ timeout: 2_000 });

    const said = await fetch(`${base}/api/messages`, { method: 'POST', body: JSON.stringify({ from: CAROL, group_id: LOUNGE, message: 'twice over' }) });
    assert.equal(said.status, 200);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const fault = timeline.getByRole('button', { name: /duplicate message group\/normal/ });
    await fault.waitFor({ timeout: 3_000 });
    await fault.click();
    const details = page.getByRole('region', { name: 'Details' });
    await details.getByRole('button', { name: 'Show the event it hit' }).click();
    const deliveries = details.getByRole('list', { name: 'Deliveries' });
    await deliveries.getByRole('listitem').nth(1).waitFor({ timeout: 3_000 });
    const items = await deliveries.getByRole('listitem').allTextContents();
    assert.equal(items.length, 2, items.join(' | '));
    assert.ok(items.every((i) => /^forward WS #\d+ \(universal \/\) — sent$/.test(i)), items.join(' | '));
    assert.match(await details.textContent() ?? '', /twice over/);
    // times: 1 — used up, the fault is gone from the panel.
    await panel.getByText('No fault set').waitFor({ timeout: 2_000 });

    // Set by a script, not the page: the panel shows it within a second.
    const scripted = await fetch(`${base}/api/faults`, { method: 'POST', body: JSON.stringify({ action: 'get_status', effect: 'delay', duration: 50 }) });
    assert.equal(scripted.status, 200);
    await panel.getByRole('listitem').filter({ hasText: 'get_status delay' }).waitFor({ timeout: 1_000 });
    assert.equal((await fetch(`${base}/api/faults`, { method: 'POST', body: JSON.stringify({ profile: 'flaky-network', probability: 0 }) })).status, 200);
    await panel.getByRole('listitem').filter({ hasText: 'flaky-network' }).waitFor({ timeout: 1_000 });

    // A refused object: the problems the server listed.
    await panel.getByRole('textbox', { name: 'Fault object' }).fill('{"action": "send_msg", "effect": "drop"}');
    await panel.getByRole('button', { name: 'Inject', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 2_000 });
    assert.match(await alert.textContent() ?? '', /an action fault takes fail, delay, timeout, shadow_drop, not drop/);
    await alert.getByRole('button', { name: 'Dismiss' }).click();

    await panel.getByRole('button', { name: 'Clear all faults' }).click();
    await panel.getByText('No fault set').waitFor({ timeout: 2_000 });
    assert.deepEqual(await faultsSet(), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('speaks Chinese in the panel and the timeline with ?lang=zh-CN', async () => {
    const { page, errors } = await open(`${base}/?lang=zh-CN&group=${LOUNGE}`);
    const panel = page.getByRole('region', { name: '故障注入' });
    await panel.getByRole('combobox', { name: '故障预设' }).selectOption('gocq-risk-control');
    await panel.getByRole('button', { name: '注入故障' }).click();
    await panel.getByRole('list', { name: '生效中的故障' }).getByRole('listitem').waitFor({ timeout: 2_000 });
    assert.equal((await world!.app.call('send_group_msg', { group_id: LOUNGE, message: 'risky' })).body?.retcode, 100);
    const fault = page.getByRole('region', { name: '时间线' }).getByRole('button', { name: /^故障 .*(已注入故障|⚡).*fail send_group_msg · http → 100/ });
    await fault.waitFor({ timeout: 3_000 });
    await fault.click();
    await page.getByRole('region', { name: '详情' }).getByRole('button', { name: '显示受影响的调用' }).waitFor({ timeout: 2_000 });
    await panel.getByRole('button', { name: '清除全部故障' }).click();
    await panel.getByText('未设置故障').waitFor({ timeout: 2_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
