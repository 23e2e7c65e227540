/**
 * One HTTP(S) download into a file, with the limits of docs/media.md: an overall deadline, a size
 * limit enforced while streaming (Content-Length checked first), a bounded number of redirects
 * that must stay on the allowed schemes, and only to addresses the {@link DownloadAddressPolicy}
 * allows (checked on every hop, on the address actually connected). A failed download leaves no
 * file behind.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Socket } from 'node:net';
import { ApiError } from '../protocol/errors.js';
import { DownloadAddressPolicy, RefusedAddress } from './address-policy.js';
import { isErrno } from './fs-safe.js';

/** How a download is limited and identified. */
export interface DownloadOptions {
  /** Overall deadline (connect, redirects, body), in milliseconds. */
  timeoutMs: number;
  /** The body may not exceed this many bytes. */
  maxBytes: number;
  /** Lowercase URL schemes without `:` (a subset of `http`, `https`), for the URL and every redirect. */
  allowedSchemes: readonly string[];
  /** How many redirects are followed before giving up. */
  maxRedirects: number;
  /** The `User-Agent` header. */
  userAgent: string;
  /** Extra request headers (e.g. `download_file`'s `headers`). */
  headers?: Readonly<Record<string, string>>;
  /** Aborts the download from outside (e.g. the server shutting down). */
  signal?: AbortSignal;
  /** Where the download may connect (default: public addresses only). */
  policy?: DownloadAddressPolicy;
}

const PUBLIC_ONLY = new DownloadAddressPolicy();

/** What a finished download produced. */
export interface DownloadResult {
  /** The URL the body came from, after redirects. */
  finalUrl: URL;
  /** The body's size in bytes. */
  bytes: number;
  /** The first bytes of the body (up to 64), for magic-byte sniffing. */
  head: Buffer;
}

const HEAD_BYTES = 64;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Shortens a URL for error sentences (base64-like query strings can be huge). */
export function shortUrl(url: URL | string): string {
  const s = String(url);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

class TooLarge extends Error {}

/** Fails with `BAD_PARAMS` unless `url`'s scheme is allowed. */
export function checkScheme(url: URL, allowed: readonly string[], what = 'URL'): void {
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (!allowed.includes(scheme) || (scheme !== 'http' && scheme !== 'https')) {
    throw new ApiError('BAD_PARAMS', `the ${what} scheme "${scheme}:" is not allowed (allowed_url_schemes: ${allowed.join(', ') || 'none'})`);
  }
}

/** Downloads `url` into the new file `destination` (created exclusively); see {@link DownloadOptions}. */
export async function downloadTo(url: URL, destination: string, options: DownloadOptions): Promise<DownloadResult> {
  checkScheme(url, options.allowedSchemes);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const signal = options.signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, options.signal]);
  try {
    return await fetchInto(url, destination, options, signal);
  } catch (err) {
    await rm(destination, { force: true });
    if (err instanceof ApiError) throw err;
    if (err instanceof RefusedAddress) throw new ApiError('BAD_PARAMS', `could not download ${shortUrl(url)}: ${err.message}`);
    if (err instanceof TooLarge) throw tooLarge(url, options.maxBytes);
    if (deadline.signal.aborted) {
      throw new ApiError('OPERATION_FAILED', `downloading ${shortUrl(url)} timed out after ${options.timeoutMs / 1000} s`);
    }
    if (options.signal?.aborted === true) throw new ApiError('OPERATION_FAILED', `downloading ${shortUrl(url)} was aborted`);
    throw new ApiError('OPERATION_FAILED', `could not download ${shortUrl(url)}: ${networkCause(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

function tooLarge(url: URL, maxBytes: number): ApiError {
  return new ApiError('BAD_PARAMS', `the file at ${shortUrl(url)} is too large (over ${maxBytes} bytes, max_download_size)`);
}

function networkCause(err: unknown): string {
  const code = isErrno(err) ? err.code : undefined;
  switch (code) {
    case 'ECONNREFUSED': return 'the server is unreachable (connection refused)';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'the host name could not be resolved';
    case 'ECONNRESET': return 'the connection was reset';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'the host is unreachable';
    default: return err instanceof Error ? err.message + (code !== undefined ? ` (${code})` : '') : String(err);
  }
}

async function fetchInto(start: URL, destination: string, options: DownloadOptions, signal: AbortSignal): Promise<DownloadResult> {
  let url = start;
  for (let redirects = 0; ; redirects += 1) {
    const res = await get(url, options, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECTS.has(status) && location !== undefined) {
      res.resume();
      if (redirects >= options.maxRedirects) {
        throw new ApiError('OPERATION_FAILED', `could not download ${shortUrl(start)}: more than ${options.maxRedirects} redirects`);
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new ApiError('OPERATION_FAILED', `could not download ${shortUrl(start)}: invalid redirect location`);
      }
      checkScheme(next, options.allowedSchemes, 'redirect');
      url = next;
      continue;
    }
    if (status < 200 || status > 299) {
      res.resume();
      throw new ApiError('OPERATION_FAILED', `could not download ${shortUrl(url)}: the server answered HTTP ${status}`);
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      res.destroy();
      throw tooLarge(url, options.maxBytes);
    }
    return { finalUrl: url, ...(await streamBody(res, destination, options.maxBytes, signal)) };
  }
}

async function get(url: URL, options: DownloadOptions, signal: AbortSignal): Promise<http.IncomingMessage> {
  // node:https (and TLS with it) is loaded by the first https download only.
  const client = url.protocol === 'https:' ? await import('node:https') : http;
  const policy = options.policy ?? PUBLIC_ONLY;
  policy.checkLiteral(url.hostname);
  const headers = { 'User-Agent': options.userAgent, Referer: withoutCredentials(url), 'Accept-Encoding': 'identity', ...options.headers };
  return new Promise((resolve, reject) => {
    const req = client.get(url, { headers, signal, lookup: policy.lookup }, resolve);
    req.on('error', reject);
    // The address actually connected (a kept-alive socket too) is checked before the request leaves.
    req.on('socket', (socket: Socket) => {
      const check = (): void => {
        const refused = policy.refusal(url.hostname, socket.remoteAddress ?? '');
        if (refused !== undefined) req.destroy(new RefusedAddress(refused));
      };
      if (socket.connecting) socket.once('connect', check);
      else check();
    });
  });
}

/** `url` without `user:password@`, for the `Referer` header. */
function withoutCredentials(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

async function streamBody(res: http.IncomingMessage, destination: string, maxBytes: number, signal: AbortSignal): Promise<{ bytes: number; head: Buffer }> {
  let bytes = 0;
  const heads: Buffer[] = [];
  let headLength = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        callback(new TooLarge());
        return;
      }
      if (headLength < HEAD_BYTES) {
        heads.push(chunk.subarray(0, HEAD_BYTES - headLength));
        headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
      }
      callback(null, chunk);
    },
  });
  await pipeline(res, limiter, createWriteStream(destination, { flags: 'wx' }), { signal });
  return { bytes, head: Buffer.concat(heads) };
}
