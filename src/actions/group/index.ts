/** Group administration. */
import type { Action } from '../../core/action.js';
import { setGroupAnonymousBan } from './anonymous-ban.js';
import { setGroupAdmin, setGroupBan, setGroupKick } from './moderation.js';

export const GROUP_ACTIONS: readonly Action[] = [setGroupKick, setGroupBan, setGroupAdmin, setGroupAnonymousBan];
