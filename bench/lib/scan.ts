/** Reading a number out of a received frame or body without parsing it (the load generators' hot path). */

/** The non-negative integer right after the first `key` in `buf[start, end)`, or -1 when there is none. */
export function readIntAfter(buf: Buffer, key: Buffer, start: number, end: number): number {
  let i = buf.indexOf(key, start);
  if (i === -1 || i >= end) return -1;
  i += key.length;
  let v = 0;
  let digits = 0;
  for (; i < end; i++, digits++) {
    const c = buf[i];
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
  }
  return digits === 0 ? -1 : v;
}
