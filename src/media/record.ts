/**
 * Voice-record conversion (`get_record`, CQHTTP 4.15 §6.6) and SILK encoding for sending
 * non-SILK audio as a voice record. SILK is decoded/encoded with `silk-wasm` (PCM s16le, 24 kHz,
 * mono; imported on first use, as most bots never touch a record); every other codec goes through
 * ffmpeg, restricted to local files and audio demuxers.
 */
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../protocol/errors.js';
import { Ffmpeg, type FfmpegOptions } from './ffmpeg.js';
import type { FfmpegFound } from './ffmpeg-locate.js';
import { describeError, isErrno, tempPathFor } from './fs-safe.js';
import { isSilkData } from './sniff.js';

/** The `out_format` values of `get_record`. */
export const RECORD_FORMATS = ['mp3', 'amr', 'wma', 'm4a', 'spx', 'ogg', 'wav', 'flac'] as const;

/** One of {@link RECORD_FORMATS}. */
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** The sample rate SILK voice records are decoded to and encoded from. */
export const SILK_SAMPLE_RATE = 24_000;

interface Target {
  /** Encoders to try, best first. */
  encoders: readonly string[];
  /** ffmpeg muxer (`-f`). */
  muxer: string;
  /** Extra output options. */
  extra: readonly string[];
  /** What to install when no encoder is there (Debian/Ubuntu package names). */
  hint?: string;
}

const TARGETS: Readonly<Record<RecordFormat, Target>> = {
  mp3: { encoders: ['libmp3lame', 'libshine'], muxer: 'mp3', extra: [] },
  amr: { encoders: ['libopencore_amrnb'], muxer: 'amr', extra: ['-ar', '8000', '-ac', '1', '-b:a', '12.2k'], hint: 'Debian/Ubuntu: apt-get install libavcodec-extra; or clear ffmpeg_path to use the build npm installs with cqhttpd, which has it' },
  wma: { encoders: ['wmav2', 'wmav1'], muxer: 'asf', extra: [] },
  m4a: { encoders: ['aac', 'libfdk_aac'], muxer: 'ipod', extra: [] },
  spx: { encoders: ['libspeex'], muxer: 'ogg', extra: ['-ar', '16000', '-ac', '1'] },
  ogg: { encoders: ['libvorbis', 'libopus'], muxer: 'ogg', extra: [] },
  wav: { encoders: ['pcm_s16le'], muxer: 'wav', extra: [] },
  flac: { encoders: ['flac'], muxer: 'flac', extra: [] },
};

/** Demuxers ffmpeg may open for a record (no playlists, no concat lists: nothing that reaches other files). */
const INPUT_FORMATS = 'mp3,wav,w64,ogg,flac,amr,amrnb,amrwb,aac,mov,asf,matroska,aiff,caf,wv,ape,au,s16le';
const INPUT_GUARD = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-protocol_whitelist', 'file,pipe', '-format_whitelist', INPUT_FORMATS];
const PCM_INPUT = ['-f', 's16le', '-ar', String(SILK_SAMPLE_RATE), '-ac', '1'];

/** A SILK voice record ready to store (e.g. with `MediaStore.saveBytes('record', …)`). */
export interface SilkRecord {
  /** The SILK bytes (Tencent flavour, starting `\x02#!SILK_V3`). */
  data: Buffer;
  /** Duration in milliseconds. */
  durationMs: number;
}

/** True when `format` is one of {@link RECORD_FORMATS}. */
export function isRecordFormat(format: string): format is RecordFormat {
  return (RECORD_FORMATS as readonly string[]).includes(format);
}

/** Converts voice records between SILK and the `get_record` formats; ffmpeg probes are cached per instance. */
export class RecordConverter {
  private readonly ffmpeg: Ffmpeg;

  constructor(options: FfmpegOptions = {}) {
    this.ffmpeg = new Ffmpeg(options);
  }

  /** The ffmpeg in use and where it came from (`ffmpeg_path`, `PATH`, the npm package); located once. */
  locateFfmpeg(): Promise<FfmpegFound | undefined> {
    return this.ffmpeg.locate();
  }

  /** True when ffmpeg runs (`can_send_record` for non-SILK input, `get_record`). Probed once. */
  ffmpegAvailable(): Promise<boolean> {
    return this.ffmpeg.available();
  }

