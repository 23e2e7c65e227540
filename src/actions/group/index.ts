/** Group administration, settings, essence, honors and pokes, and the 4.15 experimental look-ups. */
import type { Action } from '../../core/action.js';
import { setGroupAnonymousBan } from './anonymous-ban.js';
import { deleteEssenceMsg, getEssenceMsgList, setEssenceMsg } from './essence.js';
import { getFriendGroups, getGroupNotice, getGroupProfile, getVipInfo, sendGroupNotice } from './experimental.js';
import { setGroupAdmin, setGroupBan, setGroupKick } from './moderation.js';
import { friendPoke, groupPoke, sendPoke } from './poke.js';
import { setGroupAnonymous, setGroupCard, setGroupLeave, setGroupName, setGroupPortrait, setGroupSpecialTitle, setGroupWholeBan } from './settings.js';
import { getGroupAtAllRemain, getGroupHonorInfo, getGroupSystemMsg } from './status.js';

export const GROUP_ACTIONS: readonly Action[] = [
  setGroupKick, setGroupBan, setGroupAdmin, setGroupAnonymousBan,
  setGroupWholeBan, setGroupAnonymous, setGroupCard, setGroupLeave, setGroupSpecialTitle, setGroupName, setGroupPortrait,
  getGroupProfile, getGroupNotice, sendGroupNotice, getFriendGroups, getVipInfo,
  getGroupHonorInfo, getGroupAtAllRemain, getGroupSystemMsg,
  setEssenceMsg, deleteEssenceMsg, getEssenceMsgList,
  groupPoke, friendPoke, sendPoke,
];
