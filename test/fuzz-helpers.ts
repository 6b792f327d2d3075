/**
 * Shared by the API fuzz suite and the role × tenant matrix: two accounts with real objects (A: acme, B: other), the
 * nine callers (anonymous, then each role of A and of B), a request for an operation of the OpenAPI document with
 * path ids of account A, and validators compiled from the document's schemas.
 */
import { randomUUID } from 'node:crypto';
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { Role } from '../src/platform/context.js';
import { convBody, type TestEnv } from './helpers.js';
import { minimal, type Operation, type Schema } from './openapi-helpers.js';
import { claimDomain } from '../src/modules/channels/email/domains.service.js';

export const ROLES: Role[] = ['agent', 'supervisor', 'leader', 'admin'];
export interface Caller {
  name: string;
  token: string;
  /** The account the caller belongs to: 'A', 'B', or null (anonymous). */
  account: 'A' | 'B' | null;
  role: Role | null;
  /** A signed-in user's session cookie instead of a token (reaches the routes for users only, like presence). */
  cookie?: string;
}
export interface World {
  A: { accountId: string; slug: string; ids: Record<string, string> };
  B: { accountId: string; slug: string; ids: Record<string, string> };
  callers: Caller[];
  /** Signed-in users: an admin of A and an agent of B, by session cookie. */
  sessions: { adminA: Caller; agentB: Caller };
}

async function objects(env: TestEnv, token: string, tag: string): Promise<Record<string, string>> {
  const ok = async (method: string, url: string, body?: unknown) => {
    const r = await env.req(method, url, { token, body });
    if (r.status >= 300) throw new Error(`fixture ${method} ${url}: ${r.status} ${r.body}`);
    return r.json;
  };
  const ids: Record<string, string> = {};
  ids.queue = (await ok('POST', '/api/v1/queues', { name: `Support ${tag}` })).id;
  ids.team = (await ok('POST', '/api/v1/teams', { name: `Team ${tag}` })).id;
  ids.user = (await ok('POST', '/api/v1/users', { email: `lea-${tag}@${tag}.test`, name: `Lea ${tag}`, role: 'leader', password: 'a long enough password 1' })).id;
  const conv = await ok('POST', '/api/v1/conversations', convBody({ queueId: ids.queue, customer: { email: `kari-${tag}@example.test`, name: `Kari ${tag}` } }));
  ids.conversation = conv.id;
  ids.customer = conv.customerId;
  const full = await ok('GET', `/api/v1/conversations/${conv.id}`);
  ids.message = full.messages?.[0]?.id ?? randomUUID();
  ids.macro = (await ok('POST', '/api/v1/macros', { name: `Hello ${tag}`, body: 'Hello {{customer.first_name}}' })).id;
  ids.mailbox = (await ok('POST', '/api/v1/mailboxes', { address: `support@${tag}.test` })).id;
  ids.sla = (await ok('POST', '/api/v1/sla-policies', { name: `SLA ${tag}`, firstReplyMinutes: 60 })).id;
  ids.article = (await ok('POST', '/api/v1/kb/articles', { translations: { en: { title: `Returns ${tag}`, body: 'Send it back within 30 days.' } } })).id;
  ids.webhook = (await ok('POST', '/api/v1/webhooks', { url: `https://hooks.${tag}.test/earshot`, events: ['conversation.created'] })).id;
  return ids;
}

export async function makeWorld(env: TestEnv): Promise<World> {
  const b = await env.makeAccount('other');
  // Two accounts: each mail domain is the operator's claim (issue 14 item 1; docs/hardening.md).
  await claimDomain(env.ctx, env.accountId, 'acme.test');
  await claimDomain(env.ctx, b.accountId, 'other.test');
  const A = { accountId: env.accountId, slug: 'acme', ids: await objects(env, env.tokens.admin, 'acme') };
  const B = { accountId: b.accountId, slug: 'other', ids: await objects(env, b.tokens.admin, 'other') };
  const callers: Caller[] = [{ name: 'anonymous', token: '', account: null, role: null }];
  for (const role of ROLES) callers.push({ name: `A ${role}`, token: env.tokens[role], account: 'A', role });
  for (const role of ROLES) callers.push({ name: `B ${role}`, token: b.tokens[role], account: 'B', role });
  const session = async (token: string, email: string, role: Role, account: 'A' | 'B'): Promise<Caller> => {
    const password = 'a long enough password 1';
    const u = await env.req('POST', '/api/v1/users', { token, body: { email, name: `Fuzz ${role}`, role, password } });
    if (u.status !== 201) throw new Error(`fixture user: ${u.status} ${u.body}`);
    const login = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email, password } });
    if (login.status !== 200) throw new Error(`fixture login: ${login.status} ${login.body}`);
    const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
    return { name: `${account} ${role} (session)`, token: '', cookie, account, role };
  };
  const sessions = {
    adminA: await session(env.tokens.admin, 'fuzz-admin@acme.test', 'admin', 'A'),
    agentB: await session(b.tokens.admin, 'fuzz-agent@other.test', 'agent', 'B'),
  };
  return { A, B, callers, sessions };
}

