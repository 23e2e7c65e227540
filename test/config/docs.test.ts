import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CONFIG_KEYS, defaultConfig } from '../../src/config/index.js';

const doc = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');

/** The table row documenting `key`: `| \`key\` | type | default | meaning |`. */
function row(key: string): string[] | undefined {
  const line = doc.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
  return line?.split(' | ').map((cell) => cell.trim());
}

test('docs/config.md documents every schema key in a table row', () => {
  const missing = CONFIG_KEYS.filter((key) => row(key) === undefined);
  assert.deepEqual(missing, []);
});

test('docs/config.md states each key\'s default as the schema does', () => {
  const defaults: Record<string, unknown> = defaultConfig();
  const wrong = CONFIG_KEYS.filter((key) => {
    const cell = row(key)?.[2];
    const documented = cell === '`""`' ? '' : cell?.replace(/^`|`$/g, '');
    const value = defaults[key];
    const expected = value === undefined ? 'unset' : Array.isArray(value) ? JSON.stringify(value) : String(value);
    return documented !== expected;
  });
  assert.deepEqual(wrong, []);
});
