/**
 * The media side of the composition root: the media store and record converter (src/media) with
 * the configured limits, the signer of public media URLs, the `url` the sandbox gives stored media,
 * and what the HTTP API needs to serve `/data/…`. Built before the listeners; the HTTP address is
 * filled in once the HTTP API listens (URLs asked for before then are `undefined`).
 */
import { statSync } from 'node:fs';
import type { Logger } from 'pino';
import type { LinkedMediaKind, MediaUrlResolver } from '../backend/sandbox/index.js';
import type { Config } from '../config/index.js';
import type { MediaPort, PublicMediaKind, VoiceRecords } from '../core/media.js';
import type { PlayableRecord, PlayableRecords } from '../media/playable.js';
import type { RecordConverter } from '../media/record.js';
import { MediaStore } from '../media/store.js';
import type { DataFileSettings } from '../transports/http/data-files.js';
import { baseUrlOf, MediaUrlSigner } from '../transports/http/media-urls.js';

/** What the composition root wires. */
export interface MediaSide {
  /** For actions (`ActionContext.media`). */
  readonly port: MediaPort;
  /** For the sandbox: the `url` of stored media segments. */
  readonly mediaUrl: MediaUrlResolver;
  /** For the HTTP API server. */
  readonly dataFiles: DataFileSettings;
  /** For the control API: a stored voice record as a browser plays it (converted once, cached). */
  playableRecord(name: string): Promise<PlayableRecord>;
  /** Where the HTTP API listens (call once it does). */
  setHttpAddress(address: { host: string; port: number }): void;
}

/** Builds the media side for `dataDir` (absolute) from the configuration. */
export function createMediaSide(config: Readonly<Config>, dataDir: string, logger: Logger): MediaSide {
  const store = new MediaStore(dataDir, {
    allowedFileDirs: config.allowed_file_dirs,
    maxDownloadBytes: config.max_download_size,
    downloadTimeoutSeconds: config.download_timeout,
    allowedUrlSchemes: config.allowed_url_schemes,
    maxRedirects: config.max_download_redirects,
    maxConcurrentDownloads: config.max_concurrent_downloads,
    allowedDownloadHosts: config.allowed_download_hosts,
  });
  // The voice side (SILK, ffmpeg, the browser-playable cache) is loaded on the first voice record:
  // most bots never send or fetch one, and a start spawns no process. ffmpeg is located then too,
  // so nothing logs after a stop or restart closed the logger.
  let voice: Promise<{ records: RecordConverter; playable: PlayableRecords }> | undefined;
  const loadVoice = () => (voice ??= Promise.all([import('../media/record.js'), import('../media/playable.js')]).then(([{ RecordConverter }, { PlayableRecords }]) => {
    const records = new RecordConverter({
      ffmpegPath: config.ffmpeg_path,
      timeoutMs: config.ffmpeg_timeout * 1000,
      onLocated: (found) => {
        if (found === undefined) {
          logger.warn('no ffmpeg found (none on PATH, no npm-shipped build for this platform): get_record and non-SILK voice records will fail; install ffmpeg or set ffmpeg_path');
        } else {
          const from = found.source === 'configured' ? 'ffmpeg_path' : found.source === 'system' ? 'found on PATH' : 'the build npm installed with cqhttpd';
          logger.info(`voice records convert with ffmpeg ${found.path} (${from})`);
        }
      },
    });
    return { records, playable: new PlayableRecords(store, records) };
  }));
  const records: VoiceRecords = {
    convertRecord: async (inputPath, outFormat, outDir) => (await loadVoice()).records.convertRecord(inputPath, outFormat, outDir),
    encodeSilk: async (inputPath) => (await loadVoice()).records.encodeSilk(inputPath),
    ffmpegAvailable: async () => (await loadVoice()).records.ffmpegAvailable(),
  };
  const signer = MediaUrlSigner.forDataDir(dataDir);
  let base: string | undefined;
  const configuredBase = config.media_base_url.replace(/\/+$/, '');

  const publicUrl = (kind: PublicMediaKind, name: string): string | undefined => {
    if (!config.use_http) return undefined;
    const origin = configuredBase !== '' ? configuredBase : base;
    return origin === undefined ? undefined : origin + signer.pathFor(kind, name);
  };
  const mediaUrl = (kind: LinkedMediaKind, file: string): string | undefined => {
    try {
      return statSync(store.pathOf(kind, file)).isFile() ? publicUrl(kind, file) : undefined;
    } catch {
      return undefined; // not a plain name, or no such file: not ours to link
    }
  };
  return {
    port: { store, records, publicUrl },
    mediaUrl,
    playableRecord: async (name) => (await loadVoice()).playable.get(name),
    dataFiles: { dataDir, serve: config.serve_data_files, signer },
    setHttpAddress(address) {
      base = baseUrlOf(address);
    },
  };
}
