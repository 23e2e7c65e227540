/**
 * Reading and managing a group's file system (docs/extensions.md §7.3–7.9). Folders are one level deep;
 * QQ's permissions (docs/qq-rules.md §7) live in the backend.
 */
import { defineAction } from '../../core/action.js';
import type { ActionContext } from '../../core/context.js';
import { getInteger, getString, id, params, raw, str } from '../../core/params.js';
import { ApiError } from '../../protocol/errors.js';
import { fileSystemInfoOut, listingOut } from './shapes.js';

/** `busid`, also spelled `bus_id` (GOCQ): 0 when absent (any bucket). */
const busidOf = (p: { busid?: unknown; bus_id?: unknown }): number => getInteger(p.busid ?? p.bus_id, 0);
/** The first non-empty string among the spellings of a parameter. */
const firstOf = (...values: unknown[]): string => values.map((v) => getString(v, '')).find((v) => v !== '') ?? '';
const anyParam = raw();

function required(value: string, action: string, name: string): string {
  if (value === '') throw new ApiError('BAD_PARAMS', `${action}: ${name} is required`);
  return value;
}

export const getGroupFileSystemInfo = defineAction({
  name: 'get_group_file_system_info',
  origin: 'extension',
  summary: 'A group\'s file count and limit, used and total space.',
  params: params({ group_id: id() }),
  handler: async (p, ctx) => fileSystemInfoOut(await ctx.backend.getGroupFileSystemInfo(p.group_id)),
});

export const getGroupRootFiles = defineAction({
  name: 'get_group_root_files',
  origin: 'extension',
  summary: 'The files and folders of a group\'s root folder.',
  params: params({ group_id: id() }),
  handler: async (p, ctx) => listingOut(await ctx.backend.getGroupFiles(p.group_id, '/')),
});

export const getGroupFilesByFolder = defineAction({
  name: 'get_group_files_by_folder',
  origin: 'extension',
  summary: 'The files of one folder of a group (folder_id from get_group_root_files).',
  params: params({ group_id: id(), folder_id: anyParam, folder: anyParam }),
  handler: async (p, ctx) => {
    const folderId = required(firstOf(p.folder_id, p.folder), 'get_group_files_by_folder', 'folder_id');
    return listingOut(await ctx.backend.getGroupFiles(p.group_id, folderId));
  },
});

export const getGroupFileUrl = defineAction({
  name: 'get_group_file_url',
  origin: 'extension',
  summary: 'A download URL of a group file, served by cqhttpd\'s HTTP API.',
  params: params({ group_id: id(), file_id: str(), busid: anyParam, bus_id: anyParam }),
  handler: async (p, ctx) => {
    const fileId = required(p.file_id, 'get_group_file_url', 'file_id');
    const { file, content } = await ctx.backend.getGroupFileContent(p.group_id, fileId, busidOf(p));
    if (content === undefined || content.length === 0) {
      throw new ApiError('OPERATION_FAILED', `group file ${file.fileId} (${file.fileName}) was recorded without its bytes; there is nothing to download`);
    }
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(file.fileName)?.[1];
    const name = await ctx.media.store.saveBytes('file', content, ext?.toLowerCase());
    const url = ctx.media.publicUrl('file', name);
    if (url === undefined) throw new ApiError('OPERATION_FAILED', 'the HTTP API is off (use_http = false): no URL can serve the file');
    return { url };
  },
});

export const createGroupFileFolder = defineAction({
  name: 'create_group_file_folder',
  origin: 'extension',
  summary: 'Create a folder in a group\'s root (admin/owner; names are unique).',
  params: params({ group_id: id(), name: anyParam, folder_name: anyParam, parent_id: str('/') }),
  handler: async (p, ctx) => {
    const name = required(firstOf(p.name, p.folder_name), 'create_group_file_folder', 'name');
    return { folder_id: await ctx.backend.createGroupFileFolder(p.group_id, name, p.parent_id) };
  },
});

export const deleteGroupFile = defineAction({
  name: 'delete_group_file',
  origin: 'extension',
  summary: 'Delete a group file: the bot\'s own, or anyone\'s as admin/owner.',
  params: params({ group_id: id(), file_id: str(), busid: anyParam, bus_id: anyParam }),
  handler: async (p, ctx) => {
    await ctx.backend.deleteGroupFile(p.group_id, required(p.file_id, 'delete_group_file', 'file_id'), busidOf(p));
    return null;
  },
});

const deleteFolder = async (p: { group_id: number; folder_id?: unknown; folder?: unknown }, ctx: ActionContext, action: string) => {
  await ctx.backend.deleteGroupFolder(p.group_id, required(firstOf(p.folder_id, p.folder), action, 'folder_id'));
  return null;
};

export const deleteGroupFolder = defineAction({
  name: 'delete_group_folder',
  origin: 'extension',
  summary: 'Delete a group folder and its files (admin/owner).',
  params: params({ group_id: id(), folder_id: anyParam, folder: anyParam }),
  handler: (p, ctx) => deleteFolder(p, ctx, 'delete_group_folder'),
});

export const deleteGroupFileFolder = defineAction({
  name: 'delete_group_file_folder',
  origin: 'extension',
  summary: 'Alias of delete_group_folder used by NT-era implementations (Koishi declares it).',
  params: params({ group_id: id(), folder_id: anyParam, folder: anyParam }),
  handler: (p, ctx) => deleteFolder(p, ctx, 'delete_group_file_folder'),
});
