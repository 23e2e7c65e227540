/**
 * The live connection: GET /api/stream?all=1 (with the `delivery` and `world` frames) read with
 * fetch (so the token goes in a header, never in a URL), reconnecting after a drop with
 * `Last-Event-ID` so that nothing is lost or shown twice.
 */
import { authHeaders, needToken } from './api';
import { live } from './store';

export interface StreamHandlers {
  /** Called when a (re)connection is open: before the first frame. */
  onOpen(resumed: boolean): void;
  /** One frame: its name, its data (JSON text) and its id. */
  onFrame(name: string, data: string, id: string): void;
  /** The server could not resume: reload everything. */
  onReset(): void;
}

export function openStream(handlers: StreamHandlers): () => void {
  let lastId = '';
  let stopped = false;
  let abort: AbortController | undefined;

  async function run(): Promise<void> {
    while (!stopped) {
      abort = new AbortController();
      try {
        const res = await fetch('/api/stream?all=1', { headers: { ...authHeaders(), ...(lastId === '' ? {} : { 'last-event-id': lastId }) }, signal: abort.signal });
        if (res.status === 401 || res.status === 403) {
          needToken.value = res.status === 401 ? 'missing' : 'wrong';
          return;
        }
        if (!res.ok || res.body === null) throw new Error(`stream: HTTP ${res.status}`);
        live.value = true;
        handlers.onOpen(lastId !== '');
        await read(res.body);
      } catch {
        // dropped: reconnect below
      }
      live.value = false;
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async function read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        let data = '';
        let id: string | undefined;
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) data = line.slice(6);
          else if (line.startsWith('id: ')) id = line.slice(4);
        }
        if (id !== undefined) lastId = id;
        if (data === '') continue;
        if (name === 'reset') handlers.onReset();
        else handlers.onFrame(name, data, id ?? '');
      }
    }
  }

  void run();
  return () => {
    stopped = true;
    abort?.abort();
  };
}
