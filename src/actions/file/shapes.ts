/** Domain → wire shapes of the file actions (docs/extensions.md §7.0); keys sorted. */
import type { GroupFile, GroupFileSystemInfo, GroupFolder, GroupFolderListing } from '../../backend/port-files.js';

/** A File object (GOCQ's `GroupFile`). */
export const fileOut = (f: GroupFile) => ({
  busid: f.busid,
  dead_time: f.deadTime,
  download_times: f.downloadTimes,
  file_id: f.fileId,
  file_name: f.fileName,
  file_size: f.fileSize,
  group_id: f.groupId,
  modify_time: f.modifyTime,
  upload_time: f.uploadTime,
  uploader: f.uploader,
  uploader_name: f.uploaderName,
});

/** A Folder object. */
export const folderOut = (f: GroupFolder) => ({
  create_time: f.createTime,
  creator: f.creator,
  creator_name: f.creatorName,
  folder_id: f.folderId,
  folder_name: f.folderName,
  group_id: f.groupId,
  total_file_count: f.totalFileCount,
});

/** `{files, folders}`; empty lists are `[]` (D6). */
export const listingOut = (l: GroupFolderListing) => ({ files: l.files.map(fileOut), folders: l.folders.map(folderOut) });

/** FileSystemInfo, with GOCQ's `group_id`. */
export const fileSystemInfoOut = (i: GroupFileSystemInfo) => ({
  file_count: i.fileCount,
  group_id: i.groupId,
  limit_count: i.limitCount,
  total_space: i.totalSpace,
  used_space: i.usedSpace,
});
