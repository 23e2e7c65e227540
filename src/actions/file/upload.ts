/**
 * `upload_group_file` and `upload_private_file` (docs/extensions.md §7.1–7.2): the bytes come from
 * source.ts; `name` defaults to the source's base name; `folder` (NC/LLB also `folder_id`) picks
 * the group folder. Data `{file_id}` (a superset of GOCQ's null, D7).
 */
import { defineAction } from '../../core/action.js';
import { id, params, str } from '../../core/params.js';
import { readUploadSource } from './source.js';

export const uploadGroupFile = defineAction({
  name: 'upload_group_file',
  origin: 'extension',
  summary: 'Upload a file to a group\'s file system (root or folder): a local path inside allowed_file_dirs or the data directory, a data-dir name, http(s):// or base64://.',
  params: params({ group_id: id(), file: str(), name: str(), folder: str(), folder_id: str() }),
  handler: async (p, ctx) => {
    const source = await readUploadSource(ctx, p.file);
    const folderId = p.folder !== '' ? p.folder : p.folder_id !== '' ? p.folder_id : '/';
    const uploaded = await ctx.backend.uploadGroupFile(p.group_id, { name: p.name !== '' ? p.name : source.defaultName, content: source.content, folderId });
    return { file_id: uploaded.fileId };
  },
});

export const uploadPrivateFile = defineAction({
  name: 'upload_private_file',
  origin: 'extension',
  summary: 'Send a file to a friend (an offline file); the file as for upload_group_file.',
  params: params({ user_id: id(), file: str(), name: str() }),
  handler: async (p, ctx) => {
    const source = await readUploadSource(ctx, p.file);
    const fileId = await ctx.backend.uploadPrivateFile(p.user_id, { name: p.name !== '' ? p.name : source.defaultName, content: source.content });
    return { file_id: fileId };
  },
});
