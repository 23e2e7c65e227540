/**
 * What actions may do with the data directory's media (docs/media.md): the parts of `src/media`'s
 * `MediaStore` and `RecordConverter` they use, and the public URL of a stored file. The composition
 * root builds it; tests may hand in fakes.
 */
import type { MediaStore, RecordConverter } from '../media/index.js';

/** The `MediaStore` methods actions use (send-side `file=` forms, downloads, names, cleaning). */
export type MediaFiles = Pick<MediaStore, 'dataDir' | 'pathOf' | 'existing' | 'resolveOutgoing' | 'download' | 'saveBytes' | 'importFile' | 'ensureDir' | 'clean' | 'options'>;

/** The `RecordConverter` methods actions use (`get_record`, non-SILK records, `can_send_record`). */
export type VoiceRecords = Pick<RecordConverter, 'convertRecord' | 'encodeSilk' | 'ffmpegAvailable'>;

/** The kinds of stored file the HTTP API can serve under a public (signed) URL. */
export type PublicMediaKind = 'image' | 'record' | 'video' | 'file';

/** Media for actions. */
export interface MediaPort {
  readonly store: MediaFiles;
  readonly records: VoiceRecords;
  /**
   * The URL anyone holding it may fetch `<data_dir>/<kind>/<name>` at from the HTTP API (signed, so
   * it works without the token and with `serve_data_files` off), or `undefined` when the HTTP API
   * is off. The file need not exist yet.
   */
  publicUrl(kind: PublicMediaKind, name: string): string | undefined;
}
