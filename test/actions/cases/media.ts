/**
 * The media actions (CQHTTP 4.15 §6.6–6.7, OneBot v11 `clean_cache`): `get_image`, `get_record`,
 * `clean_data_dir`, `clean_cache`. Files are put straight into the app's data directory (the
 * folder of the sandbox database); deeper tests: test/actions/media-*.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { encode } from 'silk-wasm';
import type { SandboxBackend } from '../../../src/backend/sandbox/index.js';
import { PNG, tone } from '../../media/helpers.js';
import type { ActionCase } from './types.js';

export { PNG, tone };

/** A SILK voice record (Tencent flavour). */
export const SILK = Buffer.from((await encode(tone(), 24_000)).data);

/** Writes `<data_dir>/<folder>/<name>` of the app the sandbox belongs to; returns the absolute path. */
export function putFile(sb: SandboxBackend, folder: string, name: string, data: Buffer): string {
  const dir = path.join(path.dirname(sb.dbFile), folder);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

const fileOf = (d: unknown): string => (d as { file: string }).file;

/** The media area's cases, in order on one fresh world. */
export const MEDIA_CASES: ActionCase[] = [
  { action: 'get_image', params: (sb) => {
    putFile(sb, 'image', 'case.png', PNG);
    return { file: 'case.png' };
  }, retcode: 0, check: (d) => {
    assert.ok(path.isAbsolute(fileOf(d)));
    assert.ok(fileOf(d).endsWith(`${path.sep}image${path.sep}case.png`));
    assert.deepEqual(fs.readFileSync(fileOf(d)), PNG);
  } },
  { action: 'get_image', params: { file: 'never-received.png' }, retcode: 100 },
  { action: 'get_image', params: { file: '../sandbox.db' }, retcode: 100, note: 'path traversal' },
  { action: 'get_image', params: {}, retcode: 100 },

  { action: 'get_record', params: (sb) => {
    putFile(sb, 'record', 'voice.silk', SILK);
    return { file: 'voice.silk', out_format: 'mp3' };
  }, retcode: 0, check: (d) => assert.equal(fileOf(d), 'voice.mp3', '4.15: relative to data/record without full_path') },
  { action: 'get_record', params: { file: 'voice.silk', out_format: 'wav', full_path: true }, retcode: 0, check: (d) => {
    assert.ok(path.isAbsolute(fileOf(d)) && fileOf(d).endsWith(`${path.sep}record${path.sep}voice.wav`));
    assert.equal(fs.readFileSync(fileOf(d)).subarray(0, 4).toString('latin1'), 'RIFF');
  } },
  { action: 'get_record', params: { file: 'voice.silk', out_format: 'aiff' }, retcode: 100, note: 'unknown out_format' },
  { action: 'get_record', params: { file: 'missing.silk', out_format: 'mp3' }, retcode: 100 },
  { action: 'get_record', params: { file: '../../etc/passwd', out_format: 'mp3' }, retcode: 100, note: 'path traversal' },
  { action: 'get_record', params: { file: 'voice.silk' }, retcode: 100, note: 'no out_format' },

  { action: 'clean_data_dir', params: { data_dir: 'image' }, retcode: 0 },
  { action: 'get_image', params: { file: 'case.png' }, retcode: 100, note: 'cleaned away' },
  { action: 'clean_data_dir', params: { data_dir: 'video' }, retcode: 100, note: 'not one of 4.15\'s four' },
  { action: 'clean_data_dir', params: { data_dir: '..' }, retcode: 100 },
  { action: 'clean_data_dir', params: {}, retcode: 100 },

  { action: 'clean_cache', params: {}, retcode: 0 },
  { action: 'get_record', params: { file: 'voice.silk', out_format: 'mp3' }, retcode: 100, note: 'cleaned away by clean_cache' },
];
