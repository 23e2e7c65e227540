/**
 * What every event body must look like: canonical JSON (decision P5) and the exact key sets of
 * CQHTTP 4.15 Appendix B, with docs/extensions.md §4 for the v11 notices.
 */
import assert from 'node:assert/strict';

/** P5: the body is compact JSON with every object's keys sorted, so it re-serialises to itself. */
export function assertCanonical(body: string): void {
  assert.equal(JSON.stringify(JSON.parse(body)), body, 'body is compact JSON');
  const visit = (value: unknown, where: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${where}[${i}]`));
    else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      assert.deepEqual(keys, [...keys].sort(), `keys of ${where} are sorted`);
      for (const key of keys) visit((value as Record<string, unknown>)[key], `${where}.${key}`);
    }
  };
  visit(JSON.parse(body), 'event');
}

/** Sorted keys of an object value. */
export const keysOf = (value: unknown): string[] => Object.keys(value as Record<string, unknown>).sort();

const w = (s: string): string[] => s.split(' ');
/** Appendix B and docs/extensions.md §4: the exact key sets, sorted. */
export const KEYS = {
  private: w('font message message_id message_type post_type raw_message self_id sender sub_type time user_id'),
  privateSender: w('age nickname sex user_id'),
  group: w('anonymous font group_id message message_id message_type post_type raw_message self_id sender sub_type time user_id'),
  groupSender: w('age area card level nickname role sex title user_id'),
  anonymous: w('flag id name'),
  group_upload: w('file group_id notice_type post_type self_id time user_id'),
  file: w('busid id name size'),
  group_admin: w('group_id notice_type post_type self_id sub_type time user_id'),
  group_decrease: w('group_id notice_type operator_id post_type self_id sub_type time user_id'),
  group_increase: w('group_id notice_type operator_id post_type self_id sub_type time user_id'),
  group_ban: w('duration group_id notice_type operator_id post_type self_id sub_type time user_id'),
  friend_add: w('notice_type post_type self_id time user_id'),
  group_recall: w('group_id message_id notice_type operator_id post_type self_id time user_id'),
  friend_recall: w('message_id notice_type post_type self_id time user_id'),
  pokeGroup: w('group_id notice_type post_type self_id sender_id sub_type target_id time user_id'),
  pokeFriend: w('notice_type post_type self_id sender_id sub_type target_id time user_id'),
  lucky_king: w('group_id notice_type post_type self_id sender_id sub_type target_id time user_id'),
  honor: w('group_id honor_type notice_type post_type self_id sub_type time user_id'),
  requestFriend: w('comment flag post_type request_type self_id time user_id'),
  requestGroup: w('comment flag group_id post_type request_type self_id sub_type time user_id'),
  lifecycle: w('_post_method meta_event_type post_type self_id sub_type time'),
  heartbeat: w('interval meta_event_type post_type self_id status time'),
} as const;

