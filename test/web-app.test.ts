import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, type TestEnv } from './helpers.js';
import { WEB_DIR } from '../src/server/web.js';

// npm test builds the web app first (npm run build:web); a bare `node scripts/test.mjs` on a fresh clone may not have.
const built = existsSync(join(WEB_DIR, 'index.html'));
let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

test('the web app is served at / and its routes survive a reload; /api stays JSON', { skip: !built && 'web app not built (npm run build:web)' }, async () => {
  const root = await env.app.inject({ method: 'GET', url: '/' });
  assert.equal(root.statusCode, 200);
  assert.match(root.headers['content-type'] as string, /text\/html/);
  assert.equal(root.headers['cache-control'], 'no-cache');
  assert.match(root.body, /<div id="root">/);
  // A browser reloading an app route gets the app; a script asking for JSON gets a 404.
  const nav = await env.app.inject({ method: 'GET', url: '/conversations/123', headers: { accept: 'text/html,application/xhtml+xml' } });
  assert.equal(nav.statusCode, 200);
  assert.equal(nav.body, root.body);
  const script = await env.app.inject({ method: 'GET', url: '/conversations/123', headers: { accept: 'application/json' } });
  assert.equal(script.statusCode, 404);
  const api = await env.app.inject({ method: 'GET', url: '/api/v1/nope', headers: { accept: 'text/html', authorization: `Bearer ${env.tokens.agent}` } });
  assert.equal(api.statusCode, 404);
  assert.equal(JSON.parse(api.body).error.code, 'not_found');
  // Hashed assets are cached for a year; a missing one is a 404, not the app.
  const asset = readdirSync(join(WEB_DIR, 'assets')).find((f) => f.endsWith('.js'))!;
  const a = await env.app.inject({ method: 'GET', url: `/assets/${asset}` });
  assert.equal(a.statusCode, 200);
  assert.match(a.headers['cache-control'] as string, /immutable/);
  assert.equal((await env.app.inject({ method: 'GET', url: '/assets/missing.js', headers: { accept: 'text/html' } })).statusCode, 404);
  // Compressed at build time: browsers that accept brotli get the .br file, others the plain one.
  const big = readdirSync(join(WEB_DIR, 'assets')).find((f) => f.endsWith('.js.br'))!.replace(/\.br$/, '');
  const br = await env.app.inject({ method: 'GET', url: `/assets/${big}`, headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(br.headers['content-encoding'], 'br');
  const plain = await env.app.inject({ method: 'GET', url: `/assets/${big}` });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(br.rawPayload.length < plain.rawPayload.length / 2, `${br.rawPayload.length} vs ${plain.rawPayload.length}`);
  // No https upgrade of assets: a plain-http LAN install must load them.
  assert.doesNotMatch(root.headers['content-security-policy'] as string, /upgrade-insecure-requests/);
});

test('every text of the web app exists in English, German and Norwegian', () => {
  const dir = join(process.cwd(), 'web', 'src', 'locales');
  const keys = (o: any, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
  const namespaces = readdirSync(join(dir, 'en')).filter((f) => f.endsWith('.json'));
  assert.ok(namespaces.length >= 3);
  for (const ns of namespaces) {
    const en = keys(JSON.parse(readFileSync(join(dir, 'en', ns), 'utf8'))).sort();
    for (const lang of ['de', 'nb']) {
      const file = join(dir, lang, ns);
      assert.ok(existsSync(file), `${lang}/${ns} missing`);
      const other = keys(JSON.parse(readFileSync(file, 'utf8'))).sort();
      assert.deepEqual(other.filter((k) => !en.includes(k)), [], `${lang}/${ns} has keys English lacks`);
      assert.deepEqual(en.filter((k) => !other.includes(k)), [], `${lang}/${ns} lacks keys`);
    }
  }
});
