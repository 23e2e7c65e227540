/**
 * A cqhttpd under its supervisor, as the command line runs it: configuration from a real file on
 * disk (reloaded by restarts), JSON log lines captured in memory and appended to the real log file,
 * a fatal restart recorded instead of exiting the test process.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { logFilePath, openLogging, type AppLogging } from '../../src/app/logger.js';
import { startSupervisor, type Supervisor } from '../../src/app/supervisor.js';
import { loadConfig, type Config } from '../../src/config/index.js';

export interface SupervisedApp {
  sup: Supervisor;
  dataDir: string;
  configFile: string;
  /** Every JSON log line so far, parsed. */
  logs: { level: number; msg: string }[];
  /** Errors handed to `onFatal` (the CLI would have exited). */
  fatal: Error[];
  /** Replace the config file's content (an object is written as JSON, a string as is). */
  writeConfig(config: Record<string, unknown> | string): void;
  /** `http://127.0.0.1:<current HTTP port>`. */
  base(): string;
  close(): Promise<void>;
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startSupervised(config: Record<string, unknown>): Promise<SupervisedApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-sup-'));
  const configFile = path.join(dataDir, 'config.json');
  const writeConfig = (c: Record<string, unknown> | string) =>
    fs.writeFileSync(configFile, typeof c === 'string' ? c : JSON.stringify({ sandbox_port: 0, data_dir: dataDir, ...c }));
  writeConfig(config);

  const logs: SupervisedApp['logs'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') logs.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  const loggingFor = (c: Readonly<Config>): AppLogging =>
    openLogging({ level: 'debug', format: 'json', stream: sink, file: logFilePath(c.data_dir, c.self_id) });
  const reload = () => loadConfig({ file: configFile, env: {}, overrides: {} });
  const first = reload().config;
  const logging = loggingFor(first);
  const fatal: Error[] = [];
  const sup = await startSupervisor({ config: first, reload, logging, loggingFor, onFatal: (err) => fatal.push(err) });
  return {
    sup,
    dataDir,
    configFile,
    logs,
    fatal,
    writeConfig,
    base: () => `http://127.0.0.1:${sup.current.http!.port}`,
    async close() {
      await sup.close();
      logging.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
