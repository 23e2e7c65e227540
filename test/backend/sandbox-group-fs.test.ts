/**
 * The sandbox's group file systems (docs/qq-rules.md §7, migration 5): folders one level deep, who may
 * upload, delete and manage folders, `group_upload` for every upload, quotas, names, private files,
 * stored-media URLs, and persistence across a reopen.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { BackendEvent } from '../../src/backend/port.js';
import { FILE_LIMIT_COUNT, GROUPS, openSandbox, USERS } from '../../src/backend/sandbox/index.js';
import { expectApiError } from './helpers.js';
import { openTestSandbox, type TestSandbox } from './sandbox-fixture.js';

const G = GROUPS;
const U = USERS;
const BOT = 10001000;
const DATA = Buffer.from('file bytes');

describe('group file systems', () => {
  let t: TestSandbox;
  let events: BackendEvent[];
  beforeEach(() => {
    t = openTestSandbox();
    events = [];
    t.sb.onEvent((e) => events.push(e));
  });
  afterEach(() => t.dispose());

  test('a new world has empty file systems (migration 5\'s tables exist)', async () => {
    assert.deepEqual(await t.sb.getGroupFiles(G.botOwner, '/'), { files: [], folders: [] });
    assert.deepEqual(await t.sb.getGroupFileSystemInfo(G.botOwner), { groupId: G.botOwner, fileCount: 0, limitCount: 10_000, usedSpace: 0, totalSpace: 10 * 1024 ** 3 });
    assert.deepEqual(t.sb.listPrivateFiles(U.alice), []);
  });

  test('the bot\'s upload lands in a folder and is announced with group_upload', async () => {
    const folderId = await t.sb.createGroupFileFolder(G.botOwner, 'Docs', '/');
    const ref = await t.sb.uploadGroupFile(G.botOwner, { name: 'a.txt', content: DATA, folderId });
    assert.deepEqual(events.at(-1), {
      post_type: 'notice', notice_type: 'group_upload', self_id: BOT, time: t.clock.seconds, group_id: G.botOwner, user_id: BOT,
      file: { busid: 102, id: ref.fileId, name: 'a.txt', size: DATA.length },
    });
    const root = await t.sb.getGroupFiles(G.botOwner, '/');
    assert.deepEqual(root.files, []);
    assert.equal(root.folders[0]?.totalFileCount, 1);
    assert.equal(root.folders[0]?.creatorName, 'cqhttpd-bot');
    const inside = await t.sb.getGroupFiles(G.botOwner, folderId);
    assert.equal(inside.files[0]?.fileName, 'a.txt');
    assert.equal(inside.files[0]?.uploaderName, 'cqhttpd-bot');
    assert.equal(inside.files[0]?.folderId, folderId);
    assert.deepEqual((await t.sb.getGroupFileContent(G.botOwner, ref.fileId, 102)).content, DATA);
  });

  test('members upload; a member deletes only their own files; admins delete anyone\'s but the folder ops are theirs alone', async () => {
    const carols = t.sb.uploadToFolderAs(U.carol, G.botOwner, { name: 'c.txt', content: DATA });
    const alices = t.sb.uploadToFolderAs(U.alice, G.botOwner, { name: 'a.txt', content: DATA });
    await expectApiError(() => t.sb.deleteGroupFileAs(U.carol, G.botOwner, alices.fileId), 'NO_PERMISSION', /plain member/);
    t.sb.deleteGroupFileAs(U.carol, G.botOwner, carols.fileId);
    await expectApiError(() => t.sb.createFolderAs(U.carol, G.botOwner, 'X'), 'NO_PERMISSION');
    const id = t.sb.createFolderAs(U.alice, G.botOwner, 'Admins');
    await expectApiError(() => t.sb.deleteGroupFolder(G.botMember, id), 'INVALID_TARGET', /no folder/);
    await t.sb.deleteGroupFile(G.botOwner, alices.fileId, 0);
    assert.deepEqual(t.sb.listFolder(G.botOwner).files, []);
  });

  test('deleting a folder deletes its files', async () => {
    const folderId = t.sb.createFolderAs(U.alice, G.botOwner, 'Temp');
    t.sb.uploadToFolderAs(U.dave, G.botOwner, { name: 'd.txt', content: DATA, folderId });
    await t.sb.deleteGroupFolder(G.botOwner, folderId);
    assert.equal((await t.sb.getGroupFileSystemInfo(G.botOwner)).fileCount, 0);
    await expectApiError(() => t.sb.getGroupFiles(G.botOwner, folderId), 'INVALID_TARGET');
  });

  test('the bot outside the group: NOT_IN_GROUP; muted: BOT_MUTED; names are checked', async () => {
    t.sb.createGroup({ groupId: 300001, groupName: 'Elsewhere', ownerId: U.heidi });
    await expectApiError(() => t.sb.getGroupFiles(300001, '/'), 'NOT_IN_GROUP');
    await expectApiError(() => t.sb.uploadGroupFile(300001, { name: 'x', content: DATA }), 'NOT_IN_GROUP');
    t.sb.setWholeBanAs(U.bob, G.botMember, true);
    await expectApiError(() => t.sb.uploadGroupFile(G.botMember, { name: 'x', content: DATA }), 'BOT_MUTED', /whole-group ban/);
    for (const name of ['', '  ', 'a/b', 'a\\b', 'x'.repeat(256)]) {
      await expectApiError(() => t.sb.uploadGroupFile(G.botOwner, { name, content: DATA }), 'BAD_PARAMS');
    }
    await expectApiError(() => t.sb.createGroupFileFolder(G.botOwner, 'a/b', '/'), 'BAD_PARAMS');
    await expectApiError(() => t.sb.deleteGroupFolder(G.botOwner, '/'), 'BAD_PARAMS', /root/);
    assert.equal(events.filter((e) => e.notice_type === 'group_upload').length, 0, 'no refused upload is announced');
  });

  test('the file-count quota', async () => {
    for (let i = 0; i < FILE_LIMIT_COUNT; i += 1) t.sb.uploadFileAs(U.alice, G.botAdmin, { name: `f${i}`, size: 1 });
    await expectApiError(() => t.sb.uploadGroupFile(G.botAdmin, { name: 'one-too-many', content: DATA }), 'OPERATION_FAILED', /limit/);
  });

  test('private files need a relationship', async () => {
    await t.sb.uploadPrivateFile(U.alice, { name: 'hi.txt', content: DATA });
    assert.equal(t.sb.listPrivateFiles(U.alice)[0]?.senderId, BOT);
    await expectApiError(() => t.sb.uploadPrivateFile(U.heidi, { name: 'x', content: DATA }), 'NO_RELATIONSHIP');
    await expectApiError(() => t.sb.uploadPrivateFile(29999, { name: 'x', content: DATA }), 'USER_NOT_FOUND');
    await expectApiError(() => t.sb.uploadPrivateFile(BOT, { name: 'x', content: DATA }), 'NO_RELATIONSHIP');
  });

  test('folders and files survive a reopen', async () => {
    const folderId = await t.sb.createGroupFileFolder(G.botOwner, 'Keep', '/');
    await t.sb.uploadGroupFile(G.botOwner, { name: 'k.txt', content: DATA, folderId });
    await t.sb.close();
    const again = openSandbox({ dataDir: t.dir, now: t.clock.now });
    try {
      const listing = await again.getGroupFiles(G.botOwner, folderId);
      assert.deepEqual(listing.files.map((f) => f.fileName), ['k.txt']);
    } finally {
      await again.close();
    }
    t.sb = openSandbox({ dataDir: t.dir, now: t.clock.now });
  });
});

describe('stored media get a url', () => {
  test('only media segments whose file the resolver knows', () => {
    const t = openTestSandbox({ mediaUrl: (kind, file) => (file === 'known.png' ? `http://x/${kind}/${file}` : undefined) });
    try {
      t.sb.postMessage({
        from: U.carol, groupId: G.botOwner, message: [
          { type: 'image', data: { file: 'known.png' } }, { type: 'image', data: { file: 'other.png' } },
          { type: 'text', data: { text: 'known.png' } }, { type: 'face', data: { file: 'known.png' } },
        ],
      });
      const [known, other, text, face] = t.sb.listMessages({ groupId: G.botOwner }).at(-1)?.message ?? [];
      assert.deepEqual(known?.data, { file: 'known.png', url: 'http://x/image/known.png' });
      assert.deepEqual(other?.data, { file: 'other.png' });
      assert.deepEqual(text?.data, { text: 'known.png' });
      assert.deepEqual(face?.data, { file: 'known.png' });
    } finally {
      void t.dispose();
    }
  });
});
