/** Friends and users: likes, pokes, profile. */
import type { Action } from '../../core/action.js';
import { deleteFriend } from './friends.js';
import { sendLike } from './like.js';
import { getOnlineClients, setQqProfile } from './profile.js';

export const FRIEND_ACTIONS: readonly Action[] = [sendLike, deleteFriend, setQqProfile, getOnlineClients];
