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

/** A WAV file: 16-bit mono PCM, `seconds` of a 440 Hz tone at 8 kHz. */
export function toneWav(seconds: number): Buffer {
  const rate = 8000;
  const samples = Math.round(rate * seconds);
  const out = Buffer.alloc(44 + samples * 2);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12000), 44 + i * 2);
  return out;
}
