/**
 * The one catalogue of failures cqhttpd can report (CQHTTP 4.15 §4.2/§4.3, docs/qq-rules.md §10).
 * Each named code maps to exactly one retcode and a default human sentence ("wording").
 * Backends and actions throw {@link ApiError}; `core/envelope` turns it into the wire envelope.
 */
export const ERRORS = {
  // --- produced by cqhttpd itself -------------------------------------------------------------
  BAD_PARAMS: { retcode: 100, wording: 'missing or invalid parameters' },
  INVALID_TARGET: { retcode: 100, wording: 'the target does not exist' },
  MESSAGE_NOT_FOUND: { retcode: 100, wording: 'no message with this message_id' },
  DURATION_OUT_OF_RANGE: { retcode: 100, wording: 'the duration is out of range' },
  FLAG_NOT_FOUND: { retcode: 100, wording: 'no pending request with this flag' },
  INVALID_DATA: { retcode: 102, wording: 'the backend returned no valid data (not a member, or unknown target)' },
  OPERATION_FAILED: { retcode: 103, wording: 'the operation failed' },
  CREDENTIALS_INVALID: { retcode: 104, wording: 'credentials are invalid' },
  QUEUE_FULL: { retcode: 201, wording: 'the worker queue is full; the call was not queued' },
  // --- a bridge backend (docs/bridge.md): the upstream QQ implementation ----------------------
  UNSUPPORTED: { retcode: 1404, wording: 'the backend does not support this action' },
  UPSTREAM_FAILED: { retcode: 103, wording: 'the upstream failed the call' },
  BACKEND_OFFLINE: { retcode: -1, wording: 'the upstream is not connected' },
  BACKEND_TIMEOUT: { retcode: -1, wording: 'the upstream did not answer in time' },
  BACKEND_BUSY: { retcode: -1, wording: 'too many calls are waiting for the upstream' },
  // --- QQ's refusals, as CoolQ's native negative codes (docs/protocol.md §4.3) ---------------------------
  SEND_FAILED: { retcode: -1, wording: 'the request could not be sent' },
  MESSAGE_EMPTY_OR_TOO_LONG: { retcode: -3, wording: 'the message is empty or too long' },
  NOT_IN_GROUP: { retcode: -9, wording: 'the bot is not a member of this group' },
  USER_NOT_FOUND: { retcode: -10, wording: 'the user does not exist or is not in the group' },
  CANNOT_LIFT_ANONYMOUS_BAN: { retcode: -12, wording: 'an anonymous member\'s ban cannot be lifted' },
  BAD_ANONYMOUS_FLAG: { retcode: -13, wording: 'the anonymous flag cannot be parsed' },
  ANONYMOUS_DISABLED: { retcode: -15, wording: 'anonymous chat is disabled in this group, or this anonymous member is banned' },
  CANNOT_LEAVE: { retcode: -16, wording: 'not in the group; cannot leave or dismiss it' },
  OWNER_CANNOT_LEAVE: { retcode: -17, wording: 'the owner cannot leave the group; dismiss it with is_dismiss=true' },
  NOT_OWNER: { retcode: -18, wording: 'only the owner can dismiss the group' },
  NO_RELATIONSHIP: { retcode: -23, wording: 'the bot has no relationship with this user (not a friend, no shared group)' },
  RATE_LIMITED: { retcode: -30, wording: 'the message was rejected by the server (rate limit / risk control)' },
  BOT_MUTED: { retcode: -34, wording: 'the bot is muted in this group' },
  NO_PERMISSION: { retcode: -39, wording: 'the bot\'s role does not allow this' },
} as const satisfies Record<string, { retcode: number; wording: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A failure with a catalogue code; `message` is a specific human sentence for logs and `wording`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message?: string) {
    super(message ?? ERRORS[code].wording);
    this.name = 'ApiError';
    this.code = code;
  }
  get retcode(): number {
    return ERRORS[this.code].retcode;
  }
  /** The envelope's `status` when it is not the one of the retcode (an injected fault's); undefined = derived. */
  get status(): 'ok' | 'async' | 'failed' | undefined {
    return undefined;
  }
}

// An absolute path where a wording may quote one: at the start, after a space, quote, bracket,
// `=`, `,` or `:` (so the `//host/…` of an http URL never matches); `file://` URIs included.
const POSIX_PATH = /(^|[\s"'(=,:[])(file:\/\/(?:localhost)?)?((?:\/[^\s"'/]+)+)\/?/g;
const WINDOWS_PATH = /(^|[\s"'(=,:[])(file:\/\/\/)?[A-Za-z]:[\\/](?:[^\s"'\\/]+[\\/])*([^\s"'\\/]*)/g;

/**
 * `text` with every absolute filesystem path cut to its last component (`/srv/bot/data/record/a.amr`
 * → `…/a.amr`, `file:///etc/x` → `file://…/x`): the wordings sent to bots never tell where the
 * data directory, the cache or any other file lives on the host.
 */
export function withoutAbsolutePaths(text: string): string {
  if (text.indexOf('/') < 0 && text.indexOf('\\') < 0) return text;
  return text
    .replace(POSIX_PATH, (_m, before: string, scheme: string | undefined, full: string) => `${before}${scheme ?? ''}…/${full.slice(full.lastIndexOf('/') + 1)}`)
    .replace(WINDOWS_PATH, (_m, before: string, scheme: string | undefined, last: string) => `${before}${scheme === undefined ? '' : 'file://'}…\\${last}`);
}
