/**
 * The console's browser tests: the console built from source (into a temp dir, so the test never
 * runs a stale dist/), a real cqhttpd serving it, and one Chromium for the whole file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createServer as createTcpServer, connect, type Socket } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { HttpPlugin, koishi, OneBotPlugin, STATUS_ONLINE, type KoishiContext, type KoishiFork } from '../clients/koishi-cjs.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
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

/**
 * A Koishi bot on cqhttpd's forward WebSocket that answers a message whose whole text is a key of
 * `answers` with that key's value (as `session.send`, so group messages are answered in the group).
 */
export async function startAnsweringBot(wsPort: number, selfId: number, answers: Record<string, string>): Promise<{ ctx: KoishiContext; stop(): Promise<void> }> {
  const saved = koishi.Logger.targets.splice(0, koishi.Logger.targets.length);
  const ctx = new koishi.Context();
  const forks: KoishiFork[] = [ctx.plugin(HttpPlugin)];
  ctx.on('message', (session) => {
    const answer = Object.hasOwn(answers, session.content ?? '') ? answers[session.content ?? ''] : undefined;
    if (answer !== undefined) void session.send(answer);
  });
  forks.push(ctx.plugin(OneBotPlugin, { protocol: 'ws', endpoint: `ws://127.0.0.1:${wsPort}`, selfId: String(selfId), responseTimeout: 3_000, retryTimes: 0 }));
  await ctx.start();
  return {
    ctx,
    async stop() {
      for (const fork of forks.reverse()) fork.dispose();
      await ctx.stop();
      koishi.Logger.targets.splice(0, koishi.Logger.targets.length, ...saved);
    },
  };
}

export async function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const FONT_ORIGIN = 'http://fonts.test';
/** The font packages served to the page, each with its file prefix and the weights used (bold is not synthesised from a subset face). */
const FONTS = [
  { pkg: '@fontsource/noto-sans-sc', prefix: 'noto-sans-sc', weights: [400, 700] },
  { pkg: '@fontsource/noto-emoji', prefix: 'noto-emoji', weights: [400] },
] as const;
const FONT_FILE = /^(noto-sans-sc|noto-emoji)-[\w-]+-(400|700)-normal\.woff2?$/;

/**
 * Give the page Noto Sans SC (regular and bold) and Noto Emoji — the `@fontsource/*` dev
 * dependencies, woff2 subsets by unicode-range — and put them first in the font stack, so Chinese
 * and emoji render as glyphs in a Chromium without such system fonts (the packaged one has none) and
 * the screenshots look the same on every machine. The rules are appended to the console's
 * stylesheet as it is served; the font files are served by the test from the packages, never
 * fetched. Call before `goto`, and {@link fontsLoaded} before a screenshot.
 */
export async function provideFonts(page: Page): Promise<void> {
  const require = createRequire(import.meta.url);
  const dirs = new Map<string, string>();
  let css = '';
  for (const { pkg, prefix, weights } of FONTS) {
    const dir = path.dirname(require.resolve(`${pkg}/400.css`));
    dirs.set(prefix, path.join(dir, 'files'));
    for (const weight of weights) css += fs.readFileSync(path.join(dir, `${weight}.css`), 'utf8').replaceAll('url(./files/', `url(${FONT_ORIGIN}/`);
  }
  css += 'html, body { font-family: "Noto Sans SC", "Noto Emoji", sans-serif; }\n';
  // The console's monospace text, with the same fallbacks for the Chinese and emoji in it.
  css += 'pre, code, .api-list button, .api-field, .api-form textarea { font-family: monospace, "Noto Sans SC", "Noto Emoji"; }\n';
  await page.route(`${FONT_ORIGIN}/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    const match = FONT_FILE.exec(name);
    if (match === null) return route.fulfill({ status: 404 });
    return route.fulfill({ status: 200, contentType: name.endsWith('2') ? 'font/woff2' : 'font/woff', headers: { 'access-control-allow-origin': '*' }, body: fs.readFileSync(path.join(dirs.get(match[1]!)!, name)) });
  });
  await page.route((url) => url.origin !== FONT_ORIGIN && url.pathname.endsWith('.css'), async (route) => {
    const response = await route.fetch();
    return route.fulfill({ response, body: `${await response.text()}\n${css}` });
  });
}

/** Load every font subset the page's current text needs, wait for the fonts, and lay the page out again. */
export async function fontsLoaded(page: Page): Promise<void> {
  // A string, not a function: the page's DOM types are not in this project's compiler options.
  await page.evaluate(`(async () => {
    const text = document.body.innerText + Array.from(document.querySelectorAll('[placeholder]'), (e) => e.getAttribute('placeholder')).join('');
    await Promise.all(['14px "Noto Sans SC"', 'bold 14px "Noto Sans SC"', '14px "Noto Emoji"'].map((font) => document.fonts.load(font, text)));
    await document.fonts.ready;
    // Text laid out while its font was still loading can keep empty boxes: lay the page out anew.
    document.body.style.display = 'none';
    void document.body.offsetHeight;
    document.body.style.display = '';
    await new Promise(requestAnimationFrame);
  })()`);
}

/** What a console test file works with: the built console, one Chromium, cqhttpd serving it, a bot. */
export interface ConsoleWorld {
  dir: string;
  chrome: ConsoleBrowser;
  app: TestApp;
  bot: Awaited<ReturnType<typeof startAnsweringBot>>;
  /** The control listener's origin, where the console is served. */
  base: string;
  close(): Promise<void>;
}

/**
 * Builds the console and opens Chromium side by side, starts cqhttpd (forward WS on, and `config`)
 * serving that build, and waits for a Koishi bot answering `answers` to come online.
 */
export async function startConsoleWorld(selfId: number, answers: Record<string, string>, config: Record<string, unknown> = {}): Promise<ConsoleWorld> {
  const [dir, chrome] = await Promise.all([buildConsole(), openBrowser()]);
  const app = await startTestApp({ config: { use_ws: true, ...config }, consoleDir: dir });
  const bot = await startAnsweringBot(app.app.ws!.port, selfId, answers);
  await until('the Koishi bot to come online', () => (bot.ctx.bots.some((b) => b.status === STATUS_ONLINE) ? true : undefined));
  return {
    dir, chrome, app, bot,
    base: `http://127.0.0.1:${app.app.sandbox.port}`,
    async close() {
      await bot.stop();
      await chrome.close();
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP proxy in front of a port, which a test can take down (every connection cut, new ones refused) and bring back. */
export interface CuttableProxy {
  port: number;
  /** Cut every connection and refuse new ones until {@link CuttableProxy.up}. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let refusing = false;
  const server = createTcpServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    down() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    up() {
      refusing = false;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
