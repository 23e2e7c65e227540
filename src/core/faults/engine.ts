/**
 * The fault engine: the faults set through the control API (or a scenario's `fault:` step) and the
 * hooks the dispatcher, the event pipeline and the transports ask — only while `active` is true,
 * so that with no fault set the hot paths pay one boolean test. Every injection is told to the
 * `onInjected` listeners (the control API's stream, hence the test trace). Probabilities are rolled
 * from a seeded generator: the same seed and the same traffic inject the same faults.
 */
import type { Logger } from 'pino';
import { ApiError } from '../../protocol/errors.js';
import { checkFault, type FaultEffect, type FaultTarget, type FaultTransport } from '../../protocol/fault-spec.js';
import type { EventChannel, OneBotEvent } from '../events/channel.js';
import type { Channel } from '../result.js';
import { callText, eventKind, subsetMatches } from './match.js';
import { connectionMatches, faultToWire, makeFault, type Fault, type FaultableConnection } from './fault.js';
import { PROFILES } from './profiles.js';
import { seededRandom } from './random.js';

/** What one injection was, as the stream and the trace show it. */
export type Injection = { id: string; effect: FaultEffect; target: FaultTarget; profile?: string } & Record<string, unknown>;

/** A fault object refused, with every problem. */
export class FaultInputError extends ApiError {
  constructor(readonly problems: readonly string[]) {
    super('BAD_PARAMS', `invalid fault: ${problems.join('; ')}`);
  }
}

/** Calls the console makes and the action handlers' own calls are not faulted unless named. */
const BOT_CHANNELS = new Set<string>(['http', 'ws', 'ws_reverse', 'quick_operation']);
/** Most faults kept at once. */
const MAX_FAULTS = 256;

export interface FaultEngineOptions {
  logger: Logger;
  selfId: number;
  /** The sandbox's clock (Unix ms), for the `time` of injected notices. */
  now?: () => number;
  /** The dice's seed until `seed()` sets one (default 1). */
  seed?: number;
}

export class FaultEngine {
  /** True while any fault is set: the only thing the hot paths read. */
  active = false;
  readonly #log: Logger;
  readonly #selfId: number;
  readonly #now: () => number;
  #faults: Fault[] = [];
  #next = 1;
  #seed: number;
  #random: () => number;
  readonly #listeners = new Set<(injection: Injection) => void>();
  readonly #connections = new Set<FaultableConnection>();
  /** Delays in progress: on close, run now. */
  readonly #timers = new Map<NodeJS.Timeout, () => void>();
  /** Calls never answered: on reset or close, given up. */
  readonly #hangs = new Map<NodeJS.Timeout, () => void>();

  constructor(options: FaultEngineOptions) {
    this.#log = options.logger;
    this.#selfId = options.selfId;
    this.#now = options.now ?? Date.now;
    this.#seed = options.seed ?? 1;
    this.#random = seededRandom(this.#seed);
  }

  /** Restart the dice from `seed`. */
  seed(seed: number): void {
    this.#seed = seed;
    this.#random = seededRandom(seed);
    this.#log.info(`faults: dice seeded with ${seed}`);
  }

