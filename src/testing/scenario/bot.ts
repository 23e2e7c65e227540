/**
 * The bot under test as a child process: `--bot "COMMAND"` run by the shell with the sandbox's
 * connection settings in its environment (`CQHTTPD_WS_URL`…), its output captured line by line
 * (the last {@link KEEP_LINES} kept for the report, every line to the trace), and stopped with its
 * whole process group when the scenario ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export const KEEP_LINES = 200;

export class BotProcess {
  readonly output: string[] = [];
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  #exitCode: number | null | undefined;

  constructor(command: string, env: Record<string, string>, onLine: (stream: 'stdout' | 'stderr', line: string) => void) {
    // Its own process group: the shell and everything it starts are stopped together.
    this.#child = spawn(command, { shell: true, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = this.#child[stream];
      if (source === null) continue;
      createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => {
        this.output.push(line);
        if (this.output.length > KEEP_LINES) this.output.shift();
        onLine(stream, line);
      });
    }
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#exitCode = code ?? (signal !== null ? null : code);
        resolve(code);
      });
      this.#child.once('error', (err) => {
        this.output.push(`cannot start the bot: ${err.message}`);
        this.#exitCode = null;
        resolve(null);
      });
    });
  }

  /** Resolves when the process exits (with its code; null when killed by a signal or not started). */
  get exited(): Promise<number | null> {
    return this.#exited;
  }

  /** Whether it has exited. */
  get done(): boolean {
    return this.#exitCode !== undefined;
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when it is gone. */
  async stop(graceMs = 2000): Promise<void> {
    // Even when the shell is gone, what it started may still hold the group.
    this.#signal('SIGTERM');
    if (this.done) return;
    const timer = setTimeout(() => this.#signal('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #signal(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') this.#child.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }
}
