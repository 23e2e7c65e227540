/**
 * Recording what passes through the bridge, and reading it back (docs/recording.md). Depends on
 * nothing of cqhttpd but the message format: the composition root feeds it, `cqhttpd replay` reads it.
 */
export { CASSETTE_PREFIX, CassetteWriter } from './cassette.js';
export { parseCassette, readCassette, type Cassette, type CassetteLine } from './read.js';
export { CASSETTE_FORMAT, CASSETTE_VERSION, cassetteDir, Recorder, shownUrl, type RecordedCall, type RecorderOptions, type UpstreamInfo } from './recorder.js';
export { Redactor, type RedactOptions } from './redact.js';
