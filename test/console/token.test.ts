/**
 * The web console behind `sandbox_token`, in a real Chromium: it asks for the token (a wrong one is
 * refused), then works live with it — the token in headers only, never in a URL — and plays a voice
 * record fetched with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toneWav } from '../helpers/audio.js';
import { startConsoleWorld, type ConsoleWorld } from './harness.js';

const SELF_ID = 10001000;
const LOUNGE = 100001;
const CAROL = 20003;
const TOKEN = 'console-token-7c1e';

describe('the web console in Chromium behind sandbox_token', () => {
  let world: ConsoleWorld | undefined;

  before(async () => {
    world = await startConsoleWorld(SELF_ID, { ping: 'pong' }, { sandbox_token: TOKEN });
  });

  after(async () => {
    await world?.close();
  });

  it('asks for the token, refuses a wrong one, then runs live with it in headers only and plays a record', async () => {
    const { page, errors } = await world!.chrome.page();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(`${world!.base}/?lang=en&group=${LOUNGE}`);
    await page.getByRole('heading', { name: 'This sandbox needs a token' }).waitFor({ timeout: 3_000 });
    await page.getByLabel('Sandbox token').fill('wrong');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('alert').filter({ hasText: 'That token is wrong.' }).waitFor({ timeout: 3_000 });
    await page.getByLabel('Sandbox token').fill(TOKEN);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 3_000 });

    const res = await fetch(`${world!.base}/api/messages`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ from: CAROL, group_id: LOUNGE, message: [{ type: 'record', data: { file: `base64://${toneWav(0.5).toString('base64')}` } }] }),
    });
    assert.equal(res.status, 200, await res.text());
    const audio = page.getByRole('list', { name: 'Messages' }).getByLabel('Voice message');
    await audio.waitFor({ timeout: 3_000 });
    // Fetched with the token in a header and played from a blob (an <audio> src cannot carry a header).
    await page.waitForFunction(`(document.querySelector('audio[aria-label="Voice message"]')?.getAttribute('src') ?? '').startsWith('blob:')`, undefined, { timeout: 5_000 });
    const duration = await page.evaluate(`new Promise((resolve, reject) => {
      const el = document.querySelector('audio[aria-label="Voice message"]');
      el.addEventListener('loadedmetadata', () => resolve(el.duration), { once: true });
      el.addEventListener('error', () => reject(new Error('cannot play: ' + (el.error && el.error.code))), { once: true });
      el.preload = 'metadata';
      el.load();
    })`) as number;
    assert.ok(duration > 0.2 && duration < 2, `duration ${duration}`);
    assert.ok(urls.some((u) => u.includes('/api/records/')), 'the record was fetched');
    assert.deepEqual(urls.filter((u) => u.includes(TOKEN)), [], 'the token is never in a URL');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
