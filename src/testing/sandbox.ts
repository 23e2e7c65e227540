/**
 * The test engine on a running sandbox (`Sandbox`, made by `startSandbox()` in start.ts). The engine only uses the sandbox control API (acts, world reads, `/api/connections`)
 * and its stream (the bot's messages, its calls, the events it was sent) — the same surface any
 * script can use; the scenario runner (`cqhttpd test`) is built on this. Reference: docs/testing.md.
 */
import net from 'node:net';
import type { Cqhttpd } from '../app/start.js';
import type { FaultInput, FaultProfile } from '../protocol/fault-spec.js';
import { actOf, actRequest, parseDuration, type Act } from './acts.js';
import { ControlClient } from './control-client.js';
import { callExpectation, eventExpectation, replyExpectation, type CallSpec, type ReplySpec } from './expectations.js';
import { Inbox, type Expectation, type Item, type ItemKind } from './inbox.js';
import type { Trace } from './trace.js';
import { WorldReader, type ChatOf, type Ref, type WorldCheck } from './world.js';


/** A fault object (docs/testing.md "Fault injection"), or a profile's name. */
export type FaultSpec = FaultInput | FaultProfile;

/** A fault set by {@link Sandbox.fault}. */
export interface FaultHandle {
  /** Its id (`f1`; a profile's parts are `f1.1`, `f1.2`…). */
  readonly id: string;
  /** The faults it set, as `GET /api/faults` lists them. */
  readonly faults: readonly Record<string, unknown>[];
  /** Clear it (and a profile's parts). */
  clear(): Promise<void>;
}

/** What the bot under test needs to connect. */
export interface BotConnection {
  selfId: number;
  /** `access_token` ("" when none). */
  accessToken: string;
  /** The HTTP API, e.g. `http://127.0.0.1:41234` (when enabled). */
  http?: string;
  /** The forward WebSocket's Universal endpoint, e.g. `ws://127.0.0.1:41235/` (when enabled). */
  ws?: string;
  /** The sandbox control API. */
  control: string;
}

interface Timing { timeout?: number }

export class Sandbox {
  /** The (first) bot's connection. */
  readonly connection: BotConnection;
  /** Every bot account's connection, the first one first (several with the `bots` config key, docs/testing.md#several-bots). */
  readonly bots: readonly BotConnection[];
  /** The underlying cqhttpd (for logs and advanced tests; the engine itself uses the control API). */
  readonly app: Cqhttpd;
  readonly trace: Trace;
  readonly timeout: number;
  readonly quiet: number;
  readonly #control: ControlClient;
  readonly #inbox = new Inbox();
  readonly #world: WorldReader;
  readonly #chats: Map<number, ReturnType<ChatOf>>;
  readonly #cleanup: () => Promise<void>;
  #closed: Promise<void> | undefined;

  /** @internal use {@link startSandbox}. */
  constructor(init: { app: Cqhttpd; selfId: number; control: ControlClient; trace: Trace; chats: Map<number, ReturnType<ChatOf>>; timeout: number; quiet: number; cleanup: () => Promise<void> }) {
    this.app = init.app;
    this.#control = init.control;
    this.trace = init.trace;
    this.timeout = init.timeout;
    this.quiet = init.quiet;
    this.#chats = init.chats;
    this.#cleanup = init.cleanup;
    this.#world = new WorldReader(init.control, (id) => this.#chats.get(id));
    this.bots = init.app.bots.map((bot) => ({
      selfId: bot.selfId,
      accessToken: bot.config.access_token,
      control: init.control.base,
      ...(bot.http ? { http: `http://127.0.0.1:${bot.http.port}` } : {}),
      ...(bot.ws ? { ws: `ws://127.0.0.1:${bot.ws.port}/` } : {}),
    }));
    this.connection = { ...(this.bots[0] as BotConnection), selfId: init.selfId };
  }

