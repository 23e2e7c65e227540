/**
 * Error wordings sent to bots name no absolute filesystem path (the data directory, the cache, a
 * resolved file): over HTTP and the forward WebSocket, for media, data-file and upload failures.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withoutAbsolutePaths } from '../../src/protocol/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { WsClient } from '../events/helpers.js';

/** An absolute POSIX path in a wording: a `/` starting a word, with at least two components. */
const ABSOLUTE = /(^|[\s"'(=,:[])\/[^\s"'/]+\//;

describe('error wordings name no absolute path', () => {
  let t: TestApp;
  let ws: WsClient;
  before(async () => {
    t = await startTestApp({ config: { use_ws: true, allowed_file_dirs: '/' } });
    ws = await WsClient.open(`ws://127.0.0.1:${t.app.ws!.port}/api`);
    fs.mkdirSync(path.join(t.dataDir, 'record', 'dir.amr'), { recursive: true });
    fs.mkdirSync(path.join(t.dataDir, 'sub'), { recursive: true });
    fs.symlinkSync(path.join(t.dataDir, 'sub'), path.join(t.dataDir, 'link-to-dir'));
  });
  after(async () => {
    ws?.close();
    await t?.close();
  });

  it('media, data files and uploads: HTTP and WS failures keep only the last component', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['upload_group_file', { group_id: 100001, file: path.join(t.dataDir, 'sub'), name: 'x' }],
      ['upload_group_file', { group_id: 100001, file: path.join(t.dataDir, 'link-to-dir'), name: 'x' }],
      ['upload_private_file', { user_id: 20001, file: `file://${path.join(t.dataDir, 'nothere', 'x.bin')}`, name: 'x' }],
      ['send_group_msg', { group_id: 100001, message: `[CQ:image,file=file://${path.join(t.dataDir, 'sub')}]` }],
      ['send_group_msg', { group_id: 100001, message: `[CQ:record,file=file://${path.join(t.dataDir, 'nothere.amr')}]` }],
      ['send_group_msg', { group_id: 100001, message: '[CQ:image,file=/etc/nothere.png]' }],
      ['get_record', { file: 'dir.amr', out_format: 'mp3' }],
    ];
    let failures = 0;
    for (const [action, params] of calls) {
      const http = await t.call(action, params);
      const viaWs = await ws.call(action, params);
      for (const wording of [http.body?.wording, viaWs.wording as string | undefined]) {
        if (wording === undefined) continue;
        failures++;
        assert.doesNotMatch(wording, ABSOLUTE, `${action} ${JSON.stringify(params)}`);
        assert.ok(!wording.includes(t.dataDir), wording);
      }
    }
    assert.ok(failures >= 10, `expected most calls to fail, ${failures} did`);
  });

  it('withoutAbsolutePaths: POSIX, file:// and Windows paths cut, URLs and relative paths kept', () => {
    assert.equal(withoutAbsolutePaths('/srv/bot/data/sub is not a regular file'), '…/sub is not a regular file');
    assert.equal(withoutAbsolutePaths("open '/srv/bot/data/x.png'"), "open '…/x.png'");
    assert.equal(withoutAbsolutePaths('file:///etc/shadow'), 'file://…/shadow');
    assert.equal(withoutAbsolutePaths('C:\\bot\\data\\a.amr'), '…\\a.amr');
    assert.equal(withoutAbsolutePaths('could not download http://127.0.0.1:8080/admin/x'), 'could not download http://127.0.0.1:8080/admin/x');
    assert.equal(withoutAbsolutePaths('image/a.png and 1/2'), 'image/a.png and 1/2');
  });
});
