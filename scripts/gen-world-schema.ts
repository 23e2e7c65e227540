/** Writes docs/world.schema.json from the valibot world schema (`npm run docs:world-schema`). */
import fs from 'node:fs';
import { worldJsonSchemaText } from './world-json-schema.js';

fs.writeFileSync(new URL('../docs/world.schema.json', import.meta.url), worldJsonSchemaText());
console.log('docs/world.schema.json written');
