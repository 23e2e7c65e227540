/**
 * Running ffmpeg: `execFile` with argument arrays (never a shell), a deadline after which the
 * process is killed, the executable located once (ffmpeg-locate.ts), a cached availability probe
 * and a cached encoder list.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { ApiError } from '../protocol/errors.js';
import { locateFfmpeg, type FfmpegFound, type FfmpegSearch } from './ffmpeg-locate.js';

/** The wording when no ffmpeg can be found. */
export const FFMPEG_MISSING = 'no ffmpeg found (needed to convert voice records): none on PATH, and the build npm installs with '
  + 'cqhttpd (@ffmpeg-installer/ffmpeg) is missing or not made for this platform; install ffmpeg '
  + '(Debian/Ubuntu: apt-get install ffmpeg libavcodec-extra) or set ffmpeg_path';

/** The wording when the configured `ffmpeg_path` cannot be run. */
export function configuredFfmpegMissing(file: string): string {
  return `ffmpeg_path ${file} cannot be run (no such executable): install ffmpeg there, or clear ffmpeg_path `
    + 'to use the ffmpeg on PATH or the one npm installs with cqhttpd';
}

/** Options of {@link Ffmpeg}. */
export interface FfmpegOptions {
  /** The executable (`ffmpeg_path`); empty or absent = an `ffmpeg` on `PATH`, else the npm-shipped build. */
  ffmpegPath?: string;
  /** Where to look when `ffmpegPath` is empty (default: `PATH`; see {@link FfmpegSearch}). */
  searchPath?: FfmpegSearch['searchPath'];
  /** The npm-shipped binary (tests replace it). */
  bundled?: FfmpegSearch['bundled'];
  /** Called once, when the executable has been located (`undefined`: none found). */
  onLocated?: (found: FfmpegFound | undefined) => void;
  /** Deadline of one run in milliseconds (default 60 000); the process is killed with SIGKILL after it. */
  timeoutMs?: number;
  /** Most stdout bytes one run may produce (default 64 MiB). */
  maxOutputBytes?: number;
}

/** A handle on one ffmpeg executable; probes are cached in the instance. */
export class Ffmpeg {
  private readonly search: FfmpegSearch;
  private readonly onLocated: FfmpegOptions['onLocated'];
  private readonly timeoutMs: number;
  private readonly maxOutputBytes: number;
  private location: Promise<FfmpegFound | undefined> | undefined;
  private availability: Promise<boolean> | undefined;
  private encoderList: Promise<ReadonlySet<string>> | undefined;

  constructor(options: FfmpegOptions = {}) {
    this.search = { configured: options.ffmpegPath, searchPath: options.searchPath, bundled: options.bundled };
    this.onLocated = options.onLocated;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxOutputBytes = options.maxOutputBytes ?? 64 * 1024 * 1024;
  }

  /** The executable in use and where it came from, located once per instance; `undefined` = none. */
  locate(): Promise<FfmpegFound | undefined> {
    this.location ??= locateFfmpeg(this.search).then((found) => {
      this.onLocated?.(found);
      return found;
    });
    return this.location;
  }

  /** True when `ffmpeg -version` runs (probed once per instance). */
  available(): Promise<boolean> {
    this.availability ??= this.run(['-version']).then(() => true, () => false);
    return this.availability;
  }

  /** Fails with `OPERATION_FAILED` (what to install or configure) unless ffmpeg is available. */
  async require(): Promise<void> {
    if (await this.available()) return;
    const found = await this.locate();
    throw new ApiError('OPERATION_FAILED', found?.source === 'configured' ? configuredFfmpegMissing(found.path) : FFMPEG_MISSING);
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
  async run(args: readonly string[]): Promise<Buffer> {
    const found = await this.locate();
    if (found === undefined) throw new ApiError('OPERATION_FAILED', FFMPEG_MISSING);
    const missing = found.source === 'configured' ? configuredFfmpegMissing(found.path) : FFMPEG_MISSING;
    return new Promise((resolve, reject) => {
      execFile(
        found.path,
        args,
        { encoding: 'buffer', timeout: this.timeoutMs, killSignal: 'SIGKILL', maxBuffer: this.maxOutputBytes, windowsHide: true },
        (err, stdout, stderr) => {
          if (err === null) {
            resolve(stdout);
            return;
          }
          const e: ExecFileException = err;
          if (e.code === 'ENOENT' || e.code === 'EACCES') reject(new ApiError('OPERATION_FAILED', missing));
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
