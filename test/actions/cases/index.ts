/**
 * Every case set of the conformance table. Each set runs in order on its own fresh default world,
 * over every API transport; add a set per area (one file each) and list it here.
 */
import { CORE_CASES } from './core.js';
import { FRIEND_CASES } from './friend.js';
import { MESSAGE_CASES } from './message.js';
import { GROUP_CASES } from './group.js';
import { SYSTEM_CASES } from './system.js';
import { FILE_CASES } from './file.js';
import { MEDIA_CASES } from './media.js';
import type { ActionCase } from './types.js';

export type { ActionCase } from './types.js';

export const CASE_SETS: Record<string, ActionCase[]> = {
  core: CORE_CASES,
  message: MESSAGE_CASES,
  friend: FRIEND_CASES,
  group: GROUP_CASES,
  system: SYSTEM_CASES,
  file: FILE_CASES,
  media: MEDIA_CASES,
};

/** Actions whose failure path cannot be reached with parameters (they take none and cannot fail). */
export const NO_FAILURE_PATH = new Set([
  'get_login_info', 'get_friend_list', 'get_group_list', 'get_status', 'get_version_info', 'can_send_image', 'can_send_record',
  // system: no parameter makes these fail (the flags of `_set_restart` and `automatic` are booleans)
  'clean_plugin_log', '.check_update', '_set_restart', 'get_csrf_token', 'get_supported_actions', 'get_guild_service_profile',
  // group: no parameter makes these fail (`flat` is a boolean; the system messages take none)
  '_get_friend_list', 'get_group_system_msg',
  // messages: the sandbox account has no other devices to list, and `no_cache` is a boolean
  'get_online_clients',
  // media: clean_cache takes no parameter; its file-system failure (103) is tested in media-actions.test.ts
  'clean_cache',
]);
