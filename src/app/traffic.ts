/**
 * The traffic log (`log_traffic`, on by default): one `info` line per message the bot receives, per
 * message it sends, per API call that fails, and per bot connection opened or closed — what a
 * go-cqhttp user watches scroll by. Fed by the three observation points, never by a transport:
 * the backend's events, the dispatcher's call observers and the connection registry.
 *
 *   message from Carol(20003) in group Sandbox Lounge(100001): hi bot (id 1234)
 *   private message from Alice(20001): hello (id 1235)
 *   sent to group Sandbox Lounge(100001): hello [image] (id 1236)
 *   sent to Alice(20001): hi (id 1237)
 *   call send_group_msg failed (via http): retcode -9 NOT_IN_GROUP: the bot is not a member of group 424242
 *   call no_such_action failed (via ws): no such action (HTTP 404 / retcode 1404)
 *   bot connected: forward WebSocket /onebot/v11/ws (Universal) from 127.0.0.1:51234
 *   bot disconnected: forward WebSocket /onebot/v11/ws (Universal) from 127.0.0.1:51234 (code 1000)
 *   bot connected: reverse WebSocket Universal to ws://127.0.0.1:8080/onebot/v11/ws
 *
 * Texts are summarised (`summariseMessage`: at most 80 characters, media as `[image]`…, never a
 * payload). No parameter but the message and its target is logged, no URL query string (where a
 * reverse WebSocket URL may carry `access_token`), no header.
 */
import type { Logger } from 'pino';
import type { Awaitable, Backend, BackendEvent } from '../backend/port.js';
import { mapAwaitable } from '../core/awaitable.js';
import type { ConnectionChange, ConnectionSnapshot, ConnectionRegistry } from '../core/connections.js';
import type { CallRecord, Dispatcher } from '../core/dispatch.js';
import { decodeMessage, decodeSendMessage, summariseMessage } from '../message/index.js';

export interface TrafficDeps {
  backend: Backend;
  dispatcher: Pick<Dispatcher, 'onCall'>;
  connections: ConnectionRegistry;
  logger: Logger;
}

/** The actions whose success is a message sent by the bot. */
const SEND_ACTIONS = new Set(['send_msg', 'send_group_msg', 'send_private_msg', 'send_discuss_msg', 'send_forward_msg', 'send_group_forward_msg', 'send_private_forward_msg']);

const ROLE_NAMES: Readonly<Record<string, string>> = { universal: 'Universal', api: 'API', event: 'Event' };

/** `name(id)`, or `id` alone when the name cannot be had; `then` runs now when the lookup is synchronous. */
function withName<T>(lookup: () => Awaitable<T>, name: (value: T) => string, id: unknown, then: (shown: string) => void): void {
  const fallback = (): void => then(String(id));
  let value: Awaitable<T>;
  try {
    value = lookup();
  } catch {
    fallback();
    return;
  }
  const shown = mapAwaitable(value, (found) => then(`${name(found)}(${String(id)})`));
  if (shown instanceof Promise) shown.catch(fallback);
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Whether `auto_escape` is on, read leniently (the action validated it already). */
const truthy = (value: unknown): boolean => value === true || value === 1 || (typeof value === 'string' && /^(true|yes|1)$/i.test(value));

/** Start logging traffic; returns the function that stops it. */
export function logTraffic({ backend, dispatcher, connections, logger }: TrafficDeps): () => void {
  const groupName = (groupId: unknown, then: (shown: string) => void): void =>
    withName(() => backend.getGroupInfo(Number(groupId), false), (g) => g.groupName, groupId, then);
  const userName = (userId: unknown, then: (shown: string) => void): void =>
    withName(() => backend.getStrangerInfo(Number(userId), false), (u) => u.nickname, userId, then);

  function received(event: BackendEvent): void {
    if (event.post_type !== 'message') return;
    const text = summariseMessage(decodeMessage(event.message ?? event.raw_message, false));
    const sender = (event.sender ?? {}) as Record<string, unknown>;
    const anonymous = event.anonymous as Record<string, unknown> | null | undefined;
    const who = `${anonymous ? `${str(anonymous.name) || 'anonymous'} (anonymous)` : str(sender.card) || str(sender.nickname) || '?'}(${String(event.user_id)})`;
    const id = `(id ${String(event.message_id)})`;
    if (event.message_type === 'group') groupName(event.group_id, (group) => logger.info(`message from ${who} in group ${group}: ${text} ${id}`));
    else if (event.message_type === 'discuss') logger.info(`message from ${who} in discuss ${String(event.discuss_id)}: ${text} ${id}`);
    else logger.info(`private message from ${who}${event.sub_type === 'group' ? ' (temporary session)' : ''}: ${text} ${id}`);
  }

  function sent(record: CallRecord): void {
    const { params } = record;
    const data = (record.data ?? {}) as Record<string, unknown>;
    const forward = record.action.includes('forward');
    const text = forward
      ? `[forward: ${Array.isArray(params.messages) ? params.messages.length : '?'} nodes]`
      : summariseMessage(decodeSendMessage(params.message, truthy(params.auto_escape)));
    const id = `(id ${String(data.message_id)})`;
    const kind = str(params.message_type)
      || (record.action.includes('group') || params.group_id !== undefined ? 'group' : record.action.includes('discuss') || params.discuss_id !== undefined ? 'discuss' : 'private');
    if (kind === 'group') groupName(params.group_id, (group) => logger.info(`sent to group ${group}: ${text} ${id}`));
    else if (kind === 'discuss') logger.info(`sent to discuss ${String(params.discuss_id)}: ${text} ${id}`);
    else userName(params.user_id, (user) => logger.info(`sent to ${user}: ${text} ${id}`));
  }

  function called(record: CallRecord): void {
    if (record.retcode === 0) {
      if (SEND_ACTIONS.has(record.action)) sent(record);
      return;
    }
    if (record.retcode === 1) return; // accepted: its outcome is reported when it runs
    const via = `(via ${record.channel})`;
    if (record.unknown === true) {
      logger.info(`call ${record.action} failed ${via}: no such action (HTTP 404 / retcode 1404)`);
      return;
    }
    const error = record.error;
    const why = error === undefined ? '' : ` ${error.code}: ${error.message}`;
    logger.info(`call ${record.action} failed ${via}: retcode ${record.retcode}${why}`);
  }

  /** Connections announced as connected (so that a refused handshake is not announced closed). */
  const announced = new Set<number>();
  const describe = (c: ConnectionSnapshot): string =>
    c.transport === 'ws'
      ? `forward WebSocket ${c.path} (${ROLE_NAMES[c.role] ?? c.role}) from ${c.remote}`
      : `reverse WebSocket ${c.role} to ${c.path}`;

  function changed({ connection: c }: ConnectionChange): void {
    if (c.transport === 'http_post') return;
    // A forward socket counts once its token check passed (or none is configured); cqhttpd's own dials once open.
    const authorised = c.transport === 'ws_reverse' || c.auth === 'ok' || c.auth === 'none';
    if (c.state === 'open' && authorised) {
      if (announced.has(c.id)) return;
      announced.add(c.id);
      logger.info(`bot connected: ${describe(c)}`);
    } else if (announced.delete(c.id)) {
      const code = c.closeCode === null ? '' : ` (code ${c.closeCode})`;
      logger.info(`bot disconnected: ${describe(c)}${code}${c.state === 'retrying' ? '; reconnecting' : ''}`);
    }
  }

  const stops = [backend.onEvent(received), dispatcher.onCall(called), connections.onChange(changed)];
  return () => {
    for (const stop of stops) stop();
  };
}
