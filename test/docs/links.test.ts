/**
 * The repository stands alone: every relative link in README.md and docs/ (and its #anchor, as
 * GitHub slugs headings) resolves to a file inside the repository; every `docs/<page>.md#anchor`
 * cited from code, tests or scripts exists; and no tracked file points outside the repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Tracked files (git ls-files), or, without git, every file outside the untracked folders. */
function trackedFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\0').filter((f) => f !== '' && existsSync(join(root, f)));
  } catch {
    const out: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(join(root, dir))) {
        if (['.git', 'node_modules', 'dist', 'data'].includes(name)) continue;
        const rel = dir === '' ? name : `${dir}/${name}`;
        if (statSync(join(root, rel)).isDirectory()) walk(rel);
        else out.push(rel);
      }
    };
    walk('');
    return out;
  }
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Markdown text without fenced code blocks (their lines become empty, so line numbers hold). */
function withoutFences(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m !== null) {
      if (fence === undefined) fence = m[1]![0]!;
      else if (m[1]![0] === fence) fence = undefined;
      return '';
    }
    return fence === undefined ? line : '';
  });
}

const anchorCache = new Map<string, Set<string>>();
/** The anchors of a Markdown file's headings, duplicates numbered as GitHub does. */
function anchorsOf(file: string): Set<string> {
  let set = anchorCache.get(file);
  if (set !== undefined) return set;
  set = new Set();
  const seen = new Map<string, number>();
  for (const line of withoutFences(readFileSync(file, 'utf8'))) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (m === null) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    set.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of readFileSync(file, 'utf8').matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) set.add(m[1]!);
  anchorCache.set(file, set);
  return set;
}

/** Why `target`, linked from `from`, does not resolve; undefined when it does. */
function checkTarget(from: string, target: string): string | undefined {
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = pathPart === '' ? from : resolve(dirname(from), decodeURIComponent(pathPart));
  const rel = relative(root, file);
  if (rel.startsWith('..') || rel.split(sep)[0] === '..') return 'points outside the repository';
  if (!existsSync(file)) return 'no such file';
  if (anchor !== undefined && anchor !== '' && file.endsWith('.md') && !anchorsOf(file).has(anchor)) {
    return `no heading with anchor #${anchor}`;
  }
  return undefined;
}

const files = trackedFiles();
const markdown = files.filter((f) => f === 'README.md' || (f.startsWith('docs/') && f.endsWith('.md')));

test('slugs follow GitHub', () => {
  assert.equal(slug('3.1 HTTP API server'), '31-http-api-server');
  assert.equal(slug('P4: failures say why'), 'p4-failures-say-why');
  assert.equal(slug('The data-file endpoint (`GET /data/…`, 4.15 §3.2)'), 'the-data-file-endpoint-get-data-415-32');
  assert.equal(slug('Group files and `download_file`'), 'group-files-and-download_file');
  assert.equal(slug('群文件 Files'), '群文件-files');
});

test('README.md and docs/ exist and are scanned', () => {
  assert.ok(markdown.includes('README.md'));
  assert.ok(markdown.includes('docs/decisions.md') && markdown.includes('docs/qq-rules.md') && markdown.includes('docs/protocol.md'));
});

test('every relative link in README.md and docs/ resolves inside the repository', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const rel of markdown) {
    const from = join(root, rel);
    withoutFences(readFileSync(from, 'utf8')).forEach((line, i) => {
      const text = line.replace(/`[^`]*`/g, '');
      const targets = [
        ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
        ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)].map((m) => m[1]!),
      ];
      for (const target of targets) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
        checked++;
        const why = checkTarget(from, target);
        if (why !== undefined) broken.push(`${rel}:${i + 1}: ${target} — ${why}`);
      }
    });
  }
  assert.deepEqual(broken, []);
  assert.ok(checked > 20, `only ${checked} links found; is the scanner broken?`);
});

test('every docs/<page>.md#anchor cited from code, tests and scripts exists', () => {
  const broken: string[] = [];
  for (const rel of files.filter((f) => /\.(ts|js|mjs|cjs|json|sh)$/.test(f) || f === '.ci/run')) {
    const text = readFileSync(join(root, rel), 'utf8');
    for (const m of text.matchAll(/\bdocs\/([\w./-]+?\.md)(?:#([\w-]+))?/g)) {
      const why = checkTarget(join(root, 'README.md'), `docs/${m[1]}${m[2] === undefined ? '' : `#${m[2]}`}`);
      if (why !== undefined) broken.push(`${rel}: docs/${m[1]}${m[2] === undefined ? '' : `#${m[2]}`} — ${why}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('no tracked file reads or links a path outside the repository', () => {
  const needles = [['..', 'shared'].join('/'), ['/work', ''].join('/'), ['cqhttp-v4.15', 'md'].join('.')];
  const hits: string[] = [];
  for (const rel of files) {
    if (rel === 'package-lock.json') continue;
    const buf = readFileSync(join(root, rel));
    if (buf.includes(0)) continue; // binary
    const text = buf.toString('utf8');
    for (const needle of needles) {
      const at = text.indexOf(needle);
      if (at !== -1) hits.push(`${rel}:${text.slice(0, at).split('\n').length}: ${needle}`);
    }
  }
  assert.deepEqual(hits, []);
});
