/** The sandbox backend: a simulated QQ world (see sandbox.ts). */
export { openSandbox, SandboxBackend } from './sandbox.js';
export type { PostMessageInput, SandboxOptions } from './sandbox.js';
export type { ConversationRef, NewGroupSpec, NewMemberSpec, StoredMessage, WorldSnapshot } from './control.js';
export type { NewUser } from './store/index.js';
export { DEFAULT_SELF_ID, FRIENDS, GROUPS, USERS, defaultWorld, parseWorld, readWorldFile, WorldFileError, worldSchema } from './world.js';
export type { WorldSpec } from './world.js';
export { MAX_BAN_SECONDS, MAX_IMAGES, MAX_TEXT_CODE_POINTS, RECALL_WINDOW_SECONDS } from './rules.js';
