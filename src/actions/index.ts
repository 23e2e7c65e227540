/** Every action cqhttpd offers; the registry is built from this list alone (one list per area). */
import type { Action } from '../core/action.js';
import { FILE_ACTIONS } from './file/index.js';
import { FRIEND_ACTIONS } from './friend/index.js';
import { GROUP_ACTIONS } from './group/index.js';
import { INFO_ACTIONS } from './info/index.js';
import { MEDIA_ACTIONS } from './media/index.js';
import { MESSAGE_ACTIONS } from './message/index.js';
import { REQUEST_ACTIONS } from './request/index.js';
import { SYSTEM_ACTIONS } from './system/index.js';

export const ALL_ACTIONS: readonly Action[] = [
  ...FILE_ACTIONS,
  ...FRIEND_ACTIONS,
  ...GROUP_ACTIONS,
  ...INFO_ACTIONS,
  ...MEDIA_ACTIONS,
  ...MESSAGE_ACTIONS,
  ...REQUEST_ACTIONS,
  ...SYSTEM_ACTIONS,
];
