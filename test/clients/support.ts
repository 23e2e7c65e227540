/**
 * Shared by the third-party client tests: drive the sandbox world over its control API (act as a
 * user, read a conversation back) and wait for things with a bound, leaving no timer behind.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestApp } from '../helpers/app.js';

/** The default world (README): the bot, Carol (a plain member of 100001), the bot's own group. */
export const SELF_ID = 10001000;
export const CAROL = 20003;
export const LOUNGE = 100001;
export const TOKEN = 'client-test-token';

/** How long a test waits for anything before it fails. */
export const WAIT_MS = 10_000;

/** One stored message, as `GET /api/messages` shows it (docs/sandbox-api.md). */
export interface StoredMessage {
  message_id: number;
  time: number;
  user_id: number;
  group_id?: number;
  message: { type: string; data: Record<string, string> }[];
  raw_message: string;
  recalled: boolean;
}

function sandboxBase(app: TestApp): string {
  return `http://127.0.0.1:${app.app.sandbox.port}`;
}

async function sandboxJson(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as unknown;
}

/** `from` says `message` in group `groupId` (POST /api/messages); resolves with its message id. */
export async function say(app: TestApp, from: number, groupId: number, message: string): Promise<number> {
  const res = await fetch(`${sandboxBase(app)}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, group_id: groupId, message }),
  });
  const body = (await sandboxJson(res, 'POST /api/messages')) as { message_id: number };
  return body.message_id;
}

/** The group's conversation, oldest first (GET /api/messages?group_id=…). */
export async function groupMessages(app: TestApp, groupId: number): Promise<StoredMessage[]> {
  const res = await fetch(`${sandboxBase(app)}/api/messages?group_id=${groupId}`);
  const body = (await sandboxJson(res, 'GET /api/messages')) as { messages: StoredMessage[] };
  return body.messages;
}

/** The bot's API calls seen by cqhttpd, oldest first (GET /api/calls). */
export async function botCalls(app: TestApp): Promise<{ action: string; channel: string; retcode: number }[]> {
  const res = await fetch(`${sandboxBase(app)}/api/calls`);
  const body = (await sandboxJson(res, 'GET /api/calls')) as { calls: { action: string; channel: string; retcode: number }[] };
  return body.calls;
}

/**
 * Poll `probe` every `intervalMs` until it yields something other than undefined; reject after
 * `timeoutMs` with what was awaited and `diagnose()` (e.g. the client's log). Leaves no timer.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  diagnose: () => string = () => '',
  timeoutMs = WAIT_MS,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const details = diagnose();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${details === '' ? '' : `\n${details}`}`);
    }
    await sleep(intervalMs);
  }
}

/** The first message the bot sent to `groupId` after message `afterId`, once it appears. */
export function waitForBotReply(app: TestApp, groupId: number, afterId: number, diagnose?: () => string): Promise<StoredMessage> {
  return waitFor(
    `the bot's reply in group ${groupId} (GET /api/messages)`,
    async () => (await groupMessages(app, groupId)).find((m) => m.user_id === SELF_ID && m.message_id > afterId),
    diagnose,
  );
}

/** A TCP port that was free a moment ago on 127.0.0.1 (for listeners that cannot take port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