  /** Hear of every injection; returns the unsubscribe function. */
  onInjected(listener: (injection: Injection) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Add a fault (or a profile's faults); answers its id. @throws FaultInputError listing every problem */
  add(input: unknown): { id: string; faults: Record<string, unknown>[] } {
    const checked = checkFault(input);
    if (!checked.ok) throw new FaultInputError(checked.problems);
    if (this.#faults.length >= MAX_FAULTS) throw new FaultInputError([`at most ${MAX_FAULTS} faults are kept; clear some first`]);
    const id = `f${this.#next++}`;
    const { profile, probability, times } = checked.fault;
    const parts = profile === undefined ? [checked.fault] : PROFILES[profile].map((part) => ({ ...part, ...(probability !== undefined ? { probability } : {}), ...(times !== undefined ? { times } : {}) }));
    const added = parts.map((part, i) => makeFault(parts.length === 1 ? id : `${id}.${i + 1}`, part, profile));
    this.#faults.push(...added);
    this.active = true;
    this.#log.info(`faults: ${id} set (${profile ?? `${added[0]?.target ?? ''} ${added[0]?.effect ?? ''}`})`);
    for (const fault of added) if (fault.target === 'connection') this.#onSet(fault);
    return { id, faults: added.map(faultToWire) };
  }

  /** The faults set, and the dice's seed. */
  list(): { seed: number; faults: Record<string, unknown>[] } {
    this.#expireRefusals();
    return { seed: this.#seed, faults: this.#faults.map(faultToWire) };
  }

  /** Clear a fault (a profile's id clears all its parts); false when none has this id. */
  remove(id: string): boolean {
    const gone = this.#faults.filter((f) => f.id === id || f.id.startsWith(`${id}.`));
    for (const fault of gone) this.#end(fault);
    if (gone.length > 0) this.#log.info(`faults: ${id} cleared`);
    return gone.length > 0;
  }

  /** Clear every fault (held events flushed, held sockets released, hanging calls given up); answers how many. */
  reset(): number {
    const count = this.#faults.length;
    for (const fault of [...this.#faults]) this.#end(fault);
    for (const [timer, give] of this.#hangs) {
      clearTimeout(timer);
      give();
    }
    this.#hangs.clear();
    if (count > 0) this.#log.info(`faults: ${count} cleared`);
    return count;
  }

  /** Shut down: clear everything and run what was delayed. */
  close(): void {
    this.reset();
    for (const [timer, run] of this.#timers) {
      clearTimeout(timer);
      run();
    }
    this.#timers.clear();
    this.#listeners.clear();
  }

  // --- hooks ---------------------------------------------------------------------------------

  /** The action fault this call meets (dice rolled, counted, traced), if any. */
  forCall(action: string, params: Readonly<Record<string, unknown>>, channel: Channel): Fault | undefined {
    for (const fault of this.#faults) {
      if (fault.target !== 'action') continue;
      if (fault.actions !== null && !fault.actions.has(action)) continue;
      if (fault.channels === null ? !BOT_CHANNELS.has(channel) : !fault.channels.has(channel)) continue;
      const { params: subset, contains } = fault.input;
      if (subset !== undefined && !subsetMatches(subset, params)) continue;
      if (contains !== undefined && !callText(params).includes(contains)) continue;
      if (!this.#take(fault)) continue;
      this.#inject(fault, { action, channel, ...(fault.effect === 'fail' ? { retcode: fault.input.retcode } : {}), ...(fault.ms > 0 ? { ms: fault.ms } : {}) });
      return fault;
    }
    return undefined;
  }

  /** Route one published event through the event faults; `admit` delivers it (now, later, twice or never). */
  event(event: OneBotEvent, admit: (event: OneBotEvent) => void): void {
    for (const fault of this.#faults) {
      if (fault.target !== 'event' || !subsetMatches(fault.input.event ?? {}, event)) continue;
      if (!this.#take(fault)) continue;
      this.#inject(fault, { event: eventKind(event), ...(fault.ms > 0 ? { ms: fault.ms } : {}) });
      switch (fault.effect) {
        case 'shadow_drop':
          return;
        case 'duplicate':
          admit(event);
          admit(event);
          return;
        case 'delay':
          this.#later(fault.ms, () => admit(event));
          return;
        default: // burst
          this.#hold(fault, event, admit);
          return;
      }
    }
    admit(event);
  }

  /** Whether this delivery is suppressed on this channel (`heartbeat_stop`). */
  blocks(channel: EventChannel, event: Readonly<OneBotEvent>): boolean {
    if (event.meta_event_type !== 'heartbeat') return false;
    const conn = channel.connection;
    const transport = conn?.transport;
    for (const fault of this.#faults) {
      if (fault.effect !== 'heartbeat_stop') continue;
      const want = fault.input.connection ?? {};
      if (want.transport !== undefined && want.transport !== transport) continue;
      if (want.role !== undefined && (conn?.role ?? '').toLowerCase() !== want.role.toLowerCase()) continue;
      if (!this.#take(fault)) continue;
      this.#inject(fault, { connection: { id: conn?.id ?? null, transport: transport ?? null, role: conn?.role ?? null } });
      return true;
    }
    return false;
  }

  /** Whether a new connection on this transport is refused now (`refuse`). */
  refuses(transport: FaultTransport): boolean {
    this.#expireRefusals();
    for (const fault of this.#faults) {
      if (fault.effect !== 'refuse') continue;
      const want = fault.input.connection?.transport;
      if (want !== undefined && want !== transport) continue;
      if (!this.#take(fault)) continue;
      this.#inject(fault, { connection: { transport } });
      return true;
    }
    return false;
  }

  /** A connection opened: it is subject to the connection faults from now on; returns its detach function. */
  attach(connection: FaultableConnection): () => void {
    this.#connections.add(connection);
    for (const fault of [...this.#faults]) if (fault.target === 'connection') this.#onConnection(fault, connection);
    return () => {
      this.#connections.delete(connection);
      for (const fault of this.#faults) fault.holding.delete(connection);
    };
  }

  /** Resolves after `ms` (tracked: a shutdown does not wait for it). */
  wait(ms: number): Promise<void> {
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => this.#later(ms, resolve));
  }

  /** Resolves after `ms`, or at the next reset: how long a never-answered call is held. */
  hang(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#hangs.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.#hangs.set(timer, resolve);
    });
  }

  /** A message id for a send that was swallowed: plausible, from the dice, never stored. */
  messageId(): number {
    return 1 + Math.floor(this.#random() * 2_000_000_000);
  }

  // --- internals -----------------------------------------------------------------------------

  /** Roll the dice and count a hit; a fault whose times are used up is cleared. */
  #take(fault: Fault): boolean {
    if (fault.probability < 1 && this.#random() >= fault.probability) return false;
    fault.hits++;
    if (--fault.remaining <= 0) this.#end(fault);
    return true;
  }

  #inject(fault: Fault, details: Record<string, unknown>): void {
    const injection: Injection = { id: fault.id, effect: fault.effect, target: fault.target, ...(fault.profile !== undefined ? { profile: fault.profile } : {}), ...details };
    if (this.#log.isLevelEnabled('debug')) this.#log.debug({ fault: injection }, `fault ${fault.id} injected: ${fault.effect}`);
    for (const listener of this.#listeners) listener(injection);
  }

  /** A connection fault just set: a drop fires once on every matching open connection (or waits for the next one). */
  #onSet(fault: Fault): void {
    const matching = [...this.#connections].filter((c) => connectionMatches(fault, c));
    if (fault.effect !== 'drop') {
      for (const c of matching) this.#onConnection(fault, c);
      return;
    }
    if (matching.length === 0 || !this.#take(fault)) return;
    for (const c of matching) this.#drop(fault, c);
  }

  /** A connection fault meets a connection that just opened. */
  #onConnection(fault: Fault, c: FaultableConnection): void {
    if (!this.#faults.includes(fault) || !connectionMatches(fault, c)) return;
    if (fault.effect === 'drop') {
      if (this.#take(fault)) this.#drop(fault, c);
    } else if (fault.effect === 'half_open') {
      if (fault.holding.has(c) || !this.#take(fault)) return;
      this.#inject(fault, { connection: { id: c.id ?? null, transport: c.transport, role: c.role } });
      fault.holding.add(c);
      c.hold(true);
    }
  }

  #drop(fault: Fault, c: FaultableConnection): void {
    const { code, reason = 'fault: dropped', notice } = fault.input;
    this.#inject(fault, { connection: { id: c.id ?? null, transport: c.transport, role: c.role }, ...(code !== undefined ? { code } : { reset: true }), ...(notice ? { notice } : {}) });
    if (notice !== undefined && c.events) {
      const self = c.selfId ?? this.#selfId;
      c.send(JSON.stringify({ post_type: 'notice', self_id: self, time: Math.floor(this.#now() / 1000), user_id: self, ...notice }));
    }
    c.close(code, reason);
  }

  #hold(fault: Fault, event: OneBotEvent, admit: (event: OneBotEvent) => void): void {
    fault.held.push(event);
    const release = (): void => {
      if (fault.flush !== undefined) this.#cancel(fault.flush);
      fault.flush = undefined;
      for (const held of fault.held.splice(0)) admit(held);
    };
    if (fault.input.count !== undefined && fault.held.length >= fault.input.count) release();
    else if (fault.held.length === 1) fault.flush = this.#later(fault.ms, release);
  }

  /** Run `fn` after `ms`, tracked so that close() runs it at once. */
  #later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.#timers.set(timer, fn);
    return timer;
  }

  /** Forget a tracked timer. */
  #cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  #expireRefusals(): void {
    const now = Date.now();
    for (const fault of this.#faults) if (fault.effect === 'refuse' && fault.until <= now) this.#end(fault);
  }

  /** Take a fault out: flush what it holds, release what it stopped. */
  #end(fault: Fault): void {
    const i = this.#faults.indexOf(fault);
    if (i < 0) return;
    this.#faults.splice(i, 1);
    this.active = this.#faults.length > 0;
    if (fault.flush !== undefined) {
      const run = this.#timers.get(fault.flush);
      this.#cancel(fault.flush);
      run?.();
    }
    for (const c of fault.holding) c.hold(false);
    fault.holding.clear();
  }
}

