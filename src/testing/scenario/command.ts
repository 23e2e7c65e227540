/**
 * `cqhttpd test <file|dir>…`: every scenario on a fresh temporary sandbox, the bot under test
 * started per scenario (`--bot`) or awaited (without), results to the reporters, and the closing
 * line `N passed, N failed[, N skipped]` last. Exit code: 0 when nothing failed, 1 otherwise, 2 for
 * a usage error. Reference: docs/testing.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../acts.js';
import type { Sandbox } from '../sandbox.js';
import { startSandbox } from '../start.js';
import { BotProcess } from './bot.js';
import { collectFiles, loadScenarioFile, ScenarioFileError, type LoadedScenario } from './load.js';
import { closingLine, createReporter, type Reporter, type ScenarioResult } from './reporters.js';
import { runScenario } from './run.js';
import { transcriptLine } from './transcript.js';

export interface TestFlags {
  config?: string;
  bot?: string;
  reporter: string[];
  trace?: string;
  set: Record<string, string>;
  connectTimeout?: string;
}

const KEEP_TRANSCRIPT = 500;

/** Run the command; resolves with the exit code. `out`/`err` write to standard output / error. */
export async function runTestCommand(args: readonly string[], flags: TestFlags, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let reporters: Reporter[];
  let files: string[];
  const connectTimeout = flags.connectTimeout === undefined ? 10_000 : parseDuration(flags.connectTimeout);
  try {
    if (connectTimeout === null) throw new Error(`--connect-timeout ${flags.connectTimeout ?? ''} is not a duration (e.g. 10s)`);
    reporters = (flags.reporter.length > 0 ? flags.reporter : ['spec']).map((spec) => createReporter(spec, out));
    files = collectFiles(args.length > 0 ? args : ['.']);
    if (flags.trace !== undefined) fs.mkdirSync(flags.trace, { recursive: true });
  } catch (e) {
    err(`cqhttpd test: ${e instanceof ScenarioFileError ? e.problems.join('\n') : (e as Error).message}\n`);
    return 2;
  }

  const results: ScenarioResult[] = [];
  const report = (r: ScenarioResult) => {
    results.push(r);
    for (const reporter of reporters) reporter.result(r, results.length - 1);
  };
  const traceNames = new Set<string>();
  for (const file of files) {
    let scenarios: LoadedScenario[];
    try {
      scenarios = loadScenarioFile(file);
    } catch (e) {
      const problems = e instanceof ScenarioFileError ? [...e.problems] : [`${file}: ${(e as Error).message}`];
      err(`${problems.join('\n')}\n`);
      report({
        file, line: 1, name: path.basename(file), status: 'failed', durationMs: 0, warnings: [], transcript: [],
        failure: { step: 0, label: 'the scenario file is invalid', messages: problems },
      });
      continue;
    }
    for (const loaded of scenarios) {
      const { scenario } = loaded;
      const base = { file, line: loaded.line, name: scenario.scenario, warnings: [] as string[] };
      if (scenario.skip !== undefined && scenario.skip !== false) {
        report({ ...base, status: 'skipped', durationMs: 0, transcript: [], ...(typeof scenario.skip === 'string' ? { reason: scenario.skip } : {}) });
        continue;
      }
      const trace = flags.trace === undefined ? undefined : path.join(flags.trace, uniqueName(traceNames, file, scenario.scenario));
      report(await runOne(loaded, flags, connectTimeout ?? 10_000, trace, err));
    }
  }
  for (const reporter of reporters) reporter.end(results);
  out(`${closingLine(results)}\n`);
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

async function runOne(loaded: LoadedScenario, flags: TestFlags, connectTimeout: number, trace: string | undefined, err: (text: string) => void): Promise<ScenarioResult> {
  const { scenario, file, line } = loaded;
  const transcript: string[] = [];
  const started = performance.now();
  const result = (fields: Pick<ScenarioResult, 'status'> & Partial<ScenarioResult>): ScenarioResult => ({
    file, line, name: scenario.scenario, warnings: [], transcript, durationMs: performance.now() - started, ...(trace ? { trace } : {}), ...fields,
  });
  let sb: Sandbox | undefined;
  let bot: BotProcess | undefined;
  try {
    const options = scenario.options ?? {};
    sb = await startSandbox({
      ...(scenario.world !== undefined ? { world: scenario.world } : {}),
      ...(scenario.bots !== undefined ? { bots: scenario.bots } : {}),
      ...(flags.config !== undefined ? { configFile: flags.config } : {}),
      // Without --bot nor --config, a running bot is expected on the usual ports (5700, 6700).
      ...(flags.bot === undefined && flags.config === undefined ? { fixedPorts: true } : {}),
      config: flags.set,
      timeout: parseDuration(options.timeout) ?? 3000,
      quiet: parseDuration(options.quiet) ?? 800,
      trace: (lineObj) => {
        const text = transcriptLine(lineObj);
        if (text === undefined) return;
        transcript.push(text);
        if (transcript.length > KEEP_TRANSCRIPT) transcript.shift();
      },
    });
    if (trace !== undefined) sb.trace.toFile(trace);
    const sandbox = sb;
    if (flags.bot !== undefined) {
      bot = new BotProcess(flags.bot, sb.env(), (stream, text) => sandbox.trace.write('bot', { stream, line: text }));
      const exited = bot.exited.then((code) => {
        throw new Error(`the bot exited (code ${code ?? 'none'}) before it connected; its output:\n${bot?.output.slice(-20).join('\n') ?? ''}`);
      });
      await Promise.race([sb.waitForBot({ timeout: connectTimeout }), exited]);
      exited.catch(() => {});
    } else {
      err(`waiting for the bot to connect (${describeConnection(sb)}) …\n`);
      await sb.waitForBot({ timeout: connectTimeout });
    }
    const outcome = await runScenario(sb, scenario);
    return result({ status: outcome.failure ? 'failed' : 'passed', warnings: outcome.warnings, ...(outcome.failure ? { failure: outcome.failure } : {}) });
  } catch (e) {
    const tail = bot === undefined ? '' : `\nthe bot's last output:\n${bot.output.slice(-20).join('\n')}`;
    return result({ status: 'failed', failure: { step: 0, label: 'setup', messages: [`${(e as Error).message}${tail}`] } });
  } finally {
    await bot?.stop();
    await sb?.close();
  }
}

function describeConnection(sb: Sandbox): string {
  const c = sb.connection;
  return [c.ws ? `forward WebSocket ${c.ws}` : '', c.http ? `HTTP API ${c.http}` : ''].filter(Boolean).join(', ') || 'its configured connections';
}

/** `<file>-<scenario>.ndjson`, made of safe characters, unique within the run. */
function uniqueName(taken: Set<string>, file: string, scenario: string): string {
  const slug = (s: string) => s.replace(/\.[a-z]+$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'scenario';
  const stem = `${slug(path.basename(file))}-${slug(scenario)}`;
  let name = `${stem}.ndjson`;
  for (let i = 2; taken.has(name); i++) name = `${stem}-${i}.ndjson`;
  taken.add(name);
  return name;
}
