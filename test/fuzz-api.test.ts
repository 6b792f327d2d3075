/**
 * The API fuzz suite (issue 14, "a fuzzing suite that stays"). Driven by the served OpenAPI document, so a new route
 * is fuzzed as soon as it exists (test/api-docs.test.ts makes sure every route is documented). For every operation it
 * generates valid and invalid queries and bodies with fast-check, with a fixed seed and a bounded count, and sends them
 * as an admin of account A and as an agent of account B (path ids are account A's). It fails on:
 *   - any 5xx;
 *   - any response that shows the other account's id (one the request did not itself contain);
 *   - any 2xx for input the operation's schema forbids;
 *   - any response that does not match the response schema the operation declares for its status.
 * FUZZ_SEED and FUZZ_RUNS (samples per operation and caller) change the run; `npm run fuzz -- <runs>` runs it longer.
 * Strings include NUL (U+0000) and lone surrogates: the edges clean them (item 10), so they must never cause a 5xx.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { setup, type TestEnv } from './helpers.js';
import { nonNull, openapi, operations, type Operation, type Schema } from './openapi-helpers.js';
import { bodyValid, idOf, makeWorld, queryValid, responseSchema, responseValid, urlFor, type Caller, type World } from './fuzz-helpers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 1414);
const RUNS = Number(process.env.FUZZ_RUNS ?? 4);

let env: TestEnv;
let world: World;
let ops: Operation[] = [];
const causes = new Map<string, string>();
before(async () => {
  env = await setup({ publicRateLimit: 100_000 }, {
    // The cause of a 500 (the answer only says it was logged, and tests run without a logger).
    beforeReady: (app) => app.addHook('onError', async (req, _reply, err) => {
      causes.set(req.id, `${err.message} ${err.stack?.split('\n').slice(1, 4).join(' ')}`);
    }),
  });
  world = await makeWorld(env);
  // Deletions last, so the objects the other operations work on exist while they run; signing out at the very end.
  const rank = (o: Operation) => (o.path.endsWith('/auth/logout') ? 2 : o.method === 'DELETE' ? 1 : 0);
  ops = operations(await openapi(env)).sort((a, b) => rank(a) - rank(b));
});
after(() => env.close());

// ---- generators -------------------------------------------------------------------------------------------------

const text = (min = 0, max = 24) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '%00', '{{customer.name}}', 'a'.repeat(300), '\u202e', '😀', '\\', '"', 'a\u0000b', '\u0000', 'x\ud800y', '\udfff') },
  ).filter((s) => s.length >= min);

/** A value the schema accepts (most of the time: patterns and formats are approximated, and checked afterwards). */
function valid(schema: Schema, ids: Record<string, string>, name = '', depth = 0): fc.Arbitrary<unknown> {
  const variants: Schema[] | undefined = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => valid(v, ids, name, depth)));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((t: string) => valid({ ...schema, type: t }, ids, name, depth)));
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Math.max(min, 0) + 100_000);
      const i = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
      return schema.type === 'integer' ? i : fc.oneof(i, fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
    }
    case 'string': {
      if (schema.format === 'uuid') return fc.oneof(fc.constant(idOf(ids, name)), fc.uuid());
      if (schema.format === 'email') return fc.constantFrom('anna@example.com', 'ola.nordmann@example.no', 'x+tag@sub.example.test');
      if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 1e9));
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, Math.max(min, 40));
      return text(min, max).filter((s) => s.length <= (schema.maxLength ?? 1e9));
    }
    case 'array':
      return fc.array(valid(schema.items ?? {}, ids, name, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, Math.max(schema.minItems ?? 0, 3)) });
    case 'object': {
      const props: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries<Schema>(schema.properties ?? {})) props[k] = valid(v, ids, k, depth + 1);
      const rec = fc.record(props, { requiredKeys: (schema.required ?? []).filter((k: string) => k in props) });
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && depth < 3)
        return fc.tuple(rec, fc.dictionary(fc.constantFrom('en', 'de', 'nb', 'x', 'order'), valid(schema.additionalProperties, ids, name, depth + 1), { maxKeys: 2 })).map(([r, d]) => ({ ...d, ...r }));
      return rec;
    }
    default:
      return anyJson(depth);
  }
}

const anyJson = (depth = 0): fc.Arbitrary<unknown> =>
  depth > 2 ? fc.oneof(fc.integer(), text(), fc.boolean(), fc.constant(null)) : fc.oneof(fc.integer(), text(), fc.boolean(), fc.constant(null), fc.array(anyJson(depth + 1), { maxLength: 2 }), fc.dictionary(text(1, 8), anyJson(depth + 1), { maxKeys: 2 }));

/** Wrong values: wrong types, out-of-range numbers, overlong strings, unknown fields, or a different JSON value. */
const wrong = fc.oneof(
  fc.constant(null), fc.constant(''), fc.constant(-1), fc.constant(0), fc.constant(1e308), fc.constant(2 ** 31), fc.constant(true),
  fc.constant([]), fc.constant({}), fc.constant('x'.repeat(5000)), fc.constant('not-a-uuid'), fc.integer(), text(), fc.constant([null]),
);
function invalid(schema: Schema, ids: Record<string, string>): fc.Arbitrary<unknown> {
  const s = nonNull(schema);
  const keys = Object.keys(s.properties ?? {});
  const base = valid(schema, ids);
  const mutations: fc.Arbitrary<unknown>[] = [
    anyJson(),
    base.map((b) => (b && typeof b === 'object' && !Array.isArray(b) ? { ...b, fuzzUnknownField: 1 } : b)),
  ];
  if (keys.length)
    mutations.push(
      fc.tuple(base, fc.constantFrom(...keys), wrong).map(([b, k, w]) => (b && typeof b === 'object' ? { ...(b as object), [k]: w } : b)),
      fc.tuple(base, fc.constantFrom(...keys)).map(([b, k]) => {
        if (!b || typeof b !== 'object') return b;
        const c: any = { ...(b as object) };
        delete c[k];
        return c;
      }),
    );
  return fc.oneof(...mutations);
}

