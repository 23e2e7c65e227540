/**
 * Which ffmpeg converts voice records: the one `ffmpeg_path` names; else an `ffmpeg` on `PATH`;
 * else the static build that `npm install` brings with cqhttpd (`@ffmpeg-installer/ffmpeg`, whose
 * platform package holds the binary). Nothing here runs ffmpeg; it only finds the file.
 */
import { constants } from 'node:fs';
import { access, chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the ffmpeg in use came from. */
export type FfmpegSource = 'configured' | 'system' | 'bundled';

/** The ffmpeg in use. */
export interface FfmpegFound {
  path: string;
  source: FfmpegSource;
}

/** Inputs of {@link locateFfmpeg}. */
export interface FfmpegSearch {
  /** `ffmpeg_path`: a path or a command name; empty = search. */
  configured?: string | undefined;
  /** The directories to search, `PATH`-style (default: this process's `PATH`). */
  searchPath?: string | undefined;
  /** The npm-shipped binary (default {@link bundledFfmpegPath}); `undefined` = none. */
  bundled?: (() => string | undefined) | undefined;
}

/** The file name of an ffmpeg executable on this platform. */
const EXECUTABLE = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';

/**
 * The binary of the npm package `@ffmpeg-installer/ffmpeg` for this platform, or `undefined` when
 * the package, or a build for this OS and CPU, is not installed.
 */
export function bundledFfmpegPath(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const found = (require('@ffmpeg-installer/ffmpeg') as { path?: unknown }).path;
    return typeof found === 'string' && found !== '' ? found : undefined;
  } catch {
    return undefined; // not installed, or "Unsupported platform/architecture"
  }
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `ffmpeg` executable in the `PATH`-style list `searchPath`. */
export async function findOnPath(searchPath: string, name = EXECUTABLE): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The ffmpeg to use: `configured` when set (a bare command name is looked up on the search path;
 * returned even when missing, so the error names it); else `ffmpeg` on the search path; else the
 * npm-shipped build; else `undefined`.
 */
export async function locateFfmpeg(search: FfmpegSearch = {}): Promise<FfmpegFound | undefined> {
  const searchPath = search.searchPath ?? process.env['PATH'] ?? '';
  const configured = search.configured ?? '';
  if (configured !== '') {
    const isCommand = !configured.includes('/') && !configured.includes('\\');
    const resolved = isCommand ? await findOnPath(searchPath, configured) : undefined;
    return { path: resolved ?? configured, source: 'configured' };
  }
  const system = await findOnPath(searchPath);
  if (system !== undefined) return { path: system, source: 'system' };
  const bundled = (search.bundled ?? bundledFfmpegPath)();
  if (bundled === undefined) return undefined;
  if (await isExecutableFile(bundled)) return { path: bundled, source: 'bundled' };
  // The platform package's own postinstall (`chmod u+x ffmpeg`) did not run (npm asks before it runs
  // install scripts): do what it would have done.
  try {
    if ((await stat(bundled)).isFile()) await chmod(bundled, 0o755);
  } catch {
    return undefined;
  }
  return (await isExecutableFile(bundled)) ? { path: bundled, source: 'bundled' } : undefined;
}
