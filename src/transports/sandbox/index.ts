/** The sandbox control API (docs/sandbox-api.md) and the call journal it shows. */
export { createSandboxControlServer } from './server.js';
export type { SandboxControlDeps, SandboxControlOptions, SandboxControlServer } from './server.js';
export { CallJournal, DEFAULT_JOURNAL_CAPACITY } from './journal.js';
export type { CallRecord } from './journal.js';
