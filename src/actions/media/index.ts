/** Images and voice records. */
import type { Action } from '../../core/action.js';

export const MEDIA_ACTIONS: readonly Action[] = [];
