/**
 * `cqhttpd/testing`: test a bot against cqhttpd's sandbox from JavaScript or TypeScript
 * (node:test, vitest, jest…). Start a sandbox, point the bot at `sandbox.connection`, act as users,
 * expect replies, calls, events and world states. The guide: docs/testing.md.
 */
export { Sandbox } from './sandbox.js';
export { startSandbox } from './start.js';
export type { SandboxOptions } from './start.js';
export type { BotConnection, FaultHandle, FaultSpec } from './sandbox.js';
export type { FaultEffect, FaultInput, FaultProfile } from '../protocol/fault-spec.js';
export type { Act, ActName } from './acts.js';
export { parseDuration } from './acts.js';
export type { CallSpec, ReplySpec } from './expectations.js';
export { plainText } from './expectations.js';
export { ExpectationFailure } from './inbox.js';
export type { Item, ItemKind } from './inbox.js';
export { matches } from './match.js';
export type { Ref, WorldCheck } from './world.js';
export { ControlError } from './control-client.js';
export type { TraceSink } from './trace.js';
