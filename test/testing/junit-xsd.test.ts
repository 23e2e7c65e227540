/**
 * The `junit:FILE` reporter's output is valid against the JUnit schema Jenkins validates reports
 * with (fixtures/junit-10.xsd, from the Jenkins xUnit plugin; MIT), checked by libxml2 itself
 * (xmllint-wasm): a real `cqhttpd test` run with passing, failing, skipped and invalid scenarios,
 * and a report of hostile names and transcripts. The validator refuses what the schema forbids.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import { createReporter, type ScenarioResult } from '../../src/testing/scenario/reporters.js';
import { cqhttpdTest } from '../helpers/cqhttpd-test.js';

const XSD = fs.readFileSync(new URL('./fixtures/junit-10.xsd', import.meta.url), 'utf8');

async function validate(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

describe('JUnit report against the JUnit XSD', () => {
  it('a run with passing, failing, skipped and invalid scenarios writes a valid report', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqhttpd-junit-'));
    try {
      const file = path.join(dir, 'junit.xml');
      const run = await cqhttpdTest(['examples/scenarios/ping.yaml', 'test/testing/fixtures/failing.yaml', 'test/testing/fixtures/invalid.yaml', '--bot', 'node examples/scenarios/bot.mjs', '--reporter', `junit:${file}`]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.equal(run.stdout.trimEnd().split('\n').at(-1), '1 passed, 2 failed, 1 skipped');
      const xml = fs.readFileSync(file, 'utf8');
      assert.deepEqual(await validate(xml), { valid: true, errors: [] });
      assert.match(xml, /<testsuite name="cqhttpd test" tests="4" failures="2" errors="0" skipped="1"/);
      assert.equal([...xml.matchAll(/<testcase /g)].length, 4);
      assert.match(xml, /<system-out><!\[CDATA\[examples\/scenarios\/ping\.yaml:3\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hostile names, messages and transcripts stay valid; the schema refuses what it forbids', async () => {
    const hostile = 'a "quote" <tag> & ]]> \u0001\u0008 \uFFFE 漢字 😀\n';
    const results: ScenarioResult[] = [
      { file: 'x.yaml', line: 1, name: hostile, status: 'passed', durationMs: 1234.5, warnings: [hostile], transcript: [hostile, ']]>]]>'] },
      {
        file: 'dir/<x>.yaml', line: 9, name: 'failing', status: 'failed', durationMs: 0.4, warnings: [], transcript: [],
        failure: { step: 2, label: hostile, messages: [hostile, 'second'] },
      },
      { file: 'x.yaml', line: 20, name: 'skipped', status: 'skipped', durationMs: 0, warnings: [], transcript: [], reason: hostile },
    ];
    let xml = '';
    const reporter = createReporter('junit', (text) => (xml += text));
    results.forEach((r, i) => reporter.result(r, i));
    reporter.end(results);
    assert.deepEqual(await validate(xml), { valid: true, errors: [] });
    // Able to fail: the file and line attributes some tools write are not in this schema.
    const refused = await validate(xml.replace('<testcase name="failing"', '<testcase line="9" name="failing"'));
    assert.equal(refused.valid, false);
    assert.match(refused.errors.join('\n'), /line/);
  });
});
