/** Group and private files, downloads. */
import type { Action } from '../../core/action.js';
import { downloadFile } from './download.js';
import {
  createGroupFileFolder, deleteGroupFile, deleteGroupFileFolder, deleteGroupFolder, getGroupFileSystemInfo, getGroupFilesByFolder,
  getGroupFileUrl, getGroupRootFiles,
} from './group-files.js';
import { uploadGroupFile, uploadPrivateFile } from './upload.js';

export const FILE_ACTIONS: readonly Action[] = [
  uploadGroupFile, uploadPrivateFile, getGroupFileSystemInfo, getGroupRootFiles, getGroupFilesByFolder, getGroupFileUrl,
  createGroupFileFolder, deleteGroupFile, deleteGroupFolder, deleteGroupFileFolder, downloadFile,
];
