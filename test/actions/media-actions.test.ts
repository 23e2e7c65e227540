/**
 * `get_record` end to end (SILK → mp3, wav and amr, decoded again by ffmpeg), what happens without
 * ffmpeg (`get_record` names what to install, `can_send_record` is false, a non-SILK record cannot be
 * sent), and the file-system failures (103) of `clean_data_dir` / `clean_cache`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cleanCache, cleanDataDir } from '../../src/actions/media/clean.js';
import type { ActionContext } from '../../src/core/context.js';
import { MediaStore } from '../../src/media/index.js';
import { ApiError } from '../../src/protocol/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { probeAudio as probe } from '../helpers/audio.js';
import { tempDir } from '../media/helpers.js';
import { SILK, tone } from './cases/media.js';

describe('get_record with ffmpeg', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    fs.mkdirSync(path.join(t.dataDir, 'record'), { recursive: true });
    fs.writeFileSync(path.join(t.dataDir, 'record', 'hello.silk'), SILK);
  });
  after(() => t.close());

  for (const [format, codec] of [['mp3', 'mp3'], ['wav', 'pcm_s16le'], ['amr', 'amr_nb']] as const) {
    test(`a SILK voice converts to ${format} and ffmpeg decodes it`, async () => {
      const res = await t.call('get_record', { file: 'hello.silk', out_format: format, full_path: true });
      assert.equal(res.body?.retcode, 0, res.text);
      const file = (res.body?.data as { file: string }).file;
      assert.equal(file, path.join(t.dataDir, 'record', `hello.${format}`));
      const info = await probe(file);
      assert.equal(info.codec, codec);
      assert.ok(Math.abs(info.duration - 0.5) < 0.15, `duration ${info.duration}`);
    });
  }

  test('a record received from a user converts too', async () => {
    const sent = await fetch(`http://127.0.0.1:${t.app.sandbox.port}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 20001, group_id: 100001, message: [{ type: 'record', data: { file: `base64://${SILK.toString('base64')}` } }] }),
    });
    assert.equal(sent.status, 200);
    const file = t.app.backend.listMessages({ groupId: 100001 }).at(-1)?.message[0]?.data.file ?? '';
    const res = await t.call('get_record', { file, out_format: 'flac' });
    assert.equal(res.body?.retcode, 0, res.text);
    assert.equal((res.body?.data as { file: string }).file, file.replace(/\.silk$/, '.flac'));
    assert.equal((await probe(path.join(t.dataDir, 'record', file.replace(/\.silk$/, '.flac')))).codec, 'flac');
  });

  test('can_send_record is true', async () => {
    assert.deepEqual((await t.call('can_send_record')).body?.data, { yes: true });
  });
});

describe('without ffmpeg (ffmpeg_path names one that does not exist)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { ffmpeg_path: '/nonexistent/ffmpeg' } });
    fs.mkdirSync(path.join(t.dataDir, 'record'), { recursive: true });
    fs.writeFileSync(path.join(t.dataDir, 'record', 'hello.silk'), SILK);
  });
  after(() => t.close());

  test('get_record fails with 103 naming what to install', async () => {
    const res = await t.call('get_record', { file: 'hello.silk', out_format: 'mp3' });
    assert.equal(res.body?.retcode, 103);
    assert.match(res.body?.wording ?? '', /^ffmpeg_path …\/ffmpeg cannot be run \(no such executable\): install ffmpeg there, or clear ffmpeg_path/);
  });

  test('can_send_record is false, can_send_image true', async () => {
    assert.deepEqual((await t.call('can_send_record')).body?.data, { yes: false });
    assert.deepEqual((await t.call('can_send_image')).body?.data, { yes: true });
  });

  test('a non-SILK record cannot be sent; a SILK one still can', async () => {
    const pcmWav = Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE', 'latin1'), tone(0.1)]);
    const bad = await t.call('send_group_msg', { group_id: 100001, message: [{ type: 'record', data: { file: `base64://${pcmWav.toString('base64')}` } }] });
    assert.equal(bad.body?.retcode, 103);
    assert.match(bad.body?.wording ?? '', /ffmpeg_path …\/ffmpeg cannot be run/);
    assert.equal(t.app.backend.listMessages({ groupId: 100001 }).length, 0);
    const ok = await t.call('send_group_msg', { group_id: 100001, message: [{ type: 'record', data: { file: 'hello.silk' } }] });
    assert.equal(ok.body?.retcode, 0, ok.text);
  });
});

describe('cleaning', () => {
  test('clean_cache empties image, record, video and file, and keeps the database', async () => {
    const t = await startTestApp();
    try {
      for (const dir of ['image', 'record', 'video', 'file', 'show']) {
        fs.mkdirSync(path.join(t.dataDir, dir), { recursive: true });
        fs.writeFileSync(path.join(t.dataDir, dir, 'x.bin'), 'x');
      }
      assert.equal((await t.call('clean_cache')).body?.retcode, 0);
      for (const dir of ['image', 'record', 'video', 'file']) assert.deepEqual(fs.readdirSync(path.join(t.dataDir, dir)), [], dir);
      assert.ok(fs.existsSync(path.join(t.dataDir, 'show', 'x.bin')), 'show is not a cache');
      assert.equal((await t.call('clean_data_dir', { data_dir: 'show' })).body?.retcode, 0);
      assert.deepEqual(fs.readdirSync(path.join(t.dataDir, 'show')), []);
      assert.equal((await t.call('get_login_info')).body?.retcode, 0, 'the sandbox is untouched');
    } finally {
      await t.close();
    }
  });

  test('a file-system error is 103 for clean_data_dir and clean_cache', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const blocker = path.join(dir, 'not-a-dir');
      fs.writeFileSync(blocker, 'x');
      const media = { store: new MediaStore(path.join(blocker, 'data')) } as unknown as ActionContext['media'];
      const ctx = { media } as ActionContext;
      for (const [action, params] of [[cleanDataDir, { data_dir: 'image' }], [cleanCache, {}]] as const) {
        await assert.rejects(async () => action.run(params, ctx), (err: unknown) => err instanceof ApiError && err.retcode === 103 && /could not clean/.test(err.message));
      }
    } finally {
      await cleanup();
    }
  });
});
