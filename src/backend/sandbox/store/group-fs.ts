/**
 * Group file systems (migration 5): folders, files by folder with their uploader's name, usage,
 * deletion; and the files the bot sends to users (`private_files`). `group_files` itself is
 * migration 2's table (store/files.ts records simulated uploads into the root).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { GroupFileRow } from './rows.js';

/** A folder with its creator's nickname and how many files it holds. */
export interface FolderRow {
  folder_id: string;
  group_id: number;
  name: string;
  creator: number;
  create_time: number;
  modify_time: number;
  creator_name: string;
  total_file_count: number;
}

/** A group file with its uploader's nickname. */
export type FileViewRow = GroupFileRow & { uploader_name: string };

/** A file sent to a user (without its bytes). */
export interface PrivateFileRow { file_id: string; user_id: number; sender_id: number; name: string; size: number; sent_at: number }

/** A group file to record. */
export interface NewFsFile { fileId: string; groupId: number; folderId: string; busid: number; name: string; size: number; uploader: number; time: number; content: Buffer }

/** A folder to record. */
export interface NewFolder { folderId: string; groupId: number; name: string; creator: number; time: number }

/** A file sent to a user. */
export interface NewPrivateFile { fileId: string; userId: number; senderId: number; name: string; size: number; time: number; content: Buffer }

const FILE_COLUMNS = `f.file_id, f.group_id, f.folder_id, f.busid, f.name, f.size, f.uploader, f.upload_time, f.modify_time,
  f.dead_time, f.download_times, COALESCE(u.nickname, '') AS uploader_name`;
const FOLDER_COLUMNS = `d.folder_id, d.group_id, d.name, d.creator, d.create_time, d.modify_time, COALESCE(u.nickname, '') AS creator_name,
  (SELECT COUNT(*) FROM group_files f WHERE f.group_id = d.group_id AND f.folder_id = d.folder_id) AS total_file_count`;

/** Data access for `group_file_folders`, the folder side of `group_files`, and `private_files`. */
export class GroupFsRepo {
  readonly #folder: Statement<[number, string], FolderRow>;
  readonly #folderByName: Statement<[number, string], FolderRow>;
  readonly #folders: Statement<[number], FolderRow>;
  readonly #filesIn: Statement<[number, string], FileViewRow>;
  readonly #file: Statement<[number, string], FileViewRow>;
  readonly #content: Statement<[string], { content: Buffer | null }>;
  readonly #usage: Statement<[number], { count: number; bytes: number }>;
  readonly #insertFile: Statement<NewFsFile>;
  readonly #deleteFile: Statement<[string]>;
  readonly #deleteFilesIn: Statement<[number, string]>;
  readonly #insertFolder: Statement<NewFolder>;
  readonly #deleteFolder: Statement<[string]>;
  readonly #touchFolder: Statement<[number, string]>;
  readonly #insertPrivate: Statement<NewPrivateFile>;
  readonly #privateFiles: Statement<[number], PrivateFileRow>;
  readonly #privateContent: Statement<[string], { content: Buffer | null }>;

