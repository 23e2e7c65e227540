/**
 * A group's file system (docs/qq-rules.md §7, docs/extensions.md §7): the root `/` holds files and one level
 * of folders. Any member who may speak uploads; a member deletes their own files; admins and the
 * owner delete anyone's and do every folder operation. Quotas: {@link FILE_LIMIT_COUNT} files and
 * {@link FILE_TOTAL_SPACE} bytes per group, {@link MAX_GROUP_FILE_SIZE} per file (QQ's real
 * numbers are not public; these are the commonly quoted ones).
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../protocol/errors.js';
import { ROOT_FOLDER } from '../port-files.js';
import type { FileUpload, GroupFile, GroupFileContent, GroupFileSystemInfo, GroupFolder, GroupFolderListing, UploadedGroupFile } from '../port-files.js';
import type { SandboxContext } from './context.js';
import { groupUploadEvent } from './events.js';
import type { Outbox } from './events.js';
import { DEFAULT_BUSID, MAX_FILE_NAME_BYTES } from './group-files.js';
import { requireMembership, silencedReason, who } from './rules.js';
import type { FileViewRow, FolderRow, MemberRow } from './store/index.js';

/** Most files a group holds. */
export const FILE_LIMIT_COUNT = 10_000;
/** A group's space, in bytes (10 GiB). */
export const FILE_TOTAL_SPACE = 10 * 1024 ** 3;
/** Largest single group file, in bytes (4 GiB). */
export const MAX_GROUP_FILE_SIZE = 4 * 1024 ** 3;

/** A file or folder name: 1 to 255 UTF-8 bytes, no `/`, `\` or NUL, not only spaces; else BAD_PARAMS. */
export function checkFsName(name: string, what: 'file' | 'folder'): void {
  if (name.trim() === '' || /[/\\\0]/.test(name) || Buffer.byteLength(name, 'utf8') > MAX_FILE_NAME_BYTES) {
    throw new ApiError('BAD_PARAMS', `a ${what} name is 1 to ${MAX_FILE_NAME_BYTES} UTF-8 bytes without / or \\; got ${JSON.stringify(name.slice(0, 80))}`);
  }
}

function toFile(r: FileViewRow): GroupFile {
  return {
    groupId: r.group_id, fileId: r.file_id, fileName: r.name, busid: r.busid, fileSize: r.size, uploadTime: r.upload_time,
    deadTime: r.dead_time, modifyTime: r.modify_time, downloadTimes: r.download_times, uploader: r.uploader,
    uploaderName: r.uploader_name, folderId: r.folder_id,
  };
}

function toFolder(r: FolderRow): GroupFolder {
  return {
    groupId: r.group_id, folderId: r.folder_id, folderName: r.name, createTime: r.create_time, creator: r.creator,
    creatorName: r.creator_name, totalFileCount: r.total_file_count,
  };
}

const isRoot = (folderId: string): boolean => folderId === '' || folderId === ROOT_FOLDER;

function requireFolder(ctx: SandboxContext, groupId: number, folderId: string): FolderRow {
  const folder = ctx.store.groupFs.folder(groupId, folderId);
  if (folder === undefined) throw new ApiError('INVALID_TARGET', `group ${groupId} has no folder ${JSON.stringify(folderId.slice(0, 80))}`);
  return folder;
}

function requireFile(ctx: SandboxContext, groupId: number, fileId: string, busid: number): FileViewRow {
  const file = ctx.store.groupFs.file(groupId, fileId);
  if (file === undefined) throw new ApiError('INVALID_TARGET', `group ${groupId} has no file ${JSON.stringify(fileId.slice(0, 80))}`);
  if (busid !== 0 && busid !== file.busid) throw new ApiError('INVALID_TARGET', `file ${fileId} of group ${groupId} is in bus ${file.busid}, not ${busid}`);
  return file;
}

function requireManager(ctx: SandboxContext, groupId: number, actor: MemberRow, act: string): void {
  if (actor.role === 'member') {
    throw new ApiError('NO_PERMISSION', `${who(ctx, actor.user_id)} is a plain member of group ${groupId}; only admins and the owner may ${act}`);
  }
}

/** Quotas and use of the group's file system, as the bot sees it. */
export function fileSystemInfo(ctx: SandboxContext, groupId: number): GroupFileSystemInfo {
  requireMembership(ctx, groupId, ctx.selfId);
  const usage = ctx.store.groupFs.usage(groupId);
  return { groupId, fileCount: usage.count, limitCount: FILE_LIMIT_COUNT, usedSpace: usage.bytes, totalSpace: FILE_TOTAL_SPACE };
}

/** The root's files and folders, or one folder's files (the bot must be a member). */
export function listFolder(ctx: SandboxContext, groupId: number, folderId: string): GroupFolderListing {
  requireMembership(ctx, groupId, ctx.selfId);
  if (isRoot(folderId)) {
    return { files: ctx.store.groupFs.filesIn(groupId, ROOT_FOLDER).map(toFile), folders: ctx.store.groupFs.folders(groupId).map(toFolder) };
  }
  requireFolder(ctx, groupId, folderId);
  return { files: ctx.store.groupFs.filesIn(groupId, folderId).map(toFile), folders: [] };
}

