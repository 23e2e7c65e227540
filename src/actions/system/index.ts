/** Runtime: status, version, capabilities, quick operations, restart, caches. */
import type { Action } from '../../core/action.js';
import { canSendImage, canSendRecord } from './capabilities.js';
import { handleQuickOperation } from './quick-operation.js';
import { getStatus } from './status.js';
import { getVersionInfo } from './version.js';

export const SYSTEM_ACTIONS: readonly Action[] = [getStatus, getVersionInfo, canSendImage, canSendRecord, handleQuickOperation];
