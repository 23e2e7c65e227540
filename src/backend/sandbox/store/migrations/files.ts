/** Migration 5: group file folders and stored file bytes. */
import type { Migration } from '../migrations.js';

export const filesExtension: Migration = () => {
  // Filled in by the change that needs these tables. Until then this step only bumps the version.
};
