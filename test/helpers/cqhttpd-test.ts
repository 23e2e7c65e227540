/**
 * Runs `cqhttpd test …` from source (`src/cli.ts` under tsx) in a child process, as a user runs it,
 * and collects its exit code and output. Shared by the test-kit and fault tests.
 */
import { spawn } from 'node:child_process';

export interface CqhttpdTestRun { code: number | null; stdout: string; stderr: string }

export function cqhttpdTest(args: string[]): Promise<CqhttpdTestRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'test', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
