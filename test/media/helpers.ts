/**
 * Fixtures for the media tests: temp directories and a real local HTTP server with a PNG, a slow
 * endpoint, a huge one, a 404, a redirect chain and a concurrency gauge.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A real 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** The start of a JPEG (SOI + APP0). */
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01]);

/** `seconds` of a 440 Hz tone, PCM s16le mono at `rate`. */
export function tone(seconds = 0.5, rate = 24_000, amplitude = 10_000): Buffer {
  const samples = Math.round(seconds * rate);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) pcm.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  return pcm;
}

/** A canonical 16-bit mono WAV around `pcm`. */
export function wav(pcm: Buffer, rate = 24_000): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}

/** A fresh temp directory, removed by the returned `cleanup`. */
export async function tempDir(prefix = 'cqhttpd-media-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The fixture server. */
export interface MediaServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Requests per path (query string included). */
  hits: Map<string, number>;
  /** Headers of the last request per path. */
  lastHeaders: Map<string, http.IncomingHttpHeaders>;
  /** Highest number of `/gate/…` requests in flight at once. */
  maxGateInFlight: () => number;
  close: () => Promise<void>;
}

/** Unref'd, so that a hanging route never keeps the test process alive. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Routes: `/img.png`, `/noext` (PNG), `/photo` (JPEG), `/slow` (a byte, then 10 s of silence),
 * `/slow-png` (PNG after 200 ms), `/huge` (8 MiB chunked, no length), `/huge-declared`
 * (Content-Length 1 GiB), `/missing` (404), `/redirect/<n>` (n hops then the PNG),
 * `/redirect-ftp`, `/redirect-to?<url>` (302 to the percent-encoded `url`), `/admin` (an HTML
 * page), `/gate/<id>` (PNG after 150 ms, counting concurrency).
 */
export async function startMediaServer(): Promise<MediaServer> {
  const hits = new Map<string, number>();
  const lastHeaders = new Map<string, http.IncomingHttpHeaders>();
  let gate = 0;
  let maxGate = 0;
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    lastHeaders.set(url, req.headers);
    void route(url, res);
  });
  const route = async (url: string, res: http.ServerResponse): Promise<void> => {
    const png = () => res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': PNG.length }).end(PNG);
    const redirect = /^\/redirect\/(\d+)$/.exec(url);
    if (redirect !== null) {
      const n = Number(redirect[1]);
      if (n === 0) png();
      else res.writeHead(302, { Location: `/redirect/${n - 1}` }).end();
      return;
    }
    if (url.startsWith('/redirect-to?')) {
      res.writeHead(302, { Location: decodeURIComponent(url.slice('/redirect-to?'.length)) }).end();
      return;
    }
    if (url.startsWith('/gate/')) {
      gate += 1;
      maxGate = Math.max(maxGate, gate);
      await sleep(150);
      gate -= 1;
      png();
      return;
    }
    switch (url.startsWith('/img.png?') ? '/img.png' : url.startsWith('/admin?') ? '/admin' : url) {
      case '/img.png': case '/noext': png(); return;
      case '/photo': res.writeHead(200, { 'Content-Length': JPEG.length }).end(JPEG); return;
      case '/slow-png': await sleep(200); png(); return;
      case '/slow':
        res.writeHead(200, { 'Content-Length': 1000 });
        res.write(PNG.subarray(0, 1));
        await sleep(10_000);
        res.end();
        return;
      case '/huge': {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 7);
        for (let i = 0; i < 128 && !res.destroyed; i += 1) {
          if (!res.write(chunk)) {
            await new Promise<void>((resolve) => {
              const done = () => {
                res.off('drain', done).off('close', done);
                resolve();
              };
              res.once('drain', done).once('close', done);
            });
          }
        }
        res.end();
        return;
      }
      case '/huge-declared':
        res.writeHead(200, { 'Content-Length': 1024 * 1024 * 1024 });
        res.write(PNG);
        return; // never finishes: the client must give up on the header alone
      case '/admin': res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>the admin page, secret=42</html>'); return;
      case '/redirect-ftp': res.writeHead(302, { Location: 'ftp://127.0.0.1/x.png' }).end(); return;
      default: res.writeHead(404).end('not found');
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    hits,
    lastHeaders,
    maxGateInFlight: () => maxGate,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on a port nothing listens on (a server is bound, then closed). */
export async function unreachableUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/img.png`;
}
