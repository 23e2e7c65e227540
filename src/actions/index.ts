/** Every action cqhttpd offers; the registry is built from this list alone. */
import type { Action } from '../core/action.js';
import { setGroupAnonymousBan } from './group/anonymous-ban.js';
import { setGroupAdmin, setGroupBan, setGroupKick } from './group/moderation.js';
import { getFriendList, getLoginInfo, getStrangerInfo } from './info/account.js';
import { getGroupInfo, getGroupList, getGroupMemberInfo, getGroupMemberList } from './info/group.js';
import { deleteMsg } from './message/delete.js';
import { sendGroupMsg, sendMsg, sendPrivateMsg } from './message/send.js';
import { setFriendAddRequest, setGroupAddRequest } from './request/answer.js';
import { canSendImage, canSendRecord } from './system/capabilities.js';
import { handleQuickOperation } from './system/quick-operation.js';
import { getStatus } from './system/status.js';
import { getVersionInfo } from './system/version.js';

export const ALL_ACTIONS: readonly Action[] = [
  sendPrivateMsg, sendGroupMsg, sendMsg, deleteMsg,
  setGroupKick, setGroupBan, setGroupAdmin, setGroupAnonymousBan,
  setFriendAddRequest, setGroupAddRequest,
  getLoginInfo, getStrangerInfo, getFriendList,
  getGroupList, getGroupInfo, getGroupMemberInfo, getGroupMemberList,
  getStatus, getVersionInfo, canSendImage, canSendRecord,
  handleQuickOperation,
];
