/** The `X-Signature` header of an event POST (CQHTTP 4.15 §3.3, Appendix C.4). */
import { createHmac } from 'node:crypto';

/**
 * `sha1=` + lowercase hex HMAC-SHA1 of the exact body bytes, keyed with `secret` as UTF-8.
 * Sign the very bytes that are sent: a string is encoded as UTF-8 first.
 */
export function signBody(secret: string, body: Buffer | string): string {
  return 'sha1=' + createHmac('sha1', secret).update(body).digest('hex');
}
