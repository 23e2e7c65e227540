/** Messages: sending, recalling, reading back, forwarding, history. */
import type { Action } from '../../core/action.js';
import { deleteMsg } from './delete.js';
import { sendGroupMsg, sendMsg, sendPrivateMsg } from './send.js';

export const MESSAGE_ACTIONS: readonly Action[] = [sendPrivateMsg, sendGroupMsg, sendMsg, deleteMsg];
