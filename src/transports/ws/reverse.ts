/**
 * The reverse WebSocket client (CQHTTP 4.15 §3.5): cqhttpd dials the bot.
 *
 * | role        | answers API frames | pushes events | `connect` broadcast on open |
 * |-------------|--------------------|---------------|-----------------------------|
 * | `API`       | yes                | no            | no                          |
 * | `Event`     | no (ignored)       | yes           | yes                         |
 * | `Universal` | yes                | yes           | yes                         |
 *
 * One client holds at most one socket. After a failed dial, an error, a failed send or a close
 * (a 1000 close only when `reconnectOnCode1000`) it waits `reconnectIntervalMs` and dials again,
 * forever, until `close()`. Events that occur while it is not connected are dropped (§3.5).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type { ConnectionRegistry } from '../../core/connections.js';
import type { Dispatch } from '../../core/result.js';
import type { FaultEngine } from '../../core/faults/index.js';
import { answerApiFrames, faultableSocket, isFrameTooLarge, socketChannel } from './connection.js';
import type { EventHub, WsEventSettings } from './connection.js';

export type ReverseRole = 'Universal' | 'API' | 'Event';

/** Settings of one reverse client (config keys `ws_reverse_*`, `access_token`, `self_id`). */
export interface ReverseWsOptions extends WsEventSettings {
  role: ReverseRole;
  /** `ws://…` or `wss://…`; anything else leaves the client disconnected (logged once). */
  url: string;
  /** The bot's QQ number, sent as `X-Self-ID`. */
  selfId: number | string;
  /** "" sends no `Authorization` header. */
  accessToken: string;
  /** `Bearer` (OneBot v11, default) or 4.15's `Token` (decision P2). */
  authorizationScheme: 'Bearer' | 'Token';
  reconnectIntervalMs: number;
  reconnectOnCode1000: boolean;
  /** Add `msg`/`wording` to failure envelopes (decision P4). */
  failureDetails: boolean;
  /** Largest accepted frame in bytes; a bigger one closes the connection with 1009. */
  maxFrameSize: number;
  /** `User-Agent` of the handshake, e.g. `CQHttp/4.15.0`. */
  userAgent: string;
  /** How long a handshake may take before the dial counts as failed (ms, default 5000). */
  handshakeTimeoutMs?: number;
}

export interface ReverseWsDeps {
  dispatch: Dispatch;
  hub: EventHub;
  options: ReverseWsOptions;
  logger: Logger;
  /** Where the client is registered (web console, metrics); absent = not registered. */
  connections?: ConnectionRegistry;
  /** Injected faults: `refuse` skips dials; `drop` and `half_open` act on the open socket. */
  faults?: FaultEngine;
}

export interface ReverseWsClient {
  /** Dial (idempotent); reconnects by itself from then on. */
  start(): void;
  /** Stop reconnecting and close the socket (1001, cut after a grace period). Idempotent. */
  close(): Promise<void>;
  /** Whether the socket is open now. */
  connected(): boolean;
}

const URL_SCHEME = /^wss?:\/\//i;
const CLOSE_GRACE_MS = 2_000;

/** The handshake headers of §3.5 / C.3 (`Authorization` only with a token). */
export function reverseHeaders(options: Pick<ReverseWsOptions, 'role' | 'selfId' | 'accessToken' | 'authorizationScheme' | 'userAgent'>): Record<string, string> {
  const headers: Record<string, string> = {
    'User-Agent': options.userAgent,
    'X-Self-ID': String(options.selfId),
    'X-Client-Role': options.role,
  };
  if (options.accessToken !== '') headers.Authorization = `${options.authorizationScheme} ${options.accessToken}`;
  return headers;
}

