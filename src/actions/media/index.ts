/** Images and voice records. */
import type { Action } from '../../core/action.js';
import { cleanCache, cleanDataDir } from './clean.js';
import { getImage } from './images.js';
import { getRecord } from './records.js';

export const MEDIA_ACTIONS: readonly Action[] = [getImage, getRecord, cleanDataDir, cleanCache];
