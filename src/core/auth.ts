/**
 * The access-token check shared by the HTTP API, the data-file endpoint and the forward-WebSocket
 * handshake (CQHTTP 4.15 §3.1.1). Comparison is constant-time.
 */
import { timingSafeEqual } from 'node:crypto';

export type AuthOutcome = 'ok' | 'missing' | 'wrong';

const SCHEME = /^(?:[Tt]oken|Bearer)\s+([\s\S]*)$/;

/**
 * @param configured the configured `access_token` ("" disables the check)
 * @param authorization the `Authorization` header value, or undefined when the header is absent
 * @param queryToken the `access_token` query parameter (consulted only when the header is absent)
 */
export function checkAccessToken(configured: string, authorization: string | undefined, queryToken: string | undefined): AuthOutcome {
  if (configured === '') return 'ok';
  let given = '';
  if (authorization !== undefined) {
    const m = SCHEME.exec(authorization);
    given = m ? (m[1] ?? '') : '';
  } else if (queryToken !== undefined) {
    given = queryToken;
  }
  if (given === '') return 'missing';
  return tokensEqual(configured, given) ? 'ok' : 'wrong';
}

function tokensEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // Compare against a same-length buffer so the time does not depend on where they differ.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** HTTP status for a failed check: 401 when no token was given, 403 when it was wrong. */
export function authStatus(outcome: Exclude<AuthOutcome, 'ok'>): 401 | 403 {
  return outcome === 'missing' ? 401 : 403;
}
