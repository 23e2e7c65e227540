/** The control API's JSON shapes, as the console reads them (docs/sandbox-api.md). */

export interface Segment { type: string; data: Record<string, unknown> }

export type Role = 'owner' | 'admin' | 'member';

export interface Member { user_id: number; role: Role; card: string; title: string; join_time: number; last_sent_time: number; muted_until: number }

export interface Group { group_id: number; group_name: string; max_member_count: number; whole_ban: boolean; anonymous_enabled: boolean; members: Member[]; blocked: number[] }

export interface User { user_id: number; nickname: string; sex: string; age: number; area: string; level: number }

export interface World { self_id: number; users: User[]; groups: Group[]; friends: number[] }

export interface Message {
  message_id: number;
  time: number;
  user_id: number;
  group_id?: number;
  discuss_id?: number;
  target_id?: number;
  message: Segment[];
  raw_message: string;
  recalled: boolean;
  anonymous?: { id: number; name: string; flag: string };
}

export interface Call {
  id: number;
  action: string;
  params: Record<string, unknown>;
  retcode: number;
  duration: number;
  channel: string;
  time: number;
  data: unknown;
  msg?: string;
  wording?: string;
  unknown?: true;
  /** The bot account that made the call (several bots in one world). */
  self_id?: number;
}

/** An event the sandbox emitted to the bot, in its OneBot shape. */
export type BotEvent = Record<string, unknown> & { post_type: string; time: number };

export interface Request { flag: string; request_type: string; sub_type?: string; group_id?: number; user_id: number; comment: string; state: string; time: number; handled_by: number | null }