  constructor(db: Database) {
    const folderFrom = 'FROM group_file_folders d LEFT JOIN users u ON u.user_id = d.creator';
    this.#folder = db.prepare(`SELECT ${FOLDER_COLUMNS} ${folderFrom} WHERE d.group_id = ? AND d.folder_id = ?`);
    this.#folderByName = db.prepare(`SELECT ${FOLDER_COLUMNS} ${folderFrom} WHERE d.group_id = ? AND d.name = ?`);
    this.#folders = db.prepare(`SELECT ${FOLDER_COLUMNS} ${folderFrom} WHERE d.group_id = ? ORDER BY d.create_time, d.rowid`);
    const fileFrom = 'FROM group_files f LEFT JOIN users u ON u.user_id = f.uploader';
    this.#filesIn = db.prepare(`SELECT ${FILE_COLUMNS} ${fileFrom} WHERE f.group_id = ? AND f.folder_id = ? ORDER BY f.upload_time, f.rowid`);
    this.#file = db.prepare(`SELECT ${FILE_COLUMNS} ${fileFrom} WHERE f.group_id = ? AND f.file_id = ?`);
    this.#content = db.prepare('SELECT content FROM group_files WHERE file_id = ?');
    this.#usage = db.prepare('SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM group_files WHERE group_id = ?');
    this.#insertFile = db.prepare(`INSERT INTO group_files (file_id, group_id, folder_id, busid, name, size, uploader, upload_time, modify_time, content)
      VALUES (@fileId, @groupId, @folderId, @busid, @name, @size, @uploader, @time, @time, @content)`);
    this.#deleteFile = db.prepare('DELETE FROM group_files WHERE file_id = ?');
    this.#deleteFilesIn = db.prepare('DELETE FROM group_files WHERE group_id = ? AND folder_id = ?');
    this.#insertFolder = db.prepare(`INSERT INTO group_file_folders (folder_id, group_id, name, creator, create_time, modify_time)
      VALUES (@folderId, @groupId, @name, @creator, @time, @time)`);
    this.#deleteFolder = db.prepare('DELETE FROM group_file_folders WHERE folder_id = ?');
    this.#touchFolder = db.prepare('UPDATE group_file_folders SET modify_time = ? WHERE folder_id = ?');
    this.#insertPrivate = db.prepare(`INSERT INTO private_files (file_id, user_id, sender_id, name, size, sent_at, content)
      VALUES (@fileId, @userId, @senderId, @name, @size, @time, @content)`);
    this.#privateFiles = db.prepare('SELECT file_id, user_id, sender_id, name, size, sent_at FROM private_files WHERE user_id = ? ORDER BY sent_at, rowid');
    this.#privateContent = db.prepare('SELECT content FROM private_files WHERE file_id = ?');
  }

  /** The group's folder, or undefined. */
  folder(groupId: number, folderId: string): FolderRow | undefined {
    return this.#folder.get(groupId, folderId);
  }

  /** The group's folder with this exact name, or undefined. */
  folderByName(groupId: number, name: string): FolderRow | undefined {
    return this.#folderByName.get(groupId, name);
  }

  /** The group's folders, oldest first. */
  folders(groupId: number): FolderRow[] {
    return this.#folders.all(groupId);
  }

  /** The files of one folder (`/` = the root), oldest first. */
  filesIn(groupId: number, folderId: string): FileViewRow[] {
    return this.#filesIn.all(groupId, folderId);
  }

  /** One of the group's files, or undefined. */
  file(groupId: number, fileId: string): FileViewRow | undefined {
    return this.#file.get(groupId, fileId);
  }

  /** A group file's bytes (`undefined` when it has none). */
  content(fileId: string): Buffer | undefined {
    return this.#content.get(fileId)?.content ?? undefined;
  }

  /** How many files the group holds and their total size. */
  usage(groupId: number): { count: number; bytes: number } {
    return this.#usage.get(groupId) ?? { count: 0, bytes: 0 };
  }

  /** Record a file (with its bytes) in a folder; the folder's `modify_time` follows. */
  insertFile(f: NewFsFile): void {
    this.#insertFile.run(f);
    if (f.folderId !== '/') this.#touchFolder.run(f.time, f.folderId);
  }

  /** Remove a file. */
  deleteFile(fileId: string): void {
    this.#deleteFile.run(fileId);
  }

  /** Record a folder. */
  insertFolder(f: NewFolder): void {
    this.#insertFolder.run(f);
  }

  /** Remove a folder and every file in it. */
  deleteFolder(groupId: number, folderId: string): void {
    this.#deleteFilesIn.run(groupId, folderId);
    this.#deleteFolder.run(folderId);
  }

  /** Record a file sent to a user. */
  insertPrivateFile(f: NewPrivateFile): void {
    this.#insertPrivate.run(f);
  }

  /** Files sent to a user, oldest first. */
  privateFiles(userId: number): PrivateFileRow[] {
    return this.#privateFiles.all(userId);
  }

  /** A private file's bytes, or undefined. */
  privateContent(fileId: string): Buffer | undefined {
    return this.#privateContent.get(fileId)?.content ?? undefined;
  }
}
