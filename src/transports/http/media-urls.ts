/**
 * Public URLs of stored media (received images, records, videos, group-file downloads): the §3.2
 * path `/data/<sub>/<name>` plus `?sig=<HMAC>`. A valid signature is a capability: the HTTP API
 * serves the file without the access token and with `serve_data_files` off, as QQ's CDN serves a
 * received image to anyone holding its URL. Everything else under `/data/` keeps the 4.15 rules.
 * The key is random, kept in `<data_dir>/media-url.key` (mode 0600) so URLs survive restarts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Sub-folders a signed URL may name (4.15's four, plus cqhttpd's `video` and `file`). */
export const SIGNED_SUBDIRS: readonly string[] = ['bface', 'file', 'image', 'record', 'show', 'video'];

/** The key file's name inside the data directory (never served: only sub-folders are). */
export const KEY_FILE = 'media-url.key';

const KEY_BYTES = 32;
const SIG_HEX = 32;

/** Signs and checks `/data/<sub>/<name>` capabilities. */
export class MediaUrlSigner {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length < 16) throw new RangeError('the media URL key must have at least 16 bytes');
    this.#key = key;
  }

  /** The signer of `dataDir`: its key file, created with a fresh random key when missing. */
  static forDataDir(dataDir: string): MediaUrlSigner {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, KEY_FILE);
    try {
      return new MediaUrlSigner(readFileSync(file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const key = randomBytes(KEY_BYTES);
    try {
      writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
      return new MediaUrlSigner(key);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return new MediaUrlSigner(readFileSync(file)); // another process won the race
      throw err;
    }
  }

  /** The signature of `<sub>/<name>` (name not encoded). */
  sign(sub: string, name: string): string {
    return createHmac('sha256', this.#key).update(`${sub}/${name}`).digest('hex').slice(0, SIG_HEX);
  }

  /** Whether `sig` is the signature of `<sub>/<name>` (constant time). */
  verify(sub: string, name: string, sig: string): boolean {
    if (sig.length !== SIG_HEX || !SIGNED_SUBDIRS.includes(sub)) return false;
    return timingSafeEqual(Buffer.from(sig, 'latin1'), Buffer.from(this.sign(sub, name), 'latin1'));
  }

  /** `/data/<sub>/<percent-encoded name>?sig=…`. */
  pathFor(sub: string, name: string): string {
    return `/data/${sub}/${encodeURIComponent(name)}?sig=${this.sign(sub, name)}`;
  }
}

/**
 * `http://<host>:<port>` for a listen address: the unspecified addresses (`0.0.0.0`, `::`, empty)
 * become loopback, IPv6 literals get brackets.
 */
export function baseUrlOf(address: { host: string; port: number }): string {
  let host = address.host;
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  else if (host === '::' || host === '[::]') host = '::1';
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  return `http://${host}:${address.port}`;
}
