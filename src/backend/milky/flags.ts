/**
 * Request flags for Milky requests: what Milky needs to answer a request, as the opaque `flag` v11
 * bots hand back to `set_friend_add_request`/`set_group_add_request`. A friend request is answered
 * by the initiator's uid; a group request by its kind, group and sequence number.
 */
export type GroupRequestKind = 'join_request' | 'invited_join_request' | 'invitation';

export const friendFlag = (initiatorUid: string, filtered: boolean): string => `milky:friend:${filtered ? 1 : 0}:${initiatorUid}`;

export const groupFlag = (kind: GroupRequestKind, groupId: number, seq: number, filtered: boolean): string => `milky:${kind}:${groupId}:${seq}:${filtered ? 1 : 0}`;

export function parseFriendFlag(flag: string): { initiatorUid: string; filtered: boolean } | undefined {
  const m = /^milky:friend:([01]):(.+)$/.exec(flag);
  return m === null ? undefined : { initiatorUid: m[2]!, filtered: m[1] === '1' };
}

export function parseGroupFlag(flag: string): { kind: GroupRequestKind; groupId: number; seq: number; filtered: boolean } | undefined {
  const m = /^milky:(join_request|invited_join_request|invitation):(\d+):(\d+):([01])$/.exec(flag);
  return m === null ? undefined : { kind: m[1] as GroupRequestKind, groupId: Number(m[2]), seq: Number(m[3]), filtered: m[4] === '1' };
}
