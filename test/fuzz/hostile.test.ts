/**
 * The bounded hostile-input fuzz run of `npm test` (about 20 s of inputs; `npm run fuzz` runs it
 * longer): the real command line in a child process stays up, answers every input with a
 * documented status or a well-formed envelope, never reaches its last-resort handler, and stays
 * within its RSS bound.
 */
import { test } from 'node:test';
import { runHostileFuzz } from './hostile.js';

test('hostile input on every listener: the server stays up, answers are documented, RSS bounded', { timeout: 120_000 }, async () => {
  await runHostileFuzz({ runs: 400, timeLimitMs: 20_000 });
});
