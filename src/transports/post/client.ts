/**
 * The HTTP client of event reporting (CQHTTP 4.15 §3.3): one POST as the original's libcurl sent
 * it — `Host`, `Accept: *∕*`, the caller's headers in order, `Content-Length`, the body bytes as
 * given — over keep-alive agents, following redirects, under one abort signal for the whole
 * exchange, with a bounded response body. Never blocks: everything is socket I/O.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The outcome of one POST (after redirects): a response, or a transport failure. */
export type PostOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: Buffer; readonly url: string }
  | { readonly kind: 'failure'; readonly reason: string };

/** Redirects followed before giving up (libcurl's `CURLOPT_MAXREDIRS` is unlimited; a loop must end). */
export const MAX_REDIRECTS = 10;
/** Largest response body read; a quick operation is a few hundred bytes. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Idle keep-alive sockets are closed after this, before a typical server's 5 s keep-alive timeout. */
const IDLE_SOCKET_MS = 4_000;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Exchange {
  status: number;
  location: string | undefined;
  body: Buffer;
}

type Header = readonly [name: string, value: string];

/** Why a request failed, short and stable per kind of failure (so repeated ones can be grouped). */
function describe(err: unknown, signal: AbortSignal): string {
  if (signal.aborted) return typeof signal.reason === 'string' ? signal.reason : 'aborted';
  const code = (err as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string') return code;
  return (err as Error)?.message ?? String(err);
}

export class PostClient {
  readonly #http = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  readonly #https = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

  /**
   * POST `body` to `url` with `headers` (sent after `Host` and `Accept`, before `Content-Length`).
   * 301/302/307/308 re-POST the same bytes and headers to `Location`; 303 switches to GET without
   * a body (RFC 9110). Aborting `signal` (its reason, when a string, becomes the failure reason)
   * ends the whole exchange. Never rejects.
   */
  async post(url: URL, body: Buffer, headers: readonly Header[], signal: AbortSignal): Promise<PostOutcome> {
    let current = url;
    let method: 'POST' | 'GET' = 'POST';
    try {
      for (let hop = 0; ; hop++) {
        const res = await this.#exchange(current, method, headers, method === 'POST' ? body : null, signal, false);
        if (!REDIRECTS.has(res.status) || res.location === undefined) {
          return { kind: 'response', status: res.status, body: res.body, url: current.href };
        }
        if (hop >= MAX_REDIRECTS) return { kind: 'failure', reason: `more than ${MAX_REDIRECTS} redirects` };
        const next = URL.canParse(res.location, current.href) ? new URL(res.location, current) : null;
        if (next === null || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
          return { kind: 'failure', reason: `redirect to an unusable location (HTTP ${res.status})` };
        }
        if (res.status === 303) method = 'GET';
        current = next;
      }
    } catch (err) {
      return { kind: 'failure', reason: describe(err, signal) };
    }
  }

  /** Close every pooled socket. Requests still running fail. */
  destroy(): void {
    this.#http.destroy();
    this.#https.destroy();
  }

  /** One request/response. A reused keep-alive socket that the server had just closed is retried once. */
  #exchange(url: URL, method: string, headers: readonly Header[], body: Buffer | null, signal: AbortSignal, retried: boolean): Promise<Exchange> {
    const raw: string[] = ['Host', url.host];
    // Credentials in the URL are sent as Basic auth, as libcurl does (with array headers Node does not).
    if (url.username !== '' || url.password !== '') raw.push('Authorization', basicAuth(url));
    raw.push('Accept', '*/*');
    for (const [name, value] of headers) if (body !== null || name !== 'Content-Type') raw.push(name, value);
    if (body !== null) raw.push('Content-Length', String(body.length));
    const https = url.protocol === 'https:';
    return new Promise<Exchange>((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        reject(err);
      };
      const req = (https ? httpsRequest : httpRequest)(url, { method, agent: https ? this.#https : this.#http, headers: raw, signal }, (res) => {
        readBody(res, (err, data) => {
          if (err !== null) {
            req.destroy();
            fail(err);
            return;
          }
          if (settled) return;
          settled = true;
          const location = res.headers.location;
          resolve({ status: res.statusCode ?? 0, location, body: data });
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (settled) return;
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET' && !signal.aborted) {
          settled = true;
          this.#exchange(url, method, headers, body, signal, true).then(resolve, reject);
          return;
        }
        fail(err);
      });
      req.end(body ?? undefined);
    });
  }
}

/** `Basic base64(user:password)` from a URL's (percent-decoded) credentials. */
function basicAuth(url: URL): string {
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  return 'Basic ' + Buffer.from(`${decode(url.username)}:${decode(url.password)}`, 'utf8').toString('base64');
}

/** Collect a response body up to {@link MAX_RESPONSE_BYTES}; `done` is called exactly once. */
function readBody(res: IncomingMessage, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (err: Error | null) => {
    if (finished) return;
    finished = true;
    done(err, err === null ? Buffer.concat(chunks, size) : Buffer.alloc(0));
  };
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      finish(new Error(`response body over ${MAX_RESPONSE_BYTES} bytes`));
      res.destroy();
      return;
    }
    chunks.push(chunk);
  });
  res.on('end', () => finish(null));
  res.on('error', (err) => finish(err));
  res.on('close', () => {
    if (!finished) finish(new Error('connection closed before the response ended')); // no Error built per response
  });
}
