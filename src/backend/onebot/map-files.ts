/**
 * The port's group files over a OneBot v11 upstream (go-cqhttp's file actions, which NapCat and
 * LLBot keep). Uploads travel as `base64://` (cqhttpd has already read the bot's file: a path on
 * this host means nothing on the upstream's); a file's bytes are fetched from the URL the upstream's
 * `get_group_file_url` gives, bounded in time and size (`fetch-file.ts`, as for a Milky upstream).
 */
import { ApiError } from '../../protocol/errors.js';
import { fetchUpstreamFile } from '../fetch-file.js';
import {
  ROOT_FOLDER, type FileUpload, type GroupFile, type GroupFileContent, type GroupFileSystemInfo, type GroupFolder, type GroupFolderListing, type UploadedGroupFile,
} from '../port-files.js';
import { int, items, record, str } from './normalise.js';
import type { Upstream } from './upstream.js';

type Wire = Record<string, unknown>;

const file = (f: Wire, groupId: number): GroupFile => ({
  groupId: int(f['group_id']) || groupId,
  fileId: str(f['file_id']),
  fileName: str(f['file_name']),
  busid: int(f['busid']),
  fileSize: int(f['file_size'] ?? f['size']),
  uploadTime: int(f['upload_time']),
  deadTime: int(f['dead_time']),
  modifyTime: int(f['modify_time']),
  downloadTimes: int(f['download_times'] ?? f['download_time']),
  uploader: int(f['uploader']),
  uploaderName: str(f['uploader_name']),
  folderId: str(f['parent_folder_id'] ?? f['folder_id']) || ROOT_FOLDER,
});

const folder = (f: Wire, groupId: number): GroupFolder => ({
  groupId: int(f['group_id']) || groupId,
  folderId: str(f['folder_id']),
  folderName: str(f['folder_name']),
  createTime: int(f['create_time']),
  creator: int(f['creator']),
  creatorName: str(f['creator_name']),
  totalFileCount: int(f['total_file_count']),
});

export async function getGroupFileSystemInfo(up: Upstream, groupId: number): Promise<GroupFileSystemInfo> {
  const i = await up.object('get_group_file_system_info', { group_id: groupId });
  return { groupId: int(i['group_id']) || groupId, fileCount: int(i['file_count']), limitCount: int(i['limit_count']), usedSpace: int(i['used_space']), totalSpace: int(i['total_space']) };
}

export async function getGroupFiles(up: Upstream, groupId: number, folderId: string): Promise<GroupFolderListing> {
  const data = folderId === ROOT_FOLDER
    ? await up.object('get_group_root_files', { group_id: groupId })
    : await up.object('get_group_files_by_folder', { group_id: groupId, folder_id: folderId });
  return { files: items(data['files']).map((f) => file(f, groupId)), folders: items(data['folders']).map((f) => folder(f, groupId)) };
}

const base64 = (content: Buffer) => `base64://${content.toString('base64')}`;

export async function uploadGroupFile(up: Upstream, groupId: number, upload: FileUpload): Promise<UploadedGroupFile> {
  const params: Wire = { group_id: groupId, file: base64(upload.content), name: upload.name };
  if (upload.folderId !== undefined && upload.folderId !== ROOT_FOLDER) params['folder'] = upload.folderId;
  const data = record(await up.call('upload_group_file', params));
  return { fileId: str(data['file_id']), busid: int(data['busid']) || 102 };
}

export async function uploadPrivateFile(up: Upstream, userId: number, upload: Omit<FileUpload, 'folderId'>): Promise<string> {
  const data = record(await up.call('upload_private_file', { user_id: userId, file: base64(upload.content), name: upload.name }));
  return str(data['file_id']);
}

/** The file's bytes from the upstream's download URL; its name is the URL's last path step. */
export async function getGroupFileContent(up: Upstream, groupId: number, fileId: string, busid: number): Promise<GroupFileContent> {
  const params: Wire = { group_id: groupId, file_id: fileId };
  if (busid !== 0) params['busid'] = busid;
  const url = str((await up.object('get_group_file_url', params))['url']);
  if (!/^https?:\/\//i.test(url)) throw new ApiError('UPSTREAM_FAILED', `get_group_file_url: the upstream answered no http(s) URL for ${fileId}`);
  const content = await fetchUpstreamFile(url, `group file ${fileId}`);
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || fileId;
  return {
    file: { groupId, fileId, fileName: name, busid, fileSize: content.length, uploadTime: 0, deadTime: 0, modifyTime: 0, downloadTimes: 0, uploader: 0, uploaderName: '', folderId: ROOT_FOLDER },
    content,
  };
}

export async function createGroupFileFolder(up: Upstream, groupId: number, name: string, parentId: string): Promise<string> {
  const params: Wire = { group_id: groupId, name };
  if (parentId !== '' && parentId !== ROOT_FOLDER) params['parent_id'] = parentId;
  return str(record(await up.call('create_group_file_folder', params))['folder_id']);
}

export function deleteGroupFile(up: Upstream, groupId: number, fileId: string, busid: number): Promise<void> {
  const params: Wire = { group_id: groupId, file_id: fileId };
  if (busid !== 0) params['busid'] = busid;
  return up.run('delete_group_file', params);
}

export function deleteGroupFolder(up: Upstream, groupId: number, folderId: string): Promise<void> {
  return up.run('delete_group_folder', { group_id: groupId, folder_id: folderId });
}
