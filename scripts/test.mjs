// Runs every test file with node's test runner (TypeScript through tsx), then checks that each API route was
// exercised by at least one test (route hits recorded by test/helpers.ts, routes listed by test/api-docs.test.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, existsSync, statSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const files = [];
const walk = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (f.endsWith('.test.ts')) files.push(p);
  }
};
walk('src');
walk('test');
const only = process.argv.slice(2);
const run = only.length ? only : files.sort();
rmSync('.tmp/route-hits', { recursive: true, force: true });
rmSync('.tmp/routes.json', { force: true });
console.log(`Running ${run.length} test files against ${process.env.TEST_DATABASE_URL ? 'PostgreSQL (TEST_DATABASE_URL)' : 'embedded PGlite'}`);
mkdirSync('.tmp', { recursive: true });
// TAP on stdout as before, and each file's summed test time into .tmp/test-times.txt (scripts/test-times.mjs), so a
// slow file shows up in every run, CI's included.
const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout', '--test-reporter=./scripts/test-times.mjs', '--test-reporter-destination=.tmp/test-times.txt'];
const started = Date.now();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...reporters, ...run], { stdio: 'inherit' });
if (existsSync('.tmp/test-times.txt') && run.length > 1) {
  const top = readFileSync('.tmp/test-times.txt', 'utf8').split('\n').filter(Boolean).slice(0, 15);
  console.log(`\ntest files by summed test time (wall ${Math.round((Date.now() - started) / 1000)} s; all in .tmp/test-times.txt):\n${top.join('\n')}`);
}
if (r.status !== 0) process.exit(r.status ?? 1);
if (!only.length) {
  if (!existsSync('.tmp/routes.json')) {
    console.error('route coverage: .tmp/routes.json missing (test/api-docs.test.ts did not run)');
    process.exit(1);
  }
  const routes = JSON.parse(readFileSync('.tmp/routes.json', 'utf8'));
  const hits = new Set(readdirSync('.tmp/route-hits').flatMap((f) => JSON.parse(readFileSync(join('.tmp/route-hits', f), 'utf8'))));
  const missing = routes.filter((r) => !hits.has(r));
  if (missing.length) {
    console.error(`route coverage: ${missing.length} route(s) no test calls:\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`route coverage: all ${routes.length} API routes are exercised by tests`);
}
