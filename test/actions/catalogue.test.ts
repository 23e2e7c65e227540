import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { ALL_ACTIONS } from '../../src/actions/index.js';
import { startTestApp } from '../helpers/app.js';
import { CASES, NO_FAILURE_PATH } from './cases.js';

test('every registered action has a success case, a failure case and a line in docs/actions.md', () => {
  const docs = fs.readFileSync(new URL('../../docs/actions.md', import.meta.url), 'utf8');
  const missing: string[] = [];
  for (const { name } of ALL_ACTIONS) {
    if (!CASES.some((c) => c.action === name && c.retcode === 0)) missing.push(`${name}: no success case`);
    if (!NO_FAILURE_PATH.has(name) && !CASES.some((c) => c.action === name && c.retcode !== 0)) missing.push(`${name}: no failure case`);
    if (!docs.includes(`\`${name}\``)) missing.push(`${name}: not in docs/actions.md`);
  }
  assert.deepEqual(missing, []);
});

describe('the conformance table over HTTP', () => {
  test('each case answers its retcode', async () => {
    const t = await startTestApp();
    try {
      for (const c of CASES) {
        const params = typeof c.params === 'function' ? c.params(t.app.backend) : c.params;
        const res = await t.call(c.action, params);
        assert.equal(res.status, 200, `${c.action} → HTTP ${res.status}`);
        assert.equal(res.body?.retcode, c.retcode, `${c.action} ${JSON.stringify(params)} ${c.note ?? ''} → ${res.text}`);
        if (c.retcode === 0) c.check?.(res.body?.data);
      }
    } finally {
      await t.close();
    }
  });
});

test('docs/actions.md is the registry (run `npm run docs:actions` after adding an action)', async () => {
  const { catalogueMarkdown } = await import('../../src/core/catalogue.js');
  const docs = fs.readFileSync(new URL('../../docs/actions.md', import.meta.url), 'utf8');
  assert.equal(docs, catalogueMarkdown(ALL_ACTIONS));
});
