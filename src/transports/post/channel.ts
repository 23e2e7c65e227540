/**
 * HTTP POST event reporting (CQHTTP 4.15 §3.3) as an `EventChannel` of kind `http_post`: each event
 * body is POSTed to `post_url` with 4.15's headers (`Content-Type`, `X-Self-ID`, `X-Signature` when
 * a secret is set, `User-Agent: CQHttp/4.15.0`); a 2xx response with a non-empty JSON-object body
 * is a quick operation, run through `dispatch('.handle_quick_operation', {context, operation})`
 * before `deliver` resolves (§1.2: the POST completes before the WS pushes). Anything else is logged
 * and ignored. `deliver` never rejects and is bounded by `post_timeout`; a dead or slow receiver
 * costs sockets and timers only, never the event loop, and at most `maxPending` deliveries run.
 */
import type { Logger } from 'pino';
import type { ConnectionRegistry } from '../../core/connections.js';
import type { DeliveryOutcome, EventChannel, EventFilter, EventFormat, OneBotEvent } from '../../core/events/channel.js';
import { getBool } from '../../core/params.js';
import type { Dispatch } from '../../core/result.js';
import { PostClient, type PostOutcome } from './client.js';
import { parseOperation } from './response.js';
import { signBody } from './signature.js';

/** `User-Agent` of 4.15 (`CQHttp/<plugin version>`). */
export const DEFAULT_USER_AGENT = 'CQHttp/4.15.0';
/**
 * `post_timeout = 0` means "no timeout" in 4.15 (libcurl then waits forever, and the event thread
 * with it). cqhttpd still ends such a POST after this many seconds, so a hanging receiver cannot
 * hold sockets and pending deliveries forever.
 */
export const NO_TIMEOUT_CAP_SECONDS = 30;
/** Default bound of deliveries in flight (POST + quick operation) per channel. */
export const DEFAULT_MAX_PENDING = 64;

const CONTENT_TYPE = 'application/json; charset=UTF-8';
/** setTimeout's limit (a larger delay would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const QUICK_OPERATION = '.handle_quick_operation';

export interface HttpPostChannelOptions {
  /** `post_url`; must pass {@link isPostUrl}. */
  url: string;
  /** `secret`; "" sends no `X-Signature`. */
  secret: string;
  /** `post_timeout` in seconds for the whole exchange (redirects included); 0 → {@link NO_TIMEOUT_CAP_SECONDS}. */
  timeoutSeconds: number;
  /** The bot's QQ number, sent as `X-Self-ID`. */
  selfId: number;
  /** Default {@link DEFAULT_USER_AGENT}. */
  userAgent?: string;
  format: EventFormat;
  /** A filter of this channel only; `null`/absent = none. */
  filter?: EventFilter | null;
  /** Runs quick operations (`.handle_quick_operation`, channel `quick_operation`). */
  dispatch: Dispatch;
  logger: Logger;
  /** Deliveries in flight beyond this are dropped with a warning (default {@link DEFAULT_MAX_PENDING}). */
  maxPending?: number;
  /** Where the receiver is registered (web console, metrics): last status, latency, errors. */
  connections?: ConnectionRegistry;
}

export interface HttpPostChannel extends EventChannel {
  readonly kind: 'http_post';
  /** Abort the POSTs in flight, close pooled sockets, ignore later events; resolves when deliveries ended. */
  close(): Promise<void>;
}

/** The §3.3 enable rule: a non-empty `post_url` starting with `http://` or `https://` (any case) that parses as a URL. */
export function isPostUrl(url: string): boolean {
  return /^https?:\/\//i.test(url) && URL.canParse(url);
}

/** The URL for logs and the channel name: user and password (if any), query and fragment are not shown (a token may ride there). */
function withoutCredentials(url: URL): string {
  if (url.username === '' && url.password === '' && url.search === '' && url.hash === '') return url.href;
  const copy = new URL(url);
  if (copy.username !== '' || copy.password !== '') copy.username = '***';
  copy.password = '';
  copy.search = '';
  copy.hash = '';
  return copy.href;
}

