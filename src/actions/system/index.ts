/** Runtime: status, version, capabilities, quick operations, restart, logs, credentials, discovery. */
import type { Action } from '../../core/action.js';
import { canSendImage, canSendRecord } from './capabilities.js';
import { getCookies, getCredentials, getCsrfToken } from './credentials.js';
import { getGuildServiceProfile, getSupportedActions } from './discovery.js';
import { cleanPluginLog } from './logs.js';
import { handleQuickOperation } from './quick-operation.js';
import { rcnb } from './rcnb.js';
import { setRestart, setRestartCoolq, setRestartPlugin } from './restart.js';
import { getStatus } from './status.js';
import { checkUpdate } from './update.js';
import { getVersionInfo } from './version.js';

export const SYSTEM_ACTIONS: readonly Action[] = [
  getStatus, getVersionInfo, canSendImage, canSendRecord, handleQuickOperation,
  setRestartPlugin, setRestart, setRestartCoolq, cleanPluginLog, checkUpdate,
  getCookies, getCsrfToken, getCredentials, getSupportedActions, getGuildServiceProfile, rcnb,
];
