/**
 * The web console's files (built by `npm run build` into dist/console/), held in memory and served
 * by the control listener at `/`: each with the gzip and brotli forms the build wrote beside it,
 * chosen by `Accept-Encoding`. Files under `assets/` have hashed names and are cached for good;
 * index.html is revalidated on every load. This module is imported on the first request for the
 * console, so a cqhttpd nobody opens the console on never reads the files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';

/** One servable file. */
export interface ConsoleFile {
  readonly type: string;
  readonly raw: Buffer;
  readonly gzip: Buffer | undefined;
  readonly br: Buffer | undefined;
  /** Hashed name: cache for a year. */
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function sibling(file: string, suffix: string, all: ReadonlySet<string>): Buffer | undefined {
  return all.has(file + suffix) ? readFileSync(file + suffix) : undefined;
}

/** Read every file of the built console into memory, keyed by URL path (`/` is index.html). */
export function loadConsoleFiles(dir: string): Map<string, ConsoleFile> {
  const all = walk(dir);
  const present = new Set(all);
  const files = new Map<string, ConsoleFile>();
  for (const file of all) {
    if (file.endsWith('.gz') || file.endsWith('.br')) continue;
    const path = `/${relative(dir, file).split(sep).join('/')}`;
    const ext = path.slice(path.lastIndexOf('.') + 1);
    files.set(path, {
      type: TYPES[ext] ?? 'application/octet-stream',
      raw: readFileSync(file),
      gzip: sibling(file, '.gz', present),
      br: sibling(file, '.br', present),
      immutable: path.startsWith('/assets/'),
    });
  }
  const index = files.get('/index.html');
  if (index !== undefined) files.set('/', index);
  return files;
}

/** Whether `coding` is accepted (listed without `q=0`) by an `Accept-Encoding` value. */
export function accepts(header: string | undefined, coding: string): boolean {
  if (header === undefined) return false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (name?.trim().toLowerCase() !== coding) continue;
    return !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(p));
  }
  return false;
}

/** Answer a GET/HEAD for `path` from `files`; false when there is no such file (the caller answers 404). */
export function serveConsoleFile(req: IncomingMessage, res: ServerResponse, files: ReadonlyMap<string, ConsoleFile>, path: string): boolean {
  const file = files.get(path);
  if (file === undefined) return false;
  const wanted = req.headers['accept-encoding'];
  const [body, encoding] = file.br !== undefined && accepts(wanted, 'br') ? [file.br, 'br']
    : file.gzip !== undefined && accepts(wanted, 'gzip') ? [file.gzip, 'gzip']
      : [file.raw, undefined];
  const headers: Record<string, string> = {
    'Content-Type': file.type,
    'Content-Length': String(body.length),
    'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (file.gzip !== undefined || file.br !== undefined) headers['Vary'] = 'Accept-Encoding';
  if (encoding !== undefined) headers['Content-Encoding'] = encoding;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