/** Which fixture a path parameter or body field names. */
const BY_FIELD: Record<string, string> = {
  queueId: 'queue', coolOffQueueId: 'queue', defaultQueueId: 'queue', teamId: 'team', assigneeId: 'user', deputyId: 'user',
  userId: 'user', agentId: 'user', conversationId: 'conversation', customerId: 'customer', macroId: 'macro',
  slaPolicyId: 'sla', targetId: 'conversation', into: 'conversation', intoId: 'conversation',
};
const BY_PATH: Record<string, string> = {
  conversations: 'conversation', queues: 'queue', teams: 'team', users: 'user', leaders: 'user', macros: 'macro',
  mailboxes: 'mailbox', customers: 'customer', messages: 'message', webhooks: 'webhook', kb: 'article', heart: 'conversation',
};

/** A real id of the given account for a path parameter or body field, else a random uuid. */
export function idOf(ids: Record<string, string>, name: string, path = ''): string {
  if (BY_FIELD[name] && ids[BY_FIELD[name]!]) return ids[BY_FIELD[name]!]!;
  const segs = path.split('/').filter(Boolean).slice(2);
  // The parameter's resource is the segment before it ({id} after "conversations", {macroId} after "macros").
  const at = segs.indexOf(`{${name}}`);
  const seg = at > 0 ? segs[at - 1]! : segs[0] ?? '';
  const key = BY_PATH[seg] ?? (seg === 'articles' ? 'article' : undefined);
  return (key && ids[key]) || randomUUID();
}

/** The URL of an operation with path parameters filled in: ids of `ids`' account, the account slug, the first enum. */
export function urlFor(o: Operation, ids: Record<string, string>, slug: string, pick: (p: Schema) => string | undefined = () => undefined) {
  return o.path.replace(/\{(\w+)\}/g, (_m, name) => {
    const p = o.params.find((x) => x.name === name);
    const chosen = p ? pick(p) : undefined;
    if (chosen !== undefined) return encodeURIComponent(chosen);
    if (name === 'account') return slug;
    if (p?.schema?.enum || p?.schema?.anyOf) return String(minimal(p.schema));
    if (name === 'slug') return 'returns';
    return idOf(ids, name, o.path);
  });
}

const compilerFactory = (AjvCompiler as any)();
const bodyCompile = compilerFactory({}, { customOptions: { coerceTypes: false, strict: false, allErrors: false } });
const queryCompile = compilerFactory({}, { customOptions: { coerceTypes: 'array', strict: false, allErrors: false } });
const cache = new Map<Schema, (x: unknown) => boolean>();
function compiled(s: Schema, coerce: boolean) {
  if (!cache.has(s)) cache.set(s, (coerce ? queryCompile : bodyCompile)({ schema: s }));
  return cache.get(s)!;
}
/** Whether a JSON body is valid for its schema (no coercion, as the server reads bodies). */
export const bodyValid = (s: Schema, body: unknown) => compiled(s, false)(structuredClone(body));
/** Whether query parameters (strings) are valid for their schemas, with the coercion query strings get. */
export function queryValid(query: Schema[], values: Record<string, string>) {
  const schema = { type: 'object', properties: Object.fromEntries(query.map((q) => [q.name, q.schema ?? {}])), required: query.filter((q) => q.required).map((q) => q.name) };
  return compiled(schema, true)({ ...values });
}
/** The response schema an operation declares for a status (exact, then 4XX/5XX, then default), if any. */
export function responseSchema(o: Operation, status: number): Schema | undefined {
  const r = o.op.responses ?? {};
  const hit = r[String(status)] ?? r[`${String(status)[0]}XX`] ?? r.default;
  return hit?.content?.['application/json']?.schema;
}
export const responseValid = (s: Schema, json: unknown) => {
  const v = compiled(s, false) as any;
  const ok = v(structuredClone(json));
  return ok ? null : JSON.stringify(v.errors?.[0] ?? {});
};
