/**
 * Local `file=` forms (CQHTTP 4.15 §8.6): plain data-dir names, `base64://`, `file:` with 0–3
 * slashes inside/outside `allowed_file_dirs`, and `pathOf`/`urlFor`/`clean`.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MediaStore } from '../../src/media/index.js';
import { ApiError } from '../../src/protocol/errors.js';
import { JPEG, PNG, tempDir } from './helpers.js';

const md5 = (b: Uint8Array | string) => createHash('md5').update(b).digest('hex');

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('local sources', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let dataDir: string;
  let allowed: string;
  let outside: string;
  let store: MediaStore;
  before(async () => {
    ({ dir: root, cleanup } = await tempDir());
    dataDir = path.join(root, 'data');
    allowed = path.join(root, 'allowed');
    outside = path.join(root, 'outside');
    await Promise.all([mkdir(path.join(dataDir, 'image'), { recursive: true }), mkdir(allowed), mkdir(outside)]);
    await writeFile(path.join(dataDir, 'image', 'received.jpg'), JPEG);
    await writeFile(path.join(allowed, 'cat.png'), PNG);
    await writeFile(path.join(allowed, 'a b.png'), PNG);
    await writeFile(path.join(outside, 'secret.png'), PNG);
    await symlink(path.join(outside, 'secret.png'), path.join(allowed, 'escape.png'));
    await symlink(outside, path.join(allowed, 'linkdir'));
    await symlink(path.join(outside, 'secret.png'), path.join(dataDir, 'image', 'planted.png'));
    store = new MediaStore(dataDir, { allowedFileDirs: [allowed], maxDownloadBytes: 4096 });
  });
  after(() => cleanup());
  const image = (file: string) => store.resolveOutgoing({ type: 'image', data: { file } });

  test('a plain name that exists in image/ is kept as it is', async () => {
    assert.deepEqual(await image('received.jpg'), { type: 'image', data: { file: 'received.jpg' } });
  });

  test('plain names: missing, traversal, separators, absolute paths, symlinks out are refused', async () => {
    await rejectsWith(image('nope.jpg'), 'BAD_PARAMS', /no image named "nope\.jpg"/);
    await rejectsWith(image('../image/received.jpg'), 'BAD_PARAMS', /path separator/);
    await rejectsWith(image('..'), 'BAD_PARAMS', /contains "\.\."/);
    await rejectsWith(image('..\\x.jpg'), 'BAD_PARAMS', /path separator/);
    await rejectsWith(image(path.join(dataDir, 'image', 'received.jpg')), 'BAD_PARAMS', /path separator/);
    await rejectsWith(image('C:x.jpg'), 'BAD_PARAMS', /drive path/);
    await rejectsWith(image('planted.png'), 'BAD_PARAMS', /outside the data directory/);
    await rejectsWith(store.resolveOutgoing({ type: 'record', data: { file: 'received.jpg' } }), 'BAD_PARAMS', /no record named/);
    await rejectsWith(image(''), 'BAD_PARAMS', /has no file/);
    await rejectsWith(store.resolveOutgoing({ type: 'image', data: {} }), 'BAD_PARAMS', /has no file/);
  });

  test('base64:// is stored as md5(content).<sniffed ext>; identical content dedupes', async () => {
    const a = await image(`base64://${PNG.toString('base64')}`);
    assert.equal(a.data.file, `${md5(PNG)}.png`);
    assert.deepEqual(await readFile(path.join(dataDir, 'image', a.data.file as string)), PNG);
    const b = await image(`base64://${PNG.toString('base64')}`);
    assert.equal(b.data.file, a.data.file);
    const jpg = await image(`base64://${JPEG.toString('base64')}`);
    assert.equal(jpg.data.file, `${md5(JPEG)}.jpg`);
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    assert.equal((await image(`base64://${gif.toString('base64')}`)).data.file, `${md5(gif)}.gif`);
    const unknown = Buffer.from('hello world!');
    assert.equal((await image(`base64://${unknown.toString('base64')}`)).data.file, `${md5(unknown)}.tmp`);
  });

  test('base64:// is lenient: whitespace or "=" truncates, URL-safe characters stop the decoder', async () => {
    const text = PNG.toString('base64');
    const cut = 24; // a multiple of 4: the first 18 bytes decode exactly
    const truncated = await image(`base64://${text.slice(0, cut)}\n${text.slice(cut)}`);
    const expected = PNG.subarray(0, 18);
    assert.equal(truncated.data.file, `${md5(expected)}.png`, 'the PNG magic survives, the rest is cut at the newline');
    assert.deepEqual(await readFile(path.join(dataDir, 'image', truncated.data.file as string)), expected);
    const safe = Buffer.from([0xfb, 0xff, 0xbf]).toString('base64url'); // "-_-_"
    await rejectsWith(image(`base64://${safe}`), 'BAD_PARAMS', /empty or not standard base64/);
    await rejectsWith(image('base64://'), 'BAD_PARAMS', /empty/);
    await rejectsWith(image(`base64://${Buffer.alloc(5000, 1).toString('base64')}`), 'BAD_PARAMS', /too large \(over 4096 bytes, max_download_size\)/);
  });

  test('records sniff audio magic: silk, amr, wav, ogg, mp3', async () => {
    const cases: Array<[Buffer, string]> = [
      [Buffer.from('\x02#!SILK_V3\x00\x00', 'latin1'), 'silk'],
      [Buffer.from('#!AMR\n\x00\x00', 'latin1'), 'amr'],
      [Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt ', 'latin1'), 'wav'],
      [Buffer.from('OggS\x00\x02', 'latin1'), 'ogg'],
      [Buffer.from('ID3\x04\x00\x00', 'latin1'), 'mp3'],
      [PNG, 'tmp'],
    ];
    for (const [data, ext] of cases) {
      const seg = await store.resolveOutgoing({ type: 'record', data: { file: `base64://${data.toString('base64')}` } });
      assert.equal(seg.data.file, `${md5(data)}.${ext}`);
    }
  });

  test('file: with 0–3 slashes inside allowed_file_dirs is copied in as md5(content)', async () => {
    const target = path.join(allowed, 'cat.png');
    for (const prefix of ['file:', 'file:/', 'file://', 'file:///']) {
      const seg = await image(`${prefix}${target.slice(1)}`);
      assert.equal(seg.data.file, `${md5(PNG)}.png`, prefix);
    }
    assert.equal((await image(`file://${target}`)).data.file, `${md5(PNG)}.png`, 'file:// + absolute path');
    assert.equal((await image(`file://${path.join(allowed, 'a%20b.png')}`)).data.file, `${md5(PNG)}.png`, 'percent-encoded');
    assert.deepEqual(await readFile(path.join(dataDir, 'image', `${md5(PNG)}.png`)), PNG);
  });

  test('file: outside allowed_file_dirs, via a symlink or with .. is refused', async () => {
    await rejectsWith(image(`file://${path.join(outside, 'secret.png')}`), 'BAD_PARAMS', /not allowed: it is outside allowed_file_dirs/);
    await rejectsWith(image(`file://${path.join(allowed, 'escape.png')}`), 'BAD_PARAMS', /not allowed/);
    await rejectsWith(image(`file://${path.join(allowed, 'linkdir', 'secret.png')}`), 'BAD_PARAMS', /not allowed/);
    await rejectsWith(image(`file://${allowed}/../outside/secret.png`), 'BAD_PARAMS', /not allowed/);
    await rejectsWith(image(`file://${outside}/nonexistent.png`), 'BAD_PARAMS', /not allowed/, );
    await rejectsWith(image(`file://${allowed}/nonexistent.png`), 'BAD_PARAMS', /there is no file/);
    await rejectsWith(image(`file://${allowed}`), 'BAD_PARAMS', /not allowed/);
    await rejectsWith(image(`file://${path.join(allowed, 'linkdir')}`), 'BAD_PARAMS', /not allowed/);
  });

  test('file: is refused with a hint at allowed_file_dirs when none is configured; too large is refused', async () => {
    const closed = new MediaStore(dataDir);
    await rejectsWith(closed.resolveOutgoing({ type: 'image', data: { file: `file://${allowed}/cat.png` } }), 'BAD_PARAMS', /file:\/\/ sources are disabled.*allowed_file_dirs/);
    await writeFile(path.join(allowed, 'big.bin'), Buffer.alloc(5000));
    await rejectsWith(image(`file://${allowed}/big.bin`), 'BAD_PARAMS', /too large/);
    await mkdir(path.join(allowed, 'sub.png'));
    await rejectsWith(image(`file://${allowed}/sub.png`), 'BAD_PARAMS', /not a regular file/);
  });

  test('pathOf is a safe join; urlFor percent-encodes; both refuse escapes', () => {
    assert.equal(store.pathOf('record', 'a.silk'), path.join(dataDir, 'record', 'a.silk'));
    assert.equal(store.urlFor('image', 'a b#.png'), '/data/image/a%20b%23.png');
    for (const bad of ['../x', '/etc/passwd', 'a/b', 'a\\b', '..', '', 'x\0y']) {
      assert.throws(() => store.pathOf('image', bad), (e: unknown) => e instanceof ApiError && e.code === 'BAD_PARAMS', bad);
      assert.throws(() => store.urlFor('image', bad), ApiError, bad);
    }
    assert.throws(() => store.pathOf('../etc' as 'image', 'x'), ApiError);
  });

  test('clean deletes and re-creates a sub-folder, only for data-dir names', async () => {
    await image(`base64://${PNG.toString('base64')}`);
    assert.ok((await readdir(path.join(dataDir, 'image'))).length > 0);
    await store.clean('image');
    assert.deepEqual(await readdir(path.join(dataDir, 'image')), []);
    await store.clean('show');
    assert.ok((await stat(path.join(dataDir, 'show'))).isDirectory());
    await rejectsWith(store.clean('..' as 'image'), 'BAD_PARAMS', /not a data sub-directory/);
  });
});
