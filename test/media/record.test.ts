/**
 * Voice records (CQHTTP 4.15 §6.6 `get_record`): SILK → every out_format through silk-wasm and a
 * real ffmpeg (the system's, else the one npm installs with cqhttpd), each output decoded again by
 * ffmpeg; non-SILK → SILK. Without any ffmpeg these tests fail with the install hint rather than
 * being skipped. ffmpeg-bundled.test.ts proves the npm-shipped build on its own.
 */
import assert from 'node:assert/strict';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decode, encode } from 'silk-wasm';
import { configuredFfmpegMissing, FFMPEG_MISSING, RecordConverter } from '../../src/media/index.js';
import { probeAudio as probe } from '../helpers/audio.js';
import { tempDir, tone, wav } from './helpers.js';

const RATE = 24_000;

/** One second of a 440 Hz sine, PCM s16le mono. */
const sine = (): Buffer => tone(1, RATE, 12_000);

const EXPECTED_CODECS: Record<string, string[]> = {
  mp3: ['mp3'], wav: ['pcm_s16le'], flac: ['flac'], ogg: ['vorbis', 'opus'], m4a: ['aac'], wma: ['wmav2', 'wmav1'], spx: ['speex'], amr: ['amr_nb'],
};

describe('voice records', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let silkPath: string;
  let wavPath: string;
  const converter = new RecordConverter();
  before(async () => {
    ({ dir, cleanup } = await tempDir());
    silkPath = path.join(dir, 'voice.silk');
    wavPath = path.join(dir, 'tone.wav');
    await writeFile(silkPath, (await encode(sine(), RATE)).data);
    await writeFile(wavPath, wav(sine()));
  });
  after(() => cleanup());

  test('an ffmpeg is found and runs (the system\'s or the npm-shipped one)', async () => {
    assert.equal(await converter.ffmpegAvailable(), true, FFMPEG_MISSING);
  });

  for (const format of ['mp3', 'wav']) {
    test(`SILK → ${format}: ffmpeg reads a ~1 s ${format} stream`, async () => {
      const out = await converter.convertRecord(silkPath, format, dir);
      assert.equal(out, path.join(dir, `voice.${format}`));
      const info = await probe(out);
      assert.ok(EXPECTED_CODECS[format]?.includes(info.codec), `codec ${info.codec}`);
      assert.ok(info.duration > 0.8 && info.duration < 1.5, `duration ${info.duration}`);
    });
  }

  test('every other out_format converts and ffmpeg decodes it', async () => {
    for (const format of ['amr', 'wma', 'm4a', 'spx', 'ogg', 'flac']) {
      const out = await converter.convertRecord(silkPath, format, dir);
      assert.equal(out, path.join(dir, `voice.${format}`));
      const info = await probe(out);
      assert.ok(EXPECTED_CODECS[format]?.includes(info.codec), `${format}: codec ${info.codec}`);
      assert.ok(info.duration > 0.5, `${format}: duration ${info.duration}`);
    }
  });

  test('non-SILK input goes straight through ffmpeg (WAV → FLAC)', async () => {
    const out = await converter.convertRecord(wavPath, 'flac', dir);
    assert.deepEqual(await probe(out), { codec: 'flac', duration: 1 });
  });

  test('encodeSilk: WAV → SILK that silk-wasm decodes back to ~1 s; SILK input is returned as it is', async () => {
    const record = await converter.encodeSilk(wavPath);
    assert.equal(record.data.subarray(0, 10).toString('latin1'), '\x02#!SILK_V3');
    assert.ok(record.durationMs >= 900 && record.durationMs <= 1100, `duration ${record.durationMs}`);
    const back = await decode(record.data, RATE);
    assert.ok(back.data.length > RATE, 'decodes to more than half a second of PCM');
    const mp3 = await converter.convertRecord(silkPath, 'mp3', dir);
    assert.ok((await converter.encodeSilk(mp3)).durationMs > 500, 'MP3 → SILK too');
    const same = await converter.encodeSilk(silkPath);
    assert.deepEqual(same.data, await readFile(silkPath));
  });

  test('bad format, missing input, undecodable input are reported', async () => {
    await assert.rejects(converter.convertRecord(silkPath, 'exe', dir), { code: 'BAD_PARAMS', message: /out_format "exe" is not one of mp3, amr/ });
    await assert.rejects(converter.convertRecord(path.join(dir, 'missing.silk'), 'mp3', dir), { code: 'BAD_PARAMS', message: /no record file/ });
    const junk = path.join(dir, 'junk.amr');
    await writeFile(junk, 'this is not audio at all');
    await assert.rejects(converter.convertRecord(junk, 'mp3', dir), { code: 'OPERATION_FAILED', message: /ffmpeg failed/ });
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.part')), [], 'no temporary file is left');
  });

  test('no ffmpeg anywhere (none on PATH, no npm build) is OPERATION_FAILED with the install hint', async () => {
    const none = new RecordConverter({ searchPath: dir, bundled: () => undefined });
    assert.equal(await none.locateFfmpeg(), undefined);
    assert.equal(await none.ffmpegAvailable(), false);
    await assert.rejects(none.convertRecord(silkPath, 'mp3', dir), { code: 'OPERATION_FAILED', message: FFMPEG_MISSING });
    await assert.rejects(none.encodeSilk(wavPath), { code: 'OPERATION_FAILED', message: /apt-get install ffmpeg libavcodec-extra\) or set ffmpeg_path/ });
    assert.equal((await none.encodeSilk(silkPath)).data.length > 0, true, 'SILK needs no ffmpeg');
  });

  test('a configured ffmpeg_path that does not exist is named, with no fallback', async () => {
    const missing = path.join(dir, 'no-such-ffmpeg');
    const none = new RecordConverter({ ffmpegPath: missing });
    assert.deepEqual(await none.locateFfmpeg(), { path: missing, source: 'configured' });
    assert.equal(await none.ffmpegAvailable(), false);
    await assert.rejects(none.convertRecord(silkPath, 'mp3', dir), { code: 'OPERATION_FAILED', message: configuredFfmpegMissing(missing) });
    await assert.rejects(none.encodeSilk(wavPath), { code: 'OPERATION_FAILED', message: configuredFfmpegMissing(missing) });
  });

  test('an ffmpeg without the encoder names it and what to install', async () => {
    const fake = path.join(dir, 'plain-ffmpeg');
    await writeFile(fake, '#!/bin/sh\ncase "$1" in -version) echo fake; exit 0;; esac\n[ "$2" = "-encoders" ] && { echo " A..... libmp3lame  MP3"; exit 0; }\nexit 1\n');
    await chmod(fake, 0o755);
    const plain = new RecordConverter({ ffmpegPath: fake });
    await assert.rejects(plain.convertRecord(silkPath, 'amr', dir), {
      code: 'OPERATION_FAILED',
      message: 'this ffmpeg cannot encode amr: it has no libopencore_amrnb encoder (Debian/Ubuntu: apt-get install libavcodec-extra; '
        + 'or clear ffmpeg_path to use the build npm installs with cqhttpd, which has it)',
    });
    assert.equal((await readdir(dir)).some((f) => f.endsWith('.part')), false);
  });

  test('a hanging ffmpeg is killed after the timeout and leaves no output', async () => {
    const fake = path.join(dir, 'fake-ffmpeg');
    await writeFile(fake, '#!/bin/sh\ncase "$1" in -version) echo fake; exit 0;; esac\n[ "$2" = "-encoders" ] && { echo " A..... libmp3lame  MP3"; exit 0; }\nexec sleep 30\n');
    await chmod(fake, 0o755);
    const slow = new RecordConverter({ ffmpegPath: fake, timeoutMs: 300 });
    const started = Date.now();
    await assert.rejects(slow.convertRecord(wavPath, 'mp3', dir), { code: 'OPERATION_FAILED', message: /timed out after 0\.3 s/ });
    assert.ok(Date.now() - started < 5000);
    const files = await readdir(dir);
    assert.equal(files.includes('tone.mp3') || files.some((f) => f.endsWith('.part')), false);
  });
});
