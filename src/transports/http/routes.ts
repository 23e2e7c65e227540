/**
 * Routing of the HTTP API server (CQHTTP 4.15 §3.1), matched against the raw request target:
 * query excluded, not percent-decoded.
 *
 * | path                                         | methods            | handler                     |
 * |----------------------------------------------|--------------------|-----------------------------|
 * | `^/([^/\s]+)/?$`                             | GET, POST, OPTIONS | API call / CORS preflight   |
 * | `^/(data/(?:bface|image|record|show)/.+)$`   | GET                | data files (§3.2) — not yet |
 * | anything else                                | any                | 404                         |
 *
 * A matched path with another method is 405. The data-file route, when added, is one more
 * matcher here and one more branch in `server.ts` (it cannot collide with the action route,
 * whose capture never contains `/`).
 */

/** Methods the action route answers; sent as `Allow` with 405. */
export const ACTION_ROUTE_ALLOW = 'GET, POST, OPTIONS';

/** Split point of a request target: index of `?`, or its length when there is no query. */
export function pathEnd(url: string): number {
  const q = url.indexOf('?');
  return q === -1 ? url.length : q;
}

/**
 * The action name if `url.slice(0, end)` matches `^/([^/\s]+)/?$`, else null.
 * `\s` is C's `isspace` (space, \t \n \v \f \r), as in the original's `std::regex`.
 * Hand-written instead of a regex: this runs on every request and allocates only the result.
 */
export function matchActionPath(url: string, end: number): string | null {
  if (end < 2 || url.charCodeAt(0) !== 0x2f) return null;
  let stop = end;
  if (url.charCodeAt(stop - 1) === 0x2f) stop--;
  if (stop < 2) return null;
  for (let i = 1; i < stop; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f || c === 0x20 || (c >= 0x09 && c <= 0x0d)) return null;
  }
  return url.slice(1, stop);
}
