/** Shared helpers for the backend tests: temp dirs, a fake clock, error and key-set assertions. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Segment } from '../../src/message/segment.js';
import type { BackendEvent } from '../../src/backend/port.js';
import { ApiError } from '../../src/protocol/errors.js';
import type { ErrorCode } from '../../src/protocol/errors.js';

/** A fresh temporary directory (`cqhttpd-…`). */
export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cqhttpd-'));
}

/** Remove a directory made by {@link makeTempDir}. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A clock the test moves by hand. */
export class FakeClock {
  ms: number;
  constructor(startMs = 1_700_000_000_000) {
    this.ms = startMs;
  }
  readonly now = (): number => this.ms;
  advanceSeconds(s: number): void {
    this.ms += s * 1000;
  }
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}

/** A one-segment text message. */
export function text(s: string): Segment[] {
  return [{ type: 'text', data: { text: s } }];
}

/**
 * Assert that `fn` fails with an ApiError of `code` (and a message matching `pattern`, if given);
 * returns the error.
 */
export async function expectApiError(fn: () => unknown, code: ErrorCode, pattern?: RegExp): Promise<ApiError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ApiError, `expected ApiError ${code}, got ${caught === undefined ? 'success' : String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  if (pattern !== undefined) assert.match(caught.message, pattern);
  return caught;
}

/** Exact key sets (sorted) from docs/protocol.md Appendix B and the v11 recall notices. */
export const EVENT_KEYS = {
  privateMessage: ['font', 'message', 'message_id', 'message_type', 'post_type', 'raw_message', 'self_id', 'sender', 'sub_type', 'time', 'user_id'],
  privateSender: ['age', 'nickname', 'sex', 'user_id'],
  groupMessage: ['anonymous', 'font', 'group_id', 'message', 'message_id', 'message_type', 'post_type', 'raw_message', 'self_id', 'sender', 'sub_type', 'time', 'user_id'],
  groupSender: ['age', 'area', 'card', 'level', 'nickname', 'role', 'sex', 'title', 'user_id'],
  groupAdmin: ['group_id', 'notice_type', 'post_type', 'self_id', 'sub_type', 'time', 'user_id'],
  groupDecrease: ['group_id', 'notice_type', 'operator_id', 'post_type', 'self_id', 'sub_type', 'time', 'user_id'],
  groupIncrease: ['group_id', 'notice_type', 'operator_id', 'post_type', 'self_id', 'sub_type', 'time', 'user_id'],
  groupBan: ['duration', 'group_id', 'notice_type', 'operator_id', 'post_type', 'self_id', 'sub_type', 'time', 'user_id'],
  friendAdd: ['notice_type', 'post_type', 'self_id', 'time', 'user_id'],
  groupRecall: ['group_id', 'message_id', 'notice_type', 'operator_id', 'post_type', 'self_id', 'time', 'user_id'],
  friendRecall: ['message_id', 'notice_type', 'post_type', 'self_id', 'time', 'user_id'],
  friendRequest: ['comment', 'flag', 'post_type', 'request_type', 'self_id', 'time', 'user_id'],
  groupRequest: ['comment', 'flag', 'group_id', 'post_type', 'request_type', 'self_id', 'sub_type', 'time', 'user_id'],
  groupUpload: ['file', 'group_id', 'notice_type', 'post_type', 'self_id', 'time', 'user_id'],
  uploadedFile: ['busid', 'id', 'name', 'size'],
  anonymous: ['flag', 'id', 'name'],
  /** docs/extensions.md §4.3 (go-cqhttp shape, D10): `sender_id` beside v11's keys. */
  groupPoke: ['group_id', 'notice_type', 'post_type', 'self_id', 'sender_id', 'sub_type', 'target_id', 'time', 'user_id'],
  friendPoke: ['notice_type', 'post_type', 'self_id', 'sender_id', 'sub_type', 'target_id', 'time', 'user_id'],
  luckyKing: ['group_id', 'notice_type', 'post_type', 'self_id', 'sender_id', 'sub_type', 'target_id', 'time', 'user_id'],
  honor: ['group_id', 'honor_type', 'notice_type', 'post_type', 'self_id', 'sub_type', 'time', 'user_id'],
} as const;

/** Assert an object's keys, sorted, equal `keys`. */
export function assertKeys(obj: unknown, keys: readonly string[], what = 'event'): void {
  assert.ok(typeof obj === 'object' && obj !== null, `${what} is not an object`);
  assert.deepEqual(Object.keys(obj).sort(), [...keys], `${what} has the wrong key set`);
}

/** Collect every event a backend emits. */
export function recordEvents(backend: { onEvent(l: (e: BackendEvent) => void): () => void }): BackendEvent[] {
  const events: BackendEvent[] = [];
  backend.onEvent((e) => events.push(e));
  return events;
}

/** Events of one notice type. */
export function notices(events: readonly BackendEvent[], noticeType: string): BackendEvent[] {
  return events.filter((e) => e.post_type === 'notice' && e['notice_type'] === noticeType);
}

/** Events of one request type. */
export function requests(events: readonly BackendEvent[], requestType: string): BackendEvent[] {
  return events.filter((e) => e.post_type === 'request' && e['request_type'] === requestType);
}

/** An event with `time` zeroed, for deepEqual against an expected literal. */
export function timeless(event: BackendEvent | undefined): Record<string, unknown> | undefined {
  return event === undefined ? undefined : { ...event, time: 0 };
}

/** Register removal of `dir` when the test ends. */
export function cleanupDir(t: TestContext, dir: string): void {
  t.after(() => removeDir(dir));
}
