/**
 * Wiring of the bridge's recorder (`record = true`, docs/recording.md): its tap on the upstream
 * link, then the events the backend emits and the calls the dispatcher answers. Loaded only when
 * recording.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Backend } from '../backend/port.js';
import type { Config } from '../config/index.js';
import type { Dispatcher } from '../core/dispatch.js';
import { cassetteDir, Recorder, shownUrl } from '../record/index.js';

export interface Recording {
  /** Hand to the bridge: the link's frames and connection changes, and the upstream once known. */
  readonly tap: {
    frame(dir: 'in' | 'out', frame: Record<string, unknown>): void;
    state(online: boolean): void;
    ready(info: { selfId: number; version?: Record<string, unknown> }): void;
  };
  /** Record the events of `backend` and the calls `dispatcher` answers; returns the unsubscriber. */
  attach(backend: Backend, dispatcher: Dispatcher): () => void;
  close(): void;
}

export function createRecording(config: Readonly<Config>, dataDir: string, logger: Logger): Recording {
  const recorder = new Recorder({
    dir: cassetteDir(dataDir), redact: config.record_redact, maxFileSize: config.record_max_size, maxFiles: config.record_max_files,
  });
  return {
    tap: {
      frame: (dir, frame) => recorder.upstream(dir, frame),
      state: (online) => recorder.link(online),
      ready: (info) => {
        recorder.begin({ kind: config.backend, url: shownUrl(config.upstream_url), selfId: info.selfId, ...(info.version ? { version: info.version } : {}) });
        logger.info(`recording the bridge to ${path.relative(process.cwd(), recorder.file) || recorder.file}${config.record_redact ? ' (redacted)' : ' (NOT redacted: record_redact = false)'}`);
      },
    },
    attach(backend, dispatcher) {
      const stopEvents = backend.onEvent((event) => recorder.event(event as unknown as Record<string, unknown>));
      const stopCalls = dispatcher.onCall((record) => recorder.call({
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
    close: () => recorder.close(),
  };
}
