/** Migration 3: tables for stored forward messages, read marks, likes, emoji reactions and discuss groups. */
import type { Migration } from '../migrations.js';

export const messagesExtension: Migration = () => {
  // Filled in by the change that needs these tables. Until then this step only bumps the version.
};