/** Create (not start) one reverse client. An unusable URL gives a client that never connects. */
export function createReverseWsClient(deps: ReverseWsDeps): ReverseWsClient {
  const { dispatch, hub, options } = deps;
  const { role, url } = options;
  const logger = deps.logger.bindings().component === undefined ? deps.logger.child({ component: 'ws_reverse' }) : deps.logger;
  const name = `ws_reverse ${role} ${shownUrl(url)}`;
  if (!usableUrl(url)) {
    logger.error(`reverse WebSocket ${role} client not created: "${shownUrl(url)}" is not a ws:// or wss:// URL (ws_reverse_url / ws_reverse_${role.toLowerCase()}_url)`);
    return { start() {}, close: () => Promise.resolve(), connected: () => false };
  }
  const headers = reverseHeaders(options);
  const shown = new URL(url);
  const entry = deps.connections?.open({ transport: 'ws_reverse', role, path: shown.origin + shown.pathname, remote: remoteOf(shown), state: 'retrying', selfId: options.selfId });
  const interval = Math.max(0, options.reconnectIntervalMs);
  const events = role !== 'API';
  let started = false;
  let stopped = false;
  let socket: WebSocket | null = null;
  let timer: NodeJS.Timeout | null = null;
  /** Whether the last dial failed, so repeated failures are logged at debug level only. */
  let failing = false;
  let done: Promise<void> | undefined;

  function dial(): void {
    timer = null;
    if (stopped || socket !== null) return;
    if (deps.faults?.active === true && deps.faults.refuses('ws_reverse')) {
      entry?.error('connection refused by an injected fault');
      timer = setTimeout(dial, interval);
      return;
    }
    const ws = new WebSocket(url, {
      headers,
      maxPayload: Math.max(1, options.maxFrameSize),
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: options.handshakeTimeoutMs ?? 5_000,
      followRedirects: false,
    });
    socket = ws;
    entry?.connecting();
    let raw: Socket | undefined;
    ws.once('upgrade', (res: IncomingMessage) => {
      raw = res.socket;
    });
    let opened = false;
    let detach: (() => void) | undefined;
    let unfault: (() => void) | undefined;
    const cut = (err: Error): void => {
      logger.warn(`${name}: send failed (${err.message}); reconnecting`);
      ws.terminate();
    };
    ws.on('open', () => {
      opened = true;
      failing = false;
      logger.debug(`${name}: connected`); // the traffic log announces it (app/traffic.ts)
      entry?.connected();
      let overflowed = false;
      const overflow = (buffered: number): void => {
        if (overflowed) return;
        overflowed = true;
        logger.warn(`${name}: server is not reading (${buffered} bytes unsent, limit ${options.maxBacklogBytes}); reconnecting`);
        entry?.error(`not reading: ${buffered} bytes unsent`);
        ws.terminate();
      };
      unfault = deps.faults?.attach(faultableSocket(ws, raw, 'ws_reverse', role, events, entry?.id, Number(options.selfId)));
      if (role !== 'Event') answerApiFrames(ws, dispatch, 'ws_reverse', options.failureDetails, logger, cut, { maxBytes: options.maxBacklogBytes, onOverflow: overflow }, raw);
      if (events) {
        detach = hub.attach(socketChannel(ws, name, options, overflow, cut, raw, entry));
        hub.emitLifecycle('connect');
      }
    });
    ws.on('error', (err) => {
      if (stopped) return; // close() aborting a dial or cutting a lingering socket
      entry?.error(err.message);
      if (isFrameTooLarge(err)) {
        logger.warn(`${name}: frame larger than ${options.maxFrameSize} bytes; connection closed (1009)`);
      } else if (opened || !failing) {
        logger.warn(`${name}: ${opened ? 'connection error' : 'cannot connect'}: ${err.message}`);
      } else {
        logger.debug(`${name}: cannot connect: ${err.message}`);
      }
      if (!opened) failing = true;
    });
    ws.on('close', (code) => {
      socket = null;
      detach?.();
      detach = undefined;
      unfault?.();
      unfault = undefined;
      if (opened) logger.debug(`${name}: disconnected (code ${code})`);
      const final = stopped || (opened && code === 1000 && !options.reconnectOnCode1000);
      entry?.closed(opened ? code : null, !final);
      if (stopped) return;
      if (final) {
        logger.info(`${name}: closed with 1000; not reconnecting (ws_reverse_reconnect_on_code_1000 is off)`);
        return;
      }
      timer = setTimeout(dial, interval);
    });
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      dial();
    },
    connected: () => socket !== null && socket.readyState === WebSocket.OPEN,
    close() {
      if (done === undefined) {
        stopped = true;
        if (timer !== null) clearTimeout(timer);
        timer = null;
        done = closeSocket(socket).then(() => entry?.remove());
      }
      return done;
    },
  };
}

/** `host:port` of a ws:// URL, for the registry. */
function remoteOf(parsed: URL): string {
  return parsed.port === '' ? `${parsed.hostname}:${parsed.protocol === 'wss:' ? 443 : 80}` : parsed.host;
}

/** The URL as logs show it: no user info, query or fragment (an `access_token` may ride in the query). */
export function shownUrl(url: string): string {
  return url.replace(/[?#][\s\S]*$/, '').replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, '$1');
}

function usableUrl(url: string): boolean {
  if (!URL_SCHEME.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** Close with 1001 and resolve on 'close'; cut the socket if the peer does not answer in time. */
function closeSocket(ws: WebSocket | null): Promise<void> {
  if (ws === null || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const cut = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1001);
  });
}
