/**
 * The console's browser tests: the console built from source (into a temp dir, so the test never
 * runs a stale dist/), a real cqhttpd serving it, and one Chromium for the whole file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';

/** Build the console with its own Vite config into a fresh temp dir; returns the dir. */
export async function buildConsole(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-console-'));
  const { build } = await import('vite');
  await build({ configFile: path.resolve('console/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** Bytes of the gzip forms of the built JavaScript. */
export function gzipJsBytes(dir: string): number {
  const assets = path.join(dir, 'assets');
  return fs.readdirSync(assets).filter((f) => f.endsWith('.js.gz')).reduce((sum, f) => sum + fs.statSync(path.join(assets, f)).size, 0);
}

export interface ConsoleBrowser {
  browser: Browser;
  /** A new page at 1280×720 whose script errors fail the test (collected in `errors`). */
  page(viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<ConsoleBrowser> {
  const browser = await launchBrowser();
  return {
    browser,
    async page(viewport = { width: 1280, height: 720 }) {
      const context = await browser.newContext({ viewport, permissions: [] });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      return { page, errors };
    },
    close: () => browser.close(),
  };
}

/** Whether screenshots should be (re)written to docs/ (UPDATE_SCREENSHOTS=1). */
export const updateScreenshots = process.env['UPDATE_SCREENSHOTS'] === '1';
