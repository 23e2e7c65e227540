/**
 * The digits nlohmann::json prints for a double: its `dtoa_impl::grisu2` (Loitsch's Grisu2 with
 * the cached powers 10^-300 … 10^324 in steps of 8, alpha = -60, gamma = -32). Grisu2 always
 * round-trips but is not always the shortest form (`1e23` → `9999999999999999` × 10^7), which is
 * why `Number#toString` digits cannot reproduce the original byte for byte (CQHTTP 4.15 §5).
 *
 * 64-bit unsigned arithmetic is done with BigInt: this runs only for non-string numbers inside
 * segment `data`, a rare path.
 */

/** A "do-it-yourself floating point" value f × 2^e with a 64-bit significand. */
interface DiyFp {
  f: bigint;
  e: number;
}

/** The digits of a positive double and where the decimal point goes: value = digits × 10^exponent. */
export interface Grisu2Digits {
  digits: string;
  exponent: number;
}

const ALPHA = -60;
const MIN_DEC_EXP = -300;
const DEC_STEP = 8;
const CACHE_SIZE = 79;
const TWO_63 = 1n << 63n;
const TWO_64 = 1n << 64n;

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** f × 2^e ≈ 10^k with f normalised to 64 bits and rounded to nearest (ties up). */
function cachedPower(k: number): DiyFp {
  let f: bigint;
  let e: number;
  if (k >= 0) {
    const n = 10n ** BigInt(k);
    const shift = bitLength(n) - 64;
    if (shift <= 0) {
      f = n << BigInt(-shift);
    } else {
      f = (n + (1n << BigInt(shift - 1))) >> BigInt(shift);
    }
    e = shift;
  } else {
    const d = 10n ** BigInt(-k);
    const s = 63 + bitLength(d); // 2^s / d lies in (2^63, 2^64]
    f = ((1n << BigInt(s + 1)) + d) / (2n * d);
    e = -s;
  }
  if (f >= TWO_64) {
    f >>= 1n;
    e += 1;
  }
  return { f, e };
}

let cache: DiyFp[] | undefined;

/** The cached power c ≈ 10^k whose product with a diyfp of exponent `e` lands in [alpha, gamma]. */
function cachedPowerFor(e: number): { c: DiyFp; k: number } {
  if (cache === undefined) {
    cache = [];
    for (let i = 0; i < CACHE_SIZE; i++) cache.push(cachedPower(MIN_DEC_EXP + i * DEC_STEP));
  }
  const f = ALPHA - e - 1;
  const k = Math.trunc((f * 78913) / (1 << 18)) + (f > 0 ? 1 : 0);
  const index = Math.trunc((-MIN_DEC_EXP + k + (DEC_STEP - 1)) / DEC_STEP);
  return { c: cache[index] as DiyFp, k: MIN_DEC_EXP + index * DEC_STEP };
}

/** Upper 64 bits of the 128-bit product, rounded (ties up). */
function mul(x: DiyFp, y: DiyFp): DiyFp {
  return { f: (x.f * y.f + TWO_63) >> 64n, e: x.e + y.e + 64 };
}

function normalize(x: DiyFp): DiyFp {
  const shift = 64 - bitLength(x.f);
  return { f: x.f << BigInt(shift), e: x.e - shift };
}

/** The normalised value and its rounding boundaries m- and m+ (sharing m+'s exponent). */
function boundaries(value: number): { w: DiyFp; minus: DiyFp; plus: DiyFp } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  const v: DiyFp = biased === 0 ? { f: fraction, e: -1074 } : { f: fraction + (1n << 52n), e: biased - 1075 };
  const lowerCloser = fraction === 0n && biased > 1;
  const plus = normalize({ f: 2n * v.f + 1n, e: v.e - 1 });
  const mMinus: DiyFp = lowerCloser ? { f: 4n * v.f - 1n, e: v.e - 2 } : { f: 2n * v.f - 1n, e: v.e - 1 };
  const minus: DiyFp = { f: mMinus.f << BigInt(mMinus.e - plus.e), e: plus.e };
  return { w: normalize(v), minus, plus };
}

/** Moves the last digit down while that brings the decimal value closer to w (grisu2_round). */
function round(buf: number[], dist: bigint, delta: bigint, rest: bigint, tenK: bigint): void {
  while (rest < dist && delta - rest >= tenK && (rest + tenK < dist || dist - rest > rest + tenK - dist)) {
    buf[buf.length - 1] = (buf[buf.length - 1] as number) - 1;
    rest += tenK;
  }
}

/**
 * Grisu2 digits of a finite double `value > 0`, exactly as nlohmann::json generates them.
 */
export function grisu2(value: number): Grisu2Digits {
  const b = boundaries(value);
  const { c, k: cachedK } = cachedPowerFor(b.plus.e);
  const w = mul(b.w, c);
  const wMinus = mul(b.minus, c);
  const wPlus = mul(b.plus, c);
  const mMinusF = wMinus.f + 1n;
  const mPlusF = wPlus.f - 1n;
  const negE = -wPlus.e; // 32 … 60
  const bigNegE = BigInt(negE);
  const one = 1n << bigNegE;

  let exponent = -cachedK;
  let delta = mPlusF - mMinusF;
  let dist = mPlusF - w.f;
  let p1 = Number(mPlusF >> bigNegE); // < 2^32
  let p2 = mPlusF & (one - 1n);
  const buf: number[] = [];

  // Integral part.
  let pow10 = 1;
  let n = 1;
  while (pow10 * 10 <= p1) {
    pow10 *= 10;
    n++;
  }
  while (n > 0) {
    const d = Math.floor(p1 / pow10);
    p1 %= pow10;
    buf.push(d);
    n--;
    const rest = (BigInt(p1) << bigNegE) + p2;
    if (rest <= delta) {
      exponent += n;
      round(buf, dist, delta, rest, BigInt(pow10) << bigNegE);
      return { digits: buf.join(''), exponent };
    }
    pow10 = Math.floor(pow10 / 10);
  }

  // Fractional part.
  let m = 0;
  for (;;) {
    p2 *= 10n;
    buf.push(Number(p2 >> bigNegE));
    p2 &= one - 1n;
    m++;
    delta *= 10n;
    dist *= 10n;
    if (p2 <= delta) break;
  }
  exponent -= m;
  round(buf, dist, delta, p2, one);
  return { digits: buf.join(''), exponent };
}
