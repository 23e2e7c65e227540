/**
 * `cqhttpd replay`'s engine (docs/recording.md "Replay"). World mode: a sandbox seeded from the
 * cassette, each turn's event done again by its person through the control API. Strict mode: a
 * bridge in front of an upstream that only plays the cassette back — its events, and its recorded
 * answers to the bridge's calls. Either way the bot runs as under `cqhttpd test`, a turn ends when
 * the bot has been quiet for `quiet` ms, and its calls are compared with the recorded ones.
 */
import { Redactor, type Cassette } from '../../record/index.js';
import type { Sandbox } from '../sandbox.js';
import { startSandbox } from '../start.js';
import { BotProcess } from '../scenario/bot.js';
import { Canon, diffTurn, normaliseCall, type ReplayCall, type TurnDiff } from './diff.js';
import { planOf, type Plan, type Turn } from './plan.js';
import { startStrictBridge } from './strict.js';
import { injection, WorldSeed } from './world.js';

export interface ReplayOptions {
  /** The bot's shell command; without it, a running bot is awaited on the usual ports. */
  bot?: string;
  strict: boolean;
  /** A turn ends after this long without a call, event or message (ms). */
  quiet: number;
  /** A turn ends after this long whatever the bot does (ms). */
  turnTimeout: number;
  connectTimeout: number;
  /** Config keys for the sandbox or the bridge. */
  config: Record<string, string>;
  /** Progress, one human line each. */
  log(line: string): void;
}

export interface ReplayOutcome {
  turns: number;
  diffs: TurnDiff[];
  warnings: string[];
}

/** What a mode provides to the common loop. */
interface Stage {
  env: Record<string, string>;
  waitForBot(timeout: number): Promise<void>;
  /** Counts everything the bot does and receives: unchanged for `quiet` ms = quiet. */
  activity(): number;
  /** Play the turn's event; resolves with the id the replay gave its message, if any, or a warning. */
  play(turn: Turn): Promise<{ messageId?: unknown; warning?: string }>;
  /** After the turn's first quiet: anything else to play (strict: the turn's later upstream events). */
  after(turn: Turn): boolean;
  /** The bot's calls since the last take. */
  take(): ReplayCall[];
  /** What went wrong beside the differences (strict: calls the cassette had no answer to). */
  notes(): string[];
  close(): Promise<void>;
}

const BOT_CHANNELS = new Set(['http', 'ws', 'ws_reverse', 'quick_operation']);

export async function replay(cassette: Cassette, options: ReplayOptions): Promise<ReplayOutcome> {
  const plan = planOf(cassette);
  const stage = options.strict ? await strictStage(plan, options) : await worldStage(cassette, plan, options);
  const warnings: string[] = [];
  const diffs: TurnDiff[] = [];
  let bot: BotProcess | undefined;
  try {
    if (options.bot !== undefined) {
      const started = bot = new BotProcess(options.bot, stage.env, (stream, line) => options.log(`bot ${stream}: ${line}`));
      const exited = started.exited.then((code) => {
        throw new Error(`the bot exited (code ${code ?? 'none'}) before it connected; its output:\n${started.output.slice(-20).join('\n')}`);
      });
      exited.catch(() => {});
      await Promise.race([stage.waitForBot(options.connectTimeout), exited]);
    } else {
      options.log(`waiting for the bot to connect (${stage.env['CQHTTPD_WS_URL'] ?? ''}) …`);
      await stage.waitForBot(options.connectTimeout);
    }
    const recorded = new Canon();
    const replayed = new Canon();
    const redactor = plan.redacted ? new Redactor({ ids: false }) : undefined;
    for (const turn of plan.turns) {
      if (turn.index > 0) options.log(`turn ${turn.index}: ${turn.label}`);
      const played = await stage.play(turn);
      if (played.warning !== undefined) warnings.push(`turn ${turn.index} (${turn.label}): ${played.warning}`);
      if (played.messageId !== undefined && turn.event?.['message_id'] !== undefined) {
        recorded.of(turn.event['message_id']);
        replayed.of(played.messageId);
      }
      await settle(stage, options);
      if (stage.after(turn)) await settle(stage, options);
      const lines = diffTurn(
        turn.calls.map((c) => normaliseCall(c, recorded, undefined)),
        stage.take().map((c) => normaliseCall(c, replayed, redactor)),
      );
      if (lines.length > 0) diffs.push({ turn: turn.index, label: turn.label, lines });
    }
    warnings.push(...stage.notes());
  } finally {
    await bot?.stop();
    await stage.close();
  }
  return { turns: plan.turns.length - 1, diffs, warnings };
}

/** Until nothing happened for `quiet` ms (or `turnTimeout` passed). */
async function settle(stage: Stage, options: ReplayOptions): Promise<void> {
  const deadline = Date.now() + options.turnTimeout;
  let last = stage.activity();
  let since = Date.now();
  while (Date.now() - since < options.quiet && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, options.quiet / 4)));
    const now = stage.activity();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}

async function worldStage(cassette: Cassette, plan: Plan, options: ReplayOptions): Promise<Stage> {
  const world = WorldSeed.of(plan.selfId, cassette.lines).world();
  const sb: Sandbox = await startSandbox({ world, config: options.config, ...(options.bot === undefined ? { fixedPorts: true } : {}) });
  const ids = new Map<number, number>();
  return {
    env: sb.env(),
    waitForBot: (timeout) => sb.waitForBot({ timeout }),
    activity: () => sb.mark(),
    async play(turn) {
      if (turn.event === undefined) return {};
      const request = injection(turn.event, ids);
      if (typeof request === 'string') return { warning: request };
      try {
        const answer = await sb.control(request.method, request.path, request.body);
        const recordedId = Number(turn.event['message_id']);
        if (answer['message_id'] !== undefined && recordedId > 0) ids.set(recordedId, Number(answer['message_id']));
        return answer['message_id'] !== undefined ? { messageId: answer['message_id'] } : {};
      } catch (err) {
        return { warning: `the sandbox refused to do it again: ${(err as Error).message}` };
      }
    },
    after: () => false,
    notes: () => [],
    take() {
      const calls = sb.unconsumed('call').map((item) => item.data);
      sb.unconsumed();
      return calls.filter((c) => BOT_CHANNELS.has(String(c['channel'])))
        .map((c) => ({ action: String(c['action']), params: (c['params'] ?? {}) as Record<string, unknown>, data: c['data'] }));
    },
    close: () => sb.close(),
  };
}

async function strictStage(plan: Plan, options: ReplayOptions): Promise<Stage> {
  const bridge = await startStrictBridge(plan, options.config);
  return {
    env: bridge.env,
    waitForBot: (timeout) => bridge.waitForBot(timeout),
    activity: () => bridge.activity(),
    async play(turn) {
      const first = turn.frames[0];
      if (first === undefined) return turn.event === undefined ? {} : { warning: 'its upstream frame is not in the cassette' };
      const id = await bridge.push(first);
      return id === undefined ? {} : { messageId: id };
    },
    after(turn) {
      for (const frame of turn.frames.slice(1)) void bridge.push(frame);
      return turn.frames.length > 1;
    },
    take: () => bridge.take(),
    notes: () => bridge.misses().map((m) => `the cassette holds no answer to the bridge's call ${m}`),
    close: () => bridge.close(),
  };
}
