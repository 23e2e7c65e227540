/**
 * Group and private files, downloads (docs/extensions.md §7): every action's success and QQ's
 * refusals (docs/qq-rules.md §7). The bot owns 100001, is an admin of 100002 and a plain member of
 * 100003. Deeper tests: test/actions/file-*.test.ts, test/backend/sandbox-group-fs.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { GROUPS, USERS } from '../../../src/backend/sandbox/index.js';
import type { SandboxBackend } from '../../../src/backend/sandbox/index.js';
import { expectKeys } from './core.js';
import { putFile } from './media.js';
import type { ActionCase } from './types.js';

const G = GROUPS;
const U = USERS;
const BOT = 10001000;
const TEXT = Buffer.from('hello, group files\n');
const B64 = `base64://${TEXT.toString('base64')}`;

const FILE_KEYS = ['busid', 'dead_time', 'download_times', 'file_id', 'file_name', 'file_size', 'group_id', 'modify_time', 'upload_time', 'uploader', 'uploader_name'];
const FOLDER_KEYS = ['create_time', 'creator', 'creator_name', 'folder_id', 'folder_name', 'group_id', 'total_file_count'];

type Listing = { files: Record<string, unknown>[]; folders: Record<string, unknown>[] };

/** The id of the group's folder named `name`. */
function folderId(sb: SandboxBackend, groupId: number, name: string): string {
  const folder = sb.listFolder(groupId).folders.find((f) => f.folderName === name);
  assert.ok(folder, `no folder ${name} in ${groupId}`);
  return folder.folderId;
}

/** The id of the group file named `name` (root or `folder`). */
function fileId(sb: SandboxBackend, groupId: number, name: string, folder = '/'): string {
  const file = sb.listFolder(groupId, folder).files.find((f) => f.fileName === name);
  assert.ok(file, `no file ${name} in ${groupId}${folder}`);
  return file.fileId;
}

