/**
 * scripts/build.mjs, which `npm start` runs before the server: a part of dist/ is rebuilt only when
 * its output is missing or its sources changed after its last build. Run on a copy of the script in
 * a scratch project whose "tsc" and "vite" are tiny stand-ins that record each call and write the
 * part's output (the real compilers take up to a minute here).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '../media/helpers.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));

let root: string;
let cleanup: () => Promise<void>;

/** A stand-in compiler: appends its name to calls.log and writes `output`. */
async function fakeTool(pkg: string, bin: string, output: string): Promise<void> {
  const dir = path.join(root, 'node_modules', pkg);
  await mkdir(path.join(dir, 'bin'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: pkg, bin: { [pkg === 'typescript' ? 'tsc' : 'vite']: bin } }));
  await writeFile(path.join(dir, bin), [
    "const fs = require('node:fs'); const path = require('node:path');",
    `fs.appendFileSync('calls.log', ${JSON.stringify(pkg)} + '\\n');`,
    `fs.mkdirSync(path.dirname(${JSON.stringify(output)}), { recursive: true });`,
    `fs.writeFileSync(${JSON.stringify(output)}, 'built');`,
  ].join('\n'));
}

/** Runs the build script; resolves with the tools it called. */
async function build(...args: string[]): Promise<string[]> {
  await rm(path.join(root, 'calls.log'), { force: true });
  await run(process.execPath, [path.join(root, 'scripts', 'build.mjs'), ...args], { cwd: root });
  const log = await readFile(path.join(root, 'calls.log'), 'utf8').catch(() => '');
  return log.split('\n').filter((l) => l !== '');
}

/** Sets a file's times to `secondsAgo` in the past . */
async function age(file: string, secondsAgo: number): Promise<void> {
  const t = new Date(Date.now() - secondsAgo * 1000);
  await utimes(path.join(root, file), t, t);
}

before(async () => {
  ({ dir: root, cleanup } = await tempDir());
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'scratch', type: 'module' }));
  await mkdir(path.join(root, 'scripts'));
  await copyFile(script, path.join(root, 'scripts', 'build.mjs'));
  await mkdir(path.join(root, 'src', 'app'), { recursive: true });
  await mkdir(path.join(root, 'console', 'src'), { recursive: true });
  await writeFile(path.join(root, 'src', 'cli.ts'), '');
  await writeFile(path.join(root, 'src', 'app', 'start.ts'), '');
  await writeFile(path.join(root, 'console', 'src', 'main.tsx'), '');
  await writeFile(path.join(root, 'tsconfig.json'), '{}');
  await writeFile(path.join(root, 'tsconfig.build.json'), '{}');
  await fakeTool('typescript', 'bin/tsc', 'dist/cli.js');
  await fakeTool('vite', 'bin/vite.js', 'dist/console/index.html');
  for (const f of ['src/cli.ts', 'src/app/start.ts', 'src/app', 'src', 'console/src/main.tsx', 'console/src', 'console', 'tsconfig.json', 'tsconfig.build.json']) await age(f, 60);
});
after(() => cleanup());

test('the first run builds every part; the next one builds nothing', async () => {
  assert.deepEqual(await build(), ['typescript', 'vite']);
  assert.deepEqual(await build(), []);
});

test('an edited source rebuilds its part only', async () => {
  await age('src/app/start.ts', 0);
  assert.deepEqual(await build(), ['typescript']);
  assert.deepEqual(await build(), []);
  await age('console/src/main.tsx', 0);
  assert.deepEqual(await build(), ['vite']);
});

test('a deleted source (its folder changes) and a missing output rebuild too', async () => {
  await rm(path.join(root, 'src', 'app', 'start.ts'));
  await age('src/app', 0);
  assert.deepEqual(await build(), ['typescript']);
  await rm(path.join(root, 'dist', 'console', 'index.html'));
  assert.deepEqual(await build(), ['vite']);
  assert.deepEqual(await build(), []);
});

test('--force builds everything', async () => {
  assert.deepEqual(await build('--force'), ['typescript', 'vite']);
});

test('a failing compiler fails the build and leaves the part stale', async () => {
  await writeFile(path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), 'process.exit(2);');
  await age('src/cli.ts', 0);
  await assert.rejects(build(), (err: { code?: number; stderr?: string }) => err.code === 2 && /building server failed/.test(err.stderr ?? ''));
  await fakeTool('typescript', 'bin/tsc', 'dist/cli.js');
  assert.deepEqual(await build(), ['typescript'], 'still stale after the failure');
});
