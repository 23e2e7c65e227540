/**
 * The control surface's acts for the issue-4 areas (files & media, group settings, discuss groups,
 * forwards, reactions, likes): the same contract as {@link SandboxControl}, one class up the chain.
 */
import type { Segment } from '../../message/segment.js';
import type { SentMessage } from '../port.js';
import type { FileUpload, GroupFolderListing, UploadedGroupFile } from '../port-files.js';
import type { ForwardNode, ProfileUpdate, SentForward } from '../port-messages.js';
import type { ConversationRef } from './control.js';
import { SandboxControl } from './control-surface.js';
import { setEssence } from './essence.js';
import * as groupFs from './group-fs.js';
import { publishNotice } from './group-notices.js';
import { dismissGroup, setCard, setGroupName, setPortrait, setSpecialTitle } from './group-settings.js';
import * as msgx from './messages-ext.js';
import { listPrivateFiles } from './private-files.js';
import type { PrivateFileView } from './private-files.js';

/** See the module comment. */
export class SandboxControlExtended extends SandboxControl {
  // --- files & media (issue 4) ---------------------------------------------------------------

  /** A member uploads a file (with its bytes) into the root or a folder; emits `group_upload`. */
  uploadToFolderAs(userId: number, groupId: number, upload: FileUpload): UploadedGroupFile {
    return this.ctx.act((out) => groupFs.uploadFileAs(this.ctx, out, userId, groupId, upload));
  }

  /** An admin/owner creates a folder in the group's root; returns its id. */
  createFolderAs(userId: number, groupId: number, name: string): string {
    return this.ctx.act(() => groupFs.createFolderAs(this.ctx, userId, groupId, name, '/'));
  }

  /** A member deletes a group file (their own, or anyone's as admin/owner). */
  deleteGroupFileAs(userId: number, groupId: number, fileId: string): void {
    this.ctx.act(() => groupFs.deleteFileAs(this.ctx, userId, groupId, fileId, 0));
  }

  /** The root's files and folders (`folderId` '/'), or one folder's files, as the bot sees them. */
  listFolder(groupId: number, folderId = '/'): GroupFolderListing {
    return groupFs.listFolder(this.ctx, groupId, folderId);
  }

  /** The files the bot has sent to `userId`, oldest first, with their bytes. */
  listPrivateFiles(userId: number): PrivateFileView[] {
    return listPrivateFiles(this.ctx, userId);
  }

  // --- groups extension (issue 4): settings, essence, announcements -----------------------------

  /** `operatorId` sets `userId`'s card ('' removes it; own always, admin/owner others'); emits `group_card` on a change. */
  setCardAs(operatorId: number, groupId: number, userId: number, card: string): void {
    this.ctx.act((out) => setCard(this.ctx, out, operatorId, groupId, userId, card));
  }

  /** `operatorId` (the owner) sets `userId`'s special title ('' removes it); emits `notify`/`title` on a change. */
  setSpecialTitleAs(operatorId: number, groupId: number, userId: number, title: string): void {
    this.ctx.act((out) => setSpecialTitle(this.ctx, out, operatorId, groupId, userId, title));
  }

  /** `operatorId` (admin/owner) renames the group; no notice. */
  setGroupNameAs(operatorId: number, groupId: number, name: string): void {
    this.ctx.act(() => setGroupName(this.ctx, operatorId, groupId, name));
  }

  /** `operatorId` (admin/owner) sets the group portrait (`base64://` image, URL or path); returns its sha256. */
  setPortraitAs(operatorId: number, groupId: number, file: string): string {
    return this.ctx.act(() => setPortrait(this.ctx, operatorId, groupId, file));
  }

  /** `ownerId` dismisses the group; the bot, if there, gets `group_decrease` `kick_me`. */
  dismissGroupAs(ownerId: number, groupId: number): void {
    this.ctx.act((out) => dismissGroup(this.ctx, out, ownerId, groupId));
  }

  /** `operatorId` (admin/owner) makes a group message essence or removes it; emits `essence` unless the bot acts. */
  setEssenceAs(operatorId: number, messageId: number, enable = true): void {
    this.ctx.act((out) => setEssence(this.ctx, out, operatorId, messageId, enable));
  }

  /** `authorId` (admin/owner) publishes an announcement; returns its `fid`. */
  sendGroupNoticeAs(authorId: number, groupId: number, title: string, content: string): string {
    return this.ctx.act(() => publishNotice(this.ctx, authorId, groupId, title, content));
  }

  // --- messages extension (issue 4): discuss groups, forwards, reactions, likes, read marks ----

  /** Create a discuss group (the bot is in it only if listed); no event. Returns its id. */
  createDiscuss(spec: msgx.NewDiscussSpec): number {
    return this.ctx.act(() => msgx.createDiscuss(this.ctx, spec));
  }

  /** A member says something in a discuss group; emits `message`/`discuss` when the bot is in it. */
  postDiscussMessage(input: { from: number; discussId: number; message: Segment[] }): SentMessage {
    return this.ctx.act((out) => msgx.postDiscussMessage(this.ctx, out, input.from, input.discussId, input.message));
  }

  /** `inviterId`, a member, brings `userId` into a discuss group; no event. */
  inviteToDiscussAs(inviterId: number, discussId: number, userId: number): void {
    this.ctx.act(() => msgx.inviteToDiscuss(this.ctx, inviterId, discussId, userId));
  }

  /** `userId` leaves a discuss group; no event. */
  leaveDiscussAs(userId: number, discussId: number): void {
    this.ctx.act(() => msgx.leaveDiscuss(this.ctx, userId, discussId));
  }

  /** Every discuss group and its members. */
  listDiscusses(): msgx.DiscussView[] {
    return msgx.listDiscusses(this.ctx);
  }

  /** A user sends a forward card in `groupId`, or privately to the bot; emits the message event carrying it. */
  postForwardMessage(input: { from: number; groupId?: number | undefined; nodes: ForwardNode[] }): SentForward {
    const target = input.groupId === undefined ? { userId: this.ctx.selfId } : { groupId: input.groupId };
    return this.ctx.act((out) => msgx.sendForward(this.ctx, out, input.from, target, input.nodes));
  }

  /** `userId` adds (or with `set` false removes) an emoji reaction to a group message; emits `group_msg_emoji_like`. */
  reactAs(userId: number, messageId: number, emojiId: string, set = true): void {
    this.ctx.act((out) => msgx.setReaction(this.ctx, out, userId, messageId, emojiId, set));
  }

  /** How many likes the bot gave `userId` today (QQ day, UTC+8). */
  likesToday(userId: number): number {
    return msgx.likesToday(this.ctx, userId);
  }

  /** The seq the bot has read a conversation up to (0 = nothing). */
  readSeq(ref: ConversationRef): number {
    return msgx.readSeq(this.ctx, ref);
  }

  /** The bot's profile as `set_qq_profile` leaves it. */
  getBotProfile(): Required<ProfileUpdate> {
    return msgx.botProfile(this.ctx);
  }
}
