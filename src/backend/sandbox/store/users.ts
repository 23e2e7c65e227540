/** Users, the bot account and the bot's friendships. Statements are prepared once, in the constructor. */
import type { Database, Statement } from 'better-sqlite3';
import type { Sex } from '../../port.js';
import type { FriendRow, UserRow } from './rows.js';

/** What is needed to create a user; omitted fields take the column defaults. */
export interface NewUser {
  userId: number;
  nickname: string;
  sex?: Sex | undefined;
  age?: number | undefined;
  area?: string | undefined;
  level?: number | undefined;
}

interface InsertUser { user_id: number; nickname: string; sex: Sex; age: number; area: string; level: number }

/** Fields of a user to change (absent ones stay). */
export type UserChanges = Partial<Omit<NewUser, 'userId'>>;

/** Data access for `users`, `account` and `friendships`. */
export class UserRepo {
  readonly #get: Statement<[number], UserRow>;
  readonly #all: Statement<[], UserRow>;
  readonly #insert: Statement<InsertUser>;
  readonly #update: Statement<InsertUser>;
  readonly #selfId: Statement<[], { self_id: number }>;
  readonly #setAccount: Statement<[number, number]>;
  readonly #friend: Statement<[number], FriendRow>;
  readonly #friends: Statement<[], FriendRow>;
  readonly #addFriend: Statement<[number, string, number]>;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM users WHERE user_id = ?');
    this.#all = db.prepare('SELECT * FROM users ORDER BY user_id');
    this.#insert = db.prepare('INSERT INTO users (user_id, nickname, sex, age, area, level) VALUES (@user_id, @nickname, @sex, @age, @area, @level)');
    this.#update = db.prepare('UPDATE users SET nickname = @nickname, sex = @sex, age = @age, area = @area, level = @level WHERE user_id = @user_id');
    this.#selfId = db.prepare('SELECT self_id FROM account WHERE id = 1');
    this.#setAccount = db.prepare('INSERT INTO account (id, self_id, created_at) VALUES (1, ?, ?)');
    const friendCols = 'u.*, f.remark AS remark';
    this.#friend = db.prepare(`SELECT ${friendCols} FROM friendships f JOIN users u USING (user_id) WHERE f.user_id = ?`);
    this.#friends = db.prepare(`SELECT ${friendCols} FROM friendships f JOIN users u USING (user_id) ORDER BY f.user_id`);
    this.#addFriend = db.prepare('INSERT INTO friendships (user_id, remark, since) VALUES (?, ?, ?)');
  }

  /** The user, or undefined when nobody has this QQ number. */
  get(userId: number): UserRow | undefined {
    return this.#get.get(userId);
  }

  /** Every user, by id. */
  all(): UserRow[] {
    return this.#all.all();
  }

  /** Insert a user (fails on a duplicate id). */
  insert(user: NewUser): void {
    this.#insert.run({
      user_id: user.userId,
      nickname: user.nickname,
      sex: user.sex ?? 'unknown',
      age: user.age ?? 0,
      area: user.area ?? '',
      level: user.level ?? 1,
    });
  }

  /** Change the fields given of an existing user; false when there is no such user. */
  update(userId: number, changes: UserChanges): boolean {
    const now = this.get(userId);
    if (now === undefined) return false;
    this.#update.run({
      user_id: userId,
      nickname: changes.nickname ?? now.nickname,
      sex: changes.sex ?? now.sex,
      age: changes.age ?? now.age,
      area: changes.area ?? now.area,
      level: changes.level ?? now.level,
    });
    return true;
  }

  /** The bot's QQ number, or undefined while the database holds no world. */
  selfId(): number | undefined {
    return this.#selfId.get()?.self_id;
  }

  /** Record which user is the bot (once). */
  setSelfId(selfId: number, nowSec: number): void {
    this.#setAccount.run(selfId, nowSec);
  }

  /** The friend (with remark), or undefined when not the bot's friend. */
  friend(userId: number): FriendRow | undefined {
    return this.#friend.get(userId);
  }

  /** Every friend of the bot, by id. */
  friends(): FriendRow[] {
    return this.#friends.all();
  }

  /** Make the user a friend of the bot. */
  addFriend(userId: number, remark: string, nowSec: number): void {
    this.#addFriend.run(userId, remark, nowSec);
  }
}
