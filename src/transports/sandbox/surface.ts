/**
 * The sandbox types the control API speaks. The control API is the one transport allowed to depend
 * on `backend/sandbox`: it *is* the sandbox's own surface (for people and test scripts), not a way
 * for bots in, so the layering rule that keeps transports backend-agnostic is waived here, and only
 * here — every other file of this folder imports the sandbox through this one.
 */
// eslint-disable-next-line no-restricted-imports -- the control API is the sandbox's own surface (see above)
export type { GroupFileView, RequestView, SandboxBackend, StoredMessage, WorldSnapshot } from '../../backend/sandbox/index.js';
