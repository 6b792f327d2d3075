/**
 * Issue 15 item 6: every setting is read in platform/config.ts and listed in README's settings table. The probes'
 * PROBE_* settings go through the config like the others; no server code reads process.env on its own (the CLI, which
 * reads its own arguments and secrets named by them, is the exception).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig } from '../src/platform/config.js';
import { endpoints } from '../src/modules/probes/probes.service.js';
import type { Ctx } from '../src/platform/context.js';

const ROOT = join(import.meta.dirname, '..');

test('PROBE_* settings come from the config: defaults, values, a malformed port refused', () => {
  const ctxOf = (env: Record<string, string>) => ({ config: loadConfig(env) }) as unknown as Ctx;
  assert.deepEqual(endpoints(ctxOf({ PORT: '4100', SMTP_PORT: '2600' })), {
    smtpHost: '127.0.0.1',
    smtpPort: 2600,
    httpUrl: 'http://127.0.0.1:4100',
  });
  const env = { PORT: '4100', SMTP_PORT: '2600', PROBE_SMTP_HOST: 'mx.probe.test', PROBE_SMTP_PORT: '2525', PROBE_HTTP_URL: 'https://desk.probe.test/' };
  const config = loadConfig(env);
  assert.equal(config.probeSmtpHost, 'mx.probe.test');
  assert.equal(config.probeSmtpPort, 2525);
  assert.equal(config.probeHttpUrl, 'https://desk.probe.test/');
  assert.deepEqual(endpoints(ctxOf(env)), { smtpHost: 'mx.probe.test', smtpPort: 2525, httpUrl: 'https://desk.probe.test' });
  assert.throws(() => loadConfig({ PROBE_SMTP_PORT: '25x' }), /PROBE_SMTP_PORT/);
});

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) && !f.endsWith('.test.ts') ? [p] : [];
  });

test('no server code reads process.env outside platform/config.ts (the CLI excepted)', () => {
  // CLI code: src/cli/, module CLIs (*.cli.ts) and the CLI's shared database options (platform/cli-db.ts, in
  // platform/ so that modules never import src/cli/).
  const cli = (p: string) => p.startsWith('src/cli/') || p.endsWith('.cli.ts') || p === 'src/platform/cli-db.ts';
  const readers = files(join(ROOT, 'src'))
    .map((p) => relative(ROOT, p))
    .filter((p) => p !== 'src/platform/config.ts' && !cli(p))
    .filter((p) => /process\.env|import\.meta\.env/.test(readFileSync(join(ROOT, p), 'utf8')));
  assert.deepEqual(readers, []);
});

test("every setting config.ts reads is listed in README's settings table", () => {
  const source = readFileSync(join(ROOT, 'src/platform/config.ts'), 'utf8');
  const body = source.slice(source.indexOf('export function loadConfig'));
  const names = new Set([...body.matchAll(/env\.([A-Z][A-Z0-9_]+)|(?:int|pos)\('([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] ?? m[2]));
  assert.ok(names.size > 40, `found only ${names.size} settings in config.ts`);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Settings'), readme.indexOf('\n## ', readme.indexOf('## Settings') + 1));
  // Rows may abbreviate a family: `SMTP_OUTBOUND_CONNECT_TIMEOUT_MS`, `…_GREETING_TIMEOUT_MS`.
  const listed = (name: string) =>
    table.includes(`\`${name}\``) ||
    [...table.matchAll(/`([A-Z][A-Z0-9]*_)[A-Z0-9_]*`((?:, `…_[A-Z0-9_]+`)+)/g)].some(
      (m) => [...m[2].matchAll(/…_([A-Z0-9_]+)/g)].some((x) => name === m[1] + x[1] || name.endsWith(`_${x[1]}`) && name.startsWith(m[1])),
    );
  assert.deepEqual([...names].filter((n) => !listed(n)), []);
});
