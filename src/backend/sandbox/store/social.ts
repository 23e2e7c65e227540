/** The bot's social side (migration 3): likes given per day, friend removal, its profile. */
import type { Database, Statement } from 'better-sqlite3';

/** A row of `profiles`. */
export interface ProfileRow { user_id: number; company: string; email: string; college: string; personal_note: string }

/** Profile fields to change (absent ones stay). */
export interface ProfileFields { company?: string | undefined; email?: string | undefined; college?: string | undefined; personal_note?: string | undefined }

/** Data access for `likes_given`, `profiles`, and friend removal / nickname changes. */
export class SocialRepo {
  readonly #likes: Statement<[number, number], { times: number }>;
  readonly #addLikes: Statement<[number, number, number]>;
  readonly #strangersLiked: Statement<[number], { n: number }>;
  readonly #removeFriend: Statement<[number]>;
  readonly #setNickname: Statement<[string, number]>;
  readonly #profile: Statement<[number], ProfileRow>;
  readonly #ensureProfile: Statement<[number]>;
  readonly #setProfile: Statement<ProfileRow>;

  constructor(db: Database) {
    this.#likes = db.prepare('SELECT times FROM likes_given WHERE user_id = ? AND day = ?');
    this.#addLikes = db.prepare(`INSERT INTO likes_given (user_id, day, times) VALUES (?, ?, ?)
      ON CONFLICT (user_id, day) DO UPDATE SET times = times + excluded.times`);
    this.#strangersLiked = db.prepare('SELECT count(*) AS n FROM likes_given WHERE day = ? AND user_id NOT IN (SELECT user_id FROM friendships)');
    this.#removeFriend = db.prepare('DELETE FROM friendships WHERE user_id = ?');
    this.#setNickname = db.prepare('UPDATE users SET nickname = ? WHERE user_id = ?');
    this.#profile = db.prepare('SELECT * FROM profiles WHERE user_id = ?');
    this.#ensureProfile = db.prepare('INSERT OR IGNORE INTO profiles (user_id) VALUES (?)');
    this.#setProfile = db.prepare(`UPDATE profiles SET company = @company, email = @email, college = @college, personal_note = @personal_note
      WHERE user_id = @user_id`);
  }

  /** Likes the bot gave the user on `day` (0 if none). */
  likesOn(userId: number, day: number): number {
    return this.#likes.get(userId, day)?.times ?? 0;
  }

  /** Record `times` more likes for the user on `day`. */
  addLikes(userId: number, day: number, times: number): void {
    this.#addLikes.run(userId, day, times);
  }

  /** How many non-friends the bot liked on `day`. */
  strangersLikedOn(day: number): number {
    return this.#strangersLiked.get(day)?.n ?? 0;
  }

  /** End a friendship; false if there was none. */
  removeFriend(userId: number): boolean {
    return this.#removeFriend.run(userId).changes > 0;
  }

  /** Rename a user. */
  setNickname(userId: number, nickname: string): void {
    this.#setNickname.run(nickname, userId);
  }

  /** The user's extra profile fields (all '' when never set). */
  profile(userId: number): ProfileRow {
    return this.#profile.get(userId) ?? { user_id: userId, company: '', email: '', college: '', personal_note: '' };
  }

  /** Change the fields given. */
  updateProfile(userId: number, fields: ProfileFields): void {
    this.#ensureProfile.run(userId);
    const now = this.profile(userId);
    this.#setProfile.run({
      user_id: userId,
      company: fields.company ?? now.company,
      email: fields.email ?? now.email,
      college: fields.college ?? now.college,
      personal_note: fields.personal_note ?? now.personal_note,
    });
  }
}
