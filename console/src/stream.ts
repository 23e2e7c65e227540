/**
 * The live connection: GET /api/stream?all=1 (with the `delivery` and `world` frames) read with
 * fetch (so the token goes in a header, never in a URL), reconnecting after a drop with
 * `Last-Event-ID` so that nothing is lost or shown twice.
 *
 * A reload starts from the recent past: when the page goes, the id just before the last
 * {@link REPLAY_FRAMES} frames it saw is kept for the tab (`sessionStorage`), and the new page asks
 * the stream for everything after it — the server keeps its last frames for a resume (and listens a
 * minute after its last client left), so the timeline comes back with its events and deliveries.
 * When those frames are no longer kept the server answers `reset` and the page loads snapshots.
 */
import { authHeaders, needToken } from './api';
import { live } from './store';

/** How a connection began: a new page, a resume after a drop, or a new page replaying the last page's frames. */
export type OpenKind = 'fresh' | 'resumed' | 'replayed';

export interface StreamHandlers {
  /** Called when a (re)connection is open: before the first frame. */
  onOpen(kind: OpenKind): void;
  /** One frame: its name, its data (JSON text) and its id. */
  onFrame(name: string, data: string, id: string): void;
  /** The server could not resume: reload everything. */
  onReset(): void;
}

const REPLAY_KEY = 'cqhttpd.stream.replay';
/** Frames a reload asks for again, at most (the server keeps 2000, and 4 MB). */
const REPLAY_FRAMES = 1000;
const FRAME_ID = /^([\w-]+)\.(\d+)$/;

/** The id a reload resumes after, kept by the last page of this tab (read once). */
function takeReplayId(): string {
  const id = sessionStorage.getItem(REPLAY_KEY) ?? '';
  sessionStorage.removeItem(REPLAY_KEY);
  return FRAME_ID.test(id) ? id : '';
}

export function openStream(handlers: StreamHandlers): () => void {
  let lastId = '';
  let replayId = takeReplayId();
  let stopped = false;
  let abort: AbortController | undefined;
  /** The ids of the last frames seen, a ring of {@link REPLAY_FRAMES}; `seen` counts since the last reset. */
  const recent: string[] = new Array<string>(REPLAY_FRAMES);
  let seen = 0;

  const keepForReload = (): void => {
    const oldest = seen === 0 ? undefined : recent[seen < REPLAY_FRAMES ? 0 : seen % REPLAY_FRAMES];
    const m = oldest === undefined ? null : FRAME_ID.exec(oldest);
    if (m === null) sessionStorage.removeItem(REPLAY_KEY);
    else sessionStorage.setItem(REPLAY_KEY, `${m[1] ?? ''}.${Number(m[2]) - 1}`);
  };
  window.addEventListener('pagehide', keepForReload);

  async function run(): Promise<void> {
    while (!stopped) {
      abort = new AbortController();
      try {
        const after = lastId !== '' ? lastId : replayId;
        const res = await fetch('/api/stream?all=1', { headers: { ...authHeaders(), ...(after === '' ? {} : { 'last-event-id': after }) }, signal: abort.signal });
        if (res.status === 401 || res.status === 403) {
          needToken.value = res.status === 401 ? 'missing' : 'wrong';
          return;
        }
        if (!res.ok || res.body === null) throw new Error(`stream: HTTP ${res.status}`);
        live.value = true;
        handlers.onOpen(lastId !== '' ? 'resumed' : replayId !== '' ? 'replayed' : 'fresh');
        replayId = '';
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
        if (name === 'reset') {
          seen = 0;
          handlers.onReset();
        } else {
          if (id !== undefined) recent[seen++ % REPLAY_FRAMES] = id;
          handlers.onFrame(name, data, id ?? '');
        }
      }
    }
  }

  void run();
  return () => {
    stopped = true;
    abort?.abort();
    window.removeEventListener('pagehide', keepForReload);
  };
}
