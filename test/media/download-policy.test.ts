/**
 * Downloads from non-public addresses (decision P12): refused by default, whatever the URL's
 * spelling, after name resolution and on every redirect; allowed by `allowed_download_hosts`; a body
 * that is not the media kind asked for is not kept. Every request here goes to loopback only.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { MediaStore } from '../../src/media/index.js';
import { DownloadAddressPolicy } from '../../src/media/address-policy.js';
import { ApiError } from '../../src/protocol/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startMediaServer, tempDir, type MediaServer } from './helpers.js';

async function refused(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    assert.equal(err.code, 'BAD_PARAMS');
    assert.match(err.message, pattern);
    return true;
  });
}

const totalHits = (server: MediaServer): number => [...server.hits.values()].reduce((a, b) => a + b, 0);

describe('the address policy', () => {
  const policy = new DownloadAddressPolicy();
  test('non-public addresses are refused, each named for what it is', () => {
    const cases: [string, RegExp][] = [
      ['127.0.0.1', /loopback/], ['127.255.0.9', /loopback/], ['::1', /loopback/], ['::ffff:127.0.0.1', /loopback/], ['::ffff:7f00:1', /loopback/],
      ['0.0.0.0', /unspecified/], ['::', /unspecified/],
      ['10.1.2.3', /private/], ['172.31.255.255', /private/], ['192.168.1.1', /private/], ['fd12::1', /private/], ['::ffff:192.168.0.1', /private/],
      ['100.64.0.1', /CGNAT/], ['169.254.169.254', /link-local/], ['fe80::1', /link-local/],
      ['224.0.0.1', /multicast/], ['255.255.255.255', /broadcast/], ['ff02::1', /multicast/],
      ['192.0.2.7', /documentation/], ['2001:db8::1', /documentation/], ['198.18.0.1', /benchmarking/],
      ['240.0.0.1', /reserved/], ['64:ff9b::7f00:1', /reserved/], ['2002:7f00:1::', /reserved/],
    ];
    for (const [address, what] of cases) assert.match(policy.refusal(address, address) ?? 'allowed', what, address);
  });

  test('public addresses are allowed', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(policy.refusal(address, address), undefined, address);
    }
  });

  test('allow-list entries: an address, a range, a host name; malformed entries are refused', () => {
    const allow = new DownloadAddressPolicy(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'Media.Local']);
    assert.equal(allow.refusal('127.0.0.1', '127.0.0.1'), undefined);
    assert.match(allow.refusal('127.0.0.2', '127.0.0.2') ?? '', /loopback/);
    assert.equal(allow.refusal('10.9.8.7', '10.9.8.7'), undefined);
    assert.equal(allow.refusal('[fd00::5]', 'fd00::5'), undefined);
    assert.equal(allow.refusal('media.local', '192.168.7.7'), undefined);
    assert.match(allow.refusal('other.local', '192.168.7.7') ?? '', /other\.local \(192\.168\.7\.7\) is a private-network address/);
    for (const bad of ['10.0.0.0/33', 'http://x', 'a b', '::1/129', 'x/8']) assert.throws(() => new DownloadAddressPolicy([bad]), RangeError, bad);
  });

  test('allowed_download_hosts is validated with the configuration', () => {
    assert.throws(
      () => loadConfig({ searchDir: '/nonexistent', env: {}, overrides: { allowed_download_hosts: ['127.0.0.1/32', 'not a host'] } }),
      /allowed_download_hosts.*must be a host name, an IP address or a CIDR range/s,
    );
    assert.doesNotThrow(() => loadConfig({ searchDir: '/nonexistent', env: {}, overrides: { allowed_download_hosts: ['127.0.0.1/32', 'media.local', '::1'] } }));
  });
});

describe('downloads from loopback', () => {
  let server: MediaServer;
  let dir: string;
  let cleanup: () => Promise<void>;
  let port: string;
  before(async () => {
    server = await startMediaServer();
    port = new URL(server.base).port;
    ({ dir, cleanup } = await tempDir());
  });
  after(async () => {
    await server.close();
    await cleanup();
  });
  const image = (store: MediaStore, file: string) => store.resolveOutgoing({ type: 'image', data: { file } });

  test('are refused by default in every spelling, before any request reaches the server', async () => {
    const store = new MediaStore(dir);
    const before = totalHits(server);
    for (const host of ['127.0.0.1', '0x7f000001', '2130706433', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]', '[::1]']) {
      await refused(image(store, `http://${host}:${port}/img.png`), /is a loopback address, and downloads from non-public addresses are refused \(allow it with allowed_download_hosts\)/);
    }
    await refused(image(store, `http://localhost:${port}/img.png`), /localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
    await refused(store.download('file', `http://127.0.0.1:${port}/admin`), /loopback/);
    assert.equal(totalHits(server), before, 'nothing reached the server');
    assert.deepEqual(await readdir(path.join(dir, 'image')).catch(() => []), []);
  });

  test('an allow-listed range or host name may be downloaded from', async () => {
    const byRange = new MediaStore(dir, { allowedDownloadHosts: ['127.0.0.0/8'] });
    assert.match((await image(byRange, `http://127.0.0.1:${port}/img.png`)).data.file as string, /\.png$/);
    assert.match((await image(byRange, `http://2130706433:${port}/noext`)).data.file as string, /\.png$/);
    const byName = new MediaStore(dir, { allowedDownloadHosts: ['LOCALHOST'] });
    // The server listens on 127.0.0.1; whichever of localhost's addresses answers is allowed by name.
    assert.match((await image(byName, `http://localhost:${port}/img.png?by=name`)).data.file as string, /\.png$/);
  });

  test('every redirect is checked: from an allowed host to a loopback address that is not allowed', async () => {
    const store = new MediaStore(dir, { allowedDownloadHosts: ['localhost'] });
    const target = `http://127.0.0.1:${port}/img.png?via=redirect`;
    await refused(image(store, `http://localhost:${port}/redirect-to?${encodeURIComponent(target)}`), /127\.0\.0\.1 is a loopback address/);
    assert.equal(server.hits.get('/img.png?via=redirect'), undefined);
  });

  test('a body that is not the kind asked for is not kept; a file download keeps anything', async () => {
    const store = new MediaStore(dir, { allowedDownloadHosts: ['127.0.0.1'] });
    await refused(image(store, `http://127.0.0.1:${port}/admin`), /\/admin is not an image \(no known format's signature\); it was not kept/);
    await refused(store.resolveOutgoing({ type: 'record', data: { file: `http://127.0.0.1:${port}/admin` } }), /is not audio/);
    await refused(store.resolveOutgoing({ type: 'video', data: { file: `http://127.0.0.1:${port}/admin?v` } }), /is not a video/);
    for (const kind of ['image', 'record', 'video']) {
      const left = (await readdir(path.join(dir, kind)).catch(() => [] as string[])).filter((f) => !f.endsWith('.png'));
      assert.deepEqual(left, [], `${kind}: nothing but the PNGs of earlier tests`);
    }
    assert.match(await store.download('file', `http://127.0.0.1:${port}/admin`), /\.tmp$/);
  });

  test('URL credentials are not sent in the Referer', async () => {
    const store = new MediaStore(dir, { allowedDownloadHosts: ['127.0.0.1'] });
    await image(store, `http://bob:hunter2@127.0.0.1:${port}/img.png?cred`);
    const referer = server.lastHeaders.get('/img.png?cred')?.referer;
    assert.equal(referer, `http://127.0.0.1:${port}/img.png?cred`);
  });
});

describe('[CQ:image,file=http://127.0.0.1/...] over the HTTP API, default config', () => {
  let server: MediaServer;
  let t: TestApp;
  before(async () => {
    server = await startMediaServer();
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
    await server.close();
  });

  test('is refused with retcode 100; the local server is never asked', async () => {
    const before = totalHits(server);
    for (const host of ['127.0.0.1', '0x7f000001', '2130706433']) {
      const port = new URL(server.base).port;
      const res = await t.call('send_group_msg', { group_id: 100001, message: `[CQ:image,file=http://${host}:${port}/admin]` });
      assert.equal(res.body?.retcode, 100, res.text);
      assert.match(res.body?.wording ?? '', /127\.0\.0\.1 is a loopback address/);
    }
    assert.equal(totalHits(server), before);
  });
});
