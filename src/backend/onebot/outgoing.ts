/**
 * Messages on their way to the upstream: quoted replies named by cqhttpd's ids become the upstream's,
 * and the media cqhttpd stored for them travel as `base64://` (`stored-media.ts`, as for a Milky
 * upstream).
 */
import type { Segment } from '../../message/index.js';
import { inlineStoredMedia } from '../stored-media.js';
import { toUpstreamSegments } from './events.js';
import type { MessageIds } from './ids.js';

/** The segments as the upstream takes them. */
export function toUpstreamMessage(ids: MessageIds, dataDir: string, segments: Segment[]): Promise<Segment[]> {
  return inlineStoredMedia(dataDir, toUpstreamSegments(ids, segments));
}
