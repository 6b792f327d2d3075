/**
 * Issue 14 item 8: the sign-in check decides by the ROUTED path, not the raw URL, so `/%61pi/v1/…` (which the router
 * decodes to /api/v1/…) is checked like /api/v1/…; and refusals are logged as one line without a stack trace.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import WebSocket from 'ws';
import { freshDb } from './helpers.js';
import { loadConfig } from '../src/platform/config.js';
import { buildApp, type App } from '../src/server/app.js';

let app: App;
let drop: () => Promise<void>;
let port = 0;
const logs: any[] = [];
const HOOK_MESSAGE = /^Sign in or send an API token/;

before(async () => {
  const fresh = await freshDb();
  drop = fresh.drop;
  const stream = new PassThrough();
  let buf = '';
  stream.on('data', (d) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      logs.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
    }
  });
  app = await buildApp({ db: fresh.db, config: loadConfig({}, { logLevel: 'info', runJobs: false }), logStream: stream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as any).port;
});
after(async () => {
  await app.close();
  await drop();
});

const UUID = '00000000-0000-4000-8000-000000000000';
/** Every API route that needs a signed-in caller: the ones that answer the hook's 401 at their plain path. */
async function protectedRoutes() {
  const table: string[] = (app as any)[Symbol.for('earshot.routes')];
  const out: { method: string; path: string }[] = [];
  for (const r of table) {
    const [method, url] = r.split(' ');
    if (!url.startsWith('/api/v1/')) continue;
    const path = url.replace(/:\w+/g, UUID).replace(/\*$/, 'x');
    const res = await app.inject({ method: method as any, url: path, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
    if (res.statusCode === 401 && HOOK_MESSAGE.test(JSON.parse(res.body).error?.message ?? '')) out.push({ method, path });
  }
  return out;
}

test('every protected route refuses a percent-encoded path exactly like its plain path', async () => {
  const routes = await protectedRoutes();
  assert.ok(routes.length > 100, `found ${routes.length} protected routes`);
  for (const enc of [(p: string) => p.replace('/api/', '/%61pi/'), (p: string) => p.replace('/api/v1/', '/%61%70%69/%76%31/')]) {
    const leaks: string[] = [];
    for (const { method, path } of routes) {
      const res = await app.inject({ method: method as any, url: enc(path), payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
      const msg = res.statusCode === 401 ? JSON.parse(res.body).error?.message : '';
      if (res.statusCode !== 401 || !HOOK_MESSAGE.test(msg)) leaks.push(`${method} ${enc(path)} → ${res.statusCode} ${res.body.slice(0, 80)}`);
    }
    assert.deepEqual(leaks, [], 'routes the sign-in check skipped');
  }
});

test('the realtime socket at /%61pi/v1/realtime is refused before the upgrade, and the refusal is logged without a stack trace', async () => {
  logs.length = 0;
  for (const url of ['/%61pi/v1/realtime', '/api/v1/realtime']) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${url}`);
    const status = await new Promise<number | 'open'>((res) => {
      ws.on('unexpected-response', (_req, r) => res(r.statusCode ?? 0));
      ws.on('open', () => res('open'));
      ws.on('error', () => {});
    });
    ws.terminate();
    assert.equal(status, 401, `${url}: no upgrade without signing in`);
  }
  await new Promise((r) => setTimeout(r, 200));
  const withStack = logs.filter((l) => JSON.stringify(l).includes('"stack"') || (l.err?.stack));
  assert.deepEqual(withStack, [], 'no stack traces for refusals');
  assert.ok(!logs.some((l) => l.level >= 50), `no error-level lines: ${JSON.stringify(logs.filter((l) => l.level >= 50)).slice(0, 500)}`);
});
