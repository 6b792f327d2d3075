import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { setup, type TestEnv } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

test('health answers 200 with the database kind, without signing in', async () => {
  const r = await env.req('GET', '/api/health', { token: '' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.equal(r.json.database, env.db.kind);
});

test('security headers are set', async () => {
  const r = await env.req('GET', '/api/health', { token: '' });
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
  assert.ok(r.headers['strict-transport-security']);
});

test('the OpenAPI document lists every route of the API', async () => {
  const r = await env.req('GET', '/api/docs/json', { token: '' });
  assert.equal(r.status, 200);
  assert.equal(r.json.openapi, '3.1.0');
  const documented = new Set<string>();
  for (const [path, ops] of Object.entries<any>(r.json.paths))
    for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  const routes: string[] = [];
  for (const rt of (env.app as any)[Symbol.for('earshot.routes')] ?? []) routes.push(rt);
  const api = routes.filter((x) => x.includes(' /api/') && !x.includes('/api/docs'));
  assert.ok(api.length > 40, `expected the full route table, got ${api.length}`);
  const missing = api.filter((x) => !documented.has(x));
  assert.deepEqual(missing, [], 'routes missing from the OpenAPI document');
  mkdirSync('.tmp', { recursive: true });
  writeFileSync('.tmp/routes.json', JSON.stringify(api.sort()));
});

test('the browsable API docs are served', async () => {
  const r = await env.req('GET', '/api/docs/', { token: '' });
  assert.equal(r.status, 200);
  assert.match(r.body, /swagger/i);
});

test('unknown routes answer a JSON 404', async () => {
  const r = await env.req('GET', '/api/v1/nothing-here');
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
});
