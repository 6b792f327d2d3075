/**
 * Runs the real `earshot` command in a child process, for the CLI tests: the built CLI (`dist/cli/run.js`, what
 * `bin/earshot.js` runs; `npm test` builds it first) when it is newer than every file under src/, else the sources
 * through tsx. The built one starts in about half the time, and the CLI tests start it a few hundred times.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';

export const CWD = new URL('..', import.meta.url).pathname;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function cliEntry(): string[] {
  const built = join(CWD, 'dist/cli/run.js');
  if (process.env.EARSHOT_TEST_CLI !== 'src' && existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(CWD, 'src'))) return [built];
  return ['--import', 'tsx', 'src/cli/run.ts'];
}

export const CLI = cliEntry();

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Child environment: the caller's, without database settings unless `extra` sets them. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.EARSHOT_DATA;
  delete env.EARSHOT_PASSWORD;
  delete env.PORT;
  return { ...env, ...extra };
}

export function run(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], {
      cwd: CWD,
      env: childEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const show = (r: RunResult) => `exit ${r.code} (signal ${r.signal})\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

export function tempDataDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A TCP port that was free a moment ago on loopback (for servers a test starts as child processes). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

