/**
 * Reading scenario files: YAML (JSON is accepted: it is YAML too), one scenario per file, or
 * several as YAML documents separated by `---`. Every problem — syntax or shape — is listed with
 * its line number, found from the YAML nodes' source ranges.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { scenarioSchema, type Scenario } from './schema.js';

/** A scenario read from a file. */
export interface LoadedScenario {
  file: string;
  /** 1-based line of the scenario's first key. */
  line: number;
  scenario: Scenario;
}

/** A file that does not hold valid scenarios; `problems` are `file:line: path: message`. */
export class ScenarioFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid scenario file (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ScenarioFileError';
  }
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The scenario files of the arguments: files as given, directories searched (sorted, recursively) for .yaml/.yml/.json. */
export function collectFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full);
      else if (entry.isFile() && EXTENSIONS.has(path.extname(entry.name))) out.push(full);
    }
  };
  for (const arg of args) {
    const stat = fs.statSync(arg, { throwIfNoEntry: false });
    if (stat === undefined) throw new ScenarioFileError([`${arg}: no such file or directory`]);
    if (stat.isDirectory()) walk(arg);
    else out.push(arg);
  }
  return out;
}

/** Parse and validate one file. @throws ScenarioFileError listing every problem of the file */
export function loadScenarioFile(file: string): LoadedScenario[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return parseScenarios(text, file);
}

/** Parse and validate scenario text (`file` names it in problems). */
export function parseScenarios(text: string, file: string): LoadedScenario[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const problems: string[] = [];
  const lineOf = (offset: number | undefined): number => (offset === undefined ? 1 : lines.linePos(offset).line);
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) problems.push(`${file}:1: the file is empty`);
  const loaded: LoadedScenario[] = [];
  for (const doc of list) {
    for (const err of doc.errors) problems.push(`${file}:${lineOf(err.pos[0])}: ${err.message.split('\n')[0] ?? ''}`);
    if (doc.errors.length > 0) continue;
    if (doc.contents === null) continue;
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    const parsed = v.safeParse(scenarioSchema, data, { abortEarly: false });
    if (!parsed.success) {
      for (const issue of parsed.issues) {
        const keys = (issue.path ?? []).map((item) => item.key as string | number);
        problems.push(`${file}:${lineOf(nodeAt(doc, keys)?.range?.[0])}: ${keys.length > 0 ? `${formatPath(keys)}: ` : ''}${issue.message}`);
      }
      continue;
    }
    loaded.push({ file, line: lineOf(doc.contents.range?.[0]), scenario: parsed.output });
  }
  if (problems.length === 0 && loaded.length === 0) problems.push(`${file}:1: no scenario in the file`);
  if (problems.length > 0) throw new ScenarioFileError(dedupe(problems));
  return loaded;
}

/** The deepest node on `keys` that exists (a missing key points at its parent). */
function nodeAt(doc: Document, keys: readonly (string | number)[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const key of keys) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      // Point at the key for an unknown key, at the value otherwise.
      next = pair === undefined ? undefined : (pair.value ?? pair.key);
      if (pair !== undefined && keys[keys.length - 1] === key && pair.value === null) next = pair.key;
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (next === undefined || next === null) break;
    node = next;
  }
  return node as Node | undefined;
}

/** `steps[1].expect[0].reply` */
function formatPath(keys: readonly (string | number)[]): string {
  return keys.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
