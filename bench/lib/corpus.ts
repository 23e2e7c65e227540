/**
 * A deterministic corpus of realistic chat messages: Chinese and English text of varied length
 * (emoji, URLs, the odd `&`, `[`, `]`, `,`), 30 % carrying CQ codes (at, face, image, reply,
 * record, share, json). Each message comes as its segments (keys sorted, no empty or adjacent text
 * segments: the canonical form a parser must give back) and as its CQ string, written here by
 * an independent escaper so the parser and serialiser are checked against something they did
 * not produce.
 */

export interface CorpusSegment {
  type: string;
  data: Record<string, string>;
}

export interface CorpusMessage {
  segments: CorpusSegment[];
  /** The CQ-code string of `segments` (CQHTTP 4.15 §8.3). */
  cq: string;
}

/** mulberry32: a small fast deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZH = ['你好', '今天', '天气不错', '哈哈哈', '收到', '我觉得', '可以的', '明天见', '在吗', '这个问题', '怎么办', '谢谢大家', '好的', '晚上一起吃饭吗', '群主', '管理员', '签到', '红包', '图片', '不知道', '太强了', '冲冲冲', '早上好', '晚安'];
const EN = ['hello', 'the', 'bot', 'is', 'working', 'check', 'this', 'out', 'ok', 'lol', 'thanks', 'see', 'you', 'tomorrow', 'deploy', 'failed', 'again', 'what', 'about', 'it', 'nice', 'job', 'please', 'help'];
const EMOJI = ['😀', '😂', '👍', '🎉', '🤔', '❤️', '🙏', '🔥'];
const PUNCT = ['，', '。', '！', '？', ', ', '. ', '! ', '? ', ' ', '~', '…'];
const RARE = ['&', '[', ']', '&amp;', '[doge]', 'a,b', 'x&y', '[1]'];
const URLS = ['https://example.com/a?b=1&c=2', 'http://127.0.0.1:8080/path', 'https://github.com/koishijs/koishi'];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

function text(rand: () => number): string {
  // Length: mostly short, sometimes long (a log-ish distribution of 1…60 words).
  const words = 1 + Math.floor(Math.exp(rand() * Math.log(60)));
  const zh = rand() < 0.6;
  let out = '';
  for (let i = 0; i < words; i++) {
    const r = rand();
    if (r < 0.02) out += pick(rand, RARE);
    else if (r < 0.04) out += pick(rand, EMOJI);
    else if (r < 0.045) out += ` ${pick(rand, URLS)} `;
    else if (r < 0.75) out += zh ? pick(rand, ZH) : `${pick(rand, EN)} `;
    else out += zh ? pick(rand, EN) + ' ' : pick(rand, ZH);
    if (rand() < 0.15) out += pick(rand, PUNCT);
  }
  return out;
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[Math.floor(rand() * 16)];
  return s;
}

function code(rand: () => number): CorpusSegment {
  const r = rand();
  if (r < 0.35) return { type: 'at', data: { qq: rand() < 0.05 ? 'all' : String(10000 + Math.floor(rand() * 2e9)) } };
  if (r < 0.65) return { type: 'face', data: { id: String(Math.floor(rand() * 300)) } };
  if (r < 0.85) {
    const h = hex(rand, 32);
    return { type: 'image', data: { file: `${h}.image`, url: `https://gchat.qpic.cn/gchatpic_new/0/0-0-${h}/0?term=2` } };
  }
  if (r < 0.95) return { type: 'reply', data: { id: String(Math.floor(rand() * 2e9) - 1e9) } };
  if (r < 0.97) return { type: 'record', data: { file: `${hex(rand, 16)}.amr` } };
  if (r < 0.99) {
    return { type: 'share', data: { content: text(rand).slice(0, 40), image: 'https://example.com/i.png', title: 'Shared, [link]', url: pick(rand, URLS) } };
  }
  return { type: 'json', data: { data: `{"app":"com.tencent.miniapp","desc":"${text(rand).slice(0, 20)}","view":"notification","ver":"0.0.0.1","prompt":"[应用]","meta":{"a":[1,2]}}` } };
}

/** Escape text (§8.3): `&` first, then the brackets. */
function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/\[/g, '&#91;').replace(/\]/g, '&#93;');
}

function escapeValue(s: string): string {
  return escapeText(s).replace(/,/g, '&#44;');
}

function toCq(segments: readonly CorpusSegment[]): string {
  let out = '';
  for (const seg of segments) {
    if (seg.type === 'text') {
      out += escapeText(seg.data.text);
      continue;
    }
    out += `[CQ:${seg.type}`;
    for (const key of Object.keys(seg.data).sort()) out += `,${key}=${escapeValue(seg.data[key])}`;
    out += ']';
  }
  return out;
}

/** One message; `withCodes` decides whether it carries CQ codes. */
export function message(rand: () => number, withCodes: boolean): CorpusMessage {
  const segments: CorpusSegment[] = [];
  if (!withCodes) {
    segments.push({ type: 'text', data: { text: text(rand) } });
  } else {
    const codes = 1 + Math.floor(rand() * rand() * 4);
    if (rand() < 0.5) segments.push({ type: 'text', data: { text: text(rand) } });
    for (let i = 0; i < codes; i++) {
      segments.push(code(rand));
      if (rand() < 0.7) segments.push({ type: 'text', data: { text: text(rand) } });
    }
  }
  return { segments, cq: toCq(segments) };
}

/** `n` messages, a share `codeShare` of them with CQ codes, from `seed`. */
export function generateCorpus(n: number, codeShare = 0.3, seed = 20240601): CorpusMessage[] {
  const rand = prng(seed);
  const out: CorpusMessage[] = [];
  for (let i = 0; i < n; i++) out.push(message(rand, rand() < codeShare));
  return out;
}
