/**
 * Media received from a Milky implementation go through cqhttpd's media store as on the OneBot
 * bridge: `get_image` and `get_record` (with its conversions) on the resource id of a received image
 * or voice fetch it — from a fresh `get_resource_temp_url` (the event's temporary URL may have
 * expired), else the event's own URL — into cqhttpd's data directory, served from there by the
 * data-file endpoint. A resource cqhttpd never received is not asked about.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseCQ } from '../../../src/message/index.js';
import { PNG, SILK } from '../../actions/cases/media.js';
import { ok, startTestApp } from '../../helpers/app.js';
import { Peer } from '../../transports/ws/harness.js';
import { fakeMilky, groupMessage, milkyAnswers, TOKEN, type Call } from './fake-milky.js';

test('a received image and voice record: get_image and get_record fetch them through a fresh temporary URL', async (t) => {
  const fresh = new Map<string, string>();
  const upstream = await fakeMilky(t, (call: Call) => {
    if (call.api !== 'get_resource_temp_url') return milkyAnswers(call);
    const url = fresh.get(String(call.input['resource_id']));
    return url === undefined ? new Error('resource not found') : { url };
  });
  fresh.set('res-image', upstream.serve('/media/fresh.png', 'image/png', PNG));
  fresh.set('res-voice', upstream.serve('/media/fresh.silk', 'audio/silk', SILK));
  const bridge = await startTestApp({ config: { backend: 'milky', upstream_url: upstream.url, upstream_access_token: TOKEN, use_ws: true, allowed_download_hosts: '127.0.0.1', serve_data_files: true } });
  t.after(() => bridge.close());
  const bot = await Peer.open(`ws://127.0.0.1:${bridge.instance.ws!.port}/event`);
  t.after(() => bot.close());
  await bot.next();

  // The event's own URLs have expired (404); the implementation hands out fresh ones.
  upstream.push('message_receive', groupMessage(51, [
    { type: 'image', data: { resource_id: 'res-image', temp_url: `${upstream.url}/media/expired.png`, width: 1, height: 1, summary: '[图片]', sub_type: 'normal' } },
    { type: 'record', data: { resource_id: 'res-voice', temp_url: `${upstream.url}/media/expired.silk`, duration: 1 } },
  ]));
  const event = JSON.parse(await bot.next()) as { message: string };
  const [image, record] = parseCQ(event.message);
  assert.deepEqual(image, { type: 'image', data: { file: 'res-image', url: `${upstream.url}/media/expired.png` } });
  assert.equal(record?.data['file'], 'res-voice');

  const got = await ok<{ file: string }>(bridge, 'get_image', { file: 'res-image' });
  assert.ok(got.file.startsWith(bridge.dataDir), 'stored in the bridge\'s data directory');
  assert.deepEqual(fs.readFileSync(got.file), PNG);
  const served = await fetch(`${bridge.base}/data/image/${path.basename(got.file)}`);
  assert.equal(served.status, 200, 'served by the data-file endpoint');
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), PNG);
  assert.deepEqual(upstream.calls.find((c) => c.api === 'get_resource_temp_url')?.input, { resource_id: 'res-image' });

  const wav = await ok<{ file: string }>(bridge, 'get_record', { file: 'res-voice', out_format: 'wav', full_path: true });
  assert.equal(fs.readFileSync(wav.file).subarray(0, 4).toString('latin1'), 'RIFF', 'the SILK voice converted to WAV');

  // Without a fresh URL (the implementation fails get_resource_temp_url) the event's URL is used.
  upstream.push('message_receive', groupMessage(52, [
    { type: 'image', data: { resource_id: 'res-old', temp_url: upstream.serve('/media/old.png', 'image/png', PNG), width: 1, height: 1, summary: '[图片]', sub_type: 'normal' } },
  ]));
  await bot.next();
  assert.deepEqual(fs.readFileSync((await ok<{ file: string }>(bridge, 'get_image', { file: 'res-old' })).file), PNG);

  const asked = upstream.calls.filter((c) => c.api === 'get_resource_temp_url').length;
  assert.equal((await bridge.call('get_image', { file: 'never-received' })).body?.retcode, 100);
  assert.equal(upstream.calls.filter((c) => c.api === 'get_resource_temp_url').length, asked, 'an unknown resource is not asked about');
  assert.deepEqual(upstream.answerErrors, []);
});
