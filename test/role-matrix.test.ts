/**
 * The role × tenant matrix (issue 14): every operation of the OpenAPI document × the nine callers (anonymous, each role
 * of account A, each role of account B), with a minimal valid request whose path ids are account A's objects.
 *   - anonymous gets 401 from every operation that is not documented as public (security: []);
 *   - a caller of account B never gets a 2xx from an operation on one of A's objects, and never sees an id of A that
 *     the request did not contain;
 *   - an operation whose summary names its roles, e.g. "(supervisor, admin)", answers 403 to every other role of A
 *     and does not refuse the roles it names;
 *   - which roles of A are refused (403) matches test/fixtures/role-matrix.json, so a change of rights, or a new route,
 *     is a deliberate edit of that file: `UPDATE_ROLE_MATRIX=1 node scripts/test.mjs test/role-matrix.test.ts`.
 *   - nobody gets a 5xx.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setup, type TestEnv } from './helpers.js';
import { minimal, openapi, operations, type Operation } from './openapi-helpers.js';
import { idOf, makeWorld, urlFor, type World } from './fuzz-helpers.js';

const SNAPSHOT = 'test/fixtures/role-matrix.json';
let env: TestEnv;
let world: World;
let ops: Operation[] = [];
before(async () => {
  env = await setup({ publicRateLimit: 100_000 });
  world = await makeWorld(env);
  const rank = (o: Operation) => (o.path.endsWith('/auth/logout') ? 2 : o.method === 'DELETE' ? 1 : 0);
  ops = operations(await openapi(env)).sort((a, b) => rank(a) - rank(b));
});
after(() => env.close());

/** "(supervisor, admin)" or "(admin; …)" closing a clause of the summary (not "the cool-off (supervisor) queue"). */
const ROLE_LIST = /\(((?:agent|supervisor|leader|admin)(?:, (?:agent|supervisor|leader|admin))*)(?:;[^)]*)?\)(?=$|[;,.:])/;
const uuids = (s: string) => s.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [];

test('every operation × the nine callers: 401 anonymous, no cross-account answer, documented roles, no 5xx', async () => {
  const problems: string[] = [];
  const matrix: Record<string, string> = {};
  const aIds = new Set([world.A.accountId, ...Object.values(world.A.ids)]);
  // Account B first (nothing of A changes), then A's roles from the least to the most rights.
  const callers = [world.callers[0]!, ...world.callers.filter((c) => c.account === 'B'), ...world.callers.filter((c) => c.account === 'A')];
  let calls = 0;
  for (const o of ops) {
    const key = `${o.method} ${o.path}`;
    const url = urlFor(o, world.A.ids, world.A.slug);
    const body = o.body ? minimal(o.body, (_f, n) => idOf(world.A.ids, n)) : undefined;
    const qs = o.query.filter((q) => q.required).map((q) => `${q.name}=${encodeURIComponent(String(minimal(q.schema ?? {})))}`).join('&');
    const full = qs ? `${url}?${qs}` : url;
    const namesA = o.params.some((p) => !['account', 'format', 'slug'].includes(p.name));
    const declared = ROLE_LIST.exec(o.op.summary ?? '')?.[1]?.split(', ');
    const refused: string[] = [];
    for (const c of callers) {
      const r = await env.req(o.method, full, {
        token: c.token,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      });
      calls++;
      const what = `${c.name}: ${o.method} ${full} → ${r.status} ${r.body.slice(0, 200)}`;
      if (r.status >= 500) problems.push(`5xx ${what}`);
      if (c.account === null && o.auth && r.status !== 401) problems.push(`anonymous not refused: ${what}`);
      if (c.account === 'B') {
        if (namesA && r.status < 300) problems.push(`answered for another account's object: ${what}`);
        const sent = full + JSON.stringify(body ?? '');
        const leaked = uuids(r.body).filter((id) => aIds.has(id) && !sent.includes(id));
        if (leaked.length) problems.push(`shows account A's ${leaked.join(', ')}: ${what}`);
      }
      if (c.account === 'A') {
        if (r.status === 403) refused.push(c.role!);
        // A role the summary does not name is refused (403; a 400 or 404 may come first); a role it names is not
        // refused for its role (a 403 for another reason, e.g. "a signed-in person, not an API token", is fine).
        if (declared && !declared.includes(c.role!) && r.status < 300)
          problems.push(`summary names roles (${declared.join(', ')}) but ${c.role} got ${r.status}: ${what}`);
        if (declared?.includes(c.role!) && r.status === 403 && r.json?.error?.code === 'forbidden')
          problems.push(`summary names roles (${declared.join(', ')}) but ${c.role} was refused: ${what}`);
      }
    }
    matrix[key] = refused.length ? `403: ${refused.join(', ')}` : 'no role refused';
  }
  assert.deepEqual(problems, []);
  assert.equal(calls, ops.length * 9);
  assert.ok(ops.length >= 150, `only ${ops.length} operations in the OpenAPI document`);
  if (process.env.UPDATE_ROLE_MATRIX || !existsSync(SNAPSHOT)) writeFileSync(SNAPSHOT, `${JSON.stringify(matrix, Object.keys(matrix).sort(), 2)}\n`);
  const expected = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
  const diff = [...new Set([...Object.keys(expected), ...Object.keys(matrix)])]
    .filter((k) => expected[k] !== matrix[k])
    .map((k) => `${k}: expected ${expected[k] ?? '(not in the matrix: a new route)'}, got ${matrix[k] ?? '(route gone)'}`);
  assert.deepEqual(diff, [], `roles refused changed; if intended, UPDATE_ROLE_MATRIX=1 and review ${SNAPSHOT}`);
});
