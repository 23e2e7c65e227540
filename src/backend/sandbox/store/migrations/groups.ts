/** Migration 4: tables for essence messages, honors, announcements and group settings (name, portrait, special titles…). */
import type { Migration } from '../migrations.js';

export const groupsExtension: Migration = () => {
  // Filled in by the change that needs these tables. Until then this step only bumps the version.
};
