/**
 * Running ffmpeg: `execFile` with argument arrays (never a shell), a deadline after which the
 * process is killed, a cached availability probe and a cached encoder list.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { ApiError } from '../protocol/errors.js';

/** The wording when ffmpeg cannot be run. */
export const FFMPEG_MISSING = 'ffmpeg is not installed: apt-get install ffmpeg (needed to convert voice records)';

/** Options of {@link Ffmpeg}. */
export interface FfmpegOptions {
  /** The executable (default `ffmpeg`, looked up on `PATH`). */
  ffmpegPath?: string;
  /** Deadline of one run in milliseconds (default 60 000); the process is killed with SIGKILL after it. */
  timeoutMs?: number;
  /** Most stdout bytes one run may produce (default 64 MiB). */
  maxOutputBytes?: number;
}

/** A handle on one ffmpeg executable; probes are cached in the instance. */
export class Ffmpeg {
  private readonly path: string;
  private readonly timeoutMs: number;
  private readonly maxOutputBytes: number;
  private availability: Promise<boolean> | undefined;
  private encoderList: Promise<ReadonlySet<string>> | undefined;

  constructor(options: FfmpegOptions = {}) {
    this.path = options.ffmpegPath ?? 'ffmpeg';
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxOutputBytes = options.maxOutputBytes ?? 64 * 1024 * 1024;
  }

  /** True when `ffmpeg -version` runs (probed once per instance). */
  available(): Promise<boolean> {
    this.availability ??= this.run(['-version']).then(() => true, () => false);
    return this.availability;
  }

  /** Fails with `OPERATION_FAILED` ({@link FFMPEG_MISSING}) unless ffmpeg is available. */
  async require(): Promise<void> {
    if (!(await this.available())) throw new ApiError('OPERATION_FAILED', FFMPEG_MISSING);
  }

  /** The names of the encoders this build has (probed once per instance). */
  encoders(): Promise<ReadonlySet<string>> {
    this.encoderList ??= this.run(['-hide_banner', '-encoders']).then(
      (out) => new Set([...out.toString('utf8').matchAll(/^ [A-Z.]{6} (\S+)/gm)].map((m) => m[1] as string)),
      () => new Set<string>(),
    );
    return this.encoderList;
  }

  /**
   * Runs ffmpeg with `args` and resolves with its stdout. Fails with `OPERATION_FAILED`: ffmpeg
   * missing, killed after the deadline, or a non-zero exit (the sentence quotes its last error line).
   */
  run(args: readonly string[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile(
        this.path,
        args,
        { encoding: 'buffer', timeout: this.timeoutMs, killSignal: 'SIGKILL', maxBuffer: this.maxOutputBytes, windowsHide: true },
        (err, stdout, stderr) => {
          if (err === null) {
            resolve(stdout);
            return;
          }
          const e: ExecFileException = err;
          if (e.code === 'ENOENT') reject(new ApiError('OPERATION_FAILED', FFMPEG_MISSING));
          else if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            reject(new ApiError('OPERATION_FAILED', `ffmpeg produced more than ${this.maxOutputBytes} bytes (the audio is too long)`));
          } else if (e.killed === true || e.signal === 'SIGKILL') {
            reject(new ApiError('OPERATION_FAILED', `ffmpeg timed out after ${this.timeoutMs / 1000} s and was killed`));
          } else reject(new ApiError('OPERATION_FAILED', `ffmpeg failed: ${lastLine(stderr) ?? err.message}`));
        },
      );
    });
  }
}

function lastLine(stderr: Buffer): string | undefined {
  const lines = stderr.toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.at(-1);
  return line === undefined ? undefined : line.slice(0, 300);
}
