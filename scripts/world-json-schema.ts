/**
 * The JSON Schema of world files (docs/world.schema.json), generated from the valibot `worldSchema`
 * so that editors validate exactly what cqhttpd accepts. `npm run docs:world-schema` writes it;
 * test/backend/world-json-schema.test.ts fails when the file and the schema disagree.
 *
 * `worldSchema` spells a few checks as custom schemas (to keep its error wording), which
 * @valibot/to-json-schema cannot see into; they are mapped here: an object check → `object`, the
 * integer checks → `integer`, and every object refuses unknown keys as the loader does. The UTF-8
 * byte limits of `card` and `title`, and the cross-references (members in `users`, one owner per
 * group…) are beyond JSON Schema; cqhttpd reports them when it loads the file.
 */
import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { worldSchema } from '../src/backend/sandbox/world-schema.js';
import { isJsonObject } from '../src/protocol/json.js';

type Custom = v.CustomSchema<unknown, v.ErrorMessage<v.CustomIssue> | undefined>;

/** The JSON Schema document, as written to docs/world.schema.json (2-space indent, final newline). */
export function worldJsonSchemaText(): string {
  const schema = toJsonSchema(worldSchema, {
    errorMode: 'ignore',
    overrideSchema: ({ valibotSchema, jsonSchema }) => {
      if (valibotSchema.type === 'custom') {
        const { check } = valibotSchema as Custom;
        if (check === isJsonObject) return { type: 'object' };
        return { type: check === Number.isInteger ? 'integer' : 'number' };
      }
      if (valibotSchema.type === 'loose_object') return { ...jsonSchema, additionalProperties: false };
      return undefined;
    },
  });
  const document: JsonSchema = {
    $schema: schema.$schema,
    $id: 'world.schema.json',
    title: 'cqhttpd sandbox world',
    description: 'A world file (JSON or YAML) seeded into an empty sandbox database: the bot, the users, the bot\'s friends and the groups. See docs/world.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
