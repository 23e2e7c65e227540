/** Answering friend and group requests. */
import type { Action } from '../../core/action.js';
import { setFriendAddRequest, setGroupAddRequest } from './answer.js';

export const REQUEST_ACTIONS: readonly Action[] = [setFriendAddRequest, setGroupAddRequest];
