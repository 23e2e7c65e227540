/**
 * `.handle_quick_operation` (CQHTTP 4.15 §6.9.1) and the quick operations of §3.3.1. One
 * implementation serves both paths: the HTTP POST channel dispatches this action with
 * `{context: <the event as posted>, operation: <the receiver's JSON object>}`, and WebSocket users
 * call it directly to emulate HTTP quick replies.
 *
 * As in the original, every sub-operation goes back through dispatch with **the event itself as
 * the parameter object** (plus the operation's values), so `message_type` and the ids come from
 * the event — 4.x or 3.x-compatible shape alike — and each action decodes them as it always does.
 * Order: reply → delete → kick → ban. Failures of sub-operations are silent; the action answers
 * ok/null regardless. `block` is not handled here (only the POST path sees it, §6.9.1).
 */
import { defineAction } from '../../core/action.js';
import { getBool, getInteger, getString, params, raw } from '../../core/params.js';
import type { CallResult } from '../../core/result.js';
import { decodeMessage, mergeSegments, type Segment } from '../../message/index.js';
import { ApiError } from '../../protocol/errors.js';
import { isJsonObject } from '../../protocol/json.js';

/** Calls another action (an `ActionContext.call`); `null` when the action does not exist. */
export type CallAction = (action: string, params: Record<string, unknown>) => Promise<CallResult | null>;

type JsonObject = Record<string, unknown>;

/** `ban_duration` when absent or not an integer: 30 minutes (§3.3.1). */
export const DEFAULT_BAN_DURATION = 30 * 60;

/** Anonymous sender (§6.9.1): `anonymous` is an object (4.x), or a non-empty name string (3.x shape). */
export function isAnonymousContext(context: Readonly<JsonObject>): boolean {
  const anonymous = context.anonymous;
  return isJsonObject(anonymous) || (typeof anonymous === 'string' && anonymous !== '');
}

/**
 * The segments a quick `reply` sends, or `[]` when there is nothing to send. `reply` is decoded as
 * `get_message` does (honouring `auto_escape`); for group and discuss messages with `at_sender`
 * (default true, also for anonymous senders, as the original's code does) it is prefixed with
 * `[CQ:at,qq=<user_id>]` and one space, adjacent text segments merged.
 */
export function quickReplyMessage(context: Readonly<JsonObject>, operation: Readonly<JsonObject>): Segment[] {
  const reply = decodeMessage(operation.reply, getBool(operation.auto_escape, false));
  if (reply.length === 0) return reply;
  const messageType = getString(context.message_type, '');
  if ((messageType === 'group' || messageType === 'discuss') && getBool(operation.at_sender, true)) {
    const at: Segment = { type: 'at', data: { qq: String(getInteger(context.user_id, 0)) } };
    return mergeSegments([at, { type: 'text', data: { text: ' ' } }, ...reply]);
  }
  return reply;
}

/** One sub-operation; its outcome (failure, unknown action, even a crash) is deliberately ignored. */
async function attempt(call: CallAction, action: string, params: JsonObject): Promise<void> {
  try {
    await call(action, params);
  } catch {
    // Failures of quick operations are silent (§3.3.1).
  }
}

async function runMessage(call: CallAction, context: Readonly<JsonObject>, operation: Readonly<JsonObject>): Promise<void> {
  const reply = quickReplyMessage(context, operation);
  if (reply.length > 0) {
    // The segments are final: `auto_escape` must not apply to them again.
    const sendParams: JsonObject = { ...context, message: reply };
    delete sendParams.auto_escape;
    await attempt(call, 'send_msg', sendParams);
  }
  if (getString(context.message_type, '') !== 'group') return;
  const anonymous = isAnonymousContext(context);
  if (getBool(operation.delete, false)) await attempt(call, 'delete_msg', { ...context });
  if (getBool(operation.kick, false) && !anonymous) {
    await attempt(call, 'set_group_kick', { ...context, reject_add_request: false });
  }
  if (getBool(operation.ban, false)) {
    const duration = getInteger(operation.ban_duration, DEFAULT_BAN_DURATION);
    if (anonymous) await attempt(call, 'set_group_anonymous_ban', anonymousBanParams(context, duration));
    else await attempt(call, 'set_group_ban', { ...context, duration });
  }
}

/**
 * The event plus `duration`; a 4.x context's `anonymous.flag` is also given as `anonymous_flag`, so a
 * trimmed `anonymous` object (not the full `{flag, id, name}` the action requires) still resolves.
 * A 3.x context already carries `anonymous_flag`.
 */
function anonymousBanParams(context: Readonly<JsonObject>, duration: number): JsonObject {
  const banParams: JsonObject = { ...context, duration };
  const anonymous = context.anonymous;
  if (isJsonObject(anonymous) && typeof anonymous.flag === 'string' && typeof context.anonymous_flag !== 'string') {
    banParams.anonymous_flag = anonymous.flag;
  }
  return banParams;
}

async function runRequest(call: CallAction, context: Readonly<JsonObject>, operation: Readonly<JsonObject>): Promise<void> {
  // `approve` is read strictly: a JSON boolean or nothing (`"true"` is ignored, §15.14).
  const approve = operation.approve;
  if (typeof approve !== 'boolean') return;
  const requestParams: JsonObject = {
    ...context,
    approve,
    remark: getString(operation.remark, ''),
    reason: getString(operation.reason, ''),
  };
  const requestType = getString(context.request_type, '');
  if (requestType === 'friend') await attempt(call, 'set_friend_add_request', requestParams);
  else if (requestType === 'group') await attempt(call, 'set_group_add_request', requestParams);
}

/**
 * Execute the quick operation `operation` for the event `context` (§3.3.1) through `call`:
 * message events (reply, and for groups delete/kick/ban), request events (approve). Notices and
 * meta events have none. Never rejects; sub-operation failures are ignored.
 */
export async function runQuickOperation(call: CallAction, context: Readonly<JsonObject>, operation: Readonly<JsonObject>): Promise<void> {
  const postType = getString(context.post_type, '');
  if (postType === 'message') await runMessage(call, context, operation);
  else if (postType === 'request') await runRequest(call, context, operation);
}

/** `.handle_quick_operation`: 100 unless `context` and `operation` are objects; else ok/null whatever happened. */
export const handleQuickOperation = defineAction({
  name: '.handle_quick_operation',
  summary: 'Run the quick operation of an event (as if it were the HTTP POST response); for WebSocket users.',
  params: params({ context: raw(), operation: raw() }),
  handler: async (p, ctx) => {
    if (!isJsonObject(p.context) || !isJsonObject(p.operation)) {
      throw new ApiError('BAD_PARAMS', '.handle_quick_operation: context and operation must be JSON objects');
    }
    await runQuickOperation(ctx.call, p.context, p.operation);
    return null;
  },
});
