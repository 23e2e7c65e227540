/**
 * Thrown by `loadConfig` when the configuration is invalid; lists every problem at once, and the
 * warnings found on the way (an unknown key is often the typo behind a problem).
 */
export class ConfigError extends Error {
  /** One line per problem, each naming the key (or file), the bad value and where it came from. */
  readonly problems: string[];
  /** The non-fatal remarks of the same load (unknown keys, ignored values), reported with the problems. */
  readonly warnings: string[];

  constructor(problems: readonly string[], warnings: readonly string[] = []) {
    const lines = [...problems.map((p) => `  - ${p}`), ...warnings.map((w) => `  - warning: ${w}`)];
    super(`invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}${warnings.length > 0 ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = [...problems];
    this.warnings = [...warnings];
  }
}
