/**
 * Files the bot sends to a user (`upload_private_file`, docs/extensions.md §7.2): QQ's offline files.
 * The recipient must be a friend, or share a group with the bot when temporary sessions are on.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../protocol/errors.js';
import type { FileUpload } from '../port-files.js';
import type { SandboxContext } from './context.js';
import { checkFsName } from './group-fs.js';

/** A file sent to a user, as the control surface lists it. */
export interface PrivateFileView { fileId: string; userId: number; senderId: number; name: string; size: number; sentAt: number; content: Buffer | undefined }

/** The bot sends `upload` to `userId`; returns the file's id. */
export function sendPrivateFile(ctx: SandboxContext, userId: number, upload: Omit<FileUpload, 'folderId'>): string {
  if (userId === ctx.selfId) throw new ApiError('NO_RELATIONSHIP', 'the bot cannot send a file to itself');
  if (ctx.store.users.get(userId) === undefined) throw new ApiError('USER_NOT_FOUND', `user ${userId} does not exist`);
  if (ctx.store.users.friend(userId) === undefined) {
    const shared = ctx.store.groups.sharedGroup(ctx.selfId, userId);
    if (shared === undefined) throw new ApiError('NO_RELATIONSHIP', `user ${userId} is not the bot's friend and shares no group with it`);
    if (!ctx.rules.allowTempSessions) {
      throw new ApiError('NO_RELATIONSHIP', `user ${userId} is not the bot's friend, and temporary sessions (through group ${shared}) are disabled`);
    }
  }
  checkFsName(upload.name, 'file');
  const fileId = `/${randomUUID()}`;
  ctx.store.groupFs.insertPrivateFile({ fileId, userId, senderId: ctx.selfId, name: upload.name, size: upload.content.length, time: ctx.nowSec(), content: upload.content });
  return fileId;
}

/** The files sent to `userId`, oldest first, with their bytes. */
export function listPrivateFiles(ctx: SandboxContext, userId: number): PrivateFileView[] {
  return ctx.store.groupFs.privateFiles(userId).map((f) => ({
    fileId: f.file_id, userId: f.user_id, senderId: f.sender_id, name: f.name, size: f.size, sentAt: f.sent_at,
    content: ctx.store.groupFs.privateContent(f.file_id),
  }));
}