const queryWrong = fc.constantFrom('', 'abc', '-1', '0', '1e309', '99999999999999999999', '1.5', 'null', 'true', '%00x', 'not-a-uuid', ' ', 'x'.repeat(3000));

interface Input {
  url: string;
  query: Record<string, string>;
  body: unknown;
  /** Whether the input satisfies the operation's schemas (checked with Ajv, not assumed). */
  valid: boolean;
}

function inputs(o: Operation, ids: Record<string, string>, slug: string, n: number, seed: number): Input[] {
  const qArb = fc.record(
    Object.fromEntries(o.query.map((q) => [q.name, fc.oneof(
      { weight: 3, arbitrary: valid(q.schema ?? {}, ids, q.name).map((v) => (Array.isArray(v) ? v.join(',') : String(v))) },
      { weight: 1, arbitrary: queryWrong },
    )])),
    { requiredKeys: o.query.filter((q) => q.required).map((q) => q.name) },
  ) as fc.Arbitrary<Record<string, string>>;
  const bArb = o.body ? fc.oneof({ weight: 2, arbitrary: valid(o.body, ids) }, { weight: 3, arbitrary: invalid(o.body, ids) }) : fc.constant(undefined);
  return fc.sample(fc.tuple(qArb, bArb), { seed, numRuns: n }).map(([query, body]) => {
    const url = urlFor(o, ids, slug);
    const ok = (!o.body || (body !== undefined && bodyValid(o.body, body))) && queryValid(o.query, query);
    return { url, query, body, valid: ok };
  });
}

const withQuery = (url: string, q: Record<string, string>) => {
  const s = new URLSearchParams(q).toString();
  return s ? `${url}?${s}` : url;
};

function uuidsIn(s: string) {
  return new Set(s.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? []);
}

/** Answers per caller and status class, printed at the end (a run that reaches no handler is no fuzzing). */
const statuses: Record<string, number> = {};
after(() => console.log('fuzz-api answers:', JSON.stringify(statuses)));

async function fuzz(caller: Caller, seedOffset: number) {
  const problems: string[] = [];
  let sent = 0;
  let invalidSent = 0;
  const own = caller.account === 'B' ? world.B : world.A;
  const other = caller.account === 'B' ? world.A : world.B;
  const otherIds = new Set([other.accountId, ...Object.values(other.ids)]);
  for (const [i, o] of ops.entries()) {
    if (o.path.endsWith('/socket') || o.path.endsWith('/realtime')) continue; // WebSockets: test/chat and webhooks-realtime
    // Path ids are always account A's: for B's agent they name objects of another account.
    for (const inp of inputs(o, world.A.ids, world.A.slug, RUNS, SEED + seedOffset + i)) {
      const url = withQuery(inp.url, inp.query);
      const r = await env.req(o.method, url, {
        token: caller.token,
        cookie: caller.cookie,
        ...(inp.body !== undefined ? { body: JSON.stringify(inp.body), headers: { 'content-type': 'application/json' } } : {}),
      });
      sent++;
      statuses[`${caller.name} ${Math.floor(r.status / 100)}xx`] = (statuses[`${caller.name} ${Math.floor(r.status / 100)}xx`] ?? 0) + 1;
      if (process.env.FUZZ_VERBOSE) process.stderr.write(`${r.status} ${o.method} ${url.slice(0, 120)} ${r.body.slice(0, 120)}\n`);
      if (!inp.valid) invalidSent++;
      const what = `${caller.name} ${o.method} ${url} ${JSON.stringify(inp.body)?.slice(0, 300) ?? ''} → ${r.status} ${r.body.slice(0, 300)}`;
      if (r.status >= 500) problems.push(`5xx: ${what} (${causes.get(r.json?.error?.requestId) ?? 'cause unknown'})`);
      if (!inp.valid && r.status < 300) problems.push(`accepted input its schema forbids: ${what}`);
      const sentText = url + JSON.stringify(inp.body ?? '');
      const leaked = [...uuidsIn(r.body)].filter((id) => otherIds.has(id) && !sentText.includes(id));
      if (leaked.length) problems.push(`shows ${leaked.join(', ')} of the other account: ${what}`);
      const rs = r.json !== null ? responseSchema(o, r.status) : undefined;
      if (rs) {
        const bad = responseValid(rs, r.json);
        if (bad) problems.push(`response does not match its schema (${bad}): ${what}`);
      }
      if (problems.length > 40) return { problems, sent, invalidSent };
    }
  }
  void own;
  return { problems, sent, invalidSent };
}

test(`fuzz every operation as an admin of account A (seed ${SEED}, ${RUNS} inputs each)`, async () => {
  const { problems, sent, invalidSent } = await fuzz(world.sessions.adminA, 0);
  assert.deepEqual(problems, []);
  assert.ok(sent >= ops.length * RUNS * 0.9 && invalidSent > sent / 6, `sent ${sent}, invalid ${invalidSent}`);
});

test(`fuzz every operation as an agent of account B with account A's ids (seed ${SEED}, ${RUNS} inputs each)`, async () => {
  const { problems, sent } = await fuzz(world.sessions.agentB, 100_000);
  assert.deepEqual(problems, []);
  assert.ok(sent >= ops.length * RUNS * 0.9, `sent ${sent}`);
});
