/** Name and version of this build, read from package.json (same relative path from src/ and dist/). */
import { createRequire } from 'node:module';
import type { BuildInfo } from '../core/context.js';

export function readBuildInfo(): BuildInfo {
  const pkg = createRequire(import.meta.url)('../../package.json') as { name: string; version: string };
  return { appName: pkg.name, appVersion: pkg.version };
}
