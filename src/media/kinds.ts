/**
 * The media sub-folders of the data directory and which message segments use them
 * (CQHTTP 4.15 §8.6, OneBot v11 `video`, docs/extensions.md §7.10 `download_file`).
 */

/** A sub-folder of `<data_dir>` that {@link MediaStore} manages. */
export type MediaKind = 'image' | 'record' | 'video' | 'file';

/** Every managed sub-folder, in a stable order. */
export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'record', 'video', 'file'];

/** Sub-folders `clean_data_dir` may name in 4.15 (§6.7), plus cqhttpd's own `video` and `file`. */
export type DataDirName = MediaKind | 'bface' | 'show';

/** Every name accepted by {@link DataDirName}. */
export const DATA_DIR_NAMES: readonly DataDirName[] = ['image', 'record', 'video', 'file', 'bface', 'show'];

/** The segment types whose `file` parameter is resolved on sending, and the folder each uses. */
export const SEGMENT_KINDS: Readonly<Record<string, MediaKind>> = { image: 'image', record: 'record', video: 'video' };

/** The media kind a segment type is stored under, or `undefined` when the type carries no file. */
export function kindOfSegment(type: string): MediaKind | undefined {
  return Object.hasOwn(SEGMENT_KINDS, type) ? SEGMENT_KINDS[type] : undefined;
}

/** True when `name` is one of {@link DATA_DIR_NAMES}. */
export function isDataDirName(name: string): name is DataDirName {
  return (DATA_DIR_NAMES as readonly string[]).includes(name);
}
