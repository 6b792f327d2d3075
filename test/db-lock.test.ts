/**
 * The embedded database's folder lock (issue 14 item 14): `earshot serve` killed with SIGKILL restarts at once on the
 * same folder — even when the old pid is not yet reaped or is now another live process — while a second live process
 * on the folder is still refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, CWD, childEnv, run, show, tempDataDir } from './cli-run.js';
import { lockFolder } from '../src/platform/db-lock.js';

function serve(dir: string): { child: ChildProcess; ready: Promise<void>; log: () => string } {
  const child = spawn(process.execPath, [...CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-jobs', '--data', dir], {
    cwd: CWD,
    env: childEnv({ LOG_LEVEL: 'error' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${err}`)), 60_000);
    child.stderr!.setEncoding('utf8').on('data', (d) => {
      err += d;
      if (/Earshot .* on http:/.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before it was ready:\n${err}`));
    });
  });
  ready.catch(() => {});
  return { child, ready, log: () => err };
}

test('SIGKILL then an immediate restart starts; a second live process is refused; a pid file naming a live stranger is ignored', { timeout: 150_000 }, async (t) => {
  const dir = join(tempDataDir(t), 'data');
  const first = serve(dir);
  t.after(() => first.child.kill('SIGKILL'));
  await first.ready;

  // Killed, and restarted at once: no waiting for the old process to be reaped.
  first.child.kill('SIGKILL');
  const second = serve(dir);
  t.after(() => second.child.kill('SIGKILL'));
  await second.ready;

  // A second live process on the same folder is refused, naming the holder.
  const third = await run(['serve', '--port', '0', '--host', '127.0.0.1', '--no-jobs', '--data', dir], { timeoutMs: 60_000 });
  assert.equal(third.code, 1, show(third));
  assert.match(third.stderr, new RegExp(`in use by process ${second.child.pid}`), show(third));

  // Stopped cleanly, then a lock file of the old kind naming a live process that is not Earshot (a reused pid: here
  // this test runner): the folder is free, so it starts.
  const stopped = new Promise((r) => second.child.once('exit', r));
  second.child.kill('SIGTERM');
  await stopped;
  writeFileSync(join(dir, 'earshot.lock'), String(process.pid));
  const fourth = serve(dir);
  t.after(() => fourth.child.kill('SIGKILL'));
  await fourth.ready;
  const exited = new Promise((r) => fourth.child.once('exit', r));
  fourth.child.kill('SIGTERM');
  await exited;
});

test('in one process: the lock is counted per folder and released with the last holder; a held lock refuses no one after release', async (t) => {
  const dir = tempDataDir(t);
  const a = await lockFolder(dir);
  const b = await lockFolder(dir);
  await a.release();
  await b.release();
  const c = await lockFolder(dir);
  await c.release();
});
