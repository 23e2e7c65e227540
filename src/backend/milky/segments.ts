/**
 * Message segments between Milky and OneBot v11. Incoming: `mention` is `at`, `mention_all` is
 * `at` `qq=all`, `face_id` is `id`, a quoted `reply`'s `message_seq` becomes cqhttpd's message id
 * of that message, media carry the resource id as `file` and the temporary URL as `url` (an image's
 * or record's remembered in `bridge.db` for `get_image`/`get_record`),
 * `light_app` is `json`, `xml` is `xml`, `forward` keeps its id; kinds v11 has no segment for
 * (market faces, markdown, files) arrive as text or a `file` segment (docs/bridge.md). Outgoing is
 * the reverse; v11 segments Milky cannot send are left out.
 */
import type { Segment } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import type { MessageIds } from '../onebot/ids.js';
import { messageKey, parseMessageKey, type Scene } from './keys.js';

type Wire = Record<string, unknown>;
export type MilkySegment = { type: string; data: Wire };

const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** One Milky segment of a message in (`scene`, `peer`) as v11 segments. */
function incoming(ids: MessageIds, scene: Scene, peer: number, s: MilkySegment): Segment {
  const d = s.data;
  switch (s.type) {
    case 'text': return { type: 'text', data: { text: str(d['text']) } };
    case 'mention': return { type: 'at', data: { qq: str(d['user_id']) } };
    case 'mention_all': return { type: 'at', data: { qq: 'all' } };
    case 'face': return { type: 'face', data: { id: str(d['face_id']) } };
    case 'reply': return { type: 'reply', data: { id: String(ids.local(messageKey(scene, peer, Number(d['message_seq'])))) } };
    case 'image':
    case 'record': {
      const file = str(d['resource_id']);
      const url = str(d['temp_url']);
      // Where get_image/get_record fetch it from (the implementation is asked for a fresh URL first: backend.ts).
      if (file !== '' && /^https?:\/\//i.test(url)) ids.rememberMedia(s.type, file, url);
      return { type: s.type, data: { file, url } };
    }
    case 'video': return { type: 'video', data: { file: str(d['resource_id']), url: str(d['temp_url']) } };
    case 'forward': return { type: 'forward', data: { id: str(d['forward_id']) } };
    case 'light_app': return { type: 'json', data: { data: str(d['json_payload']) } };
    case 'xml': return { type: 'xml', data: { data: str(d['xml_payload']) } };
    case 'file': return { type: 'file', data: { id: str(d['file_id']), name: str(d['file_name']), size: str(d['file_size']) } };
    case 'market_face': return { type: 'text', data: { text: str(d['summary']) || '[表情]' } };
    case 'markdown': return { type: 'text', data: { text: str(d['content']) } };
    default: return { type: 'text', data: { text: `[${s.type}]` } };
  }
}

export function fromMilkySegments(ids: MessageIds, scene: Scene, peer: number, segments: unknown): Segment[] {
  if (!Array.isArray(segments)) return [];
  return segments
    .filter((s): s is MilkySegment => typeof s === 'object' && s !== null && typeof (s as MilkySegment).type === 'string')
    .map((s) => incoming(ids, scene, peer, { type: s.type, data: typeof s.data === 'object' && s.data !== null ? s.data : {} }));
}

/** A media `file`/`url` as a Milky `uri` (http(s)://, file:// or base64://). */
function uriOf(data: Record<string, string>): string {
  const url = data['url'] ?? '';
  if (/^https?:\/\//i.test(url)) return url;
  return data['file'] ?? '';
}

/** v11 segments as Milky's outgoing ones; a reply to a message cqhttpd never gave out is BAD_PARAMS. */
export function toMilkySegments(ids: MessageIds, segments: Segment[]): MilkySegment[] {
  const out: MilkySegment[] = [];
  for (const { type, data } of segments) {
    switch (type) {
      case 'text': out.push({ type: 'text', data: { text: data['text'] ?? '' } }); break;
      case 'at': out.push(data['qq'] === 'all' ? { type: 'mention_all', data: {} } : { type: 'mention', data: { user_id: Number(data['qq']) } }); break;
      case 'face': out.push({ type: 'face', data: { face_id: data['id'] ?? '' } }); break;
      case 'reply': {
        const mapped = ids.get(Number(data['id']));
        const key = mapped === undefined ? undefined : parseMessageKey(mapped.upstreamId);
        if (key === undefined) throw new ApiError('BAD_PARAMS', `reply: there is no message with message_id ${data['id'] ?? ''}`);
        out.push({ type: 'reply', data: { message_seq: key.seq } });
        break;
      }
      case 'image': out.push({ type: 'image', data: { uri: uriOf(data) } }); break;
      case 'record': out.push({ type: 'record', data: { uri: uriOf(data) } }); break;
      case 'video': out.push({ type: 'video', data: { uri: uriOf(data) } }); break;
      case 'json': out.push({ type: 'light_app', data: { json_payload: data['data'] ?? '' } }); break;
      default: break; // no Milky segment for it
    }
  }
  return out;
}
