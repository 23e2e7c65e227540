/** Messages: sending, recalling, reading back, forwarding, history. */
import type { Action } from '../../core/action.js';
import { deleteMsg } from './delete.js';
import { sendDiscussMsg, setDiscussLeave } from './discuss.js';
import { getForwardMsg, sendForwardMsg, sendGroupForwardMsg, sendPrivateForwardMsg } from './forward.js';
import { getMsg } from './get.js';
import { getFriendMsgHistory, getGroupMsgHistory, markMsgAsRead } from './history.js';
import { setMsgEmojiLike } from './reaction.js';
import { sendGroupMsg, sendMsg, sendPrivateMsg } from './send.js';

export const MESSAGE_ACTIONS: readonly Action[] = [
  sendPrivateMsg, sendGroupMsg, sendMsg, deleteMsg, sendDiscussMsg, setDiscussLeave,
  getMsg, getForwardMsg, sendGroupForwardMsg, sendPrivateForwardMsg, sendForwardMsg,
  getGroupMsgHistory, getFriendMsgHistory, markMsgAsRead, setMsgEmojiLike,
];
