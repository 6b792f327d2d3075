/**
 * README's "Quick start", followed literally as a newcomer would: a fresh clone of this repository's committed HEAD,
 * the two commands from README (read from README itself, not copied here), and a sign-in in Chromium with the demo
 * credentials README lists. Runs once per CI run, in the embedded-database pass (the quick start is about PGlite);
 * the PostgreSQL pass says it was skipped. Needs git and Chromium; says so when either is missing.
 *
 * `npm install` in the clone reaches the npm registry (or npm's cache, which CI's own `npm ci` has just filled) and
 * builds the server and the web app through the `prepare` script, exactly as on a user's machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { CHROMIUM_MISSING, launchChromium } from './chromium.js';
import { checkA11y, screenshot, step, until, watchErrors } from './web-harness.js';

const ROOT = new URL('..', import.meta.url).pathname;
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The first sh block under "## Quick start", and the demo credentials table. */
const quick = /## Quick start\s+```sh\n([^`]+)```/.exec(README)?.[1].trim() ?? '';
const adminEmail = /\|\s*(admin@[^\s|]+)\s*\|\s*admin\s*\|/.exec(README)?.[1];
const password = /all with the password `([^`]+)`/.exec(README)?.[1];

const gitOk = spawnSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).status === 0;
const skip = process.env.TEST_DATABASE_URL
  ? 'the quick start runs on the embedded database; it is tested in the PGlite pass'
  : CHROMIUM_MISSING
    ? `${CHROMIUM_MISSING}; skipping the quick-start test`
    : !gitOk
      ? 'not a git checkout (the quick-start test clones the committed HEAD); skipped'
      : false;
if (skip) console.log(`# quick start: ${skip}`);

const portFree = (port: number) => new Promise<boolean>((resolve) => {
  const s = createServer();
  s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

test('README quick start: a fresh clone, `npm install && npm start`, and the demo admin signs in', { skip, timeout: 540_000 }, async (t) => {
  assert.equal(quick, 'npm install && npm start', `README's quick start block changed: ${JSON.stringify(quick)}`);
  assert.ok(adminEmail && password, 'README lists the demo admin and its password');
  const dir = mkdtempSync(join(tmpdir(), 'earshot-quickstart-'));
  let child: ChildProcess | undefined;
  t.after(() => {
    if (child?.pid) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    rmSync(dir, { recursive: true, force: true });
  });
  const clone = spawnSync('git', ['clone', '--quiet', '--no-local', ROOT, join(dir, 'earshot')], { encoding: 'utf8' });
  assert.equal(clone.status, 0, clone.stderr);
  const cwd = join(dir, 'earshot');

  // README promises localhost:3000; when something else holds that port here, PORT moves it (README says so too).
  const port = (await portFree(3000)) ? 3000 : 30000 + Math.floor(Math.random() * 20000);
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' };
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'EARSHOT_DATA', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) delete env[k];
  if (port !== 3000) env.PORT = String(port);
  let out = '';
  const started = performance.now();
  child = spawn('sh', ['-c', quick], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // Its own process group, ended with the test — also when the runner stops this file (a time-out sends SIGTERM,
  // which skips t.after), so no server is left holding the port.
  const killGroup = () => { try { process.kill(-child!.pid!, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', killGroup);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => { killGroup(); process.exit(1); });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const base = `http://127.0.0.1:${port}`;
  await until('the quick-start server answering /api/health', async () => {
    if (exited !== undefined) throw new Error(`\`${quick}\` exited with ${exited} before serving:\n${out.slice(-4000)}`);
    try {
      return (await fetch(`${base}/api/health`)).ok;
    } catch {
      return false;
    }
  }, 480_000);
  console.log(`# quick start: serving after ${Math.round((performance.now() - started) / 1000)} s (install, build, migrate, demo data)`);

  const browser = await launchChromium();
  t.after(() => browser.close().catch(() => {}));
  const page = await (await browser.newContext({ baseURL: base, locale: 'en-GB', viewport: { width: 1366, height: 860 } })).newPage();
  const errors = watchErrors(page);
  await step('quick start', 'open the sign-in page', async () => {
    await page.goto('/');
    await page.getByRole('textbox', { name: 'Email' }).waitFor();
  });
  await checkA11y(page, 'quick start: sign-in');
  await page.getByRole('textbox', { name: 'Email' }).fill(adminEmail!);
  await page.getByRole('textbox', { name: 'Password' }).fill(password!);
  await step('quick start', 'sign in → the demo inbox', async () => {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('conversation-row').first().waitFor();
  });
  assert.match(await page.locator('header').innerText(), /Nordlicht Outdoor/);
  assert.ok(await page.getByTestId('conversation-row').count() > 0, 'the demo inbox has conversations');
  await screenshot(page, 'quickstart-inbox');
  await checkA11y(page, 'quick start: inbox');
  assert.deepEqual(errors, []);
});
