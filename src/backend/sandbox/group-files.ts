/**
 * Group files uploaded by members (docs/qq-rules.md §7, docs/extensions.md §7): recorded in `group_files` (the
 * bytes are optional) and announced with `group_upload`.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../protocol/errors.js';
import type { SandboxContext } from './context.js';
import { groupUploadEvent } from './events.js';
import type { Outbox } from './events.js';
import { requireMembership, silencedReason } from './rules.js';
import type { GroupFileRow } from './store/index.js';

/** The storage bucket of ordinary uploads. */
export const DEFAULT_BUSID = 102;
/** Longest file name, in UTF-8 bytes (QQ's own limit is not public; file systems allow 255). */
export const MAX_FILE_NAME_BYTES = 255;

/** A file a member uploads. */
export interface UploadSpec {
  name: string;
  /** Bytes; defaults to the content's length, else 0. */
  size?: number | undefined;
  busid?: number | undefined;
  content?: Buffer | undefined;
}

/** An uploaded file's identity. */
export interface UploadedFileRef { fileId: string; busid: number }

/** A group file as the control surface lists it. */
export interface GroupFileView { fileId: string; groupId: number; busid: number; name: string; size: number; uploader: number; uploadTime: number }

function checkSpec(spec: UploadSpec): { size: number; busid: number } {
  const name = spec.name;
  if (name === '' || name.includes('/') || name.includes('\\') || Buffer.byteLength(name, 'utf8') > MAX_FILE_NAME_BYTES) {
    throw new ApiError('BAD_PARAMS', `a file name is 1 to ${MAX_FILE_NAME_BYTES} UTF-8 bytes without / or \\; got ${JSON.stringify(name)}`);
  }
  const size = spec.size ?? spec.content?.length ?? 0;
  if (!Number.isSafeInteger(size) || size < 0) throw new ApiError('BAD_PARAMS', `a file size is a whole number of bytes ≥ 0; got ${size}`);
  if (spec.content !== undefined && spec.content.length !== size) {
    throw new ApiError('BAD_PARAMS', `size ${size} does not match the ${spec.content.length} bytes of content`);
  }
  const busid = spec.busid ?? DEFAULT_BUSID;
  if (!Number.isSafeInteger(busid) || busid < 0) throw new ApiError('BAD_PARAMS', `busid is a whole number ≥ 0; got ${busid}`);
  return { size, busid };
}

/** `userId`, a member who may speak, uploads a file to the group's root folder: `group_upload`. */
export function uploadFile(ctx: SandboxContext, out: Outbox, userId: number, groupId: number, spec: UploadSpec): UploadedFileRef {
  const { group, actor } = requireMembership(ctx, groupId, userId);
  const { size, busid } = checkSpec(spec);
  const silenced = silencedReason(ctx, group, actor);
  if (silenced !== undefined) throw new ApiError('BOT_MUTED', `cannot upload to group ${groupId}: ${silenced}`);
  const fileId = `/${randomUUID()}`;
  ctx.store.files.insert({ fileId, groupId, busid, name: spec.name, size, uploader: userId, uploadTime: ctx.nowSec(), content: spec.content });
  if (userId !== ctx.selfId && ctx.botInGroup(groupId)) {
    out.push(groupUploadEvent(ctx.eventBase(), groupId, userId, { busid, id: fileId, name: spec.name, size }));
  }
  return { fileId, busid };
}

function toView(f: GroupFileRow): GroupFileView {
  return { fileId: f.file_id, groupId: f.group_id, busid: f.busid, name: f.name, size: f.size, uploader: f.uploader, uploadTime: f.upload_time };
}

/** The group's files, oldest first. */
export function listFiles(ctx: SandboxContext, groupId: number): GroupFileView[] {
  if (ctx.store.groups.get(groupId) === undefined) throw new ApiError('INVALID_TARGET', `group ${groupId} does not exist`);
  return ctx.store.files.ofGroup(groupId).map(toView);
}
