/** The sandbox backend: a simulated QQ world (see sandbox.ts and control-surface.ts). */
export { openSandbox } from './open.js';
export type { SandboxOptions } from './open.js';
export { SandboxBackend } from './sandbox.js';
export { SandboxControl } from './control-surface.js';
export type { PostMessageInput } from './control-surface.js';
export type { AnonymousIdentity, ConversationRef, NewGroupSpec, NewMemberSpec, StoredMessage, WorldSnapshot } from './control.js';
export type { AnonymousSent } from './anonymous.js';
export type { RequestView } from './requests.js';
export type { GroupFileView, UploadedFileRef, UploadSpec } from './group-files.js';
export { DEFAULT_BUSID } from './group-files.js';
export { HONOR_TYPES } from './notify.js';
export type { HonorType } from './events.js';
export type { NewUser } from './store/index.js';
export { DEFAULT_SELF_ID, FRIENDS, GROUPS, USERS, defaultWorld, parseWorld, readWorldFile, WorldFileError, worldSchema } from './world.js';
export type { WorldSpec } from './world.js';
export { ANONYMOUS_NICKNAME, ANONYMOUS_USER_ID, MAX_BAN_SECONDS, MAX_IMAGES, MAX_TEXT_CODE_POINTS, RECALL_WINDOW_SECONDS } from './rules.js';
