/** Writes docs/openapi.json from the registry (`npm run docs:openapi`); test/core/openapi.test.ts keeps it in sync. */
import fs from 'node:fs';
import { ALL_ACTIONS } from '../src/actions/index.js';
import { openApiText } from '../src/core/openapi.js';
import { readBuildInfo } from '../src/app/build-info.js';

fs.writeFileSync(new URL('../docs/openapi.json', import.meta.url), openApiText(ALL_ACTIONS, readBuildInfo().appVersion));
console.log(`docs/openapi.json: ${ALL_ACTIONS.length} actions`);
