/**
 * What one WebSocket connection does, whichever side dialled: answer API frames (§3.4) and carry
 * events as an `EventChannel` (§3.6). Shared by the forward server and the reverse client.
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { Socket } from 'node:net';
import type { ChannelConnection, EventChannel, EventFilter, EventFormat } from '../../core/events/channel.js';
import type { FaultableConnection } from '../../core/faults/index.js';
import type { Dispatch } from '../../core/result.js';
import { frameText, handleApiFrame } from './api-frames.js';
import { BAD_FRAME_ENVELOPE } from '../../core/envelope.js';

/**
 * The part of the event pipeline the WebSocket transports use; `core/events/pipeline.ts`'s
 * `EventPipeline` satisfies it.
 */
export interface EventHub {
  /** Start delivering events to `channel`; returns the detach function. */
  attach(channel: EventChannel): () => void;
  /** Broadcast `meta_event/lifecycle/connect` to every WebSocket channel (§3.6). */
  emitLifecycle(subType: 'connect'): void;
}

/** How an event-carrying connection shapes and bounds its events. */
export interface WsEventSettings {
  /** `post_message_format` / `enable_backward_compatibility` for this connection. */
  readonly format: EventFormat;
  /** A per-connection filter on top of the global one; null or absent = none. */
  readonly filter?: EventFilter | null;
  /**
   * Bytes a connection may have queued unsent (a peer that stopped reading). Past it, the
   * connection is cut instead of buffering without limit.
   */
  readonly maxBacklogBytes: number;
}

/** True when a close/error is ws refusing a frame over `maxPayload` (it closes with 1009). */
export function isFrameTooLarge(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
}

/**
 * One write per event-loop turn on `raw`: the returned `hold()` corks the socket at the turn's
 * first frame and uncorks it after the I/O phase (setImmediate), so every frame written in between
 * leaves in one syscall instead of one each.
 */
export function turnWrites(raw: Writable): () => void {
  let held = false;
  const release = (): void => {
    held = false;
    raw.uncork();
  };
  return () => {
    if (held) return;
    held = true;
    raw.cork();
    setImmediate(release);
  };
}

/**
 * An event channel over `socket`: each event's pre-serialised body is sent as-is as one text frame
 * (no per-connection work besides the write). When the unsent backlog already exceeds
 * `maxBacklogBytes`, `onOverflow` runs (the caller logs and terminates) and the event is dropped.
 * A failed send calls `onSendError`. Events arriving while the socket is not open are dropped (§3.5).
 * `raw`, the connection's TCP socket, lets the frames of one event-loop turn share a write.
 * `connection` is the socket's entry in the connection registry (delivery counts, heartbeats).
 */
export function socketChannel(
  socket: WebSocket,
  name: string,
  settings: WsEventSettings,
  onOverflow: (buffered: number) => void,
  onSendError: (err: Error) => void,
  raw?: Writable,
  connection?: ChannelConnection,
): EventChannel {
  const max = settings.maxBacklogBytes;
  let cut = false;
  const sent = (err?: Error): void => {
    if (err != null) onSendError(err);
  };
  // Events delivered in the same turn (a group commit, several POSTs answered in one poll) leave
  // in one write.
  const hold = raw === undefined ? undefined : turnWrites(raw);
  return {
    name,
    kind: 'ws',
    format: settings.format,
    filter: settings.filter ?? null,
    ...(connection ? { connection } : {}),
    deliver(body) {
      if (cut || socket.readyState !== WebSocket.OPEN) return 'dropped';
      const buffered = socket.bufferedAmount;
      if (buffered > max) {
        cut = true;
        onOverflow(buffered);
        return 'dropped';
      }
      hold?.();
      socket.send(body, sent);
      return 'sent';
    },
  };
}

/**
 * How a connection bounds its unsent answers: a peer that sends calls but stops reading the answers
 * is cut (like a stalled event reader) once more than `maxBytes` wait to be sent.
 */
export interface AnswerBacklog {
  readonly maxBytes: number;
  /** Runs once, with the bytes unsent; the caller logs and terminates. */
  readonly onOverflow: (buffered: number) => void;
}

/**
 * Answer every API frame received on `socket`. Calls run concurrently; each answer is sent when
 * its call finishes (ws writes whole frames, so answers never interleave). Answers for a socket
 * that closed meanwhile are dropped.
 */
export function answerApiFrames(
  socket: WebSocket,
  dispatch: Dispatch,
  channel: 'ws' | 'ws_reverse',
  failureDetails: boolean,
  logger: Logger,
  onSendError: (err: Error) => void,
  backlog: AnswerBacklog,
  raw?: Writable,
): void {
  const sent = (err?: Error): void => {
    if (err != null) onSendError(err);
  };
  // Answers finished in the same turn (a read full of frames) leave in one write.
  const hold = raw === undefined ? undefined : turnWrites(raw);
  let cut = false;
  const reply = (text: string | null): void => {
    if (text === null || cut || socket.readyState !== WebSocket.OPEN) return;
    const buffered = socket.bufferedAmount;
    if (buffered > backlog.maxBytes) {
      cut = true;
      backlog.onOverflow(buffered);
      return;
    }
    hold?.();
    socket.send(text, sent);
  };
  const onError = (err: unknown, action: string): void => {
    logger.error({ err, action }, `WebSocket API: ${action} failed inside the server: ${(err as Error)?.message ?? String(err)}`);
  };
  socket.on('message', (data: RawData) => {
    const text = frameText(data);
    if (text === null) {
      reply(BAD_FRAME_ENVELOPE);
      return;
    }
    handleApiFrame(text, dispatch, channel, failureDetails, onError).then(reply, (err: unknown) => onError(err, '(frame)'));
  });
}

/**
 * The handle injected connection faults act through (docs/testing.md): send a frame, close with a
 * code or reset the TCP connection, and hold every write on the socket (corked: a half-open peer
 * that keeps the socket but receives nothing, pongs included) until released.
 */
export function faultableSocket(socket: WebSocket, raw: Writable | undefined, transport: 'ws' | 'ws_reverse', role: string, events: boolean, id: number | undefined, selfId?: number): FaultableConnection {
  let held = false;
  return {
    transport,
    role,
    events,
    id,
    selfId,
    send(text) {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    close(code, reason) {
      if (code !== undefined) return void socket.close(code, reason);
      const tcp = raw as Socket | undefined;
      if (tcp !== undefined && typeof tcp.resetAndDestroy === 'function') tcp.resetAndDestroy();
      else socket.terminate();
    },
    hold(on) {
      if (raw === undefined || on === held) return;
      held = on;
      if (on) raw.cork();
      else raw.uncork();
    },
  };
}
