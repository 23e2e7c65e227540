/** Friends and users: likes, pokes, profile. */
import type { Action } from '../../core/action.js';

export const FRIEND_ACTIONS: readonly Action[] = [];
