/**
 * `rcnb` (CQHTTP 4.15 §6.11, undocumented easter egg): RCNB encoding (RCNB.js) of the UTF-8 bytes
 * of `text`, or decoding back. Every 2 bytes become 4 letters (r c n b), a trailing byte 2 (r c or
 * n b); a 16-bit value above 0x7FFF is written "n b r c". `action` defaults to `encode`; another
 * action, or a `text` that is not RCNB, is a bad parameter (100).
 */
import { defineAction } from '../../core/action.js';
import { params, str } from '../../core/params.js';
import { ApiError } from '../../protocol/errors.js';

const CR = 'rRŔŕŖŗŘřƦȐȑȒȓɌɍ';
const CC = 'cCĆćĈĉĊċČčƇƈÇȻȼ';
const CN = 'nNŃńŅņŇňƝƞÑǸǹȠȵ';
const CB = 'bBƀƁƃƄƅßÞþ';
const SC = CC.length;
const SB = CB.length;
const SNB = CN.length * SB;
const SCNB = SC * SNB;

/** RCNB of bytes. */
export function rcnbEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let v = ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    const reverse = v > 0x7fff;
    v &= 0x7fff;
    const rc = (CR[Math.floor(v / SCNB)] as string) + (CC[Math.floor((v % SCNB) / SNB)] as string);
    const nb = (CN[Math.floor((v % SNB) / SB)] as string) + (CB[v % SB] as string);
    out += reverse ? nb + rc : rc + nb;
  }
  if (bytes.length % 2 === 1) {
    const b = bytes[bytes.length - 1] as number;
    out += b > 0x7f ? (CN[Math.floor((b & 0x7f) / SB)] as string) + (CB[(b & 0x7f) % SB] as string) : (CR[Math.floor(b / SC)] as string) + (CC[b % SC] as string);
  }
  return out;
}

/** Bytes of an RCNB string; `null` when it is not RCNB. */
export function rcnbDecode(text: string): Uint8Array | null {
  const chars = [...text];
  if (chars.length % 2 === 1) return null;
  const out: number[] = [];
  let i = 0;
  for (; i + 3 < chars.length; i += 4) {
    const [a, b, c, d] = chars.slice(i, i + 4) as [string, string, string, string];
    const reverse = !CR.includes(a);
    const idx = reverse ? [CR.indexOf(c), CC.indexOf(d), CN.indexOf(a), CB.indexOf(b)] : [CR.indexOf(a), CC.indexOf(b), CN.indexOf(c), CB.indexOf(d)];
    if (idx.some((x) => x < 0)) return null;
    const [r, cc, n, bb] = idx as [number, number, number, number];
    const v = r * SCNB + cc * SNB + n * SB + bb;
    if (v > 0x7fff) return null;
    const word = reverse ? v | 0x8000 : v;
    out.push(word >> 8, word & 0xff);
  }
  if (i < chars.length) {
    const [a, b] = chars.slice(i) as [string, string];
    const rc = [CR.indexOf(a), CC.indexOf(b)] as [number, number];
    const nb = [CN.indexOf(a), CB.indexOf(b)] as [number, number];
    if (rc[0] >= 0 && rc[1] >= 0) {
      const v = rc[0] * SC + rc[1];
      if (v > 0x7f) return null;
      out.push(v);
    } else if (nb[0] >= 0 && nb[1] >= 0) {
      const v = nb[0] * SB + nb[1];
      if (v > 0x7f) return null;
      out.push(v | 0x80);
    } else {
      return null;
    }
  }
  return Uint8Array.from(out);
}

export const rcnb = defineAction({
  name: 'rcnb',
  summary: 'Undocumented easter egg: RCNB-encode (`action=encode`, default) or decode (`action=decode`) `text`.',
  params: params({ text: str(''), action: str('encode') }),
  handler: (p) => {
    if (p.action === 'encode') return rcnbEncode(new TextEncoder().encode(p.text));
    if (p.action !== 'decode') throw new ApiError('BAD_PARAMS', `rcnb: action must be encode or decode, not ${JSON.stringify(p.action)}`);
    const bytes = rcnbDecode(p.text);
    if (bytes === null) throw new ApiError('BAD_PARAMS', 'rcnb: text is not RCNB');
    return new TextDecoder().decode(bytes);
  },
});
