/**
 * The connection to the upstream — what the `onebot` backend needs of it, whichever way it is connected: cqhttpd dialing
 * its forward WebSocket (`link.ts`), the upstream dialing cqhttpd (`reverse.ts`), and a dialect
 * (`dialects/`) wrapped around either. Calls resolve with the answer's `data` or reject with an
 * `ApiError`; events are the upstream's frames with a `post_type`.
 */
export type Frame = Record<string, unknown>;

/** An observer of an upstream's traffic: frames as objects (before sending, after parsing), and `online` changes (the recorder, docs/recording.md). */
export interface LinkTap {
  frame(dir: 'in' | 'out', frame: Frame): void;
  state(online: boolean): void;
}

export interface CallOptions {
  /** A deadline for this call instead of the link's default. */
  timeoutMs?: number;
}

export interface UpstreamConnection {
  /** Where the upstream is, for logs and errors (never a token). */
  readonly shownUrl: string;
  /** Start connecting or listening (and keep at it until {@link close}). */
  start(): void | Promise<void>;
  isOnline(): boolean;
  onEvent(listener: (event: Frame) => void): () => void;
  onState(listener: (online: boolean) => void): () => void;
  /** Resolves once online, or `false` after `timeoutMs`. */
  waitOnline(timeoutMs: number): Promise<boolean>;
  call(action: string, params: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
  close(): Promise<void>;
}

/** Resolves once `upstream` is online, or `false` after `timeoutMs`. */
export function waitOnline(upstream: Pick<UpstreamConnection, 'isOnline' | 'onState'>, timeoutMs: number): Promise<boolean> {
  if (upstream.isOnline()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => { stop(); resolve(false); }, timeoutMs);
    const stop = upstream.onState((online) => {
      if (!online) return;
      clearTimeout(timer);
      stop();
      resolve(true);
    });
  });
}
