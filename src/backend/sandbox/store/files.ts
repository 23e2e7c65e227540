/** Group files (the bytes are optional: a name and a size describe an upload). */
import type { Database, Statement } from 'better-sqlite3';
import type { GroupFileRow } from './rows.js';

/** A file to record. */
export interface NewGroupFile {
  fileId: string;
  groupId: number;
  busid: number;
  name: string;
  size: number;
  uploader: number;
  uploadTime: number;
  content?: Buffer | undefined;
}

interface InsertFile { file_id: string; group_id: number; busid: number; name: string; size: number; uploader: number; upload_time: number; content: Buffer | null }

const COLUMNS = 'file_id, group_id, folder_id, busid, name, size, uploader, upload_time, modify_time, dead_time, download_times';

/** Data access for `group_files`. */
export class FileRepo {
  readonly #get: Statement<[string], GroupFileRow>;
  readonly #ofGroup: Statement<[number], GroupFileRow>;
  readonly #insert: Statement<InsertFile>;

  constructor(db: Database) {
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM group_files WHERE file_id = ?`);
    this.#ofGroup = db.prepare(`SELECT ${COLUMNS} FROM group_files WHERE group_id = ? ORDER BY upload_time, rowid`);
    this.#insert = db.prepare(`INSERT INTO group_files (file_id, group_id, busid, name, size, uploader, upload_time, modify_time, content)
      VALUES (@file_id, @group_id, @busid, @name, @size, @uploader, @upload_time, @upload_time, @content)`);
  }

  /** The file (without its bytes), or undefined. */
  get(fileId: string): GroupFileRow | undefined {
    return this.#get.get(fileId);
  }

  /** The group's files, oldest first. */
  ofGroup(groupId: number): GroupFileRow[] {
    return this.#ofGroup.all(groupId);
  }

  /** Record an uploaded file in the group's root folder. */
  insert(f: NewGroupFile): void {
    this.#insert.run({
      file_id: f.fileId, group_id: f.groupId, busid: f.busid, name: f.name, size: f.size,
      uploader: f.uploader, upload_time: f.uploadTime, content: f.content ?? null,
    });
  }
}
