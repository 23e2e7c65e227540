/** The action catalogue as text, generated from the registry alone (`cqhttpd actions`, docs/actions.md). */
import { z } from 'zod';
import type { Action } from './action.js';

/** Parameter names an action reads, from its schema. */
export function parameterNames(action: Action): string[] {
  let schema: z.ZodType = action.params;
  // Schemas with cross-field rules are `object.transform(…)` pipes; their input side is the object.
  while (schema instanceof z.ZodPipe) schema = schema.in as z.ZodType;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
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
