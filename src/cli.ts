#!/usr/bin/env node
/**
 * `cqhttpd`: start the CoolQ HTTP API on the sandbox, or list the actions.
 * Precedence: defaults < config file < CQHTTP_* environment < these flags.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { readBuildInfo } from './app/build-info.js';
import { installLastResort } from './app/last-resort.js';
import { logFilePath, openLogging } from './app/logger.js';
import { startSupervisor, type Supervisor } from './app/supervisor.js';
import { ConfigError, loadConfig, type Config, type LoadOptions } from './config/index.js';
import { formatOf } from './config/files.js';

const toInt = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('not a non-negative integer');
  return Number(value);
};

/** `--set key=value`, repeatable; no default value, so that `--help` shows no `(default: {})`. */
const collectSet = (value: string, previous: Record<string, string> | undefined) => {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
};

interface RunFlags {
  config?: string;
  host?: string;
  port?: number;
  dataDir?: string;
  selfId?: number;
  world?: string;
  logLevel?: string;
  set?: Record<string, string>;
}

async function run(flags: RunFlags): Promise<void> {
  const overrides: Record<string, unknown> = { ...(flags.set ?? {}) };
  if (flags.host !== undefined) overrides.host = flags.host;
  if (flags.port !== undefined) overrides.port = flags.port;
  if (flags.dataDir !== undefined) overrides.data_dir = flags.dataDir;
  if (flags.selfId !== undefined) overrides.self_id = flags.selfId;
  if (flags.world !== undefined) overrides.world_file = flags.world;
  if (flags.logLevel !== undefined) overrides.log_level = flags.logLevel;

  // A restart reloads from the same sources: the same file (or search), this environment, these flags.
  const sources: LoadOptions = { ...(flags.config ? { file: flags.config } : {}), env: { ...process.env }, overrides };
  let loaded;
  try {
    loaded = loadConfig(sources);
  } catch (err) {
    if (err instanceof ConfigError) {
      const lines = [...err.problems.map((p) => `  - ${p}`), ...err.warnings.map((w) => `  - warning: ${w}`)];
      console.error(`cqhttpd: the configuration is invalid:\n${lines.join('\n')}`);
      process.exit(2);
    }
    throw err;
  }
  const { config, warnings, source } = loaded;
  const loggingFor = (cfg: Readonly<Config>) =>
    openLogging({ level: cfg.log_level, format: cfg.log_format, file: logFilePath(cfg.data_dir, cfg.self_id) });
  const logging = loggingFor(config);
  const logger = logging.logger;
  for (const warning of warnings) logger.warn(`config: ${warning}`);
  logger.info(`configuration from ${source.length > 0 ? source.join(', ') : 'defaults'}`);

  let app: Supervisor | undefined;
  // From here on, a missed failure is logged and the server keeps serving (app/last-resort.ts).
  const uninstall = installLastResort(() => app?.logger ?? logger);
  try {
    app = await startSupervisor({ config, bots: loaded.bots, logging, loggingFor, reload: () => loadConfig(sources) });
  } catch (err) {
    logger.fatal(`cqhttpd could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  const running = app;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info(`${signal} received, shutting down`);
    running.close().then(
      () => {
        uninstall();
        running.logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        uninstall();
        running.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** `cqhttpd init [file]`: write the commented INI of every key at its default; never overwrite without `--force`. */
async function init(file: string, flags: { force?: boolean }): Promise<void> {
  if (formatOf(file) !== 'ini') {
    console.error(`cqhttpd init: ${file}: the config file written is INI; name it *.ini or *.cfg`);
    process.exit(2);
  }
  // The subcommands' modules are loaded by the subcommand only: a server start never needs them.
  const { configTemplate } = await import('./config/template.js');
  try {
    writeFileSync(file, configTemplate(), { flag: flags.force === true ? 'w' : 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    console.error(code === 'EEXIST' ? `cqhttpd init: ${file} already exists; not overwritten (--force replaces it)` : `cqhttpd init: cannot write ${file}: ${(err as Error).message}`);
    process.exit(1);
  }
  const found = path.resolve(file) === path.resolve('config.ini') ? ' (found there by `cqhttpd` without -c)' : ` (start with \`cqhttpd -c ${file}\`)`;
  console.log(`wrote ${file}: every key at its default${found}`);
}

async function listActions(flags: { json?: boolean }): Promise<void> {
  const [{ ALL_ACTIONS }, { parameterNames }, { ActionRegistry }] = await Promise.all([import('./actions/index.js'), import('./core/catalogue.js'), import('./core/registry.js')]);
  const registry = new ActionRegistry(ALL_ACTIONS);
  if (flags.json === true) {
    const list = registry.list().map((action) => ({ name: action.name, origin: action.origin, params: parameterNames(action), summary: action.summary }));
    console.log(JSON.stringify(list, null, 2));
    return;
  }
  for (const action of registry.list()) {
    const names = parameterNames(action).join(', ');
    console.log(`${action.name.padEnd(32)} ${action.origin.padEnd(12)} ${action.summary}${names ? `  [${names}]` : ''}`);
  }
}

const program = new Command()
  .name('cqhttpd')
  .description('The CoolQ HTTP API (CQHTTP 4.15 / OneBot v11) on an embedded sandbox QQ world.')
  .version(readBuildInfo().appVersion, '-V, --version')
  .option('-c, --config <file>', 'config file (JSON, or INI with [general] and [<self_id>] sections; the bots key runs several accounts in one world); default: search ./config.(cfg|ini|json)')
  .option('--host <address>', 'HTTP API listen address (config: host, default 127.0.0.1)')
  .option('-p, --port <port>', 'HTTP API port (config: port, default 5700)', toInt)
  .option('-d, --data-dir <dir>', 'data directory: database, media, logs; one process per directory (config: data_dir, default ./data)')
  .option('--self-id <qq>', "the bot's QQ number in the sandbox (config: self_id; default: the database's bot, else the world file's, else 10001000); with a bots list, runs that one account", toInt)
  .option('-w, --world <file>', 'JSON/YAML world seeded into an empty sandbox (config: world_file; docs/world.md)')
  .option('-l, --log-level <level>', 'debug | info | warning | error | fatal (config: log_level)')
  .option('-s, --set <key=value>', 'set any config key (repeatable), e.g. --set access_token=abc', collectSet)
  .action((flags: RunFlags) => run(flags))
  // Options after a subcommand are the subcommand's (`cqhttpd test --config …`).
  .enablePositionalOptions();

program
  .command('init')
  .description('write a commented config file with every key at its default')
  .argument('[file]', 'where to write it (INI)', 'config.ini')
  .option('-f, --force', 'overwrite the file if it exists')
  .action(init);

program
  .command('test')
  .description('run scenario files (YAML/JSON) against a bot on fresh sandboxes; docs/testing.md')
  .argument('[paths...]', 'scenario files, or directories searched for .yaml/.yml/.json', ['.'])
  .option('-c, --config <file>', 'cqhttpd config file for every sandbox (its ports and connections are kept)')
  .option('--bot <command>', 'start the bot under test with this shell command for each scenario (it gets CQHTTPD_WS_URL, CQHTTPD_HTTP_URL, CQHTTPD_ACCESS_TOKEN…); without it, wait for a running bot')
  .option('-r, --reporter <name[:file]>', 'spec (default), tap, junit:FILE, json[:FILE] (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
  .option('--trace <dir>', 'write one NDJSON trace per scenario into this directory')
  .option('--connect-timeout <duration>', 'how long to wait for the bot to connect (default 10s)')
  .option('-s, --set <key=value>', 'set any config key of the sandboxes (repeatable)', collectSet)
  .action(async (paths: string[], flags: { config?: string; bot?: string; reporter?: string[]; trace?: string; connectTimeout?: string; set?: Record<string, string> }) => {
    const { runTestCommand } = await import('./testing/scenario/command.js');
    const code = await runTestCommand(paths, { ...flags, reporter: flags.reporter ?? [], set: flags.set ?? {} }, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
    process.exit(code);
  });

program
  .command('replay')
  .description("replay a recording of the bridge (a cassette, docs/recording.md) against a bot and report its calls that differ")
  .argument('<cassette>', 'the cassette file (<data_dir>/cassettes/cassette-….ndjson)')
  .option('--bot <command>', 'start the bot with this shell command (it gets CQHTTPD_WS_URL, CQHTTPD_HTTP_URL, CQHTTPD_ACCESS_TOKEN…); without it, wait for a running bot')
  .option('--strict', 'answer the bot only from the recorded results (a bridge in front of the cassette) instead of a sandbox world seeded from it')
  .option('--quiet <duration>', 'a turn ends when the bot has been quiet this long (default 500ms)')
  .option('--turn-timeout <duration>', 'a turn ends after this long whatever the bot does (default 10s)')
  .option('--connect-timeout <duration>', 'how long to wait for the bot to connect (default 10s)')
  .option('-r, --reporter <name[:file]>', 'spec (default), tap, junit:FILE, json[:FILE] (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
  .option('-s, --set <key=value>', 'set a config key of the sandbox or bridge (repeatable)', collectSet)
  .action(async (file: string, flags: { bot?: string; strict?: boolean; quiet?: string; turnTimeout?: string; connectTimeout?: string; reporter?: string[]; set?: Record<string, string> }) => {
    const { runReplayCommand } = await import('./testing/replay/command.js');
    const code = await runReplayCommand(file, { ...flags, reporter: flags.reporter ?? [], set: flags.set ?? {} }, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
    process.exit(code);
  });

program
  .command('actions')
  .description('list every action cqhttpd offers, from its registry')
  .option('--json', 'print a JSON array of {name, origin, params, summary}')
  .action(listActions);

await program.parseAsync(process.argv);
