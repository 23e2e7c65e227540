/** Scenario files: every problem with its line number; docs/scenario.schema.json in sync with the loader and accepting the examples. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { scenarioJsonSchemaText } from '../../scripts/scenario-json-schema.js';
import { collectFiles, loadScenarioFile, parseScenarios, ScenarioFileError } from '../../src/testing/scenario/load.js';

const schemaText = fs.readFileSync(new URL('../../docs/scenario.schema.json', import.meta.url), 'utf8');
const worldSchema = JSON.parse(fs.readFileSync(new URL('../../docs/world.schema.json', import.meta.url), 'utf8')) as object;

function problemsOf(text: string): string[] {
  try {
    parseScenarios(text, 'x.yaml');
  } catch (err) {
    assert.ok(err instanceof ScenarioFileError);
    return [...err.problems];
  }
  assert.fail('expected problems');
}

describe('scenario files', () => {
  it('docs/scenario.schema.json is what the valibot scenario schema generates (npm run docs:scenario-schema)', () => {
    assert.equal(schemaText, scenarioJsonSchemaText());
  });

  it('the JSON Schema accepts every example scenario and refuses an unknown key', () => {
    const validate = new Ajv({ allErrors: true }).addSchema(worldSchema).compile(JSON.parse(schemaText) as object);
    const files = collectFiles(['examples/scenarios']);
    assert.ok(files.length >= 2);
    for (const file of files) {
      for (const doc of fs.readFileSync(file, 'utf8').split(/^---$/m)) {
        assert.ok(validate(parseYaml(doc)), `${file}: ${JSON.stringify(validate.errors)}`);
      }
      assert.ok(loadScenarioFile(file).length >= 1);
    }
    assert.equal(validate({ scenario: 'x', steps: [{ say: 'hi', as: 1, in: 2, colour: 'red' }] }), false);
  });

  it('lists every problem with its line number and path', () => {
    const problems = problemsOf(fs.readFileSync('test/testing/fixtures/invalid.yaml', 'utf8'));
    assert.deepEqual(problems, [
      'x.yaml:2: options.timeout: a duration is a number of ms or a text like "800ms", "2s", "10m"',
      'x.yaml:7: steps[0].expect[0].reply.colour: unknown key "colour"',
      'x.yaml:8: steps[1]: a step does one thing; this one has say, kick',
      'x.yaml:10: steps[2].fault.effect: required but missing: one of fail, delay, timeout, shadow_drop, duplicate, drop, half_open, heartbeat_stop, burst, refuse',
    ]);
  });

  it('YAML syntax errors, a missing key, a wrong kind of expectation, JSON input', () => {
    assert.match(problemsOf('scenario: x\nsteps: [\n')[0] ?? '', /^x\.yaml:\d+: /);
    assert.deepEqual(problemsOf('scenario: x\nsteps:\n  - expect:\n      - world: { member: { group: 1 } }\n      - sound: loud\n'), [
      'x.yaml:4: steps[0].expect[0].world.member.user: required but missing',
      'x.yaml:5: steps[0].expect[1].sound: unknown key "sound"',
      'x.yaml:5: steps[0].expect[1]: an expectation needs one of: reply, call, event, world, none',
    ]);
    assert.deepEqual(problemsOf('{"steps": []}'), ['x.yaml:1: scenario: required but missing', 'x.yaml:1: steps: a scenario needs at least one step']);
    const [ok] = parseScenarios('{"scenario": "json", "steps": [{"say": "ping", "as": 20003, "in": 100001, "expect": [{"reply": "pong"}]}]}', 'x.json');
    assert.equal(ok?.scenario.scenario, 'json');
    assert.equal(problemsOf('')[0], 'x.yaml:1: no scenario in the file');
  });

  it('several scenarios in one file, each with its line', () => {
    const list = loadScenarioFile(path.join('test/testing/fixtures/failing.yaml'));
    assert.deepEqual(list.map((s) => [s.scenario.scenario, s.line]), [['expects the wrong answer', 1], ['not ready yet', 10]]);
  });
});
