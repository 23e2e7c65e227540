/**
 * Milky's API over HTTP: `POST {base}/api/{name}` with a JSON body and `Authorization: Bearer`,
 * answered `{status, retcode, data | message}`. Each call has a deadline, at most `maxPending` wait
 * at once, and an answer larger than `maxBodySize` is refused; failures become cqhttpd's
 * (`UNSUPPORTED` for an API the implementation lacks, the implementation's message kept). A `tap`
 * (the recorder) sees each call as `{action, params, echo}` and its answer as the answer's body with
 * the same `echo` (Milky has none: cqhttpd numbers the calls), the way OneBot frames are recorded.
 */
import { ApiError } from '../../protocol/errors.js';

export interface MilkyApiOptions {
  /** The implementation's base address, e.g. `http://127.0.0.1:3000` (a path prefix is kept). */
  baseUrl: string;
  accessToken: string;
  callTimeoutMs?: number;
  maxPending?: number;
  maxBodySize?: number;
  tap?: ApiTap;
}

/** Sees the calls and their answers (docs/recording.md): `out` the call, `in` the answer. */
export interface ApiTap {
  frame(dir: 'in' | 'out', frame: Record<string, unknown>): void;
}

/** Read a response body as text, refusing more than `limit` bytes. */
async function boundedText(res: Response, limit: number, api: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) throw new ApiError('INVALID_DATA', `${api}: the Milky answer is larger than ${limit} bytes`);
  if (res.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new ApiError('INVALID_DATA', `${api}: the Milky answer is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class MilkyApi {
  private pending = 0;
  private calls = 0;
  private readonly base: string;
  private readonly callTimeoutMs: number;
  private readonly maxPending: number;
  private readonly maxBodySize: number;
  readonly shownUrl: string;

  constructor(private readonly options: MilkyApiOptions) {
    const url = new URL(options.baseUrl);
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.shownUrl = this.base;
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.maxPending = options.maxPending ?? 1000;
    this.maxBodySize = options.maxBodySize ?? 64 * 1024 * 1024;
  }

  /** The address of the event stream, `{base}/event` (dialed as `ws(s)://` for a WebSocket). */
  get eventUrl(): string {
    return `${this.base}/event`;
  }

  /** Call `api` with `input`; resolves with its `data`. */
  async call<T = unknown>(api: string, input: object): Promise<T> {
    if (this.pending >= this.maxPending) throw new ApiError('BACKEND_BUSY', `${api}: ${this.pending} calls already wait for the Milky implementation`);
    this.pending++;
    const tap = this.options.tap;
    const echo = tap === undefined ? '' : `milky:${++this.calls}`;
    tap?.frame('out', { action: api, params: input, echo });
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.options.accessToken !== '') headers['authorization'] = `Bearer ${this.options.accessToken}`;
      let res: Response;
      try {
        res = await fetch(`${this.base}/api/${api}`, { method: 'POST', headers, body: JSON.stringify(input), signal: AbortSignal.timeout(this.callTimeoutMs) });
      } catch (err) {
        const cause = err as Error;
        tap?.frame('in', { error: cause.name === 'TimeoutError' ? 'timeout' : cause.message, echo });
        if (cause.name === 'TimeoutError') throw new ApiError('BACKEND_TIMEOUT', `${api}: the Milky implementation did not answer within ${this.callTimeoutMs} ms`);
        throw new ApiError('BACKEND_OFFLINE', `${api}: the Milky implementation at ${this.shownUrl} cannot be reached (${cause.message})`);
      }
      let text: string;
      try {
        text = await boundedText(res, this.maxBodySize, api);
      } catch (err) {
        tap?.frame('in', { error: (err as Error).message, http_status: res.status, echo });
        throw err;
      }
      let body: { status?: unknown; retcode?: unknown; data?: unknown; message?: unknown } | undefined;
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = undefined;
      }
      if (tap !== undefined) {
        const shown = typeof body === 'object' && body !== null ? body : {};
        tap.frame('in', { ...shown, ...(res.status !== 200 ? { http_status: res.status } : {}), echo });
      }
      if (res.status === 401 || res.status === 403) throw new ApiError('BACKEND_OFFLINE', `${api}: the Milky implementation refused the token (HTTP ${res.status}; check upstream_access_token)`);
      if (res.status === 404) throw new ApiError('UNSUPPORTED', `${api}: the Milky implementation does not have this API`);
      if (typeof body !== 'object' || body === null) throw new ApiError('INVALID_DATA', `${api}: the Milky implementation answered HTTP ${res.status} without a JSON object`);
      if (Number(body.retcode) === 0) return body.data as T;
      const message = typeof body.message === 'string' ? body.message : '';
      throw new ApiError('UPSTREAM_FAILED', `${api}: the Milky implementation answered retcode ${String(body.retcode)}${message !== '' ? `: ${message}` : ''}`);
    } finally {
      this.pending--;
    }
  }
}