  /**
   * Converts `inputPath` (SILK, or anything ffmpeg reads) to `<outDir>/<input base name>.<outFormat>`
   * and returns that path. The output appears atomically. Fails with `BAD_PARAMS` for an unknown
   * format or a missing input, `OPERATION_FAILED` when ffmpeg is missing, lacks the encoder or fails.
   */
  async convertRecord(inputPath: string, outFormat: string, outDir: string): Promise<string> {
    if (!isRecordFormat(outFormat)) {
      throw new ApiError('BAD_PARAMS', `out_format "${outFormat.slice(0, 40)}" is not one of ${RECORD_FORMATS.join(', ')}`);
    }
    await this.ffmpeg.require();
    const target = TARGETS[outFormat];
    const encoders = await this.ffmpeg.encoders();
    const encoder = target.encoders.find((e) => encoders.has(e));
    if (encoder === undefined) {
      const hint = target.hint === undefined ? '' : ` (${target.hint})`;
      throw new ApiError('OPERATION_FAILED', `this ffmpeg cannot encode ${outFormat}: it has no ${target.encoders.join(' or ')} encoder${hint}`);
    }
    const output = path.join(outDir, `${path.basename(inputPath, path.extname(inputPath))}.${outFormat}`);
    const tempOut = tempPathFor(output);
    let tempPcm: string | undefined;
    try {
      let input = ['-i', inputPath];
      if (isSilkData(await readHead(inputPath))) {
        tempPcm = tempPathFor(`${output}.pcm`);
        await writeFile(tempPcm, await decodeSilk(await readFile(inputPath), inputPath));
        input = [...PCM_INPUT, '-i', tempPcm];
      }
      await this.ffmpeg.run([...INPUT_GUARD, ...input, '-vn', '-map_metadata', '-1', '-c:a', encoder, ...target.extra, '-f', target.muxer, '-y', tempOut]);
      await rename(tempOut, output);
      return output;
    } catch (err) {
      await rm(tempOut, { force: true });
      throw err instanceof ApiError ? err : new ApiError('OPERATION_FAILED', `could not convert ${inputPath} to ${outFormat}: ${describeError(err)}`);
    } finally {
      if (tempPcm !== undefined) await rm(tempPcm, { force: true });
    }
  }

  /**
   * The SILK voice record for an audio file: SILK input is returned as it is; anything else is
   * decoded by ffmpeg to PCM (24 kHz mono) and encoded with `silk-wasm`.
   */
  async encodeSilk(inputPath: string): Promise<SilkRecord> {
    const head = await readHead(inputPath);
    if (isSilkData(head)) {
      const data = await readFile(inputPath);
      return { data, durationMs: await silkDuration(data) };
    }
    await this.ffmpeg.require();
    const pcm = await this.ffmpeg.run([...INPUT_GUARD, '-i', inputPath, '-vn', '-f', 's16le', '-acodec', 'pcm_s16le', '-ar', String(SILK_SAMPLE_RATE), '-ac', '1', 'pipe:1']);
    if (pcm.length < 2) throw new ApiError('OPERATION_FAILED', `${inputPath} contains no audio`);
    try {
      const { encode } = await import('silk-wasm');
      const result = await encode(pcm, SILK_SAMPLE_RATE);
      return { data: Buffer.from(result.data), durationMs: result.duration };
    } catch (err) {
      throw new ApiError('OPERATION_FAILED', `could not encode ${inputPath} as SILK: ${describeError(err)}`);
    }
  }
}

/** Whether the file at `file` holds SILK audio (by its first bytes). */
export async function isSilkFile(file: string): Promise<boolean> {
  return isSilkData(await readHead(file));
}

async function readHead(file: string): Promise<Buffer> {
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(16), position: 0 });
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (isErrno(err) && (err.code === 'ENOENT' || err.code === 'EISDIR')) throw new ApiError('BAD_PARAMS', `there is no record file ${file}`);
    throw new ApiError('OPERATION_FAILED', `could not read ${file}: ${describeError(err)}`);
  }
}

async function decodeSilk(data: Buffer, name: string): Promise<Uint8Array> {
  try {
    const { decode } = await import('silk-wasm');
    const pcm = (await decode(data, SILK_SAMPLE_RATE)).data;
    if (pcm.length === 0) throw new Error('no audio frames');
    return pcm;
  } catch (err) {
    throw new ApiError('OPERATION_FAILED', `could not decode the SILK record ${name}: ${describeError(err)}`);
  }
}

async function silkDuration(data: Buffer): Promise<number> {
  try {
    const { getDuration } = await import('silk-wasm');
    return getDuration(data);
  } catch {
    return 0;
  }
}
