/**
 * One fault as the engine keeps it: made from a checked fault object, matched against connections,
 * listed on the control API. Also the handle through which connection faults act on a socket.
 */
import { faultMs, type FaultEffect, type FaultInput, type FaultTarget } from '../../protocol/fault-spec.js';
import type { OneBotEvent } from '../events/channel.js';

/** A live connection a fault can act on (a forward or reverse WebSocket), registered by its transport. */
export interface FaultableConnection {
  readonly transport: 'ws' | 'ws_reverse';
  readonly role: string;
  /** Whether it carries events (not an API-only connection): a drop's notice goes to these only. */
  readonly events: boolean;
  /** Its id in the connection registry, when registered. */
  readonly id?: number | undefined;
  /** The bot account it belongs to (with several bots); absent = the first. */
  readonly selfId?: number | undefined;
  /** Send one text frame now (the notice before a drop). */
  send(text: string): void;
  /** Close with `code`, or reset the TCP connection when `code` is undefined. */
  close(code: number | undefined, reason: string): void;
  /** Stop (true) or resume (false) sending anything on the socket, keeping it open. */
  hold(on: boolean): void;
}

/** One fault as kept. */
export interface Fault {
  readonly id: string;
  readonly input: FaultInput;
  readonly target: FaultTarget;
  readonly effect: FaultEffect;
  readonly profile: string | undefined;
  /** The duration setting, ms (0 when none). */
  readonly ms: number;
  readonly probability: number;
  remaining: number;
  hits: number;
  readonly actions: ReadonlySet<string> | null;
  readonly channels: ReadonlySet<string> | null;
  /** `refuse`: when it ends (ms, real clock). */
  until: number;
  /** `burst`: the events held, and the timer that flushes them. */
  held: OneBotEvent[];
  flush: NodeJS.Timeout | undefined;
  /** `half_open`: the connections it holds. */
  holding: Set<FaultableConnection>;
}

/** A fault as kept, from a checked fault object (`id`: its own, `profile`: the profile it is part of). */
export function makeFault(id: string, input: FaultInput, profile: string | undefined): Fault {
  const target: FaultTarget = input.action !== undefined ? 'action' : input.event !== undefined ? 'event' : 'connection';
  const effect = input.effect as FaultEffect;
  const actions = input.action === undefined || input.action === '*' ? null : new Set(typeof input.action === 'string' ? [input.action] : input.action);
  const channels = input.channel === undefined ? null : new Set(typeof input.channel === 'string' ? [input.channel] : input.channel);
  const defaultMs = effect === 'timeout' ? 60_000 : effect === 'burst' ? 2_000 : 0;
  const ms = input.duration === undefined ? defaultMs : (faultMs(input.duration) ?? 0);
  // A drop fires once unless told otherwise; a half-open socket stays held until the fault is cleared.
  const remaining = effect === 'half_open' ? Infinity : input.times ?? (effect === 'drop' ? 1 : Infinity);
  return {
    id, input, target, effect, profile, ms, probability: input.probability ?? 1, remaining, hits: 0,
    actions, channels, until: effect === 'refuse' ? Date.now() + ms : Infinity, held: [], flush: undefined, holding: new Set(),
  };
}

/** Whether a connection fault's target (transport, role; case-insensitive) takes this connection. */
export function connectionMatches(fault: Fault, c: FaultableConnection): boolean {
  const want = fault.input.connection ?? {};
  if (want.transport !== undefined && want.transport !== c.transport) return false;
  return want.role === undefined || want.role.toLowerCase() === c.role.toLowerCase();
}

/** A fault as the control API lists it: its object, id, hits and the times left. */
export function faultToWire(fault: Fault): Record<string, unknown> {
  return {
    ...fault.input, id: fault.id, hits: fault.hits, remaining: Number.isFinite(fault.remaining) ? fault.remaining : null,
    ...(fault.profile !== undefined ? { profile: fault.profile } : {}),
    ...(fault.effect === 'refuse' ? { until: fault.until } : {}),
  };
}
