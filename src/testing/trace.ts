/**
 * The trace of a test run (docs/testing.md "Trace format"): NDJSON, one JSON object a line, in the
 * order things happened, each with `t` (ms since the sandbox started, monotonic), `time` (Unix ms)
 * and `type`: `act` (what the test did, with the answer or the refusal), `message` (every stored
 * message, the bot's included), `event` (every event the sandbox emitted to the bot), `call` (every
 * API call of the bot, with its retcode), `step` and `expect` (the runner's verdicts), `bot`
 * (the bot process's output lines, from `cqhttpd test`). Written synchronously so a crash keeps it.
 */
import fs from 'node:fs';

export type TraceSink = (line: Record<string, unknown>) => void;

export class Trace {
  readonly #start = performance.now();
  readonly #sinks: TraceSink[] = [];
  #fd: number | undefined;

  /** Also append to `file` (created, truncated). */
  toFile(file: string): void {
    this.#fd = fs.openSync(file, 'w');
  }

  /** Also hand each line to `sink`. */
  to(sink: TraceSink): void {
    this.#sinks.push(sink);
  }

  write(type: string, fields: Record<string, unknown>): void {
    if (this.#fd === undefined && this.#sinks.length === 0) return;
    const line = { t: Math.round((performance.now() - this.#start) * 1000) / 1000, time: Date.now(), type, ...fields };
    if (this.#fd !== undefined) fs.writeSync(this.#fd, `${JSON.stringify(line)}\n`);
    for (const sink of this.#sinks) sink(line);
  }

  close(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }
}
