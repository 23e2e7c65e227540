/**
 * The access-token check shared by the HTTP API, the data-file endpoint and the forward-WebSocket
 * handshake (CQHTTP 4.15 §3.1.1). Comparison is constant-time.
 */
import { timingSafeEqual } from 'node:crypto';

export type AuthOutcome = 'ok' | 'missing' | 'wrong';

const SCHEME = /^(?:[Tt]oken|Bearer)\s+([\s\S]*)$/;

/** The token of an `Authorization` value (`Bearer x` / `Token x`), or "" when it has neither scheme. */
function tokenOf(authorization: string): string {
  // The common `Bearer <printable ASCII>` without the regex and its match array.
  const first = authorization.charCodeAt(7);
  if (first > 32 && first < 127 && authorization.startsWith('Bearer ')) return authorization.slice(7);
  const m = SCHEME.exec(authorization);
  return m ? (m[1] ?? '') : '';
}

/** A checker for one configured token (its bytes computed once); see {@link checkAccessToken}. */
export type TokenCheck = (authorization: string | undefined, queryToken: string | undefined) => AuthOutcome;

/**
 * The check for `configured` (`access_token`; "" disables it): the `Authorization` header
 * (`Token` or `Bearer` scheme) when present, else the query's token.
 */
export function createTokenCheck(configured: string): TokenCheck {
  if (configured === '') return () => 'ok';
  const expected = Buffer.from(configured, 'utf8');
  // The given token is written into this buffer rather than a new one per request (same length
  // only: any other length cannot match).
  const scratch = Buffer.alloc(expected.length);
  return (authorization, queryToken) => {
    let given = '';
    if (authorization !== undefined) {
      given = tokenOf(authorization);
    } else if (queryToken !== undefined) {
      given = queryToken;
    }
    if (given === '') return 'missing';
    if (Buffer.byteLength(given, 'utf8') !== expected.length) {
      timingSafeEqual(expected, expected); // the same work as a comparison
      return 'wrong';
    }
    scratch.write(given, 'utf8');
    return timingSafeEqual(expected, scratch) ? 'ok' : 'wrong';
  };
}

/**
 * One-off form of {@link createTokenCheck}.
 * @param configured the configured `access_token` ("" disables the check)
 * @param authorization the `Authorization` header value, or undefined when the header is absent
 * @param queryToken the `access_token` query parameter (consulted only when the header is absent)
 */
export function checkAccessToken(configured: string, authorization: string | undefined, queryToken: string | undefined): AuthOutcome {
  return createTokenCheck(configured)(authorization, queryToken);
}

/** HTTP status for a failed check: 401 when no token was given, 403 when it was wrong. */
export function authStatus(outcome: Exclude<AuthOutcome, 'ok'>): 401 | 403 {
  return outcome === 'missing' ? 401 : 403;
}
