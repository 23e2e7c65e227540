/** Thrown by `loadConfig` when the configuration is invalid; lists every problem at once. */
export class ConfigError extends Error {
  /** One line per problem, each naming the key (or file), the bad value and where it came from. */
  readonly problems: string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = [...problems];
  }
}