/** `actorId`, a member who may speak, uploads a file into the root or a folder: `group_upload`. */
export function uploadFileAs(ctx: SandboxContext, out: Outbox, actorId: number, groupId: number, upload: FileUpload): UploadedGroupFile {
  const { group, actor } = requireMembership(ctx, groupId, actorId);
  checkFsName(upload.name, 'file');
  const folderId = upload.folderId === undefined || isRoot(upload.folderId) ? ROOT_FOLDER : requireFolder(ctx, groupId, upload.folderId).folder_id;
  const silenced = silencedReason(ctx, group, actor);
  if (silenced !== undefined) throw new ApiError('BOT_MUTED', `cannot upload to group ${groupId}: ${silenced}`);
  const size = upload.content.length;
  if (size > MAX_GROUP_FILE_SIZE) throw new ApiError('OPERATION_FAILED', `the file has ${size} bytes; a group file may have at most ${MAX_GROUP_FILE_SIZE}`);
  const usage = ctx.store.groupFs.usage(groupId);
  if (usage.count >= FILE_LIMIT_COUNT) throw new ApiError('OPERATION_FAILED', `group ${groupId} already holds ${usage.count} files, its limit`);
  if (usage.bytes + size > FILE_TOTAL_SPACE) {
    throw new ApiError('OPERATION_FAILED', `group ${groupId} has ${FILE_TOTAL_SPACE - usage.bytes} bytes of file space left; the file needs ${size}`);
  }
  const fileId = `/${randomUUID()}`;
  ctx.store.groupFs.insertFile({ fileId, groupId, folderId, busid: DEFAULT_BUSID, name: upload.name, size, uploader: actorId, time: ctx.nowSec(), content: upload.content });
  if (ctx.botInGroup(groupId)) out.push(groupUploadEvent(ctx.eventBase(), groupId, actorId, { busid: DEFAULT_BUSID, id: fileId, name: upload.name, size }));
  return { fileId, busid: DEFAULT_BUSID };
}

/** A group file and its bytes (the bot must be a member). */
export function fileContent(ctx: SandboxContext, groupId: number, fileId: string, busid: number): GroupFileContent {
  requireMembership(ctx, groupId, ctx.selfId);
  const row = requireFile(ctx, groupId, fileId, busid);
  return { file: toFile(row), content: ctx.store.groupFs.content(row.file_id) };
}

/**
 * `actorId` (admin/owner) creates a folder in the root. `parentId` naming an existing folder is
 * refused (one level only); any other value means the root (KOI sends `folder_id` instead).
 */
export function createFolderAs(ctx: SandboxContext, actorId: number, groupId: number, name: string, parentId: string): string {
  const { actor } = requireMembership(ctx, groupId, actorId);
  requireManager(ctx, groupId, actor, 'create folders');
  if (!isRoot(parentId) && ctx.store.groupFs.folder(groupId, parentId) !== undefined) {
    throw new ApiError('BAD_PARAMS', 'folders are one level deep: a folder can only be created in the root (parent_id /)');
  }
  checkFsName(name, 'folder');
  if (ctx.store.groupFs.folderByName(groupId, name) !== undefined) {
    throw new ApiError('OPERATION_FAILED', `group ${groupId} already has a folder named ${JSON.stringify(name)} (QQ -313 同名文件夹已存在)`);
  }
  const folderId = `/${randomUUID()}`;
  ctx.store.groupFs.insertFolder({ folderId, groupId, name, creator: actorId, time: ctx.nowSec() });
  return folderId;
}

/** `actorId` deletes a file: their own, or anyone's as admin/owner. */
export function deleteFileAs(ctx: SandboxContext, actorId: number, groupId: number, fileId: string, busid: number): void {
  const { actor } = requireMembership(ctx, groupId, actorId);
  const file = requireFile(ctx, groupId, fileId, busid);
  if (file.uploader !== actorId) requireManager(ctx, groupId, actor, `delete files uploaded by others (${fileId} is ${who(ctx, file.uploader)}'s)`);
  ctx.store.groupFs.deleteFile(file.file_id);
}

/** `actorId` (admin/owner) deletes a folder and every file in it. */
export function deleteFolderAs(ctx: SandboxContext, actorId: number, groupId: number, folderId: string): void {
  const { actor } = requireMembership(ctx, groupId, actorId);
  if (isRoot(folderId)) throw new ApiError('BAD_PARAMS', 'the root folder cannot be deleted');
  const folder = requireFolder(ctx, groupId, folderId);
  requireManager(ctx, groupId, actor, 'delete folders');
  ctx.store.groupFs.deleteFolder(groupId, folder.folder_id);
}
