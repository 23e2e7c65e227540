/**
 * Group files and file uploads through Milky's file API: listings (`get_group_files`), uploads
 * (`upload_group_file`, `upload_private_file`, the bytes as `base64://`), a file's bytes (its
 * `get_group_file_download_url`, fetched by cqhttpd), folders (`create_group_folder`, only in the
 * root as QQ has them) and deletions. Milky has no `busid` (0 here) and no uploader or creator
 * names (empty).
 */
import { ApiError } from '../../protocol/errors.js';
import { fetchUpstreamFile } from '../fetch-file.js';
import {
  ROOT_FOLDER, type FileUpload, type GroupFile, type GroupFileContent, type GroupFolder, type GroupFolderListing, type UploadedGroupFile,
} from '../port-files.js';
import type { MilkyApi } from './api.js';
import type * as M from './types.js';

const groupFile = (f: M.GroupFileEntity): GroupFile => ({
  groupId: f.group_id, fileId: f.file_id, fileName: f.file_name, busid: 0, fileSize: f.file_size, uploadTime: f.uploaded_time, deadTime: f.expire_time ?? 0,
  modifyTime: f.uploaded_time, downloadTimes: f.downloaded_times, uploader: f.uploader_id, uploaderName: '', folderId: f.parent_folder_id || ROOT_FOLDER,
});

const groupFolder = (f: M.GroupFolderEntity): GroupFolder => ({
  groupId: f.group_id, folderId: f.folder_id, folderName: f.folder_name, createTime: f.created_time, creator: f.creator_id, creatorName: '', totalFileCount: f.file_count,
});

const base64 = (content: Buffer): string => `base64://${content.toString('base64')}`;

export async function getGroupFiles(api: MilkyApi, groupId: number, folderId: string): Promise<GroupFolderListing> {
  const out = await api.call<M.GetGroupFilesOutput>('get_group_files', { group_id: groupId, parent_folder_id: folderId || ROOT_FOLDER } satisfies M.GetGroupFilesInput);
  return { files: (out.files ?? []).map(groupFile), folders: (out.folders ?? []).map(groupFolder) };
}

export async function uploadGroupFile(api: MilkyApi, groupId: number, upload: FileUpload): Promise<UploadedGroupFile> {
  const input: M.UploadGroupFileInput = { group_id: groupId, parent_folder_id: upload.folderId ?? ROOT_FOLDER, file_uri: base64(upload.content), file_name: upload.name };
  const { file_id } = await api.call<M.UploadGroupFileOutput>('upload_group_file', input);
  return { fileId: file_id, busid: 0 };
}

export async function uploadPrivateFile(api: MilkyApi, userId: number, upload: Omit<FileUpload, 'folderId'>): Promise<string> {
  const input: M.UploadPrivateFileInput = { user_id: userId, file_uri: base64(upload.content), file_name: upload.name };
  return (await api.call<M.UploadPrivateFileOutput>('upload_private_file', input)).file_id;
}

/** The file's bytes from its download URL; what is known of it from the root's listing when it is there. */
export async function getGroupFileContent(api: MilkyApi, groupId: number, fileId: string): Promise<GroupFileContent> {
  const { download_url: url } = await api.call<M.GetGroupFileDownloadUrlOutput>('get_group_file_download_url', { group_id: groupId, file_id: fileId } satisfies M.GetGroupFileDownloadUrlInput);
  if (!/^https?:\/\//i.test(url)) throw new ApiError('UPSTREAM_FAILED', `get_group_file_download_url: the Milky implementation answered no http(s) URL for ${fileId}`);
  const listed = await getGroupFiles(api, groupId, ROOT_FOLDER).then((l) => l.files.find((f) => f.fileId === fileId), () => undefined);
  const content = await fetchUpstreamFile(url, `group file ${fileId}`);
  const name = listed?.fileName || decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || fileId;
  const file: GroupFile = listed ?? {
    groupId, fileId, fileName: name, busid: 0, fileSize: content.length, uploadTime: 0, deadTime: 0, modifyTime: 0, downloadTimes: 0, uploader: 0, uploaderName: '', folderId: ROOT_FOLDER,
  };
  return { file: { ...file, fileSize: content.length }, content };
}

export async function createGroupFileFolder(api: MilkyApi, groupId: number, name: string, parentId: string): Promise<string> {
  if (parentId !== '' && parentId !== ROOT_FOLDER) throw new ApiError('UNSUPPORTED', 'Milky creates group folders in the root only');
  return (await api.call<M.CreateGroupFolderOutput>('create_group_folder', { group_id: groupId, folder_name: name } satisfies M.CreateGroupFolderInput)).folder_id;
}

export async function deleteGroupFile(api: MilkyApi, groupId: number, fileId: string): Promise<void> {
  await api.call('delete_group_file', { group_id: groupId, file_id: fileId } satisfies M.DeleteGroupFileInput);
}

export async function deleteGroupFolder(api: MilkyApi, groupId: number, folderId: string): Promise<void> {
  await api.call('delete_group_folder', { group_id: groupId, folder_id: folderId } satisfies M.DeleteGroupFolderInput);
}
