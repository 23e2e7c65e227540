/**
 * A real Chromium for the console's browser tests, driven by playwright-core (which never downloads
 * a browser): `CHROMIUM_PATH`, else a system Chromium/Chrome at a usual path, else the one the
 * `@sparticuz/chromium` dev dependency ships inside its package (unpacked to the temp dir).
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** Where the Chromium in use comes from, for the test's log line. */
export let browserSource = '';

export async function launchBrowser(): Promise<Browser> {
  const system = process.env['CHROMIUM_PATH'] ?? SYSTEM_PATHS.find((p) => fs.existsSync(p));
  if (system !== undefined) {
    browserSource = system;
    return chromium.launch({ executablePath: system, args: ARGS });
  }
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  browserSource = `@sparticuz/chromium (${executablePath})`;
  return chromium.launch({ executablePath, args: [...new Set([...packaged.args.filter((a) => !a.startsWith('--headless') && a !== '--single-process'), ...ARGS])], headless: true });
}
