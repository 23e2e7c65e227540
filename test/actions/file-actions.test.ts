/**
 * Group and private files end to end: `download_file` against a real server (headers in every
 * form), its output uploaded with `upload_group_file` (the `group_upload` notice), fetched back
 * through `get_group_file_url`; uploads from `allowed_file_dirs`; quotas; over HTTP.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BackendEvent } from '../../src/backend/port.js';
import { FILE_TOTAL_SPACE, GROUPS, USERS } from '../../src/backend/sandbox/index.js';
import { parseHeaders } from '../../src/actions/file/download.js';
import { ApiError } from '../../src/protocol/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { tempDir } from '../media/helpers.js';

const BODY = Buffer.from('%PDF-1.4\nthe quarterly report\n');

/** A server that answers `/report.pdf` and remembers the last request's headers. */
async function fileServer(): Promise<{ base: string; headers: () => http.IncomingHttpHeaders; close: () => Promise<void> }> {
  let last: http.IncomingHttpHeaders = {};
  const server = http.createServer((req, res) => {
    last = req.headers;
    if (req.url === '/report.pdf') res.writeHead(200, { 'Content-Length': BODY.length }).end(BODY);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers: () => last,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('download_file headers: an array, or one string split on a real CRLF and on the literal [\\r\\n] (D17)', () => {
  assert.deepEqual(parseHeaders(['A=1', 'B = two=2']), { A: '1', B: 'two=2' });
  assert.deepEqual(parseHeaders('A=1\r\nB=2[\\r\\n]C=3'), { A: '1', B: '2', C: '3' });
  assert.deepEqual(parseHeaders('X-Token: abc'), { 'X-Token': 'abc' });
  assert.deepEqual(parseHeaders(undefined), {});
  assert.throws(() => parseHeaders(['bad header=1']), ApiError);
  assert.throws(() => parseHeaders([1]), ApiError);
  assert.throws(() => parseHeaders({ A: '1' }), ApiError);
});

describe('files over HTTP', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof fileServer>>;
  let allowed: { dir: string; cleanup: () => Promise<void> };
  const events: BackendEvent[] = [];

  before(async () => {
    server = await fileServer();
    allowed = await tempDir('cqhttpd-allowed-');
    t = await startTestApp({ config: { allowed_file_dirs: [allowed.dir], allowed_download_hosts: ['127.0.0.1'] } });
    t.app.backend.onEvent((e) => events.push(e));
  });
  after(async () => {
    await t.close();
    await server.close();
    await allowed.cleanup();
  });

  test('download → upload → group_upload → URL serves the same bytes', async () => {
    for (const headers of [['X-One=1', 'X-Two=2'], 'X-One=1\r\nX-Two=2', 'X-One=1[\\r\\n]X-Two=2']) {
      const res = await t.call('download_file', { url: `${server.base}/report.pdf`, headers, thread_count: 4 });
      assert.equal(res.body?.retcode, 0, res.text);
      assert.equal(server.headers()['x-one'], '1');
      assert.equal(server.headers()['x-two'], '2');
      assert.deepEqual(fs.readFileSync((res.body?.data as { file: string }).file), BODY);
    }
    const downloaded = (await t.call('download_file', { url: `${server.base}/report.pdf`, name: 'q3.pdf' })).body?.data as { file: string };
    assert.equal(downloaded.file, path.join(t.dataDir, 'file', 'q3.pdf'));

    events.length = 0;
    const up = await t.call('upload_group_file', { group_id: GROUPS.botOwner, file: downloaded.file });
    assert.equal(up.body?.retcode, 0, up.text);
    const fileId = (up.body?.data as { file_id: string }).file_id;
    const notice = events.find((e) => e.notice_type === 'group_upload');
    assert.deepEqual(notice?.file, { busid: 102, id: fileId, name: 'q3.pdf', size: BODY.length });
    assert.equal(notice?.user_id, 10001000);

    const url = await t.call('get_group_file_url', { group_id: GROUPS.botOwner, file_id: fileId, bus_id: 102 });
    assert.equal(url.body?.retcode, 0, url.text);
    const got = await fetch((url.body?.data as { url: string }).url);
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), BODY);
  });

  test('download_file failures: HTTP error 103, oversize 100', async () => {
    assert.equal((await t.call('download_file', { url: `${server.base}/missing` })).body?.retcode, 103);
    const small = await startTestApp({ config: { max_download_size: 8, allowed_download_hosts: ['127.0.0.1'] } });
    try {
      assert.equal((await small.call('download_file', { url: `${server.base}/report.pdf` })).body?.retcode, 100);
      assert.equal((await small.call('download_file', { base64: BODY.toString('base64') })).body?.retcode, 100);
    } finally {
      await small.close();
    }
  });

  test('uploads from allowed_file_dirs, by path and file://; nothing else from outside', async () => {
    const src = path.join(allowed.dir, 'notes.txt');
    fs.writeFileSync(src, 'notes');
    for (const file of [src, `file://${src}`]) {
      const res = await t.call('upload_group_file', { group_id: GROUPS.botAdmin, file, name: 'notes.txt' });
      assert.equal(res.body?.retcode, 0, res.text);
    }
    fs.symlinkSync(path.join(t.dataDir, 'sandbox.db'), path.join(allowed.dir, 'db-link'));
    const before = t.app.backend.listFolder(GROUPS.botAdmin).files.length;
    for (const file of [path.join(allowed.dir, 'db-link'), path.join(t.dataDir, 'sandbox.db'), `${allowed.dir}/../etc`]) {
      const res = await t.call('upload_group_file', { group_id: GROUPS.botAdmin, file, name: 'x' });
      assert.equal(res.body?.retcode, 100, `${file}: ${res.text}`);
    }
    assert.equal(t.app.backend.listFolder(GROUPS.botAdmin).files.length, before, 'nothing uploaded');
  });

  test('upload_private_file delivers the bytes to the friend', async () => {
    const res = await t.call('upload_private_file', { user_id: USERS.bob, file: `base64://${BODY.toString('base64')}`, name: 'for-bob.pdf' });
    assert.equal(res.body?.retcode, 0, res.text);
    const [sent] = t.app.backend.listPrivateFiles(USERS.bob);
    assert.equal(sent?.fileId, (res.body?.data as { file_id: string }).file_id);
    assert.equal(sent?.name, 'for-bob.pdf');
    assert.deepEqual(sent?.content, BODY);
    assert.equal((await t.call('upload_private_file', { user_id: USERS.dave, file: `base64://${BODY.toString('base64')}`, name: 'temp.pdf' })).body?.retcode, 0, 'a temporary-session peer');
  });

  test('quotas: a full group refuses uploads with 103', async () => {
    t.app.backend.uploadFileAs(USERS.alice, GROUPS.botMember, { name: 'huge.iso', size: FILE_TOTAL_SPACE });
    const info = (await t.call('get_group_file_system_info', { group_id: GROUPS.botMember })).body?.data as { used_space: number; total_space: number };
    assert.equal(info.used_space, info.total_space);
    const res = await t.call('upload_group_file', { group_id: GROUPS.botMember, file: `base64://${BODY.toString('base64')}`, name: 'one-more.pdf' });
    assert.equal(res.body?.retcode, 103);
    assert.match(res.body?.wording ?? '', /file space left/);
  });
});
