/**
 * Issue 14 item 3: safe network defaults. `earshot serve` and `earshot demo` listen on 127.0.0.1 (HTTP and SMTP);
 * `--host` moves both; the demo's well-known passwords are not served beyond loopback unless the operator says so; the
 * session cookie is Secure whenever the request came over HTTPS (directly, or via X-Forwarded-Proto from a trusted
 * proxy).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { CLI, CWD, childEnv, freePort, run, show, tempDataDir } from './cli-run.js';
import { setup } from './helpers.js';
import { loadConfig } from '../src/platform/config.js';
import { addUser } from '../src/modules/accounts/accounts.service.js';
import { systemPrincipal } from '../src/platform/context.js';

/** A non-loopback address of this machine, to knock on from outside loopback (null when there is none). */
const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address ?? null;

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 3000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** Starts the CLI until its HTTP port answers; returns a stop function, or the exit if it refused to start. */
async function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: CWD, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (out += d));
  let exited: number | null | undefined;
  const exit = new Promise<void>((r) =>
    child.on('exit', (code) => {
      exited = code;
      r();
    }),
  );
  const stop = async () => {
    if (exited === undefined) child.kill('SIGTERM');
    await exit;
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && exited === undefined && !/Earshot .* on http/.test(out)) await new Promise((r) => setTimeout(r, 200));
  return { exited: () => exited, output: () => out, stop, exit };
}

test('config: both listeners default to 127.0.0.1; HOST and --host move both; SMTP_HOST moves SMTP alone', () => {
  const d = loadConfig({});
  assert.equal(d.host, '127.0.0.1');
  assert.equal(d.smtpHost, '127.0.0.1');
  assert.equal(loadConfig({ HOST: '0.0.0.0' }).smtpHost, '0.0.0.0');
  assert.equal(loadConfig({}, { host: '0.0.0.0' }).smtpHost, '0.0.0.0', 'the --host flag moves SMTP too');
  assert.equal(loadConfig({ SMTP_HOST: '127.0.0.1' }, { host: '0.0.0.0' }).smtpHost, '127.0.0.1');
});

test('earshot serve listens on loopback only by default, HTTP and SMTP; --host 0.0.0.0 opens both', { timeout: 180_000, skip: outside ? false : 'no non-loopback address here' }, async (t) => {
  const data = ['--data', join(tempDataDir(t), 'db')];
  for (const host of [null, '0.0.0.0']) {
    const [port, smtpPort] = [await freePort(), await freePort()];
    const s = await start(['serve', '--port', String(port), '--smtp-port', String(smtpPort), '--no-jobs', ...(host ? ['--host', host] : []), ...data]);
    try {
      assert.equal(s.exited(), undefined, s.output());
      assert.equal(await reachable('127.0.0.1', port), true);
      assert.equal(await reachable('127.0.0.1', smtpPort), true);
      assert.equal(await reachable(outside!, port), host !== null, `HTTP from ${outside} with --host ${host}`);
      assert.equal(await reachable(outside!, smtpPort), host !== null, `SMTP from ${outside} with --host ${host}`);
    } finally {
      await s.stop();
    }
  }
});

test('the demo with its well-known passwords starts beyond loopback only when told explicitly', { timeout: 240_000 }, async (t) => {
  const data = ['--data', join(tempDataDir(t), 'db')];
  const port = await freePort();
  const refused = await start(['demo', '--host', '0.0.0.0', '--port', String(port), ...data]);
  if (refused.exited() === undefined) await refused.stop();
  assert.notEqual(refused.exited(), 0, refused.output());
  assert.match(refused.output(), /--allow-demo-passwords/);
  assert.equal(await reachable('127.0.0.1', port), false);
  // The same data folder through `earshot serve`: the passwords are still the demo's.
  const serve = await run(['serve', '--host', '0.0.0.0', '--port', String(port), '--no-jobs', ...data]);
  assert.notEqual(serve.code, 0, show(serve));
  assert.match(serve.stderr, /demo/);
  // Told explicitly (flag or env): it starts, and says so.
  const allowed = await start(['demo', '--host', '0.0.0.0', '--port', String(port), ...data], { EARSHOT_ALLOW_DEMO_PASSWORDS: '1' });
  try {
    assert.equal(allowed.exited(), undefined, allowed.output());
    assert.equal(await reachable('127.0.0.1', port), true);
    assert.match(allowed.output(), /demo passwords/i);
  } finally {
    await allowed.stop();
  }
});

test('the session cookie is Secure when the request came over HTTPS through a trusted proxy, not otherwise', async () => {
  // inject() comes from 127.0.0.1: trusted by the first list, not by the second (its X-Forwarded-Proto is ignored).
  for (const [trust, trusted] of [['127.0.0.1,10.0.0.0/8', true], ['10.0.0.0/8', false]] as const) {
    const env = await setup({ trustProxy: loadConfig({ TRUST_PROXY: trust }).trustProxy, cookieSecure: 'never' });
    try {
      await addUser(env.ctx, systemPrincipal(env.accountId), { email: 'kim@acme.test', name: 'Kim', role: 'agent', password: 'Vq7-orbit-Lantern-92' });
      for (const xfp of ['https', 'http']) {
        const r = await env.req('POST', '/api/v1/auth/login', {
          token: '',
          headers: { host: 'help.example.com', 'x-forwarded-proto': xfp },
          body: { email: 'kim@acme.test', password: 'Vq7-orbit-Lantern-92' },
        });
        assert.equal(r.status, 200, r.body);
        const cookie = String([r.headers['set-cookie']].flat()[0]);
        assert.equal(/;\s*Secure/i.test(cookie), trusted && xfp === 'https', `TRUST_PROXY=${trust}, X-Forwarded-Proto ${xfp}: ${cookie}`);
      }
    } finally {
      await env.close();
    }
  }
  assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, true);
  assert.equal(loadConfig({}).trustProxy, false);
  assert.throws(() => loadConfig({ TRUST_PROXY: 'proxy.local' }), /TRUST_PROXY/);
});
