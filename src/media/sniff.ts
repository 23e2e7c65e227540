/**
 * Content recognition for stored media: the lenient base64 decoder of CQHTTP 4.15 §8.6, magic-byte
 * extension sniffing, and the extensions a URL or file name may lend to a stored copy.
 */
import type { MediaKind } from './kinds.js';

/** The extension given to content that nothing recognises (as the original does). */
export const UNKNOWN_EXTENSION = 'tmp';

const KNOWN_EXTENSIONS: Readonly<Record<Exclude<MediaKind, 'file'>, readonly string[]>> = {
  image: ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp'],
  record: ['silk', 'amr', 'mp3', 'wav', 'ogg', 'flac', 'm4a', 'wma', 'spx', 'aac', 'opus', 'webm'],
  video: ['mp4', 'mkv', 'webm', 'avi', 'mov', 'flv'],
};

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const riff = (b: Uint8Array, form: string): boolean => startsWith(b, ascii('RIFF')) && startsWith(b, ascii(form), 8);

type Sniffer = readonly [ext: string, test: (b: Uint8Array) => boolean];

const IMAGE_SNIFFERS: readonly Sniffer[] = [
  ['jpg', (b) => startsWith(b, [0xff, 0xd8, 0xff])],
  ['png', (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['gif', (b) => startsWith(b, ascii('GIF'))],
  ['bmp', (b) => startsWith(b, ascii('BM'))],
  ['webp', (b) => riff(b, 'WEBP')],
];

/** An MPEG audio frame header: 11 sync bits, then a layer other than "reserved". */
const mpegFrame = (b: Uint8Array): boolean =>
  b.length >= 2 && b[0] === 0xff && ((b[1] as number) & 0xe0) === 0xe0 && ((b[1] as number) & 0x06) !== 0;

/** An ADTS AAC frame header: 12 sync bits, MPEG layer 0. */
const adtsFrame = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0xff && ((b[1] as number) & 0xf6) === 0xf0;
/** The ASF header GUID (WMA, WMV). */
const ASF = [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11];
/** The EBML magic of Matroska and WebM. */
const EBML = [0x1a, 0x45, 0xdf, 0xa3];

const AUDIO_SNIFFERS: readonly Sniffer[] = [
  ['silk', (b) => startsWith(b, ascii('#!SILK')) || (b[0] === 0x02 && startsWith(b, ascii('#!SILK'), 1))],
  ['amr', (b) => startsWith(b, ascii('#!AMR'))],
  ['wav', (b) => riff(b, 'WAVE')],
  ['ogg', (b) => startsWith(b, ascii('OggS'))],
  ['flac', (b) => startsWith(b, ascii('fLaC'))],
  ['mp3', (b) => startsWith(b, ascii('ID3')) || mpegFrame(b)],
  ['aac', adtsFrame],
  ['wma', (b) => startsWith(b, ASF)],
  ['m4a', (b) => startsWith(b, ascii('ftyp'), 4)],
  ['webm', (b) => startsWith(b, EBML)],
];

const VIDEO_SNIFFERS: readonly Sniffer[] = [
  ['mp4', (b) => startsWith(b, ascii('ftyp'), 4)],
  ['mkv', (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])],
  ['avi', (b) => riff(b, 'AVI ')],
  ['flv', (b) => startsWith(b, ascii('FLV'))],
  ['mov', (b) => ['moov', 'mdat', 'wide', 'free', 'skip'].some((atom) => startsWith(b, ascii(atom), 4))],
];

const SNIFFERS: Readonly<Record<MediaKind, readonly Sniffer[]>> = {
  image: IMAGE_SNIFFERS,
  record: AUDIO_SNIFFERS,
  video: VIDEO_SNIFFERS,
  file: [...IMAGE_SNIFFERS, ...AUDIO_SNIFFERS.filter(([e]) => e !== 'm4a' && e !== 'webm'), ...VIDEO_SNIFFERS],
};

/**
 * The extension the first bytes of `head` announce for a `kind` (jpg/png/gif/bmp/webp for images;
 * silk/amr/wav/ogg/flac/mp3/aac/wma/m4a/webm for records; mp4/mkv/avi/flv/mov for videos), or `undefined`.
 */
export function sniffExtension(head: Uint8Array, kind: MediaKind): string | undefined {
  return SNIFFERS[kind].find(([, test]) => test(head))?.[0];
}

/** True when `data` is a SILK voice record (`#!SILK…`, optionally after Tencent's 0x02 byte). */
export function isSilkData(data: Uint8Array): boolean {
  return sniffExtension(data, 'record') === 'silk';
}

/**
 * The lowercase extension of a file name or URL path when it is one a `kind` is known by
 * (any short alphanumeric one for `file`), else `undefined`.
 */
export function knownExtension(name: string, kind: MediaKind): string | undefined {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  if (m === null) return undefined;
  const ext = (m[1] as string).toLowerCase();
  return kind === 'file' || KNOWN_EXTENSIONS[kind].includes(ext) ? ext : undefined;
}

/** The extension of a URL's path (query and fragment ignored) when {@link knownExtension} knows it. */
export function urlExtension(url: URL, kind: MediaKind): string | undefined {
  return knownExtension(url.pathname, kind);
}

/** Every extension {@link sniffExtension} can give a kind, then `tmp` (used to find a cached download). */
export function sniffableExtensions(kind: MediaKind): readonly string[] {
  return [...new Set(SNIFFERS[kind].map(([ext]) => ext)), UNKNOWN_EXTENSION];
}

const BASE64_PREFIX = /^[A-Za-z0-9+/]*/;

/**
 * The characters a lenient 4.15 decoder reads from `text`: the standard alphabet only, stopping
 * at the first `=` or any other character (so whitespace truncates; URL-safe `-_` is refused).
 */
export function base64Prefix(text: string): string {
  return (BASE64_PREFIX.exec(text) as RegExpExecArray)[0];
}

/** How many bytes {@link decodeBase64Lenient} yields for a prefix of `chars` alphabet characters. */
export function base64DecodedLength(chars: number): number {
  return Math.floor((chars * 3) / 4);
}

/** Decodes base64 the way CQHTTP 4.15 does (§8.6): see {@link base64Prefix}. */
export function decodeBase64Lenient(text: string): Buffer {
  return Buffer.from(base64Prefix(text), 'base64');
}
