/** Writes docs/actions.md from the registry (`npm run docs:actions`). */
import fs from 'node:fs';
import { ALL_ACTIONS } from '../src/actions/index.js';
import { catalogueMarkdown } from '../src/core/catalogue.js';

fs.writeFileSync(new URL('../docs/actions.md', import.meta.url), catalogueMarkdown(ALL_ACTIONS));
console.log(`docs/actions.md: ${ALL_ACTIONS.length} actions`);
