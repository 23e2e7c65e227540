/**
 * The cassette's redaction rules and its bounded, rotated files (docs/recording.md).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CassetteWriter, parseCassette, Redactor } from '../../src/record/index.js';

describe('redaction', () => {
  it('maps QQ numbers to pseudonyms, the same everywhere, keeping numbers numbers and texts texts', () => {
    const r = new Redactor();
    const a = r.value({ post_type: 'message', user_id: 12345678, group_id: 87654321, self_id: 2233445566, sender: { user_id: 12345678, nickname: 'Alice Real', card: 'Boss' } }) as Record<string, unknown>;
    const b = r.value({ action: 'send_group_msg', params: { group_id: '87654321', message: '[CQ:at,qq=12345678] hi [CQ:at,qq=all]' } }) as { params: Record<string, unknown> };
    assert.equal(a['user_id'], 1_000_001);
    assert.equal(a['group_id'], 900_000_001);
    assert.equal(a['self_id'], 1_000_002);
    assert.deepEqual(a['sender'], { user_id: 1_000_001, nickname: 'nickname-1000001', card: 'card-1000001' });
    assert.equal(b.params['group_id'], '900000001');
    assert.equal(b.params['message'], '[CQ:at,qq=1000001] hi [CQ:at,qq=all]');
    assert.equal(r.value({ operator_id: 0, user_id: 12345678 }) instanceof Object, true);
    assert.deepEqual(r.value({ operator_id: 0, user_id: 12345678 }), { operator_id: 0, user_id: 1_000_001 });
  });

  it('knows Milky\'s fields: peer_id by its scene, initiator ids and uids, mention names, temporary URLs, light apps', () => {
    const r = new Redactor();
    const group = r.value({ event_type: 'message_receive', self_id: 2233445566, data: {
      message_scene: 'group', peer_id: 87654321, sender_id: 12345678, group: { group_id: 87654321, group_name: 'Real Group', description: 'about us' },
      segments: [
        { type: 'mention', data: { user_id: 12345678, name: 'Alice Real' } },
        { type: 'image', data: { resource_id: 'r1', temp_url: 'https://multimedia.nt.qq.com.cn/x?rkey=SECRET', sub_type: 'normal' } },
        { type: 'light_app', data: { app_name: 'real', json_payload: '{"secret":1}' } },
      ],
    } }) as { data: Record<string, unknown> };
    assert.equal(group.data['peer_id'], 900_000_001);
    assert.equal(group.data['sender_id'], 1_000_002);
    assert.deepEqual(group.data['group'], { group_id: 900_000_001, group_name: 'group_name-900000001', description: 'description-900000001' });
    assert.deepEqual(group.data['segments'], [
      { type: 'mention', data: { user_id: 1_000_002, name: 'name-1000002' } },
      { type: 'image', data: { file: 'redacted', sub_type: 'normal' } },
      { type: 'light_app', data: { file: 'redacted' } },
    ]);
    const friend = r.value({ message_scene: 'friend', peer_id: 12345678 }) as Record<string, unknown>;
    assert.equal(friend['peer_id'], 1_000_002, 'a friend\'s peer_id is the user\'s pseudonym');
    const request = r.value({ initiator_id: 12345678, initiator_uid: 'u_RealUid', target_user_id: 55667788, download_url: 'https://x', comment: 'hi' });
    assert.deepEqual(request, { initiator_id: 1_000_002, initiator_uid: 'id-1000003', target_user_id: 1_000_004, comment: 'hi' });
  });

  it('drops tokens and signatures, masks numbers in failure sentences, keeps empty names empty', () => {
    const r = new Redactor();
    assert.deepEqual(r.value({ data: { cookies: 'uin=o123; skey=@abc', csrf_token: 5381, token: 't' }, retcode: 0 }), { data: {}, retcode: 0 });
    assert.deepEqual(r.value({ status: 'failed', retcode: 100, message: 'user 12345678 is not in group 87654321', wording: 'group 87654321' }),
      { status: 'failed', retcode: 100, message: 'user ######## is not in group ########', wording: 'group ########' });
    assert.deepEqual(r.value({ user_id: 5, card: '' }), { user_id: 1_000_001, card: '' });
  });

  it('replaces media by placeholders keeping type and size, in arrays and CQ strings', () => {
    const r = new Redactor();
    const message = [
      { type: 'image', data: { file: 'abc.image', url: 'https://multimedia.nt.qq.com.cn/download?rkey=SECRET', file_size: '2048', sub_type: '1' } },
      { type: 'record', data: { file: 'base64://AAAAAAAA' } },
      { type: 'text', data: { text: 'look' } },
      { type: 'contact', data: { type: 'group', id: '87654321' } },
    ];
    assert.deepEqual(r.value({ message }), {
      message: [
        { type: 'image', data: { file: 'redacted', size: 2048, sub_type: '1' } },
        { type: 'record', data: { file: 'redacted', size: 6 } },
        { type: 'text', data: { text: 'look' } },
        { type: 'contact', data: { type: 'group', id: '900000001' } },
      ],
    });
    assert.equal((r.value({ raw_message: '[CQ:image,file=x.jpg,url=https://h/x?rkey=S] hi' }) as Record<string, unknown>)['raw_message'], '[CQ:image,file=redacted] hi');
  });

  it('with ids: false leaves numbers alone but still redacts names, secrets and media', () => {
    const r = new Redactor({ ids: false });
    assert.deepEqual(r.value({ user_id: 1000001, nickname: 'Zed', token: 'x', message: [{ type: 'video', data: { file: 'v.mp4' } }] }),
      { user_id: 1000001, nickname: 'nickname-1000001', message: [{ type: 'video', data: { file: 'redacted' } }] });
  });
});

describe('cassette files', () => {
  it('rotate past the size bound, each part with its header, the oldest deleted beyond the file count', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-cassette-'));
    try {
      const writer = new CassetteWriter({ dir, maxFileSize: 2000, maxFiles: 2, header: (part) => ({ t: 0, time: 0, type: 'header', format: 'cqhttpd-cassette', version: 1, self_id: 1, redacted: true, upstream: { kind: 'onebot' }, part }) });
      for (let i = 0; i < 100; i++) {
        writer.write(JSON.stringify({ t: i, time: i, type: 'link', online: true, pad: 'x'.repeat(60) }));
        if (i % 10 === 9) writer.flush();
      }
      writer.close();
      const files = fs.readdirSync(dir);
      assert.equal(files.length, 2, files.join(', '));
      const parts = files.map((file) => {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        assert.ok(Buffer.byteLength(text) <= 2000, `${file}: ${Buffer.byteLength(text)} bytes`);
        const cassette = parseCassette(text);
        assert.ok(cassette.lines.length > 0);
        return cassette;
      }).sort((a, b) => Number(a.header['part']) - Number(b.header['part']));
      const last = parts[1];
      assert.ok(last !== undefined && Number(last.header['part']) > 2, 'the newest parts are kept');
      assert.equal(Number(last.header['part']), Number(parts[0]?.header['part']) + 1);
      assert.equal(last.lines.at(-1)?.t, 99);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bounds what waits to be written, and says how much was dropped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-cassette-'));
    try {
      const writer = new CassetteWriter({ dir, maxFileSize: 1 << 20, maxFiles: 0, maxPendingBytes: 1000, header: () => ({ type: 'header', format: 'cqhttpd-cassette' }) });
      for (let i = 0; i < 50; i++) writer.write(JSON.stringify({ t: i, type: 'link', pad: 'y'.repeat(80) }));
      writer.close();
      const { lines } = parseCassette(fs.readFileSync(writer.file, 'utf8'));
      const dropped = lines.find((l) => l.type === 'dropped');
      assert.ok(dropped !== undefined && Number(dropped['lines']) > 0);
      assert.equal(lines.filter((l) => l.type === 'link').length + Number(dropped['lines']), 50);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
