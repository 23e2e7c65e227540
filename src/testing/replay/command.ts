/**
 * `cqhttpd replay CASSETTE [--bot "COMMAND"] [--strict]`: replay a recording of the bridge against
 * a bot and report the bot's calls that differ from the recorded ones, through the reporters of
 * `cqhttpd test` (one result for the cassette). Exit code 0 without differences, 1 with, 2 for a
 * usage error (no such file, not a cassette, unknown reporter). Reference: docs/recording.md.
 */
import path from 'node:path';
import { readCassette, type Cassette } from '../../record/index.js';
import { parseDuration } from '../acts.js';
import { closingLine, createReporter, type Reporter, type ScenarioResult } from '../scenario/reporters.js';
import { replay } from './run.js';

export interface ReplayFlags {
  bot?: string;
  strict?: boolean;
  quiet?: string;
  turnTimeout?: string;
  connectTimeout?: string;
  reporter: string[];
  set: Record<string, string>;
}

export async function runReplayCommand(file: string, flags: ReplayFlags, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let cassette: Cassette;
  let reporters: Reporter[];
  const durations = { quiet: parseDuration(flags.quiet ?? '500ms'), turnTimeout: parseDuration(flags.turnTimeout ?? '10s'), connectTimeout: parseDuration(flags.connectTimeout ?? '10s') };
  try {
    for (const [name, value] of Object.entries(durations)) if (value === null) throw new Error(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is not a duration (e.g. 500ms, 10s)`);
    reporters = (flags.reporter.length > 0 ? flags.reporter : ['spec']).map((spec) => createReporter(spec, out));
    cassette = readCassette(file);
    // Strict mode plays the cassette as a OneBot upstream; a Milky implementation's frames are not that.
    if (flags.strict === true && cassette.header.upstream.kind === 'milky') throw new Error(`${file} recorded a Milky implementation; --strict replays OneBot upstreams only (use world mode)`);
  } catch (e) {
    err(`cqhttpd replay: ${(e as Error).message}\n`);
    return 2;
  }
  const mode = flags.strict === true ? 'strict' : 'world';
  const transcript: string[] = [];
  const started = performance.now();
  let result: ScenarioResult;
  const base = { file, line: 1, name: `replay of ${path.basename(file)} (${mode} mode)`, transcript };
  try {
    const outcome = await replay(cassette, {
      ...(flags.bot !== undefined ? { bot: flags.bot } : {}),
      strict: mode === 'strict', config: flags.set,
      quiet: durations.quiet ?? 500, turnTimeout: durations.turnTimeout ?? 10_000, connectTimeout: durations.connectTimeout ?? 10_000,
      log: (line) => {
        transcript.push(line);
        if (transcript.length > 500) transcript.shift();
        if (flags.bot === undefined && line.startsWith('waiting')) err(`${line}\n`);
      },
    });
    const durationMs = performance.now() - started;
    const first = outcome.diffs[0];
    result = first === undefined
      ? { ...base, status: 'passed', durationMs, warnings: [`${outcome.turns} turns replayed, the bot's calls as recorded`, ...outcome.warnings] }
      : {
        ...base, status: 'failed', durationMs, warnings: outcome.warnings,
        failure: {
          step: first.turn, label: `the bot's calls differ from the recording in ${outcome.diffs.length} of ${outcome.turns + 1} turns`,
          messages: outcome.diffs.flatMap((d) => d.lines.map((l) => `turn ${d.turn} (${d.label}): ${l}`)),
        },
      };
  } catch (e) {
    result = { ...base, status: 'failed', durationMs: performance.now() - started, warnings: [], failure: { step: 0, label: 'setup', messages: [(e as Error).message] } };
  }
  for (const reporter of reporters) {
    reporter.result(result, 0);
    reporter.end([result]);
  }
  out(`${closingLine([result])}\n`);
  return result.status === 'failed' ? 1 : 0;
}
