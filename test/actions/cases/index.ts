/**
 * Every case set of the conformance table. Each set runs in order on its own fresh default world,
 * over every API transport; add a set per area (one file each) and list it here.
 */
import { CORE_CASES } from './core.js';
import type { ActionCase } from './types.js';

export type { ActionCase } from './types.js';

export const CASE_SETS: Record<string, ActionCase[]> = {
  core: CORE_CASES,
};

/** Actions whose failure path cannot be reached with parameters (they take none and cannot fail). */
export const NO_FAILURE_PATH = new Set([
  'get_login_info', 'get_friend_list', 'get_group_list', 'get_status', 'get_version_info', 'can_send_image', 'can_send_record',
]);
