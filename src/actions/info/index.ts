/** Information about the account, users, friends and groups. */
import type { Action } from '../../core/action.js';
import { getFriendList, getLoginInfo, getStrangerInfo } from './account.js';
import { getGroupInfo, getGroupList, getGroupMemberInfo, getGroupMemberList } from './group.js';

export const INFO_ACTIONS: readonly Action[] = [getLoginInfo, getStrangerInfo, getFriendList, getGroupList, getGroupInfo, getGroupMemberInfo, getGroupMemberList];
