/** Writes docs/scenario.schema.json from the valibot scenario schema (`npm run docs:scenario-schema`). */
import fs from 'node:fs';
import { scenarioJsonSchemaText } from './scenario-json-schema.js';

fs.writeFileSync(new URL('../docs/scenario.schema.json', import.meta.url), scenarioJsonSchemaText());
console.log('docs/scenario.schema.json written');
