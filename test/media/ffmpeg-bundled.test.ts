/**
 * The ffmpeg that arrives with `npm install` (`@ffmpeg-installer/ffmpeg` and its platform package),
 * forced even where a system ffmpeg exists: it is found, it has the encoders docs/media.md names,
 * and it converts voice records to amr, mp3 and wav and back to SILK. And the order of the search:
 * `ffmpeg_path`, then `PATH`, then the npm build.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { decode, encode } from 'silk-wasm';
import { bundledFfmpegPath, locateFfmpeg, RecordConverter } from '../../src/media/index.js';
import { probeAudio } from '../helpers/audio.js';
import { tempDir, tone, wav } from './helpers.js';

const run = promisify(execFile);
const RATE = 24_000;

describe('the npm-shipped ffmpeg', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let silkPath: string;
  let wavPath: string;
  let bundled: string;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
    silkPath = path.join(dir, 'voice.silk');
    wavPath = path.join(dir, 'tone.wav');
    await writeFile(silkPath, (await encode(tone(1, RATE, 12_000), RATE)).data);
    await writeFile(wavPath, wav(tone(1, RATE, 12_000)));
    const found = bundledFfmpegPath();
    assert.ok(found !== undefined, 'npm install brings @ffmpeg-installer/ffmpeg with a build for this platform');
    bundled = found;
  });
  after(() => cleanup());

  test('lives in node_modules/@ffmpeg-installer and is what an empty PATH finds', async () => {
    assert.match(bundled, /node_modules[\\/]@ffmpeg-installer[\\/]/);
    assert.deepEqual(await locateFfmpeg({ searchPath: '' }), { path: bundled, source: 'bundled' });
  });

  test('has the encoders docs/media.md promises (AMR-NB, AMR-WB, MP3, Opus)', async () => {
    const { stdout } = await run(bundled, ['-hide_banner', '-encoders'], { encoding: 'utf8' });
    for (const encoder of ['libopencore_amrnb', 'libvo_amrwbenc', 'libmp3lame', 'libopus']) {
      assert.match(stdout, new RegExp(`^ A\\S* ${encoder} `, 'm'), encoder);
    }
  });

  test('converts SILK to amr, mp3 and wav, and WAV to SILK', async () => {
    const converter = new RecordConverter({ ffmpegPath: bundled });
    assert.deepEqual(await converter.locateFfmpeg(), { path: bundled, source: 'configured' });
    for (const [format, codec] of [['amr', 'amr_nb'], ['mp3', 'mp3'], ['wav', 'pcm_s16le']] as const) {
      const out = await converter.convertRecord(silkPath, format, dir);
      assert.equal(out, path.join(dir, `voice.${format}`));
      const info = await probeAudio(out, bundled);
      assert.equal(info.codec, codec, format);
      assert.ok(info.duration > 0.8 && info.duration < 1.5, `${format}: duration ${info.duration}`);
    }
    const silk = await converter.encodeSilk(wavPath);
    assert.equal(silk.data.subarray(0, 10).toString('latin1'), '\x02#!SILK_V3');
    assert.ok(silk.durationMs >= 900 && silk.durationMs <= 1100, `duration ${silk.durationMs}`);
    assert.ok((await decode(silk.data, RATE)).data.length > RATE, 'silk-wasm decodes it back');
  });

  test('without ffmpeg_path it is used when PATH has none', async () => {
    const converter = new RecordConverter({ searchPath: path.join(dir, 'empty') });
    assert.deepEqual(await converter.locateFfmpeg(), { path: bundled, source: 'bundled' });
    const out = await converter.convertRecord(silkPath, 'amr', dir);
    assert.equal((await probeAudio(out, bundled)).codec, 'amr_nb');
  });
});

describe('which ffmpeg is used', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  after(() => cleanup());

  test('an ffmpeg on PATH comes before the npm build; ffmpeg_path before both', async () => {
    const system = path.join(dir, 'ffmpeg');
    await writeFile(system, '#!/bin/sh\nexit 0\n');
    await chmod(system, 0o755);
    const searchPath = [path.join(dir, 'missing'), dir].join(path.delimiter);
    assert.deepEqual(await locateFfmpeg({ searchPath, bundled: () => '/npm/ffmpeg' }), { path: system, source: 'system' });
    assert.deepEqual(await locateFfmpeg({ searchPath, configured: '/opt/ff/ffmpeg' }), { path: '/opt/ff/ffmpeg', source: 'configured' });
    assert.deepEqual(await locateFfmpeg({ searchPath, configured: 'ffmpeg' }), { path: system, source: 'configured' }, 'a bare name is looked up on PATH');
  });

  test('a file on PATH that is not executable, or a directory, is passed over', async () => {
    const sub = path.join(dir, 'sub');
    const plain = path.join(dir, 'plain');
    await Promise.all([mkdir(path.join(sub, 'ffmpeg'), { recursive: true }), mkdir(plain, { recursive: true })]);
    await writeFile(path.join(plain, 'ffmpeg'), '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    assert.equal(await locateFfmpeg({ searchPath: [sub, plain].join(path.delimiter), bundled: () => undefined }), undefined);
  });

  test('an npm build left without its executable bit (install scripts not run) is made executable', async () => {
    const npmBuild = path.join(dir, 'npm-ffmpeg');
    await writeFile(npmBuild, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    assert.deepEqual(await locateFfmpeg({ searchPath: '', bundled: () => npmBuild }), { path: npmBuild, source: 'bundled' });
    assert.equal((await stat(npmBuild)).mode & 0o111, 0o111);
  });
});