/** The file area's cases, in order on one fresh world. */
export const FILE_CASES: ActionCase[] = [
  // file system info and listings
  { action: 'get_group_file_system_info', params: { group_id: G.botOwner }, retcode: 0, check: (d) => {
    expectKeys(d, ['file_count', 'group_id', 'limit_count', 'total_space', 'used_space']);
    assert.equal((d as { file_count: number }).file_count, 0);
  } },
  { action: 'get_group_file_system_info', params: { group_id: 424242 }, retcode: -9 },
  { action: 'get_group_file_system_info', params: {}, retcode: 100 },

  // uploads
  { action: 'upload_group_file', params: { group_id: G.botOwner, file: B64, name: 'hello.txt' }, retcode: 0, check: (d) => {
    expectKeys(d, ['file_id']);
    assert.match((d as { file_id: string }).file_id, /^\/[0-9a-f-]{36}$/);
  } },
  { action: 'upload_group_file', params: (sb) => {
    putFile(sb, 'file', 'report.pdf', Buffer.from('%PDF-1.4 sandbox'));
    return { group_id: G.botOwner, file: 'report.pdf' };
  }, retcode: 0, note: 'a name in <data_dir>/file (name defaults to it)' },
  { action: 'upload_group_file', params: (sb) => ({ group_id: G.botAdmin, file: putFile(sb, 'file', 'abs.txt', TEXT), name: 'abs.txt' }), retcode: 0, note: 'an absolute path inside the data directory' },
  { action: 'upload_group_file', params: { group_id: G.botOwner, file: '/etc/hostname', name: 'x' }, retcode: 100, note: 'outside allowed_file_dirs (none configured)' },
  { action: 'upload_group_file', params: { group_id: G.botOwner, file: 'file:///etc/passwd' }, retcode: 100, note: 'file:// outside allowed_file_dirs' },
  { action: 'upload_group_file', params: { group_id: G.botOwner, file: '../sandbox.db' }, retcode: 100, note: 'relative path' },
  { action: 'upload_group_file', params: { group_id: G.botOwner, file: 'missing.bin' }, retcode: 100 },
  { action: 'upload_group_file', params: { group_id: G.botOwner, file: B64, name: 'a/b.txt' }, retcode: 100, note: 'name with a separator' },
  { action: 'upload_group_file', params: { group_id: G.botOwner, file: B64, folder: '/no-such-folder' }, retcode: 100 },
  { action: 'upload_group_file', params: { group_id: 424242, file: B64, name: 'x.txt' }, retcode: -9 },
  { action: 'upload_group_file', params: { group_id: G.botOwner }, retcode: 100 },

  { action: 'upload_private_file', params: { user_id: U.alice, file: B64, name: 'for-alice.txt' }, retcode: 0, check: (d) => expectKeys(d, ['file_id']) },
  { action: 'upload_private_file', params: { user_id: U.heidi, file: B64, name: 'x.txt' }, retcode: -23, note: 'no relationship' },
  { action: 'upload_private_file', params: { user_id: 29999, file: B64, name: 'x.txt' }, retcode: -10 },
  { action: 'upload_private_file', params: { user_id: U.alice, file: 'base64://' }, retcode: 100, note: 'empty data' },

  { action: 'get_group_root_files', params: { group_id: G.botOwner }, retcode: 0, check: (d) => {
    const l = d as Listing;
    assert.deepEqual(l.files.map((f) => f.file_name), ['hello.txt', 'report.pdf']);
    expectKeys(l.files[0], FILE_KEYS);
    assert.equal(l.files[0]?.uploader, BOT);
    assert.equal(l.files[0]?.file_size, TEXT.length);
    assert.deepEqual(l.folders, []);
  } },
  { action: 'get_group_root_files', params: { group_id: 424242 }, retcode: -9 },

  // folders
  { action: 'create_group_file_folder', params: { group_id: G.botOwner, name: 'Docs' }, retcode: 0, check: (d) => expectKeys(d, ['folder_id']) },
  { action: 'create_group_file_folder', params: { group_id: G.botOwner, name: 'Docs' }, retcode: 103, note: 'duplicate name (QQ -313)' },
  { action: 'create_group_file_folder', params: { group_id: G.botMember, name: 'Mine' }, retcode: -39, note: 'a plain member' },
  { action: 'create_group_file_folder', params: (sb) => ({ group_id: G.botOwner, name: 'Nested', parent_id: folderId(sb, G.botOwner, 'Docs') }), retcode: 100, note: 'one level only' },
  { action: 'create_group_file_folder', params: { group_id: G.botOwner }, retcode: 100 },
  { action: 'upload_group_file', params: (sb) => ({ group_id: G.botOwner, file: B64, name: 'in-docs.txt', folder: folderId(sb, G.botOwner, 'Docs') }), retcode: 0, note: 'into a folder' },
  { action: 'get_group_files_by_folder', params: (sb) => ({ group_id: G.botOwner, folder_id: folderId(sb, G.botOwner, 'Docs') }), retcode: 0, check: (d) => {
    const l = d as Listing;
    assert.deepEqual(l.files.map((f) => f.file_name), ['in-docs.txt']);
    assert.deepEqual(l.folders, []);
  } },
  { action: 'get_group_root_files', params: { group_id: G.botOwner }, retcode: 0, check: (d) => {
    const l = d as Listing;
    expectKeys(l.folders[0], FOLDER_KEYS);
    assert.equal(l.folders[0]?.total_file_count, 1);
    assert.equal(l.files.length, 2, 'the folder\'s file is not in the root');
  } },
  { action: 'get_group_files_by_folder', params: { group_id: G.botOwner, folder_id: '/no-such-folder' }, retcode: 100 },
  { action: 'get_group_files_by_folder', params: { group_id: G.botOwner }, retcode: 100 },

  // URLs
  { action: 'get_group_file_url', params: (sb) => ({ group_id: G.botOwner, file_id: fileId(sb, G.botOwner, 'hello.txt'), busid: 102 }), retcode: 0, check: (d) => {
    assert.match((d as { url: string }).url, /^http:\/\/127\.0\.0\.1:\d+\/data\/file\/[0-9a-f]{32}\.txt\?sig=[0-9a-f]{32}$/);
  } },
  { action: 'get_group_file_url', params: (sb) => ({ group_id: G.botOwner, file_id: sb.uploadFileAs(U.carol, G.botOwner, { name: 'big.iso', size: 4096 }).fileId }), retcode: 103, note: 'recorded by size only' },
  { action: 'get_group_file_url', params: (sb) => ({ group_id: G.botOwner, file_id: fileId(sb, G.botOwner, 'hello.txt'), busid: 7 }), retcode: 100, note: 'another bus' },
  { action: 'get_group_file_url', params: { group_id: G.botOwner, file_id: '/nope' }, retcode: 100 },

  // deletions
  { action: 'delete_group_file', params: (sb) => ({ group_id: G.botOwner, file_id: fileId(sb, G.botOwner, 'big.iso') }), retcode: 0, note: 'the owner deletes a member\'s file' },
  { action: 'delete_group_file', params: (sb) => ({ group_id: G.botMember, file_id: sb.uploadToFolderAs(U.carol, G.botMember, { name: 'c.txt', content: TEXT }).fileId }), retcode: -39, note: 'a plain member, someone else\'s file' },
  { action: 'delete_group_file', params: (sb) => {
    sb.uploadToFolderAs(BOT, G.botMember, { name: 'mine.txt', content: TEXT });
    return { group_id: G.botMember, file_id: fileId(sb, G.botMember, 'mine.txt') };
  }, retcode: 0, note: 'a plain member, its own file' },
  { action: 'delete_group_file', params: { group_id: G.botOwner, file_id: '/nope' }, retcode: 100 },
  { action: 'delete_group_file', params: { group_id: 424242, file_id: '/nope' }, retcode: -9 },

  { action: 'delete_group_folder', params: (sb) => ({ group_id: G.botOwner, folder_id: folderId(sb, G.botOwner, 'Docs') }), retcode: 0 },
  { action: 'get_group_root_files', params: { group_id: G.botOwner }, retcode: 0, check: (d) => assert.deepEqual((d as Listing).folders, []) },
  { action: 'delete_group_folder', params: (sb) => ({ group_id: G.botMember, folder_id: sb.createFolderAs(U.bob, G.botMember, 'Owner\'s') }), retcode: -39, note: 'a plain member' },
  { action: 'delete_group_folder', params: { group_id: G.botOwner, folder_id: '/nope' }, retcode: 100 },
  { action: 'delete_group_folder', params: { group_id: G.botOwner }, retcode: 100 },
  { action: 'delete_group_file_folder', params: (sb) => ({ group_id: G.botAdmin, folder_id: sb.createFolderAs(U.alice, G.botAdmin, 'Alias') }), retcode: 0, note: 'an admin deletes the owner\'s folder' },
  { action: 'delete_group_file_folder', params: { group_id: G.botAdmin, folder_id: '/nope' }, retcode: 100 },

  // muted: no uploads
  { action: 'upload_group_file', params: (sb) => {
    sb.banAs(U.bob, G.botMember, BOT, 600);
    return { group_id: G.botMember, file: B64, name: 'muted.txt' };
  }, retcode: -34, note: 'the bot is muted' },

  // downloads
  { action: 'download_file', params: { base64: TEXT.toString('base64') }, retcode: 0, check: (d) => {
    const file = (d as { file: string }).file;
    assert.ok(path.isAbsolute(file) && file.includes(`${path.sep}file${path.sep}`));
    assert.deepEqual(fs.readFileSync(file), TEXT);
  } },
  { action: 'download_file', params: { base64: TEXT.toString('base64'), name: 'named.txt', thread_count: 3, headers: 'A=1[\\r\\n]B=2' }, retcode: 0, check: (d) => {
    assert.ok((d as { file: string }).file.endsWith(`${path.sep}file${path.sep}named.txt`));
  } },
  { action: 'upload_group_file', params: { group_id: G.botAdmin, file: 'named.txt' }, retcode: 0, note: 'a download_file output, by name' },
  { action: 'download_file', params: {}, retcode: 100, note: 'neither url nor base64' },
  { action: 'download_file', params: { base64: 'aGk=', name: '../escape.txt' }, retcode: 100, note: 'unsafe name' },
  { action: 'download_file', params: { url: 'ftp://127.0.0.1/x' }, retcode: 100, note: 'scheme not allowed' },
  { action: 'download_file', params: { url: 'http://127.0.0.1:1/x.bin' }, retcode: 100, note: 'a loopback address is refused (decision P12)' },
  { action: 'download_file', params: { url: 'http://127.0.0.1:1/x.bin', headers: ['no-separator'] }, retcode: 100, note: 'malformed header' },
];
