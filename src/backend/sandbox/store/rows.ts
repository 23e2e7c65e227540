/** Row shapes of the sandbox tables, exactly as SQLite returns them (snake_case, 0/1 booleans). */
import type { Role, Sex } from '../../port.js';

export interface UserRow {
  user_id: number;
  nickname: string;
  sex: Sex;
  age: number;
  area: string;
  level: number;
}

export interface FriendRow extends UserRow {
  remark: string;
}

export interface GroupRow {
  group_id: number;
  group_name: string;
  max_member_count: number;
  whole_ban: 0 | 1;
  anonymous_enabled: 0 | 1;
  created_at: number;
}

export interface MemberRow {
  group_id: number;
  user_id: number;
  role: Role;
  card: string;
  title: string;
  title_expire_time: number;
  join_time: number;
  last_sent_time: number;
  /** Unix seconds; the member is muted while this is in the future. */
  muted_until: number;
  level: string;
}

/** A member joined with the user's profile. */
export type MemberViewRow = MemberRow & Pick<UserRow, 'nickname' | 'sex' | 'age' | 'area'>;

/** `discuss` since migration 3 (discuss groups, decision P10). */
export type PeerType = 'group' | 'private' | 'discuss';

export interface MessageRow {
  message_id: number;
  peer_type: PeerType;
  /** The group id, or the private peer's user id (the user who is not the bot). */
  peer_id: number;
  seq: number;
  sender_id: number;
  time_ms: number;
  /** JSON segment array. */
  segments: string;
  raw_message: string;
  recalled: 0 | 1;
  recalled_by: number | null;
  recalled_at_ms: number | null;
  /** The author's anonymous identity when the message was sent anonymously (migration 2). */
  anon_id: number | null;
}

export type RequestKind = 'friend' | 'group';
/** `''` for friend requests. */
export type RequestSubType = '' | 'add' | 'invite';
export type RequestState = 'pending' | 'approved' | 'rejected';

export interface RequestRow {
  flag: string;
  kind: RequestKind;
  sub_type: RequestSubType;
  /** Null for friend requests. */
  group_id: number | null;
  /** The requester (`friend`, `add`) or the inviter (`invite`). */
  user_id: number;
  comment: string;
  state: RequestState;
  created_at: number;
  handled_by: number | null;
  handled_at: number | null;
  /** The remark (friend approved) or the reason (group rejected) given when handled. */
  answer: string;
}

export interface GroupFileRow {
  file_id: string;
  group_id: number;
  folder_id: string;
  busid: number;
  name: string;
  size: number;
  uploader: number;
  upload_time: number;
  modify_time: number;
  dead_time: number;
  download_times: number;
}

export interface AnonymousRow {
  anon_id: number;
  group_id: number;
  user_id: number;
  name: string;
  flag: string;
  /** Unix seconds; the identity may not speak while this is in the future. */
  banned_until: number;
}
