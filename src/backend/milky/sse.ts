/**
 * Milky's event stream as Server-Sent Events: `GET {base}/event` with `Accept: text/event-stream`
 * and the token as `Authorization: Bearer`, each SSE message (`event: milky_event`, the event's JSON
 * over one or more `data:` lines, ended by a blank line) one event.
 *
 * The decoder is cqhttpd's own, on bytes: it looks at each received chunk once (a general-purpose
 * parser that rescans its pending line on every chunk turns a long line into quadratic work) and
 * counts the bytes of the message being received — past `maxEventBytes` (a line that never ends, a
 * message that never closes) it gives up and the stream is cut, so a hostile upstream cannot grow
 * cqhttpd's memory. Lines end with LF or CRLF; `id:` and `retry:` are ignored (cqhttpd's own backoff
 * decides, and Milky has no replay by id). Served over `node:http`, which, unlike `fetch`, has no
 * body timeout to cut a quiet stream.
 */
import http from 'node:http';
import https from 'node:https';

const LF = 0x0a;

export class SseDecoder {
  private line: Buffer[] = [];
  private lineBytes = 0;
  private data: string[] = [];
  private event = '';
  /** Bytes received since nothing was pending (the last message dispatched, or a comment between messages). */
  private pending = 0;

  constructor(private readonly maxEventBytes: number, private readonly onMessage: (event: string, data: string) => void) {}

  /** Feed received bytes; `false` once the message being received is larger than allowed (stop reading). */
  feed(chunk: Buffer): boolean {
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? chunk.length : lf;
      if (end > start) {
        this.line.push(chunk.subarray(start, end));
        this.lineBytes += end - start;
      }
      this.pending += (lf === -1 ? chunk.length : lf + 1) - start;
      if (this.pending > this.maxEventBytes) return false;
      if (lf === -1) break;
      this.takeLine();
      start = lf + 1;
    }
    return true;
  }

  private takeLine(): void {
    let text = this.line.length === 1 ? this.line[0]!.toString('utf8') : Buffer.concat(this.line, this.lineBytes).toString('utf8');
    this.line = [];
    this.lineBytes = 0;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text === '') return this.dispatch();
    if (text.startsWith(':')) {
      if (this.data.length === 0 && this.event === '') this.pending = 0; // a keep-alive between messages
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(text.charCodeAt(colon + 1) === 0x20 ? colon + 2 : colon + 1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }

  private dispatch(): void {
    const { data, event } = this;
    this.data = [];
    this.event = '';
    this.pending = 0;
    if (data.length > 0) this.onMessage(event === '' ? 'message' : event, data.join('\n'));
  }
}

export interface SseHandlers {
  /** The response is an event stream: the implementation is online. */
  open(): void;
  /** One message's data (`milky_event`, or an unnamed message). */
  message(data: string): void;
  /** The implementation answered something else than an event stream (its HTTP status, and content type). */
  refused(status: number, contentType: string): void;
  /** A message was larger than `maxEventBytes`: the stream is cut. */
  oversized(): void;
  error(err: Error): void;
  /** The stream is over (whatever the cause); called once. */
  closed(): void;
}

/** Open the SSE stream at `url`; `close()` cuts it. */
export function openSse(url: string, accessToken: string, maxEventBytes: number, handlers: SseHandlers): { close(): void } {
  const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
  if (accessToken !== '') headers['authorization'] = `Bearer ${accessToken}`;
  const target = new URL(url);
  // A connection of its own (no pooled socket, no agent timeout): the stream lives as long as it can.
  const req = (target.protocol === 'https:' ? https : http).request(target, { method: 'GET', headers, agent: false });
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(handshake);
    handlers.closed();
  };
  // Until the response starts; after that a quiet stream is normal and never timed out.
  const handshake = setTimeout(() => req.destroy(new Error('no answer within 10 s')), 10_000);
  req.on('response', (res) => {
    clearTimeout(handshake);
    const type = String(res.headers['content-type'] ?? '');
    if (res.statusCode !== 200 || !/^text\/event-stream/i.test(type)) {
      handlers.refused(res.statusCode ?? 0, type);
      res.resume();
      req.destroy();
      return;
    }
    handlers.open();
    const decoder = new SseDecoder(maxEventBytes, (event, data) => {
      if (event === 'milky_event' || event === 'message') handlers.message(data);
    });
    res.on('data', (chunk: Buffer) => {
      if (done || decoder.feed(chunk)) return;
      handlers.oversized();
      req.destroy();
    });
    res.on('close', finish);
  });
  req.on('error', (err) => handlers.error(err));
  req.on('close', finish);
  req.end();
  return { close: () => req.destroy() };
}
