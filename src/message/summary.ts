/**
 * A message in a few words, for log lines: text as it reads (control characters and line breaks
 * turned into spaces), every other segment as a short tag — `[image]`, `[voice]`, `[face:14]`,
 * `@20001`, `@all` — and the whole cut to a length with `…`. Segment data other than a face id or
 * an at target never appears, so no base64 payload, URL or file path reaches a log.
 */
import type { Segment } from './segment.js';

/** How many characters (code points) a summary keeps by default. */
export const SUMMARY_LENGTH = 80;

/** Tags of segments whose content is not shown. */
const TAGS: Readonly<Record<string, string>> = {
  image: '[image]', record: '[voice]', video: '[video]', reply: '[reply]', forward: '[forward]', node: '[forward node]',
  file: '[file]', json: '[card]', xml: '[card]', music: '[music]', share: '[link]', location: '[location]',
  contact: '[contact]', poke: '[poke]', shake: '[shake]', rps: '[rock-paper-scissors]', dice: '[dice]',
  anonymous: '[anonymous]', sface: '[sticker]', bface: '[sticker]', mface: '[sticker]', markdown: '[markdown]',
};

/** Line breaks, tabs and every other control character (a message must not forge log lines). */
const CONTROL = /[\p{Cc}\u2028\u2029]+/gu;

function tagOf(segment: Segment): string {
  switch (segment.type) {
    case 'text':
      return (segment.data.text ?? '').replace(CONTROL, ' ');
    case 'face':
      return /^\d{1,6}$/.test(segment.data.id ?? '') ? `[face:${segment.data.id}]` : '[face]';
    case 'at': {
      const qq = segment.data.qq ?? '';
      return qq === 'all' ? '@all' : /^\d{1,20}$/.test(qq) ? `@${qq}` : '@?';
    }
    default:
      return TAGS[segment.type] ?? `[${/^[a-z_]{1,20}$/i.test(segment.type) ? segment.type : 'segment'}]`;
  }
}

/** `segments` in at most `max` characters (an ellipsis marks a cut); `(empty)` for nothing. */
export function summariseMessage(segments: readonly Segment[], max: number = SUMMARY_LENGTH): string {
  let text = '';
  for (const segment of segments) {
    text += tagOf(segment);
    if (text.length > max * 2 + 2) break; // enough to cut from (UTF-16 units ≥ code points)
  }
  text = text.trim();
  if (text === '') return '(empty)';
  const points = Array.from(text);
  return points.length > max ? `${points.slice(0, max).join('').trimEnd()}…` : text;
}
