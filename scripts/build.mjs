#!/usr/bin/env node
/**
 * Builds dist/ — only the parts whose sources changed since their last build, or every part with
 * --force. `npm start` runs it before the server so that a second start answers at once (compiling
 * src/ takes from 20 s to a minute), while an edited source is still compiled before it runs.
 *
 * A part is stale when its output is missing, or when a file or folder among its inputs was
 * modified after the part's stamp (dist/.build-<part>.stamp, dated when its last successful build
 * began, so an edit made during a build is caught by the next one). Plain JavaScript: it runs
 * before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** The parts of dist/, in build order. */
const PARTS = [
  {
    name: 'server',
    inputs: ['src', 'tsconfig.json', 'tsconfig.build.json'],
    output: 'dist/cli.js',
    command: ['typescript', 'tsc', '-p', 'tsconfig.build.json'],
  },
  {
    name: 'console',
    inputs: ['console'],
    output: 'dist/console/index.html',
    command: ['vite', 'vite', 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'],
  },
];

/** The newest modification time (ms) among `path` and, for a folder, everything inside it. */
function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  let latest = stats.mtimeMs;
  if (stats.isDirectory()) {
    for (const name of readdirSync(path)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      latest = Math.max(latest, newest(join(path, name)));
    }
  }
  return latest;
}

/** Why `part` must be built, or undefined when its output is up to date. */
function staleness(part) {
  if (!existsSync(join(root, part.output))) return `${part.output} is missing`;
  const stamp = join(root, 'dist', `.build-${part.name}.stamp`);
  if (!existsSync(stamp)) return 'it has no build stamp';
  const built = statSync(stamp).mtimeMs;
  for (const input of part.inputs) {
    if (newest(join(root, input)) > built) return `${input} changed since the last build`;
  }
  return undefined;
}

/** The file of the executable `name` that the installed package `pkg` declares in its `bin`. */
function binOf(pkg, name) {
  const manifest = require.resolve(`${pkg}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin[name]);
}

function build(part) {
  const began = new Date();
  const [pkg, name, ...args] = part.command;
  const result = spawnSync(process.execPath, [binOf(pkg, name), ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`cqhttpd: building ${part.name} failed`);
    process.exit(result.status ?? 1);
  }
  mkdirSync(join(root, 'dist'), { recursive: true });
  const stamp = join(root, 'dist', `.build-${part.name}.stamp`);
  closeSync(openSync(stamp, 'w'));
  utimesSync(stamp, began, began);
}

const force = process.argv.includes('--force');
for (const part of PARTS) {
  const why = force ? 'forced' : staleness(part);
  if (why === undefined) continue;
  if (!force) console.error(`cqhttpd: building ${part.name}: ${why}…`);
  build(part);
}