  /** @internal the stream's frames, from {@link startSandbox}. */
  receive(kind: string, data: Record<string, unknown>): void {
    this.trace.write(kind, { data });
    if (kind === 'message') {
      const id = Number(data['message_id']);
      const chat = data['group_id'] !== undefined ? { group_id: Number(data['group_id']) }
        : data['discuss_id'] !== undefined ? { discuss_id: Number(data['discuss_id']) }
          : { user_id: Number(data['user_id']) === this.connection.selfId ? Number(data['target_id']) : Number(data['user_id']) };
      this.#chats.set(id, chat);
      if (this.#chats.size > 100_000) this.#chats.delete(this.#chats.keys().next().value as number);
      if (this.bots.some((bot) => bot.selfId === Number(data['user_id']))) this.#inbox.push('reply', data);
    } else if (kind === 'call' || kind === 'event') {
      this.#inbox.push(kind, data);
    }
    // `fault` frames (an injection) are trace lines only.
  }

  /**
   * The environment a bot process gets: `CQHTTPD_HTTP_URL`, `CQHTTPD_WS_URL`, `CQHTTPD_ACCESS_TOKEN`,
   * `CQHTTPD_SELF_ID`, `CQHTTPD_SANDBOX_URL` (the first bot's), and with several bots `CQHTTPD_BOTS`:
   * a JSON array of every bot's `{selfId, accessToken, http, ws, control}`.
   */
  env(): Record<string, string> {
    const c = this.connection;
    return {
      CQHTTPD_SELF_ID: String(c.selfId), CQHTTPD_ACCESS_TOKEN: c.accessToken, CQHTTPD_SANDBOX_URL: c.control,
      ...(c.http ? { CQHTTPD_HTTP_URL: c.http } : {}), ...(c.ws ? { CQHTTPD_WS_URL: c.ws } : {}),
      ...(this.bots.length > 1 ? { CQHTTPD_BOTS: JSON.stringify(this.bots) } : {}),
    };
  }

  /**
   * Wait until the bot can receive events: a WebSocket event connection (forward or reverse) is open,
   * or, with HTTP POST, the receiver accepts TCP connections. Rejects with a clear message after `timeout`.
   */
  async waitForBot({ timeout = 10_000 }: Timing = {}): Promise<void> {
    const deadline = Date.now() + timeout;
    let list: WireConnection[] = [];
    while (Date.now() < deadline) {
      list = ((await this.#control.request('GET', '/api/connections'))['connections'] ?? []) as WireConnection[];
      // With several bots, each bot its own event connection (a connection says whose it is).
      if (this.bots.every((bot) => list.some((c) => receivesEvents(c) && (c.self_id === undefined || c.self_id === bot.selfId)))) return;
      const posts = list.filter((c) => c.transport === 'http_post').map((c) => c.path);
      if (posts.length > 0 && (await Promise.all(posts.map(accepts))).every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const c = this.connection;
    const where = [c.ws ? `a forward WebSocket on ${c.ws}` : '', ...list.filter((x) => x.transport !== 'ws').map((x) => `${x.transport} ${x.path}`)].filter(Boolean).join(', ');
    const seen = list.map((x) => `${x.transport} ${x.role} ${x.path} ${x.state}${x.auth === 'missing' || x.auth === 'wrong' ? ` (token ${x.auth})` : ''}`).join('; ');
    throw new Error(`the bot did not connect within ${timeout} ms (waiting for: ${where || 'nothing configured to receive events'}; connections: ${seen || 'none'})`);
  }

  /** Perform an act as a person (see docs/testing.md "Acts"); resolves with the control API's answer. */
  async act(act: Act): Promise<Record<string, unknown>> {
    const name = actOf(act as Record<string, unknown>);
    if (name === undefined) throw new Error(`not an act: ${JSON.stringify(act)}`);
    const request = await actRequest(name, act, this.#world);
    try {
      const answer = await this.#control.request(request.method, request.path, request.body);
      this.trace.write('act', { act: name, request, answer });
      return answer;
    } catch (err) {
      this.trace.write('act', { act: name, request, error: (err as Error).message });
      throw err;
    }
  }

  /** `from` says `message` (CQ code or segments) in the group `in`, or privately with `private: true`. */
  async say(message: unknown, where: { as: Ref; in?: Ref; private?: boolean }): Promise<{ message_id: number }> {
    return (await this.act({ say: message, as: where.as, private: where.private ?? where.in === undefined, ...(where.in !== undefined ? { in: where.in } : {}) })) as { message_id: number };
  }

  /**
   * Move the sandbox's virtual clock ahead (`"10m"`, or ms): the heartbeats due within the jump are
   * sent, in order; mutes run out, the recall window closes, requests lapse; later events and
   * messages carry the later time. Resolves with the clock's new time (Unix ms).
   */
  async advance(by: number | string): Promise<number> {
    const ms = parseDuration(by);
    if (ms === null) throw new Error(`advance: "${String(by)}" is not a duration (ms, or e.g. "10m")`);
    const request = { method: 'POST' as const, path: '/api/clock/advance', body: { ms: Math.round(ms) } };
    const answer = await this.#control.request(request.method, request.path, request.body);
    this.trace.write('act', { act: 'advance', request, answer });
    return Number(answer['now']);
  }

  /**
   * Inject a fault (an object, or a profile's name such as `'gocq-risk-control'`) until cleared;
   * every injection shows on the trace as a `fault` line. Rejects with the control API's problems
   * when the object is invalid.
   */
  async fault(spec: FaultSpec): Promise<FaultHandle> {
    const body = (typeof spec === 'string' ? { profile: spec } : spec) as Record<string, unknown>;
    const request = { method: 'POST' as const, path: '/api/faults', body };
    let answer: Record<string, unknown>;
    try {
      answer = await this.#control.request(request.method, request.path, request.body);
    } catch (err) {
      this.trace.write('act', { act: 'fault', request, error: (err as Error).message });
      throw err;
    }
    this.trace.write('act', { act: 'fault', request, answer });
    const id = String(answer['id']);
    return { id, faults: (answer['faults'] ?? []) as Record<string, unknown>[], clear: () => this.clearFaults(id) };
  }

  /** Clear one fault by id, or every fault. */
  async clearFaults(id?: string): Promise<void> {
    const request = { method: 'DELETE' as const, path: id === undefined ? '/api/faults' : `/api/faults/${encodeURIComponent(id)}`, body: {} };
    const answer = await this.#control.request(request.method, request.path);
    this.trace.write('act', { act: 'clear_faults', request, answer });
  }

  /** Restart the dice of fault probabilities from `seed`. */
  async seedFaults(seed: number): Promise<void> {
    await this.#control.request('POST', '/api/faults/seed', { seed });
  }

  /** The number of the last item seen: pass it as `after` to only consider what comes next. */
  mark(): number {
    return this.#inbox.mark();
  }

  /** Wait for (and consume) a message the bot sends; a string is the exact plain text (or `/regex/`). */
  async expectReply(spec: ReplySpec | string, opts: Timing & { after?: number } = {}): Promise<Record<string, unknown>> {
    return (await this.expect(replyExpectation(await this.#replySpec(spec), opts.after), opts)).data;
  }

  /** Wait for (and consume) a call of the bot; a string is the action name. */
  async expectCall(spec: CallSpec | string, opts: Timing & { after?: number } = {}): Promise<Record<string, unknown>> {
    return (await this.expect(callExpectation(this.#withBot(typeof spec === 'string' ? { action: spec } : spec), opts.after), opts)).data;
  }

  /** Wait for (and consume) an event the sandbox sent the bot (a subset of the OneBot event; `bot` with several). */
  async expectEvent(spec: Record<string, unknown>, opts: Timing & { after?: number; bot?: number } = {}): Promise<Record<string, unknown>> {
    return (await this.expect(eventExpectation(spec, opts.after, this.#withBot({ ...(opts.bot !== undefined ? { bot: opts.bot } : {}) }).bot), opts)).data;
  }

  /** Wait until the world is in a state (member, message, friend). */
  async expectWorld(check: WorldCheck, opts: Timing = {}): Promise<void> {
    await this.#world.expect(check, opts.timeout ?? this.timeout);
  }

  /** Nothing of the kind matching `spec` during the quiet window (a string `call` spec is the action name). */
  async expectNone(what: { reply?: ReplySpec | string; call?: CallSpec | string; event?: Record<string, unknown> }, opts: { quiet?: number; after?: number; bot?: number } = {}): Promise<void> {
    const exps: Expectation[] = [];
    const bot = this.#withBot({ ...(opts.bot !== undefined ? { bot: opts.bot } : {}) }).bot;
    const about = <T extends { bot?: number }>(spec: T): T => (bot === undefined || spec.bot !== undefined ? spec : { ...spec, bot });
    if (what.reply !== undefined) exps.push(replyExpectation(about(typeof what.reply === 'string' ? { text: what.reply } : what.reply), opts.after));
    if (what.call !== undefined) exps.push(callExpectation(about(typeof what.call === 'string' ? { action: what.call } : what.call), opts.after));
    if (what.event !== undefined) exps.push(eventExpectation(what.event, opts.after, bot));
    if (exps.length === 0) exps.push(replyExpectation(about({}), opts.after));
    await Promise.all(exps.map((exp) => this.#inbox.none(exp, opts.quiet ?? this.quiet)));
  }

  /** Wait for any prepared expectation (used by the scenario runner). */
  expect(exp: Expectation, opts: Timing = {}): Promise<Item> {
    return this.#inbox.take(exp, opts.timeout ?? this.timeout);
  }

  /** Quiet-window check of a prepared expectation. */
  none(exp: Expectation, quiet?: number): Promise<void> {
    return this.#inbox.none(exp, quiet ?? this.quiet);
  }

  /** Remove and return what no expectation consumed (all kinds, or one). */
  unconsumed(kind?: ItemKind): Item[] {
    return this.#inbox.drain(kind);
  }

  /** Names and reads of the world. */
  get world(): WorldReader {
    return this.#world;
  }

  /** Any control API request (docs/sandbox-api.md). */
  control(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.#control.request(method, path, body);
  }

  /** Stop cqhttpd, delete the temporary data directory, close the trace. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#cleanup();
    return this.#closed;
  }

  async #replySpec(spec: ReplySpec | string): Promise<ReplySpec> {
    return this.#withBot(typeof spec === 'string' ? { text: spec } : spec);
  }

  /** With several bots, an expectation that names none is about the first. */
  #withBot<T extends { bot?: number }>(spec: T): T {
    return spec.bot !== undefined || this.bots.length < 2 ? spec : { ...spec, bot: this.connection.selfId };
  }

  /**
   * The bot account an expectation is about: `ref` (its QQ number, or its name in the world) when
   * given — it must be one of the sandbox's bots — else, with several bots, the first; else undefined.
   */
  async botId(ref?: Ref): Promise<number | undefined> {
    if (ref === undefined) return this.bots.length < 2 ? undefined : this.connection.selfId;
    const id = await this.#world.user(ref);
    if (!this.bots.some((bot) => bot.selfId === id)) throw new Error(`bot: ${JSON.stringify(ref)} (${id}) is not a bot of this sandbox; its bots are ${this.bots.map((bot) => bot.selfId).join(', ')}`);
    return id;
  }
}

/** A connection as `GET /api/connections` lists it (the fields the engine reads). */
interface WireConnection { transport: string; role: string; path: string; state: string; auth: string | null; self_id?: number | string }

/** An open WebSocket connection that gets events (Universal or Event role) and passed the token check. */
const receivesEvents = (c: WireConnection): boolean =>
  c.transport !== 'http_post' && c.state === 'open' && /^(universal|event)$/i.test(c.role) && c.auth !== 'missing' && c.auth !== 'wrong';

/** Whether a TCP connection to the URL's host and port succeeds (within 1 s). */
function accepts(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
    const socket = net.connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
