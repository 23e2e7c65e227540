/** One configuration value as read from some source, before validation. */
export interface Entry {
  readonly key: string;
  readonly value: unknown;
  /** Where it came from, for messages: `/path/config.ini [general]`, `environment variable CQHTTP_PORT`… */
  readonly origin: string;
  /** A remark on how the value was written (an INI value with what looks like an inline comment), added to its messages. */
  readonly note?: string;
}

/** `CQHTTP_<KEY>` environment variables; the key is the lowercased rest (`CQHTTP_POST_URL` → `post_url`). */
export function entriesFromEnv(env: NodeJS.ProcessEnv): Entry[] {
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('CQHTTP_') || name.length === 'CQHTTP_'.length || value === undefined) continue;
    entries.push({ key: name.slice('CQHTTP_'.length).toLowerCase(), value, origin: `environment variable ${name}` });
  }
  return entries;
}

/** Programmatic overrides (command-line flags); `undefined` values mean "not given". */
export function entriesFromOverrides(overrides: Record<string, unknown>): Entry[] {
  return Object.entries(overrides)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ key, value, origin: 'command-line override' }));
}

/** The last entry for `key`, if any. */
export function lastEntry(entries: readonly Entry[], key: string): Entry | undefined {
  return entries.findLast((entry) => entry.key === key);
}
