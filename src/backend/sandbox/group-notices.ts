/**
 * Group announcements (群公告; docs/protocol.md §6.10 `_get_group_notice` / `_send_group_notice`, docs/qq-rules.md §1):
 * any member reads them, admins and the owner publish. The original read them through QQ's web API,
 * so its failures are the web API's: not a member → 103 (the list cannot be fetched), a plain member
 * publishing → 103 (QQ answers id 0). No notice is emitted (v11 has none).
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../protocol/errors.js';
import type { GroupNotice } from '../port-groups.js';
import type { SandboxContext } from './context.js';
import { who } from './rules.js';
import type { MemberRow } from './store/index.js';

function requireReader(ctx: SandboxContext, groupId: number, userId: number): MemberRow {
  const member = ctx.store.groups.get(groupId) === undefined ? undefined : ctx.store.groups.member(groupId, userId);
  if (member === undefined) throw new ApiError('OPERATION_FAILED', `${who(ctx, userId)} is not a member of group ${groupId}; its announcements cannot be fetched`);
  return member;
}

/** The group's announcements, newest first, as `userId` (a member) sees them. */
export function listNotices(ctx: SandboxContext, groupId: number, userId: number): GroupNotice[] {
  requireReader(ctx, groupId, userId);
  return ctx.store.groupExtras.announcementsOf(groupId).map((a) => ({
    id: a.fid, authorId: a.author_id, title: a.title, text: a.content, publishedAt: a.published_at, readCount: 0,
  }));
}

/** `authorId` (admin/owner) publishes an announcement; title and content must not be empty (100). Returns its id. */
export function publishNotice(ctx: SandboxContext, authorId: number, groupId: number, title: string, content: string): string {
  const author = requireReader(ctx, groupId, authorId);
  if (title === '' || content === '') throw new ApiError('BAD_PARAMS', 'an announcement needs a non-empty title and content');
  if (author.role === 'member') {
    throw new ApiError('OPERATION_FAILED', `${who(ctx, authorId)} is a plain member of group ${groupId}; only admins and the owner publish announcements`);
  }
  const fid = randomBytes(16).toString('hex');
  ctx.store.groupExtras.addAnnouncement({ fid, groupId, authorId, title, content, publishedAt: ctx.nowSec() });
  return fid;
}
