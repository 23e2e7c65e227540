/** The action catalogue as text, generated from the registry alone (`cqhttpd actions`, docs/actions.md). */
import type { GenericSchema, ObjectEntries } from 'valibot';
import type { Action } from './action.js';

const OBJECT_SCHEMAS = new Set(['object', 'loose_object', 'strict_object', 'object_with_rest']);

/** Parameter names an action reads, from its schema. */
export function parameterNames(action: Action): string[] {
  let schema: GenericSchema & { pipe?: readonly GenericSchema[]; entries?: ObjectEntries } = action.params;
  // Schemas with cross-field rules are `pipe(object, rawTransform(…))`; the pipe starts with the object.
  while (schema.pipe !== undefined) schema = schema.pipe[0] as GenericSchema;
  return OBJECT_SCHEMAS.has(schema.type) && schema.entries !== undefined ? Object.keys(schema.entries) : [];
}

/** The Markdown catalogue: one table row per action, in name order. */
export function catalogueMarkdown(actions: readonly Action[]): string {
  const rows = [...actions]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((a) => `| \`${a.name}\` | ${a.origin} | ${parameterNames(a).map((p) => `\`${p}\``).join(', ') || '—'} | ${a.summary} |`);
  return [
    '# Actions',
    '',
    'Generated from the action registry by `npm run docs:actions`; `cqhttpd actions` prints the same list.',
    'Every action also exists with the `_async` suffix, and with `_rate_limited` when `enable_rate_limited_actions` is on.',
    '',
    '| action | from | parameters | what it does |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
