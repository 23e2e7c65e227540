/**
 * The JSON Schema of scenario files (docs/scenario.schema.json), generated from the valibot
 * `scenarioSchema` so that editors validate and complete what `cqhttpd test` accepts.
 * `npm run docs:scenario-schema` writes it; test/testing/scenario-schema.test.ts fails when the file
 * and the schema disagree. Every object refuses unknown keys as the loader does; `world` refers to
 * docs/world.schema.json. The checks across keys (one act per step, one kind per expectation) are
 * beyond this schema; `cqhttpd test` reports them with line numbers.
 */
import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema';
import { rawEventField, scenarioSchema, worldField } from '../src/testing/scenario/schema.js';

/** The JSON Schema document, as written to docs/scenario.schema.json (2-space indent, final newline). */
export function scenarioJsonSchemaText(): string {
  const schema = toJsonSchema(scenarioSchema, {
    errorMode: 'ignore',
    overrideSchema: ({ valibotSchema, jsonSchema }) => {
      if (valibotSchema === worldField) return { $ref: 'world.schema.json' };
      if (valibotSchema === rawEventField) return { type: 'object', properties: { post_type: { type: 'string', minLength: 1 } }, required: ['post_type'] };
      if (valibotSchema.type === 'loose_object') return { ...jsonSchema, additionalProperties: false };
      return undefined;
    },
  });
  const document: JsonSchema = {
    $schema: schema.$schema,
    $id: 'scenario.schema.json',
    title: 'cqhttpd test scenario',
    description: 'A scenario file (YAML or JSON) run by `cqhttpd test`: a name, an optional world, options and steps. See docs/testing.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
