/**
 * A client of the sandbox control API (docs/sandbox-api.md) over HTTP: JSON requests, and the
 * `GET /api/stream` Server-Sent Events read frame by frame. The test engine drives and observes the
 * sandbox only through this — what a test can do, any script in any language can do too.
 */

/** A refused act: the control API's `{error, message}` with its HTTP status. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/** One frame of the stream: `message`, `event` or `call`, with its parsed data. */
export interface StreamFrame {
  kind: string;
  data: Record<string, unknown>;
}

/** The largest frame the reader accepts (a frame is one JSON line; larger means a broken stream). */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export class ControlClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;

  /** `base` like `http://127.0.0.1:5800`; `token` = the sandbox_token, if set. */
  constructor(base: string, token = '') {
    this.#base = base.replace(/\/+$/, '');
    this.#headers = token === '' ? {} : { authorization: `Bearer ${token}` };
  }

  get base(): string {
    return this.#base;
  }

  /** A JSON request; resolves with the answer, rejects with a {@link ControlError}. */
  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const init: RequestInit = { method, headers: { ...this.#headers, 'content-type': 'application/json' } };
    if (body !== undefined && method !== 'GET') init.body = JSON.stringify(body);
    const res = await fetch(`${this.#base}${path}`, init);
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      throw new ControlError(res.status, 'BAD_ANSWER', `${method} ${path}: the control API answered ${res.status} with no JSON`);
    }
    if (!res.ok) throw new ControlError(res.status, String(parsed['error'] ?? res.status), `${method} ${path}: ${String(parsed['message'] ?? text)}`);
    return parsed;
  }

  /**
   * Open the stream and call `onFrame` for every frame, in order. Resolves once the stream is open
   * (so what happens after is seen); `onEnd` is told when it ends (with the reason, if an error).
   */
  async openStream(onFrame: (frame: StreamFrame) => void, onEnd: (err?: Error) => void): Promise<{ close(): void }> {
    const abort = new AbortController();
    const res = await fetch(`${this.#base}/api/stream`, { headers: this.#headers, signal: abort.signal });
    if (!res.ok || res.body === null) throw new ControlError(res.status, 'STREAM', `GET /api/stream answered ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    const pump = async (): Promise<void> => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        if (buffer.length > MAX_FRAME_BYTES) throw new Error('the sandbox stream sent a frame larger than 16 MiB');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (frame !== null) onFrame(frame);
        }
      }
    };
    pump().then(
      () => onEnd(),
      (err: unknown) => onEnd(abort.signal.aborted ? undefined : (err as Error)),
    );
    return { close: () => abort.abort() };
  }
}

/** `event: kind\ndata: json` → a frame; comments and malformed frames → null. */
function parseFrame(text: string): StreamFrame | null {
  let kind = 'message';
  const data: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('event:')) kind = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return null;
  try {
    const parsed: unknown = JSON.parse(data.join('\n'));
    return typeof parsed === 'object' && parsed !== null ? { kind, data: parsed as Record<string, unknown> } : null;
  } catch {
    return null;
  }
}
