/**
 * The data-file endpoint's path rules (CQHTTP 4.15 §3.2): four sub-folders, `..` → 403 (also
 * encoded or with backslashes), symlink escapes → 403, missing / not a file → 404.
 */
import assert from 'node:assert/strict';
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveDataFile } from '../../src/media/index.js';
import { PNG, tempDir } from './helpers.js';

describe('resolveDataFile', () => {
  let root: string;
  let data: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir: root, cleanup } = await tempDir());
    data = path.join(root, 'data');
    for (const sub of ['image', 'record', 'video', 'show']) await mkdir(path.join(data, sub), { recursive: true });
    await mkdir(path.join(data, 'image', 'nested'));
    await writeFile(path.join(data, 'image', 'a.png'), PNG);
    await writeFile(path.join(data, 'image', 'a b.png'), PNG);
    await writeFile(path.join(data, 'image', 'nested', 'n.png'), PNG);
    await writeFile(path.join(data, 'record', 'r.silk'), 'silk');
    await writeFile(path.join(data, 'video', 'v.mp4'), 'mp4');
    await writeFile(path.join(data, 'sandbox.db'), 'db');
    await writeFile(path.join(root, 'secret.txt'), 'secret');
    await symlink(path.join(root, 'secret.txt'), path.join(data, 'image', 'escape.png'));
    await symlink(path.join(data, 'record', 'r.silk'), path.join(data, 'image', 'sideways.png'));
    await symlink(path.join(data, 'image', 'a.png'), path.join(data, 'image', 'alias.png'));
    await symlink(root, path.join(data, 'show', 'rootlink'));
  });
  after(() => cleanup());
  const resolve = (p: string) => resolveDataFile(data, p);

  test('a regular file in an allowed sub-folder: its real path and size', async () => {
    assert.deepEqual(await resolve('/data/image/a.png'), { file: await realpath(path.join(data, 'image', 'a.png')), size: PNG.length });
    assert.deepEqual(await resolve('/data/image/a%20b.png'), { file: await realpath(path.join(data, 'image', 'a b.png')), size: PNG.length });
    assert.deepEqual(await resolve('/data/image/nested/n.png?x=1'), { file: await realpath(path.join(data, 'image', 'nested', 'n.png')), size: PNG.length });
    assert.deepEqual(await resolve('/data/record/r.silk'), { file: await realpath(path.join(data, 'record', 'r.silk')), size: 4 });
    assert.deepEqual(await resolve('/data/image/alias.png'), { file: await realpath(path.join(data, 'image', 'a.png')), size: PNG.length }, 'a symlink that stays inside');
  });

  test('traversal is 403: .., encoded .., backslashes', async () => {
    for (const p of [
      '/data/image/../sandbox.db',
      '/data/image/..',
      '/data/image/%2e%2e/sandbox.db',
      '/data/image/%2E%2E%2Fsandbox.db',
      '/data/image/..%5csandbox.db',
      '/data/image/..\\sandbox.db',
      '/data/image/nested/../../sandbox.db',
      '/data/image/a..png',
      '/data/image/a%00.png',
    ]) {
      assert.deepEqual(await resolve(p), { status: 403 }, p);
    }
  });

  test('a symlink out of the sub-folder is 403 (also into another sub-folder)', async () => {
    assert.deepEqual(await resolve('/data/image/escape.png'), { status: 403 });
    assert.deepEqual(await resolve('/data/image/sideways.png'), { status: 403 });
    assert.deepEqual(await resolve('/data/show/rootlink/secret.txt'), { status: 403 });
  });

  test('other paths are 404: wrong sub-folder, not a file, missing, double-encoded', async () => {
    for (const p of [
      '/data/sandbox.db',
      '/data/video/v.mp4',
      '/data/logs/x.log',
      '/data/image/',
      '/data/image//',
      '/data/image/nested',
      '/data/image/missing.png',
      '/data/bface/x.gif',
      '/data/image/%252e%252e/sandbox.db',
      '/data/image/%E0%A4%A',
      '/dataimage/a.png',
      '/x/data/image/a.png',
      '/data/%69mage/a.png',
    ]) {
      assert.deepEqual(await resolve(p), { status: 404 }, p);
    }
  });

  test('extra sub-folders can be opted in (video)', async () => {
    assert.deepEqual(await resolveDataFile(data, '/data/video/v.mp4', { subdirs: ['image', 'video'] }), { file: await realpath(path.join(data, 'video', 'v.mp4')), size: 3 });
    assert.deepEqual(await resolveDataFile(data, '/data/record/r.silk', { subdirs: ['image', 'video'] }), { status: 404 });
  });
});
