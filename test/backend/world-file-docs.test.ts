/** docs/world.md and docs/world.schema.json: in sync with the loader's schema, and the example is a valid world. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { parseWorld, WorldFileError, worldSchema } from '../../src/backend/sandbox/index.js';
import { worldJsonSchemaText } from '../../scripts/world-json-schema.js';

const doc = readFileSync(new URL('../../docs/world.md', import.meta.url), 'utf8');
const schemaText = readFileSync(new URL('../../docs/world.schema.json', import.meta.url), 'utf8');
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(schemaText) as object);

/** The YAML block under "## Example". */
function example(): unknown {
  const block = /## Example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, 'docs/world.md has a YAML example');
  return parseYaml(block[1] ?? '');
}

describe('world file documentation', () => {
  it('docs/world.schema.json is what the valibot world schema generates (npm run docs:world-schema)', () => {
    assert.equal(schemaText, worldJsonSchemaText());
  });

  it('docs/world.md documents every key of the world schema and links the JSON Schema', () => {
    const keys = new Set<string>();
    const walk = (schema: unknown): void => {
      if (typeof schema !== 'object' || schema === null) return;
      const s = schema as { properties?: Record<string, unknown>; items?: unknown };
      for (const [key, inner] of Object.entries(s.properties ?? {})) {
        keys.add(key);
        walk(inner);
      }
      walk(s.items);
    };
    walk(JSON.parse(schemaText));
    assert.ok(keys.size > 15);
    for (const key of keys) assert.match(doc, new RegExp(`^\\| \`(?:bot\\.)?${key.replace('$', '\\$')}\` \\|`, 'm'), `${key} has a table row`);
    assert.ok(Object.keys(worldSchema.pipe[1].entries).every((key) => keys.has(key)));
    assert.match(doc, /\]\(world\.schema\.json\)/);
  });

  it('the example is a valid world for the loader and for the JSON Schema', () => {
    const world = example();
    assert.ok(validate(world), JSON.stringify(validate.errors));
    assert.equal(parseWorld(world, 'docs/world.md').self_id, 123456);
  });

  it('the JSON Schema refuses what the loader refuses: unknown keys, wrong types, bad roles, empty member lists', () => {
    const base = example() as Record<string, unknown> & { users: Record<string, unknown>[]; groups: Record<string, unknown>[] };
    const variants: [string, unknown][] = [
      ['unknown top-level key', { ...base, self: 1 }],
      ['unknown user key', { ...base, users: [{ ...base.users[0], nick: 'x' }, ...base.users.slice(1)] }],
      ['string user_id', { ...base, users: [{ ...base.users[0], user_id: '1001' }, ...base.users.slice(1)] }],
      ['fractional age', { ...base, users: [{ ...base.users[0], age: 1.5 }, ...base.users.slice(1)] }],
      ['no bot', { ...base, bot: undefined }],
      ['empty members', { ...base, groups: [{ ...base.groups[0], members: [] }] }],
      ['bad role', { ...base, groups: [{ ...base.groups[0], members: [{ user_id: 123456, role: 'boss' }] }] }],
    ];
    for (const [what, world] of variants) {
      const clean = JSON.parse(JSON.stringify(world)) as unknown;
      assert.equal(validate(clean), false, `JSON Schema accepts ${what}`);
      assert.throws(() => parseWorld(clean, 'inline'), WorldFileError, `loader accepts ${what}`);
    }
  });
});
