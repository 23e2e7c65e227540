/**
 * What gets measured: by default a snapshot build of the current `src/` (tsc with
 * tsconfig.build.json into `node_modules/.cache/cqhttpd-bench/dist`, so `dist/` and the work tree
 * are never touched and the figures are those of the code as it is now), or `dist/cli.js` as it
 * stands (`--no-build`). The baselines are transpiled to plain JavaScript next to it, so that
 * servers and baselines both run on bare `node` with no loader.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { fileExists, runCommand } from './proc.js';

export interface Prepared {
  /** The cqhttpd CLI to run with `node`. */
  cli: string;
  /** Transpiled baseline servers. */
  baselines: { http: string; ws: string; broadcast: string };
  /** What was done, for the report. */
  note: string;
}

function newestSource(dir: string): { mtime: number; count: number } {
  let mtime = 0;
  let count = 0;
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts')) {
        count++;
        mtime = Math.max(mtime, statSync(p).mtimeMs);
      }
    }
  };
  walk(dir);
  return { mtime, count };
}

/**
 * Build (or find) the server and the baselines. `server`: a cli.js to measure instead (an A/B
 * experiment on a patched build); `useDist`: measure dist/cli.js.
 */
export async function prepare(root: string, useDist: boolean, server?: string): Promise<Prepared> {
  const cache = path.join(root, 'node_modules', '.cache', 'cqhttpd-bench');
  mkdirSync(cache, { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  // build-info.ts reads ../../package.json from dist/app/: give the snapshot one of its own.
  writeFileSync(path.join(cache, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', private: true }));

  const baselineDir = path.join(cache, 'baselines');
  mkdirSync(baselineDir, { recursive: true });
  const sourceDir = path.join(root, 'bench', 'baselines');
  for (const file of readdirSync(sourceDir).filter((f) => f.endsWith('.ts'))) {
    const out = ts.transpileModule(readFileSync(path.join(sourceDir, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    });
    writeFileSync(path.join(baselineDir, file.replace(/\.ts$/, '.js')), out.outputText);
  }
  const baselines = {
    http: path.join(baselineDir, 'http.js'),
    ws: path.join(baselineDir, 'ws.js'),
    broadcast: path.join(baselineDir, 'broadcast.js'),
  };

  if (server !== undefined) {
    const cli = path.resolve(server);
    if (!fileExists(cli)) throw new Error(`--server ${server}: no such file`);
    return { cli, baselines, note: `${cli} (given with --server)` };
  }
  if (useDist) {
    const cli = path.join(root, 'dist', 'cli.js');
    if (!fileExists(cli)) throw new Error('dist/cli.js does not exist: run `npm run build` first, or drop --no-build');
    const src = newestSource(path.join(root, 'src'));
    const stale = statSync(cli).mtimeMs < src.mtime;
    return { cli, baselines, note: `dist/cli.js as built${stale ? ' (WARNING: older than src/; run `npm run build`)' : ''}` };
  }

  const outDir = path.join(cache, 'dist');
  const cli = path.join(outDir, 'cli.js');
  const stampFile = path.join(cache, 'stamp.json');
  const src = newestSource(path.join(root, 'src'));
  const stamp = JSON.stringify(src);
  if (fileExists(cli) && fileExists(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return { cli, baselines, note: 'snapshot build of src/ (unchanged since the last bench run)' };
  }
  rmSync(outDir, { recursive: true, force: true });
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const started = performance.now();
  const { code, output } = await runCommand([process.execPath, tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--sourceMap', 'false'], root);
  if (!fileExists(cli)) throw new Error(`the snapshot build produced no cli.js:\n${output}`);
  writeFileSync(stampFile, stamp);
  const took = ((performance.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    const errors = output.split('\n').filter((l) => l.includes('error TS')).length;
    return { cli, baselines, note: `snapshot build of src/ in ${took} s — WARNING: tsc reported ${errors} type error(s) (work in progress?); measured the emitted code anyway` };
  }
  return { cli, baselines, note: `snapshot build of src/ in ${took} s` };
}
