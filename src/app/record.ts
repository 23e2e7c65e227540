/**
 * Wiring of the bridge's recorder (docs/recording.md): its tap on the upstream link, then the
 * events the backend emits and the calls the dispatcher answers. Created for every bridge; it
 * records while on — from the start with `record = true`, or when switched on later (the control
 * API's `PUT /api/record`) — each time into a new cassette. Off, every tap is one test and return.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Backend } from '../backend/port.js';
import type { Config } from '../config/index.js';
import type { Dispatcher } from '../core/dispatch.js';
import { cassetteDir, Recorder, shownUrl, type UpstreamInfo } from '../record/index.js';

export interface RecordingState {
  recording: boolean;
  /** The cassette being written (absent when off or before the upstream is known). */
  file?: string;
  redacted: boolean;
}

export interface Recording {
  /** Hand to the bridge: the link's frames and connection changes, and the upstream once known. */
  readonly tap: {
    readonly wantsVersion: boolean;
    frame(dir: 'in' | 'out', frame: Record<string, unknown>): void;
    state(online: boolean): void;
    ready(info: { selfId: number; version?: Record<string, unknown> }): void;
  };
  /** Record the events of `backend` and the calls `dispatcher` answers; returns the unsubscriber. */
  attach(backend: Backend, dispatcher: Dispatcher): () => void;
  /** Switch recording on (a new cassette) or off (the cassette closed); answers the state after. */
  set(on: boolean): RecordingState;
  state(): RecordingState;
  close(): void;
}

export function createRecording(config: Readonly<Config>, dataDir: string, logger: Logger): Recording {
  let info: UpstreamInfo | undefined;
  let recorder: Recorder | undefined;
  // The upstream's version, from a `get_version_info` (`get_impl_info`) seen on the link (for a recording switched on later).
  let versionEcho: unknown;
  let version: Record<string, unknown> | undefined;
  const sniff = (dir: 'in' | 'out', frame: Record<string, unknown>) => {
    if (dir === 'out') {
      // A OneBot upstream's get_version_info, a Milky implementation's get_impl_info.
      if (frame['action'] === 'get_version_info' || frame['action'] === 'get_impl_info') versionEcho = frame['echo'];
    } else if (versionEcho !== undefined && frame['echo'] === versionEcho) {
      versionEcho = undefined;
      const data = frame['data'];
      if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
        version = data as Record<string, unknown>;
        if (info !== undefined) info = { ...info, version };
      }
    }
  };
  const open = (): Recorder => new Recorder({
    dir: cassetteDir(dataDir), redact: config.record_redact, maxFileSize: config.record_max_size, maxFiles: config.record_max_files,
  });
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  const begin = (r: Recorder, upstream: UpstreamInfo) => {
    r.begin(upstream);
    logger.info(`recording the bridge to ${shown(r.file)}${config.record_redact ? ' (redacted)' : ' (NOT redacted: record_redact = false)'}`);
  };
  const state = (): RecordingState => ({ recording: recorder !== undefined, ...(recorder?.file ? { file: recorder.file } : {}), redacted: config.record_redact });
  if (config.record) recorder = open();
  return {
    tap: {
      wantsVersion: config.record,
      frame: (dir, frame) => {
        sniff(dir, frame);
        recorder?.upstream(dir, frame);
      },
      state: (online) => recorder?.link(online),
      ready: (known) => {
        const v = known.version ?? version;
        info = { kind: config.backend, url: shownUrl(config.upstream_url), selfId: known.selfId, ...(v ? { version: v } : {}) };
        if (recorder !== undefined) begin(recorder, info);
      },
    },
    attach(backend, dispatcher) {
      const stopEvents = backend.onEvent((event) => recorder?.event(event as unknown as Record<string, unknown>));
      const stopCalls = dispatcher.onCall((record) => recorder?.call({
        action: record.action, params: record.params, channel: record.channel, retcode: record.retcode, duration: record.duration, time: record.time,
        ...(record.data !== undefined ? { data: record.data } : {}),
        ...(record.error !== undefined ? { error: { code: record.error.code, message: record.error.message } } : {}),
        ...(record.unknown ? { unknown: true as const } : {}),
      }));
      return () => {
        stopEvents();
        stopCalls();
      };
    },
    set(on) {
      if (on && recorder === undefined) {
        const r = recorder = open();
        if (info !== undefined) begin(r, info);
      } else if (!on && recorder !== undefined) {
        const file = recorder.file;
        recorder.close();
        recorder = undefined;
        logger.info(`recording stopped; the cassette is ${shown(file)}`);
      }
      return state();
    },
    state,
    close: () => {
      recorder?.close();
      recorder = undefined;
    },
  };
}
