/**
 * The pure helpers: the lenient base64 decoder, magic-byte sniffing, the `file:` URI rule,
 * 4.15 parameter readers, and the concurrency primitives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBase64Lenient, sniffExtension } from '../../src/media/index.js';
import { KeyedMutex, Semaphore } from '../../src/media/limits.js';
import { resolveMediaOptions } from '../../src/media/options.js';
import { knownExtension } from '../../src/media/sniff.js';
import { boolParam, intParam, pathOfFileUri, sourceForm } from '../../src/media/sources.js';
import { JPEG, PNG } from './helpers.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

test('lenient base64: stops at "=", whitespace or any non-standard character', () => {
  assert.equal(decodeBase64Lenient('aGVsbG8=').toString(), 'hello');
  assert.equal(decodeBase64Lenient('aGVsbG8gd29ybGQ=').toString(), 'hello world');
  assert.equal(decodeBase64Lenient('aGVs\nbG8=').toString(), 'hel', 'a newline truncates');
  assert.equal(decodeBase64Lenient('aGVs bG8=').toString(), 'hel');
  assert.equal(decodeBase64Lenient('aGVsbA==ZZZZ').toString(), 'hell', 'data after the padding is ignored');
  assert.deepEqual(decodeBase64Lenient('-_-_'), Buffer.alloc(0), 'URL-safe alphabet is not accepted');
  assert.deepEqual(decodeBase64Lenient('+/+/'), Buffer.from([0xfb, 0xff, 0xbf]));
  assert.deepEqual(decodeBase64Lenient(''), Buffer.alloc(0));
});

test('image magic: jpg, png, gif, bmp, webp; unknown → undefined', () => {
  assert.equal(sniffExtension(JPEG, 'image'), 'jpg');
  assert.equal(sniffExtension(PNG, 'image'), 'png');
  assert.equal(sniffExtension(bytes('GIF87a'), 'image'), 'gif');
  assert.equal(sniffExtension(bytes('BM\x00\x00'), 'image'), 'bmp');
  assert.equal(sniffExtension(bytes('RIFF\x10\x00\x00\x00WEBPVP8 '), 'image'), 'webp');
  assert.equal(sniffExtension(bytes('RIFF\x10\x00\x00\x00WAVEfmt '), 'image'), undefined);
  assert.equal(sniffExtension(PNG.subarray(0, 7), 'image'), undefined, 'the PNG signature is 8 bytes');
  assert.equal(sniffExtension(bytes('hello'), 'image'), undefined);
});

test('audio and video magic', () => {
  assert.equal(sniffExtension(bytes('#!SILK_V3'), 'record'), 'silk');
  assert.equal(sniffExtension(bytes('\x02#!SILK_V3'), 'record'), 'silk');
  assert.equal(sniffExtension(bytes('#!AMR\n'), 'record'), 'amr');
  assert.equal(sniffExtension(bytes('RIFF\x10\x00\x00\x00WAVEfmt '), 'record'), 'wav');
  assert.equal(sniffExtension(bytes('OggS\x00'), 'record'), 'ogg');
  assert.equal(sniffExtension(bytes('fLaC'), 'record'), 'flac');
  assert.equal(sniffExtension(bytes('ID3\x03'), 'record'), 'mp3');
  assert.equal(sniffExtension(Buffer.from([0xff, 0xfb, 0x90, 0x00]), 'record'), 'mp3', 'a bare MPEG frame');
  assert.equal(sniffExtension(Buffer.from([0xff, 0xd8, 0xff]), 'record'), undefined, 'JPEG is not MPEG audio');
  assert.equal(sniffExtension(Buffer.from([0xff, 0xf1, 0x50, 0x80]), 'record'), 'aac', 'an ADTS frame');
  assert.equal(sniffExtension(Buffer.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]), 'record'), 'wma');
  assert.equal(sniffExtension(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), 'record'), 'webm');
  assert.equal(sniffExtension(bytes('\x00\x00\x00\x08wide'), 'video'), 'mov');
  assert.equal(sniffExtension(bytes('\x00\x00\x00\x20ftypisom'), 'video'), 'mp4');
  assert.equal(sniffExtension(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), 'video'), 'mkv');
  assert.equal(sniffExtension(PNG, 'record'), undefined);
});

test('known extensions per kind', () => {
  assert.equal(knownExtension('/a/b/PHOTO.JPEG', 'image'), 'jpeg');
  assert.equal(knownExtension('/a/b/x.silk', 'image'), undefined);
  assert.equal(knownExtension('x.silk', 'record'), 'silk');
  assert.equal(knownExtension('archive.7z', 'file'), '7z');
  assert.equal(knownExtension('noext', 'file'), undefined);
});

test('source forms and the file: rule (0–3 slashes, then an absolute path)', () => {
  assert.equal(sourceForm('HTTPS://x/y'), 'url');
  assert.equal(sourceForm('base64://AAAA'), 'base64');
  assert.equal(sourceForm('file:///a'), 'file');
  assert.equal(sourceForm('ftp://x/y'), 'unsupported');
  assert.equal(sourceForm('abc.jpg'), 'name');
  for (const f of ['file:tmp/a.png', 'file:/tmp/a.png', 'file://tmp/a.png', 'file:///tmp/a.png']) assert.equal(pathOfFileUri(f, 'linux'), '/tmp/a.png', f);
  assert.equal(pathOfFileUri('file:////tmp/a.png', 'linux'), '/tmp/a.png');
  assert.equal(pathOfFileUri('file:///tmp/x/../a.png', 'linux'), '/tmp/a.png', 'normalised before any check');
  assert.equal(pathOfFileUri('file:///C:\\a\\1.png', 'win32'), 'C:\\a\\1.png');
  assert.equal(pathOfFileUri('file://C:\\a\\1.png', 'win32'), 'C:\\a\\1.png');
});

test('cache/timeout parameters are read like 4.15 get_bool / get_integer', () => {
  assert.equal(boolParam('0', true), false);
  assert.equal(boolParam('False', true), false);
  assert.equal(boolParam('YES', false), true);
  assert.equal(boolParam('2', true), true);
  assert.equal(boolParam(undefined, false), false);
  assert.equal(intParam(' 12s'), 12);
  assert.equal(intParam('-3'), -3);
  assert.equal(intParam('abc'), undefined);
  assert.equal(intParam(undefined), undefined);
});

test('options: defaults and validation', () => {
  const o = resolveMediaOptions({});
  assert.equal(o.maxDownloadBytes, 20 * 1024 * 1024);
  assert.equal(o.downloadTimeoutSeconds, 30);
  assert.deepEqual(o.allowedFileDirs, []);
  assert.deepEqual(o.allowedUrlSchemes, ['http', 'https']);
  assert.deepEqual(resolveMediaOptions({ allowedUrlSchemes: ['HTTPS:'] }).allowedUrlSchemes, ['https']);
  assert.throws(() => resolveMediaOptions({ maxDownloadBytes: 0 }), /maxDownloadBytes/);
  assert.throws(() => resolveMediaOptions({ downloadTimeoutSeconds: -1 }), /downloadTimeoutSeconds/);
  assert.throws(() => resolveMediaOptions({ maxConcurrentDownloads: 1.5 }), /maxConcurrentDownloads/);
});

test('Semaphore caps concurrency; KeyedMutex serialises one key and not others', async () => {
  const sem = new Semaphore(2);
  let active = 0;
  let peak = 0;
  const task = async () => {
    active += 1;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 10));
    active -= 1;
  };
  await Promise.all(Array.from({ length: 6 }, () => sem.run(task)));
  assert.equal(peak, 2);
  assert.equal(sem.inUse, 0);
  await assert.rejects(sem.run(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(sem.inUse, 0, 'a failing task releases its slot');

  const mutex = new KeyedMutex();
  const log: string[] = [];
  const step = (key: string, name: string, ms: number) => mutex.run(key, async () => {
    log.push(`${name}+`);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`${name}-`);
  });
  await Promise.all([step('a', 'a1', 20), step('a', 'a2', 1), step('b', 'b1', 5)]);
  assert.ok(log.indexOf('a1-') < log.indexOf('a2+'), 'same key: one after the other');
  assert.ok(log.indexOf('b1+') < log.indexOf('a1-'), 'another key runs concurrently');
  assert.equal(mutex.size, 0);
});
