/**
 * Reporters of `cqhttpd test`: `spec` (human, default), `tap` (TAP 13), `junit` (JUnit XML, one
 * testcase per scenario) and `json`. Each writes to standard output, or to a file with `NAME:FILE`.
 * The closing line `N passed, N failed[, N skipped]` is the command's, printed after them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StepFailure } from './run.js';

export interface ScenarioResult {
  file: string;
  line: number;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  failure?: StepFailure;
  /** Why it was skipped. */
  reason?: string;
  warnings: string[];
  /** What happened, one human line each (acts, messages, calls, events, the bot's output). */
  transcript: string[];
  /** The trace file, when written. */
  trace?: string;
}

export interface Reporter {
  /** A scenario finished. */
  result(r: ScenarioResult, index: number): void;
  /** Every scenario finished. */
  end(results: readonly ScenarioResult[]): void;
}

export const REPORTERS = ['spec', 'tap', 'junit', 'json'] as const;

/** `spec`, `junit:out.xml`… → a reporter; `write` prints to standard output. */
export function createReporter(spec: string, write: (text: string) => void): Reporter {
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const file = colon < 0 ? undefined : spec.slice(colon + 1);
  const out = file === undefined || file === '' ? write : (text: string) => {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.appendFileSync(file, text);
  };
  if (file !== undefined && file !== '') fs.rmSync(file, { force: true });
  switch (name) {
    case 'spec':
      return { result: (r) => out(specLines(r)), end: () => {} };
    case 'tap': {
      let started = false;
      return {
        result: (r, i) => {
          if (!started) out('TAP version 13\n');
          started = true;
          out(tapLines(r, i + 1));
        },
        end: (results) => out(`${started ? '' : 'TAP version 13\n'}1..${results.length}\n`),
      };
    }
    case 'junit':
      return { result: () => {}, end: (results) => out(junit(results)) };
    case 'json':
      return { result: () => {}, end: (results) => out(`${JSON.stringify({ summary: summarize(results), scenarios: results }, null, 2)}\n`) };
    default:
      throw new Error(`unknown reporter "${name}" (use ${REPORTERS.join(', ')}; NAME:FILE writes to a file)`);
  }
}

export function summarize(results: readonly ScenarioResult[]): { passed: number; failed: number; skipped: number } {
  const count = (status: ScenarioResult['status']) => results.filter((r) => r.status === status).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

/** The closing line: `N passed, N failed`, plus `, N skipped` when any were. */
export function closingLine(results: readonly ScenarioResult[]): string {
  const { passed, failed, skipped } = summarize(results);
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

/** The failure as one paragraph: the step, then each unmet expectation. */
export function failureText(f: StepFailure): string {
  return `step ${f.step} (${f.label}):\n${f.messages.map((m) => `  ${m}`).join('\n')}`;
}

function specLines(r: ScenarioResult): string {
  const where = `${r.file}:${r.line}`;
  if (r.status === 'skipped') return `- ${r.name} (skipped${r.reason ? `: ${r.reason}` : ''})  ${where}\n`;
  const head = `${r.status === 'passed' ? '✓' : '✗'} ${r.name} (${Math.round(r.durationMs)} ms)  ${where}\n`;
  const warnings = r.warnings.map((w) => `    warning: ${w}\n`).join('');
  if (r.status === 'passed') return head + warnings;
  const tail = r.transcript.slice(-30).map((l) => `      ${l}\n`).join('');
  return `${head}${warnings}${indent(failureText(r.failure as StepFailure), '    ')}\n    transcript (last lines${r.trace ? `; full trace: ${r.trace}` : ''}):\n${tail}`;
}

function tapLines(r: ScenarioResult, n: number): string {
  if (r.status === 'skipped') return `ok ${n} - ${tapName(r.name)} # SKIP${r.reason ? ` ${r.reason}` : ''}\n`;
  if (r.status === 'passed') return `ok ${n} - ${tapName(r.name)}\n`;
  const f = r.failure as StepFailure;
  const yaml = [
    '  ---',
    `  file: ${JSON.stringify(`${r.file}:${r.line}`)}`,
    `  step: ${f.step}`,
    `  label: ${JSON.stringify(f.label)}`,
    '  messages:',
    ...f.messages.map((m) => `    - ${JSON.stringify(m)}`),
    '  ...',
  ];
  return `not ok ${n} - ${tapName(r.name)}\n${yaml.join('\n')}\n`;
}

const tapName = (name: string): string => name.replace(/#/g, '\\#').replace(/\n/g, ' ');

function junit(results: readonly ScenarioResult[]): string {
  const { failed, skipped } = summarize(results);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((sum, r) => sum + r.durationMs, 0);
  const cases = results.map((r) => {
    // The attributes the Jenkins JUnit schema allows (test/testing/fixtures/junit-10.xsd): where the
    // scenario is goes in classname and heads system-out.
    const attrs = `name="${xml(r.name)}" classname="${xml(r.file)}" time="${seconds(r.durationMs)}"`;
    const out = `      <system-out>${cdata([`${r.file}:${r.line}`, ...r.warnings.map((w) => `warning: ${w}`), ...r.transcript].join('\n'))}</system-out>\n`;
    if (r.status === 'skipped') return `    <testcase ${attrs}>\n      <skipped message="${xml(r.reason ?? 'skipped')}"/>\n${out}    </testcase>\n`;
    if (r.status === 'passed') return `    <testcase ${attrs}>\n${out}    </testcase>\n`;
    const f = r.failure as StepFailure;
    const message = `step ${f.step} (${f.label}): ${f.messages[0] ?? ''}`;
    return `    <testcase ${attrs}>\n      <failure message="${xml(message)}" type="ExpectationFailure">${cdata(failureText(f))}</failure>\n${out}    </testcase>\n`;
  });
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<testsuites name="cqhttpd test" tests="${results.length}" failures="${failed}" errors="0" time="${seconds(total)}">\n`
    + `  <testsuite name="cqhttpd test" tests="${results.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds(total)}" timestamp="${new Date().toISOString().slice(0, 19)}">\n`
    + cases.join('')
    + '  </testsuite>\n</testsuites>\n';
}

/** XML attribute/text escaping; characters XML 1.0 forbids are dropped. */
function xml(text: string): string {
  return stripInvalid(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

function cdata(text: string): string {
  return `<![CDATA[${stripInvalid(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

// eslint-disable-next-line no-control-regex -- exactly the control characters XML 1.0 forbids
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const stripInvalid = (text: string): string => text.replace(INVALID_XML, '');

const indent = (text: string, by: string): string => text.split('\n').map((l) => by + l).join('\n');
