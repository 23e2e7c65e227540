/**
 * Domain types of the files extension of the backend port (issue 4): a group's file system — a root
 * `/` with files and one level of folders (docs/extensions.md §7.0, docs/qq-rules.md §7) — and files sent to
 * a user. camelCase; the actions turn them into the wire objects.
 */

/** The id of a group's root folder. */
export const ROOT_FOLDER = '/';

/** A file in a group's file system. */
export interface GroupFile {
  groupId: number;
  /** `/<uuid>`. */
  fileId: string;
  fileName: string;
  /** Storage bucket (102 for ordinary uploads). */
  busid: number;
  fileSize: number;
  /** Unix seconds. */
  uploadTime: number;
  /** Unix seconds; 0 = permanent. */
  deadTime: number;
  /** Unix seconds. */
  modifyTime: number;
  downloadTimes: number;
  uploader: number;
  uploaderName: string;
  /** {@link ROOT_FOLDER} or the id of the folder holding it. */
  folderId: string;
}

/** A folder in a group's root. */
export interface GroupFolder {
  groupId: number;
  /** `/<uuid>`. */
  folderId: string;
  folderName: string;
  /** Unix seconds. */
  createTime: number;
  creator: number;
  creatorName: string;
  /** Files inside. */
  totalFileCount: number;
}

/** One folder's content (folders are listed only for the root). */
export interface GroupFolderListing { files: GroupFile[]; folders: GroupFolder[] }

/** Quotas and use of a group's file system. */
export interface GroupFileSystemInfo {
  groupId: number;
  fileCount: number;
  limitCount: number;
  /** Bytes. */
  usedSpace: number;
  /** Bytes. */
  totalSpace: number;
}

/** A file to upload: its name and bytes, and where it goes. */
export interface FileUpload {
  name: string;
  content: Buffer;
  /** {@link ROOT_FOLDER} (default) or a folder id. */
  folderId?: string | undefined;
}

/** An uploaded group file. */
export interface UploadedGroupFile { fileId: string; busid: number }

/** A group file and its bytes (`undefined` when it was recorded by size only). */
export interface GroupFileContent { file: GroupFile; content: Buffer | undefined }
