/**
 * The JSON Schema of scenario files (docs/scenario.schema.json), generated from the valibot
 * `scenarioSchema` so that editors validate and complete what `cqhttpd test` accepts.
 * `npm run docs:scenario-schema` writes it; test/testing/scenario-schema.test.ts fails when the file
 * and the schema disagree. Every object refuses unknown keys as the loader does; `world` refers to
 * docs/world.schema.json. The checks across keys (one act per step, one kind per expectation) are
 * beyond this schema; `cqhttpd test` reports them with line numbers.
 */
import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema';
import { faultStepInput, faultStepShape } from '../src/testing/scenario/fault-step.js';
import { rawEventField, scenarioSchema, worldField } from '../src/testing/scenario/schema.js';

/** A valibot schema as JSON Schema: closed objects, the world by reference, `fault:` by its shape. */
function convert(valibot: Parameters<typeof toJsonSchema>[0]): JsonSchema {
  return toJsonSchema(valibot, {
    errorMode: 'ignore',
    overrideSchema: ({ valibotSchema, jsonSchema }) => {
      if (valibotSchema === worldField) return { $ref: 'world.schema.json' };
      if (valibotSchema === rawEventField) return { type: 'object', properties: { post_type: { type: 'string', minLength: 1 } }, required: ['post_type'] };
      if (valibotSchema === faultStepInput) {
        const { $schema: _, ...shape } = convert(faultStepShape);
        return shape;
      }
      if (valibotSchema.type === 'loose_object') return { ...jsonSchema, additionalProperties: false };
      return undefined;
    },
  });
}

/** The JSON Schema document, as written to docs/scenario.schema.json (2-space indent, final newline). */
export function scenarioJsonSchemaText(): string {
  const schema = convert(scenarioSchema);
  const document: JsonSchema = {
    $schema: schema.$schema,
    $id: 'scenario.schema.json',
    title: 'cqhttpd test scenario',
    description: 'A scenario file (YAML or JSON) run by `cqhttpd test`: a name, an optional world, options and steps. See docs/testing.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
