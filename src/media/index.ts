/**
 * Media: the data directory's `image`/`record`/`video`/`file` folders, the send-side `file=` forms
 * (CQHTTP 4.15 §8.6), the data-file endpoint's path rules (§3.2) and voice-record conversion
 * (§6.6). See docs/media.md. Imports only `message` and `protocol`; no import-time side effects.
 */
export { MediaStore, type DownloadCallOptions, type ResolveOptions } from './store.js';
export { MEDIA_DEFAULTS, resolveMediaOptions, type MediaStoreOptions, type ResolvedMediaOptions } from './options.js';
export { DATA_DIR_NAMES, isDataDirName, kindOfSegment, MEDIA_KINDS, type DataDirName, type MediaKind } from './kinds.js';
export { DATA_FILE_DIRS, resolveDataFile, type DataFileOptions, type DataFileResolution } from './data-files.js';
export { PLAYABLE_DIR, PlayableRecords, type PlayableRecord } from './playable.js';
export { isRecordFormat, isSilkFile, RECORD_FORMATS, RecordConverter, SILK_SAMPLE_RATE, type RecordFormat, type SilkRecord } from './record.js';
export { configuredFfmpegMissing, FFMPEG_MISSING, type FfmpegOptions } from './ffmpeg.js';
export { bundledFfmpegPath, locateFfmpeg, type FfmpegFound, type FfmpegSource } from './ffmpeg-locate.js';
export { decodeBase64Lenient, isSilkData, sniffExtension } from './sniff.js';
