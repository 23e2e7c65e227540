/**
 * Query-string / form-body parsing and the parameter merge of the HTTP API (CQHTTP 4.15 §3.1).
 *
 * Parsing follows SimpleWeb's `QueryString::parse`, except that the name/value split is at the
 * first `=` (the spec allows this safe superset): pairs split on `&`, empty names skipped, a name
 * without `=` gets "", names are kept raw (not decoded), values get `+` → space and percent-decoding,
 * and duplicate names are last-wins. Every value is a string.
 */

/** Percent-encoded runs: decoded together so multi-byte UTF-8 sequences survive. */
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const PLUS = /\+/g;

/**
 * Decode one query/form value: `+` → space, then percent-decoding.
 * Never throws: a malformed `%` sequence (or escapes that are not valid UTF-8) stays as raw text,
 * while the well-formed parts of the value are still decoded.
 */
export function decodeValue(raw: string): string {
  const hasPlus = raw.indexOf('+') !== -1;
  const hasPercent = raw.indexOf('%') !== -1;
  if (!hasPercent) return hasPlus ? raw.replace(PLUS, ' ') : raw;
  const text = hasPlus ? raw.replace(PLUS, ' ') : raw;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(PERCENT_RUN, decodeRunLeniently);
  }
}

function decodeRunLeniently(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run;
  }
}

/**
 * Assign `target[name] = value` as an own data property, also for the name `__proto__`
 * (a plain assignment would change the prototype instead of adding a parameter).
 */
export function setParam(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[name] = value;
  }
}

/**
 * Parse `a=1&b=2` into `target` (overwriting existing keys: later carriers win).
 * @param text the query string without the leading `?`, or a form body
 */
export function parseQueryInto(text: string, target: Record<string, unknown>): void {
  const len = text.length;
  let start = 0;
  while (start <= len) {
    let end = text.indexOf('&', start);
    if (end === -1) end = len;
    if (end > start) {
      const eq = text.indexOf('=', start);
      if (eq === -1 || eq >= end) {
        setParam(target, text.slice(start, end), '');
      } else if (eq > start) {
        setParam(target, text.slice(start, eq), decodeValue(text.slice(eq + 1, end)));
      }
    }
    start = end + 1;
  }
}

/** Parse a query string or form body into a fresh object. */
export function parseQuery(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (text.length !== 0) parseQueryInto(text, out);
  return out;
}

/** Overlay every own enumerable key of `top` onto `base` (top wins) and return `base`. */
export function overlay(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(top)) setParam(base, key, top[key]);
  return base;
}
