/**
 * Credentials (CQHTTP 4.15 §6.5): `get_cookies`, `get_csrf_token`, `get_credentials`.
 *
 * **Sandbox only**: the sandbox has no QQ web session, so these are stable fake values derived from
 * the bot's QQ number — `uin=o<qq, zero-padded to 10 digits>; skey=@<9 characters>`, plus
 * `p_uin`/`p_skey` when a `domain` is given — and the CSRF token is the `bkn` (`g_tk`) QQ's web
 * pages compute from that skey. They have the real shapes, so clients that parse them work; they
 * open nothing on the real QQ web. Behind a bridge (a backend with `getCookies`/`getCsrfToken`) they
 * are the real account's, asked of the upstream.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { defineAction } from '../../core/action.js';
import { params, str } from '../../core/params.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A host name: dot-separated labels of letters, digits and hyphens. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** `length` characters of {@link ALNUM} derived from `seed` (stable across runs and restarts). */
function derived(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[(digest[i % digest.length] as number) % ALNUM.length];
  return out;
}

/** QQ's `bkn` / `g_tk` hash of an skey: djb2-style `hash += (hash << 5) + code`, masked to 31 bits. */
export function csrfTokenOf(skey: string): number {
  let hash = 5381;
  for (let i = 0; i < skey.length; i++) hash = (hash + (hash << 5) + skey.charCodeAt(i)) | 0;
  return hash & 0x7fffffff;
}

/** The sandbox's skey for an account: `@` and 9 letters/digits, as QQ's. */
export function sandboxSkey(selfId: number): string {
  return '@' + derived(`cqhttpd-sandbox-skey:${selfId}`, 9);
}

/** The sandbox's cookie string for an account, and for a domain when one is given. */
export function sandboxCookies(selfId: number, domain: string): string {
  const uin = 'o' + String(selfId).padStart(10, '0');
  const cookies = [`uin=${uin}`, `skey=${sandboxSkey(selfId)}`];
  if (domain !== '') cookies.push(`p_uin=${uin}`, `p_skey=${derived(`cqhttpd-sandbox-p_skey:${selfId}:${domain.toLowerCase()}`, 44)}`);
  return cookies.join('; ');
}

/** `domain`: "" (the default cookies) or a host name; anything else is a bad parameter (100). */
const domainParams = params({
  domain: v.pipe(str(''), v.check((d) => d === '' || HOST_NAME.test(d), 'must be empty or a host name such as qun.qq.com')),
});

export const getCookies = defineAction({
  name: 'get_cookies',
  summary: 'Cookies of the QQ web session, optionally for `domain` (sandbox: stable fake values).',
  params: domainParams,
  handler: (p, ctx) => {
    const { backend } = ctx;
    if (backend.getCookies !== undefined) return backend.getCookies(p.domain).then((cookies) => ({ cookies }));
    return { cookies: sandboxCookies(backend.selfId, p.domain) };
  },
});

export const getCsrfToken = defineAction({
  name: 'get_csrf_token',
  summary: 'The CSRF token (bkn / g_tk) of the QQ web session (sandbox: derived from the fake skey).',
  params: params({}),
  handler: (_p, ctx) => {
    const { backend } = ctx;
    if (backend.getCsrfToken !== undefined) return backend.getCsrfToken().then((token) => ({ token }));
    return { token: csrfTokenOf(sandboxSkey(backend.selfId)) };
  },
});

export const getCredentials = defineAction({
  name: 'get_credentials',
  summary: 'Cookies (optionally for `domain`) and CSRF token together (sandbox: stable fake values).',
  params: domainParams,
  handler: (p, ctx) => {
    const { backend } = ctx;
    if (backend.getCookies !== undefined && backend.getCsrfToken !== undefined) {
      return Promise.all([backend.getCookies(p.domain), backend.getCsrfToken()]).then(([cookies, token]) => ({ cookies, csrf_token: token }));
    }
    return { cookies: sandboxCookies(backend.selfId, p.domain), csrf_token: csrfTokenOf(sandboxSkey(backend.selfId)) };
  },
});
