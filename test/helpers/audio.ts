/**
 * What an audio file holds, read by the same ffmpeg cqhttpd converts with (no ffprobe needed):
 * `ffmpeg -i <file> -f null -` decodes the whole file and reports the stream and the time decoded.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { locateFfmpeg } from '../../src/media/index.js';

const run = promisify(execFile);

/** Seconds of an `HH:MM:SS.xx` time. */
function seconds(hms: string): number {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return h * 3600 + m * 60 + s;
}

/** The codec of the first audio stream and the duration in seconds (as decoded, else as declared). */
export async function probeAudio(file: string, ffmpegPath?: string): Promise<{ codec: string; duration: number }> {
  const ffmpeg = ffmpegPath ?? (await locateFfmpeg())?.path;
  if (ffmpeg === undefined) throw new Error('no ffmpeg to probe with');
  const { stderr } = await run(ffmpeg, ['-hide_banner', '-nostdin', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  const codec = /Stream #\d+:\d+.*?: Audio: (\w+)/.exec(stderr)?.[1] ?? '';
  const times = [...stderr.matchAll(/time=(\d+:\d+:\d+(?:\.\d+)?)/g)];
  const decoded = times.at(-1)?.[1];
  const declared = /Duration: (\d+:\d+:\d+(?:\.\d+)?)/.exec(stderr)?.[1];
  const duration = decoded !== undefined ? seconds(decoded) : declared !== undefined ? seconds(declared) : Number.NaN;
  return { codec, duration };
}
