/**
 * The web console in a real Chromium, beyond the chat: where each event went (per connection, with
 * its outcome, filterable), voice records played in the page, users and groups edited from the world
 * panel and seen live in another tab, each bot's calls apart when several share the world,
 * resuming after the live stream dropped (nothing lost or doubled), the timeline from before the
 * page opened (the journal's calls) and from before a reload (the stream's kept frames), a narrow
 * window, and the main controls reached by keyboard.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { toneWav } from '../helpers/audio.js';
import { startConsoleWorld, startProxy, type ConsoleWorld } from './harness.js';

const SELF_ID = 10001000;
const LOUNGE = 100001;
const WORKSHOP = 100002;
const CAROL = 20003;
const DAVE = 20004;
/** A second bot account in the same world. */
const SECOND_BOT = 10002000;

/** An HTTP POST receiver that answers every event with 500: its deliveries fail. */
async function failingReceiver(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(500).end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('the web console in Chromium: deliveries, records, edits, reconnects, layout', () => {
  let world: ConsoleWorld | undefined;
  let post: { url: string; server: Server } | undefined;
  let base = '';

  before(async () => {
    post = await failingReceiver();
    world = await startConsoleWorld(SELF_ID, { ping: 'pong' }, { post_url: post.url, post_timeout: 2, bots: [SELF_ID, SECOND_BOT] });
    base = world.base;
  });

  after(async () => {
    await world?.close();
    post?.server.close();
  });

  /** Say something as a user through the control API (not the page). */
  async function say(from: number, message: unknown, groupId = LOUNGE): Promise<void> {
    const res = await fetch(`${base}/api/messages`, { method: 'POST', body: JSON.stringify({ from, group_id: groupId, message }) });
    assert.equal(res.status, 200, await res.text());
  }

  async function open(url: string, viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
    const opened = await world!.chrome.page(viewport);
    await opened.page.goto(url);
    await opened.page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 3_000 });
    return opened;
  }

  it('shows each event\'s deliveries — the forward WS sent, the failing HTTP POST failed — and filters by connection', async () => {
    const { page, errors } = await open(`${base}/?lang=en&group=${LOUNGE}`);
    await page.getByRole('combobox', { name: 'Speaker' }).selectOption(String(CAROL));
    await page.getByRole('textbox', { name: 'Message' }).fill('ping');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const postUrl = post!.url.replace(/[.]/g, '\\.');
    const row = timeline.getByRole('button', { name: new RegExp(`message group/normal: ping → .*forward WS #\\d+ \\(universal /\\) ✓.*HTTP POST ${postUrl} ✗|message group/normal: ping → .*HTTP POST ${postUrl} ✗.*forward WS #\\d+ \\(universal /\\) ✓`) });
    await row.waitFor({ timeout: 3_000 });
    await row.click();
    const deliveries = page.getByRole('region', { name: 'Details' }).getByRole('list', { name: 'Deliveries' });
    await deliveries.waitFor({ timeout: 2_000 });
    const items = (await deliveries.getByRole('listitem').allTextContents()).sort();
    assert.equal(items.length, 2, items.join(' | '));
    assert.equal(items[0], `HTTP POST ${post!.url} — failed`);
    assert.match(items[1] ?? '', /^forward WS #\d+ \(universal \/\) — sent$/);

    // Only the events delivered on the POST receiver: the bot's call is not one of them.
    await timeline.getByRole('button', { name: /send_group_msg → 0/ }).waitFor({ timeout: 2_000 });
    const filter = page.getByRole('combobox', { name: 'Connection' });
    await filter.selectOption({ label: `HTTP POST ${post!.url}` });
    await timeline.getByRole('button', { name: /send_group_msg → 0/ }).waitFor({ state: 'detached', timeout: 2_000 });
    assert.ok(await row.isVisible());
    await filter.selectOption({ label: 'All connections' });
    await timeline.getByRole('button', { name: /send_group_msg → 0/ }).waitFor({ timeout: 2_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('plays a voice record: the bubble has an audio control whose source answers ranges (206), and Chromium decodes, seeks and plays it', async () => {
    const { page, errors } = await open(`${base}/?lang=en&group=${LOUNGE}`);
    const media: { status: number; range: string | undefined; contentRange: string | undefined }[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/records/')) media.push({ status: r.status(), range: r.request().headers()['range'], contentRange: r.headers()['content-range'] });
    });
    await say(CAROL, [{ type: 'record', data: { file: `base64://${toneWav(0.6).toString('base64')}` } }]);
    const audio = page.getByRole('list', { name: 'Messages' }).getByLabel('Voice message');
    await audio.waitFor({ timeout: 3_000 });
    const src = await audio.getAttribute('src') ?? '';
    assert.match(src, /^\/api\/records\/[^/]+\.silk$/);
    const res = await page.request.get(`${base}${src}`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'] ?? '', /^audio\//);
    assert.equal(res.headers()['accept-ranges'], 'bytes');
    // A string, not a function: the page's DOM types are not in this project's compiler options.
    const played = await page.evaluate(`new Promise((resolve, reject) => {
      const el = document.querySelector('audio[aria-label="Voice message"]');
      const fail = () => reject(new Error('cannot play: ' + (el.error && el.error.code)));
      el.addEventListener('error', fail, { once: true });
      el.addEventListener('loadedmetadata', () => {
        const duration = el.duration;
        el.addEventListener('seeked', () => {
          const seekedTo = el.currentTime;
          el.muted = true;
          el.addEventListener('timeupdate', function tick() {
            if (el.currentTime <= seekedTo) return;
            el.removeEventListener('timeupdate', tick);
            el.pause();
            resolve({ duration, seekable: el.seekable.length > 0 ? el.seekable.end(0) : 0, seekedTo, playedTo: el.currentTime });
          });
          el.play().catch(reject);
        }, { once: true });
        el.currentTime = duration / 2;
      }, { once: true });
      el.preload = 'metadata';
      el.load();
    })`) as { duration: number; seekable: number; seekedTo: number; playedTo: number };
    assert.ok(played.duration > 0.3 && played.duration < 2, `duration ${played.duration}`);
    assert.ok(played.seekable >= played.duration - 0.05, `seekable to ${played.seekable} of ${played.duration}`);
    assert.ok(Math.abs(played.seekedTo - played.duration / 2) < 0.1, `seeked to ${played.seekedTo}`);
    assert.ok(played.playedTo > played.seekedTo, `played from ${played.seekedTo} to ${played.playedTo}`);
    // The media element asked for ranges and got them.
    const ranged = media.filter((m) => m.range !== undefined);
    assert.ok(ranged.length > 0, JSON.stringify(media));
    assert.ok(ranged.every((m) => m.status === 206 && /^bytes \d+-\d+\/\d+$/.test(m.contentRange ?? '')), JSON.stringify(media));
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('edits a user and a group from the world panel; another tab shows the change within 1 s', async () => {
    const a = await open(`${base}/?lang=en`);
    const b = await open(`${base}/?lang=en`);
    const other = b.page.getByRole('complementary', { name: 'World' });
    await other.getByRole('button', { name: /^Dave/ }).waitFor({ timeout: 2_000 });

    const worldA = a.page.getByRole('complementary', { name: 'World' });
    await worldA.getByText('Edit user', { exact: true }).click();
    const userForm = worldA.getByRole('form', { name: 'Edit user' });
    await userForm.getByRole('combobox', { name: 'User' }).selectOption(String(DAVE));
    assert.equal(await userForm.getByRole('textbox', { name: 'Nickname' }).inputValue(), 'Dave');
    await userForm.getByRole('textbox', { name: 'Nickname' }).fill('David');
    await userForm.getByRole('spinbutton', { name: 'Age' }).fill('43');
    const saved = a.page.waitForResponse((r) => r.url().endsWith(`/api/users/${DAVE}`) && r.request().method() === 'PUT');
    await userForm.getByRole('button', { name: 'Save' }).click();
    assert.equal((await saved).status(), 200);
    await other.getByRole('button', { name: /^David/ }).waitFor({ timeout: 1_000 });

    await worldA.getByText('Edit group', { exact: true }).click();
    const groupForm = worldA.getByRole('form', { name: 'Edit group' });
    await groupForm.getByRole('combobox', { name: 'Group' }).selectOption(String(WORKSHOP));
    await groupForm.getByRole('textbox', { name: 'Group name' }).fill('Bot Lab');
    const renamed = a.page.waitForResponse((r) => r.url().endsWith(`/api/groups/${WORKSHOP}`) && r.request().method() === 'PUT');
    await groupForm.getByRole('button', { name: 'Save' }).click();
    assert.equal((await renamed).status(), 200);
    await other.getByRole('button', { name: /^Bot Lab/ }).waitFor({ timeout: 1_000 });
    const users = (await (await fetch(`${base}/api/world`)).json() as { users: { user_id: number; nickname: string; age: number }[] }).users;
    assert.deepEqual(users.filter((u) => u.user_id === DAVE).map((u) => [u.nickname, u.age]), [['David', 43]]);
    assert.deepEqual([...a.errors, ...b.errors], []);
    await a.page.close();
    await b.page.close();
  });

  it('shows each bot\'s calls apart: the Bot filter keeps one account\'s calls', async () => {
    const { page, errors } = await open(`${base}/?lang=en`);
    const second = world!.app.instance.bots[1];
    assert.equal(second?.selfId, SECOND_BOT);
    assert.equal((await world!.app.call('get_version_info')).status, 200);
    const res = await fetch(`http://127.0.0.1:${second.http?.port}/get_login_info`);
    assert.match(await res.text(), new RegExp(`"user_id":${SECOND_BOT}`));
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const first = timeline.getByRole('button', { name: /get_version_info → 0/ });
    const other = timeline.getByRole('button', { name: /get_login_info → 0 .* http/ });
    await first.waitFor({ timeout: 3_000 });
    await other.waitFor({ timeout: 3_000 });
    const filter = page.getByRole('combobox', { name: 'Bot', exact: true });
    await filter.selectOption(String(SECOND_BOT));
    await first.waitFor({ state: 'detached', timeout: 2_000 });
    assert.ok(await other.isVisible());
    await filter.selectOption(String(SELF_ID));
    await other.waitFor({ state: 'detached', timeout: 2_000 });
    await first.waitFor({ timeout: 2_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('resumes after the live stream drops: what was said meanwhile shows once, nothing is lost or doubled', async () => {
    const proxy = await startProxy(world!.app.app.sandbox.port);
    try {
      const { page, errors } = await open(`http://127.0.0.1:${proxy.port}/?lang=en&group=${LOUNGE}`);
      const messages = page.getByRole('list', { name: 'Messages' });
      await say(CAROL, 'before the drop');
      await messages.getByRole('listitem').filter({ hasText: 'before the drop' }).waitFor({ timeout: 3_000 });

      proxy.down();
      await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ timeout: 3_000 });
      for (let i = 1; i <= 3; i++) await say(CAROL, `during the gap ${i}`);
      proxy.up();
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 5_000 });
      await messages.getByRole('listitem').filter({ hasText: 'during the gap 3' }).waitFor({ timeout: 3_000 });
      await say(CAROL, 'after the drop');
      await messages.getByRole('listitem').filter({ hasText: 'after the drop' }).waitFor({ timeout: 3_000 });
      for (const text of ['before the drop', 'during the gap 1', 'during the gap 2', 'during the gap 3', 'after the drop']) {
        assert.equal(await messages.getByRole('listitem').filter({ hasText: text }).count(), 1, text);
      }
      // The timeline holds each message event once too.
      await page.getByRole('searchbox', { name: 'Search' }).fill('during the gap');
      const rows = page.getByRole('region', { name: 'Timeline' }).getByRole('button', { name: /message group\/normal: during the gap/ });
      await rows.nth(2).waitFor({ timeout: 2_000 });
      assert.equal(await rows.count(), 3);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await proxy.close();
    }
  });

  it('works in a narrow window (400×800): every pane reachable, the composer usable, nothing wider than the window', async () => {
    const { page, errors } = await open(`${base}/?lang=en&group=${LOUNGE}`, { width: 400, height: 800 });
    for (const pane of [page.getByRole('complementary', { name: 'World' }), page.getByRole('region', { name: 'Conversation' }), page.getByRole('complementary', { name: 'Members' }), page.getByRole('complementary', { name: 'Inspector' })]) {
      await pane.scrollIntoViewIfNeeded();
      assert.ok(await pane.isVisible());
      const box = await pane.boundingBox();
      assert.ok(box !== null && box.width > 300 && box.width <= 400, `pane width ${box?.width}`);
    }
    await page.getByRole('combobox', { name: 'Speaker' }).selectOption(String(CAROL));
    const text = page.getByRole('textbox', { name: 'Message' });
    await text.scrollIntoViewIfNeeded();
    await text.fill('ping');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const pongs = page.getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'pong' });
    const before = await pongs.count();
    await pongs.nth(before).waitFor({ timeout: 3_000 });
    assert.ok(await page.evaluate('document.documentElement.scrollWidth') as number <= 400);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('reaches the main controls with the keyboard alone', async () => {
    const { page, errors } = await open(`${base}/?lang=en&group=${LOUNGE}`);
    const wanted = ['tab:Chat', 'tab:Connections', 'tab:API', 'select:Language', 'select:Theme', 'button:Sandbox Lounge', 'select:Speaker', 'textarea:Message', 'button:Send', 'region:Timeline', 'input:Search', 'select:Connection'];
    const seen = new Set<string>();
    await page.locator('body').focus();
    for (let i = 0; i < 400 && !wanted.every((w) => seen.has(w)); i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(`(() => {
        const el = document.activeElement;
        if (!el) return '';
        const role = el.getAttribute('role') || el.tagName.toLowerCase();
        const label = el.getAttribute('aria-label') || (el.tagName === 'BUTTON' ? (el.querySelector('.chat-name') || el).textContent : '');
        return role + ':' + (label || '').trim();
      })()`) as string;
      seen.add(focused);
    }
    assert.deepEqual(wanted.filter((w) => !seen.has(w)), []);
    // …and work from it: Enter on a focused tab opens it.
    await page.getByRole('tab', { name: 'Connections' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.getByRole('tab', { name: 'Connections' }).getAttribute('aria-selected'), 'true');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows the bot\'s calls from before the page opened, ahead of the live ones, each once', async () => {
    assert.equal((await world!.app.call('get_group_info', { group_id: WORKSHOP })).status, 200);
    const { page, errors } = await open(`${base}/?lang=en`);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const earlier = timeline.getByRole('button', { name: /get_group_info → 0 .* http/ });
    await earlier.waitFor({ timeout: 3_000 });
    assert.equal((await world!.app.call('get_group_list')).status, 200);
    const later = timeline.getByRole('button', { name: /get_group_list → 0 .* http/ });
    await later.waitFor({ timeout: 3_000 });
    // Let another batch of frames come and go: the journal's call is still there once, before the live one.
    await say(CAROL, 'after the journal');
    await timeline.getByRole('button', { name: /message group\/normal: after the journal/ }).waitFor({ timeout: 3_000 });
    assert.equal(await earlier.count(), 1);
    const rows = await timeline.getByRole('button').allTextContents();
    const at = (re: RegExp): number => rows.findIndex((r) => re.test(r));
    assert.ok(at(/get_group_info → 0/) >= 0 && at(/get_group_info → 0/) < at(/get_group_list → 0/), rows.join('\n'));
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a reload shows the timeline from before it — events with their deliveries, calls — once, and goes on live', async () => {
    const { page, errors } = await open(`${base}/?lang=en&group=${LOUNGE}`);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await say(CAROL, 'before the reload');
    const event = timeline.getByRole('button', { name: /message group\/normal: before the reload → .*forward WS #\d+ \(universal \/\) ✓/ });
    await event.waitFor({ timeout: 3_000 });
    assert.equal((await world!.app.call('get_friend_list')).status, 200);
    const call = timeline.getByRole('button', { name: /get_friend_list → 0 .* http/ });
    await call.waitFor({ timeout: 3_000 });

    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 3_000 });
    // The event came back from the stream (the journal keeps no events), its deliveries with it.
    await event.waitFor({ timeout: 3_000 });
    await call.waitFor({ timeout: 3_000 });
    await say(CAROL, 'after the reload');
    await timeline.getByRole('button', { name: /message group\/normal: after the reload/ }).waitFor({ timeout: 3_000 });
    assert.equal(await event.count(), 1);
    assert.equal(await call.count(), 1);
    assert.equal(await timeline.getByRole('button', { name: /message group\/normal: after the reload/ }).count(), 1);
    assert.equal(await page.getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'before the reload' }).count(), 1);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
