/** A segment array as a CQ-code string (the other message form the inspector shows). */
import type { Segment } from './types';

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/\[/g, '&#91;').replace(/]/g, '&#93;');
const escapeParam = (s: string): string => escapeText(s).replace(/,/g, '&#44;');

export function toCq(message: readonly Segment[]): string {
  return message.map((seg) => {
    if (seg.type === 'text') return escapeText(String(seg.data['text'] ?? ''));
    const params = Object.entries(seg.data).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `,${k}=${escapeParam(typeof v === 'string' ? v : JSON.stringify(v))}`);
    return `[CQ:${seg.type}${params.join('')}]`;
  }).join('');
}