/** Create the channel; throws a `TypeError` when `url` fails {@link isPostUrl}. */
export function createHttpPostChannel(options: HttpPostChannelOptions): HttpPostChannel {
  if (!isPostUrl(options.url)) throw new TypeError('post_url must be an http:// or https:// URL');
  const url = new URL(options.url);
  const { secret, dispatch } = options;
  // Keep a component name the caller chose (e.g. one per connection); else name it `post`.
  const logger = options.logger.bindings().component === undefined ? options.logger.child({ component: 'post' }) : options.logger;
  const timeoutSeconds = options.timeoutSeconds > 0 ? options.timeoutSeconds : NO_TIMEOUT_CAP_SECONDS;
  const timeoutMs = Math.min(timeoutSeconds * 1000, MAX_TIMER_MS);
  const maxPending = Math.max(1, options.maxPending ?? DEFAULT_MAX_PENDING);
  const baseHeaders: (readonly [string, string])[] = [
    ['Content-Type', CONTENT_TYPE],
    ['User-Agent', options.userAgent ?? DEFAULT_USER_AGENT],
    ['X-Self-ID', String(options.selfId)],
  ];
  const client = new PostClient();
  const controllers = new Set<AbortController>();
  const deliveries = new Set<Promise<DeliveryOutcome>>();
  const shown = withoutCredentials(url);
  const name = `post ${shown}`;
  const entry = options.connections?.open({ transport: 'http_post', role: 'event', path: url.origin + url.pathname, remote: url.host, selfId: options.selfId });
  let closed = false;
  let failures = 0;
  let lastFailure = '';
  let dropped = 0;
  let missingActionWarned = false;

  /** A failed POST: warn when a failure streak starts or changes kind, debug while it goes on. */
  function failed(reason: string): void {
    if (closed) {
      logger.debug(`POST to ${shown} ended at shutdown (${reason})`);
      return;
    }
    failures++;
    const message = `POST to ${shown} failed: ${reason}; no quick operation`;
    if (failures === 1 || reason !== lastFailure) logger.warn(`${message} (repeats are logged at debug level until it works again)`);
    else logger.debug(`${message} (${failures} in a row)`);
    lastFailure = reason;
  }

  function succeeded(status: number): void {
    if (failures > 0) logger.info(`POST to ${shown} works again (HTTP ${status}) after ${failures} failed event(s)`);
    failures = 0;
    lastFailure = '';
  }

  /** The HTTP exchange, bounded by the timeout and by `close()`. */
  async function exchange(body: string): Promise<PostOutcome> {
    const bytes = Buffer.from(body, 'utf8');
    const headers = secret === '' ? baseHeaders : [...baseHeaders, ['X-Signature', signBody(secret, bytes)] as const];
    const controller = new AbortController();
    controllers.add(controller);
    const timer = setTimeout(() => controller.abort(`timed out after ${timeoutSeconds} s`), timeoutMs);
    try {
      return await client.post(url, bytes, headers, controller.signal);
    } finally {
      clearTimeout(timer);
      controllers.delete(controller);
    }
  }

  /** POST one event; a 2xx JSON-object answer is run as its quick operation. */
  async function post(body: string, event: Readonly<OneBotEvent>): Promise<DeliveryOutcome> {
    const started = performance.now();
    const outcome = await exchange(body);
    const latency = performance.now() - started;
    if (outcome.kind === 'failure') {
      entry?.posted(null, latency, outcome.reason);
      failed(outcome.reason);
      return closed ? 'dropped' : 'failed';
    }
    const { status, body: answer } = outcome;
    if (status < 200 || status > 299) {
      entry?.posted(status, latency, `HTTP ${status}`);
      failed(`HTTP ${status}`);
      return 'failed';
    }
    entry?.posted(status, latency);
    succeeded(status);
    const operation = answer.length === 0 ? null : parseOperation(answer);
    if (operation === null) {
      const what = answer.length === 0 ? 'empty response' : 'the response is not a JSON object';
      logger.debug(`POST to ${shown}: HTTP ${status}, ${what}; no quick operation`);
      return 'sent';
    }
    logger.debug(`POST to ${shown}: HTTP ${status}, quick operation ${answer.toString('utf8', 0, 500)}`);
    if (closed) return 'sent';
    const result = await dispatch(QUICK_OPERATION, { context: event, operation }, 'quick_operation');
    if (result === null && !missingActionWarned) {
      missingActionWarned = true;
      logger.warn(`${QUICK_OPERATION} is not registered; quick operations from ${shown} are ignored`);
    }
    // Blocking stops lower-priority CoolQ plugins; there are none here (§3.3).
    if (getBool(operation.block, false)) logger.debug('quick operation "block" has no effect outside CoolQ; ignored');
    return 'sent';
  }

  function deliver(body: string, event: Readonly<OneBotEvent>): Promise<DeliveryOutcome> | DeliveryOutcome {
    if (closed) return 'dropped';
    if (deliveries.size >= maxPending) {
      if (dropped++ === 0) logger.warn(`${maxPending} POSTs to ${shown} are already in flight; dropping events until one ends`);
      else logger.debug(`POST queue full; event dropped (${dropped} so far)`);
      return 'dropped';
    }
    if (dropped > 0) {
      logger.warn(`${dropped} event(s) were not POSTed to ${shown} (max ${maxPending} in flight)`);
      dropped = 0;
    }
    const delivery = post(body, event).catch((err: unknown): DeliveryOutcome => {
      logger.error({ err }, `POST to ${shown}: quick operation failed: ${(err as Error)?.message ?? String(err)}`);
      return 'sent';
    });
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
    return delivery;
  }

  return {
    name,
    kind: 'http_post',
    format: options.format,
    filter: options.filter ?? null,
    ...(entry ? { connection: entry } : {}),
    deliver,
    async close() {
      closed = true;
      for (const controller of controllers) controller.abort('channel closed');
      await Promise.allSettled([...deliveries]);
      client.destroy();
      entry?.remove();
    },
  };
}
