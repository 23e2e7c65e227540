/** Group and private files, downloads. */
import type { Action } from '../../core/action.js';

export const FILE_ACTIONS: readonly Action[] = [];
