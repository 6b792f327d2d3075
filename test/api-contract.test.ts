/**
 * The API contract (issue 15): every route declares a success response schema with a real shape, the strict response
 * check in every test app catches a schema that does not match what the route answers, the web app's generated API
 * types are up to date, and a client generated from the served OpenAPI document with an npm generator compiles.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Type } from 'typebox';
import { setup, type TestEnv } from './helpers.js';
import { openapi } from './openapi-helpers.js';
import { generate } from '../scripts/api-types.js';

let env: TestEnv;
before(async () => {
  env = await setup({}, {
    beforeReady: (app) => {
      // A route whose schema does not match what it answers, for the check below (never part of the real app).
      app.get('/api/v1/__contract-probe/:case', {
        schema: {
          response: {
            200: Type.Object({ id: Type.String(), note: Type.String(), count: Type.Integer() }),
          },
        },
      }, async (req): Promise<any> => {
        // Typed as any on purpose: the type provider would refuse these wrong answers at compile time.
        const c = (req.params as { case: string }).case;
        if (c === 'extra') return { id: 'a', note: 'n', count: 1, secret: 'dropped by the serializer' };
        if (c === 'null') return { id: 'a', note: null, count: 1 };
        if (c === 'type') return { id: 'a', note: 'n', count: '1' };
        return { id: 'a', note: 'n', count: 1 };
      });
    },
  });
});
after(() => env.close());

const routeSchemas = () => (env.app as any)[Symbol.for('earshot.route-schemas')] as Map<string, any>;

test('the strict response check fails an answer with an undeclared field, a null under a string, or a wrong type', async () => {
  assert.equal((await env.req('GET', '/api/v1/__contract-probe/ok')).status, 200);
  for (const c of ['extra', 'null', 'type']) {
    const r = await env.req('GET', `/api/v1/__contract-probe/${c}`);
    assert.equal(r.status, 500, `${c}: ${r.body}`);
  }
});

/** Success status codes a route's schema declares (2xx, 3xx, 101), with their schema. */
function successSchemas(schema: any): [string, any][] {
  return Object.entries<any>(schema?.response ?? {}).filter(([code]) => /^(1|2|3)/.test(code));
}

test('every route declares a response schema for its success answers', async () => {
  const missing = [...routeSchemas()].filter(([route, s]) => !route.includes('__contract-probe') && successSchemas(s).length === 0).map(([r]) => r);
  assert.deepEqual(missing, [], `${missing.length} route(s) without a success response schema`);
});

/** Paths inside a schema where an object is open although its shape is known. */
function openObjects(s: any, at: string, out: string[]) {
  if (!s || typeof s !== 'object') return;
  if (Array.isArray(s)) {
    for (const [i, x] of s.entries()) openObjects(x, `${at}[${i}]`, out);
    return;
  }
  if (s.additionalProperties === true) out.push(`${at} (additionalProperties: true)`);
  else if (s.properties && s.additionalProperties === undefined) out.push(`${at} (properties listed, others let through: close it)`);
  if (s.type === 'object' && !s.properties && !s.patternProperties && s.additionalProperties === undefined) out.push(`${at} (object without properties)`);
  for (const [k, v] of Object.entries(s)) if (k !== 'examples' && k !== 'default') openObjects(v, `${at}/${k}`, out);
}

test('response schemas are real shapes: no open objects where the shape is known', async () => {
  const found: string[] = [];
  for (const [route, s] of routeSchemas()) {
    if (route.includes('__contract-probe')) continue; // open on purpose: the strict response check above must catch an extra field
    for (const [code, schema] of successSchemas(s)) openObjects(schema, `${route} ${code}`, found);
  }
  assert.deepEqual(found, []);
});

test('web/src/api/schema.d.ts is generated from the current OpenAPI document (npm run api:types)', async () => {
  const doc = await openapi(env);
  delete doc.paths['/api/v1/__contract-probe/{case}'];
  doc.info.version = '0';
  const fresh = await generate(doc);
  const committed = readFileSync(join(import.meta.dirname, '..', 'web', 'src', 'api', 'schema.d.ts'), 'utf8');
  assert.ok(fresh === committed, 'web/src/api/schema.d.ts is out of date: run `npm run api:types` and commit it');
});

test('a client generated from /api/docs/json by openapi-typescript compiles, and its types reject a wrong use', async () => {
  const doc = await openapi(env);
  const dir = mkdtempSync(join(tmpdir(), 'earshot-client-'));
  try {
    writeFileSync(join(dir, 'schema.d.ts'), await generate(doc));
    const client = (wrong: boolean) => `
import type { paths } from './schema';
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer J } } } } ? J : never;
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer J } } } ? J : never;
export async function call<P extends keyof paths, M extends keyof paths[P] & string>(base: string, path: P, method: M, body?: Body<P, M>): Promise<Ok<P, M>> {
  const r = await fetch(base + path, { method: method.toUpperCase(), body: body === undefined ? undefined : JSON.stringify(body) });
  return (await r.json()) as Ok<P, M>;
}
export async function use() {
  const health = await call('http://localhost', '/api/health', 'get');
  const conversations = await call('http://localhost', '/api/v1/conversations', 'get');
  ${wrong ? "const n: number = health.status;" : 'const s: string = health.status;'}
  return [conversations, ${wrong ? 'n' : 's'}];
}
`;
    const tsc = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsc');
    const flags = ['--noEmit', '--ignoreConfig', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom'];
    writeFileSync(join(dir, 'client.ts'), client(false));
    execFileSync(tsc, [...flags, join(dir, 'client.ts')], { cwd: dir, stdio: 'pipe' });
    writeFileSync(join(dir, 'client.ts'), client(true));
    const wrong = (() => {
      try {
        execFileSync(tsc, [...flags, join(dir, 'client.ts')], { cwd: dir, stdio: 'pipe' });
        return '';
      } catch (err: any) {
        return String(err.stdout);
      }
    })();
    assert.match(wrong, /client\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
