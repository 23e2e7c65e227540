/** The messages extension of the sandbox (issue 4), gathered for `sandbox.ts` and `control-surface.ts`. */
export { botProfile, deleteFriend, likesToday, onlineClients, sendLike, setProfile } from './account.js';
export { createDiscuss, inviteToDiscuss, leaveDiscuss, listDiscusses, postDiscussMessage } from './discuss.js';
export type { DiscussView, NewDiscussSpec } from './discuss.js';
export { readForward, sendForward } from './forward-cards.js';
export { markRead, messageHistory, readSeq } from './history.js';
export { setReaction } from './reactions.js';
export { messageObject, visibleMessage } from './stored-message.js';
