/**
 * Test harness: a fresh database per test file (PGlite by default; a new PostgreSQL database when TEST_DATABASE_URL
 * is set), migrated, with one account and a token for each role. Route hits are recorded so scripts/test.mjs can
 * check that every route of the API is exercised by some test.
 */
import { mkdirSync, writeFileSync, existsSync, readFileSync, renameSync, readdirSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate, MIGRATIONS_DIR } from '../src/platform/migrate.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { buildApp, type App } from '../src/server/app.js';
import { systemPrincipal, type Ctx, type Role } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import { checkResponse } from './response-check.js';

export const PG_URL = process.env.TEST_DATABASE_URL;
export const dbKind = PG_URL ? 'postgres' : 'pglite';

/** A hash of the migrations: a template database made from other migrations is never used. */
function migrationsHash(): string {
  const sum = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).sort()) sum.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  return sum.digest('hex').slice(0, 16);
}

async function pgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `earshot-test-template-${migrationsHash()}.tgz`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
  const blob = await db.dumpDataDir!();
  await db.close();
  // Written under a temporary name and renamed, so parallel test files never read a half-written template.
  writeFileSync(`${file}.${process.pid}`, Buffer.from(await blob.arrayBuffer()));
  renameSync(`${file}.${process.pid}`, file);
  return blob;
}

const pgUrlOf = (name: string) => {
  const u = new URL(PG_URL!);
  u.pathname = `/${name}`;
  return u.toString();
};

/**
 * The migrated template database on the TEST_DATABASE_URL server, made once per migrations hash by whichever test
 * process comes first (the others wait on an advisory lock). It is built under a temporary name and renamed, so a
 * half-migrated template is never copied; templates of other migrations are dropped.
 */
async function pgTemplate(admin: pg.Client): Promise<string> {
  const name = `earshot_tpl_${migrationsHash()}`;
  await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
  try {
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) return name;
    const old = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'earshot\\_tpl\\_%'");
    for (const r of old.rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    const building = `${name}_build`;
    await admin.query(`CREATE DATABASE ${building}`);
    const db = await openDb({ databaseUrl: pgUrlOf(building), poolSize: 1 });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
  }
}

/**
 * A new database on the TEST_DATABASE_URL server (for tests that start their own server process): empty, or with
 * `migrated` a copy of the migrated template (much faster than running every migration again).
 */
export async function scratchPgDatabase(prefix = 'earshot_t', opts: { migrated?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!PG_URL) throw new Error('scratchPgDatabase needs TEST_DATABASE_URL');
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(opts.migrated ? `CREATE DATABASE ${name} TEMPLATE ${await pgTemplate(admin)}` : `CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(pgUrlOf(name));
  return {
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export async function freshDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (PG_URL) {
    const scratch = await scratchPgDatabase('earshot_t', { migrated: true });
    const db = await openDb({ databaseUrl: scratch.url, poolSize: 5 });
    await migrate(db);
    return {
      db,
      drop: async () => {
        await db.close();
        await scratch.drop();
      },
    };
  }
  const db = await openDb({ dataDir: 'memory://', loadDataDir: await pgliteTemplate() });
  await migrate(db);
  return { db, drop: () => db.close() };
}

export interface TestEnv {
  app: App;
  db: Db;
  ctx: Ctx;
  config: Config;
  accountId: string;
  tokens: Record<Role, string>;
  /** Moves the app's clock (SLA, expiry). */
  clock: { now: Date | null };
  close(): Promise<void>;
  req(method: string, url: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string>; cookie?: string }): Promise<{ status: number; json: any; headers: Record<string, any>; body: string }>;
  makeAccount(slug: string): Promise<{ accountId: string; tokens: Record<Role, string> }>;
}

const HIT_DIR = join(process.cwd(), '.tmp', 'route-hits');

export async function setup(configOverrides: Partial<Config> = {}, opts: { beforeReady?: (app: App) => void } = {}): Promise<TestEnv> {
  const { db, drop } = await freshDb();
  const config = loadConfig({}, { logLevel: 'silent', loginRateLimit: 1000, ...configOverrides });
  const clock: { now: Date | null } = { now: null };
  const app = await buildApp({ db, config, logger: false, now: () => clock.now ?? new Date() });
  const hits = new Set<string>();
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.url) hits.add(`${req.method} ${req.routeOptions.url}`);
  });
  // Every JSON answer must match the success schema its route declares (test/response-check.ts).
  app.addHook('preSerialization', checkResponse);
  opts.beforeReady?.(app);
  await app.ready();
  const ctx = app.ctx;
  const makeAccount = async (slug: string) => {
    const a = await accounts.createAccount(ctx, { name: `Test ${slug}`, slug });
    const tokens = {} as Record<Role, string>;
    for (const role of ['agent', 'supervisor', 'leader', 'admin'] as Role[])
      tokens[role] = (await accounts.createToken(ctx, systemPrincipal(a.id), { role, name: role })).token;
    return { accountId: a.id, tokens };
  };
  const main = await makeAccount('acme');
  const env: TestEnv = {
    app, db, ctx, config, clock, accountId: main.accountId, tokens: main.tokens, makeAccount,
    async req(method, url, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const token = opts.token === undefined ? main.tokens.admin : opts.token;
      if (token) headers.authorization = `Bearer ${token}`;
      if (opts.cookie) headers.cookie = opts.cookie;
      const res = await app.inject({ method: method as any, url, headers, ...(opts.body !== undefined ? { payload: opts.body as any } : {}) });
      let json: any = null;
      try {
        json = res.body ? JSON.parse(res.body) : null;
      } catch {}
      return { status: res.statusCode, json, headers: res.headers, body: res.body };
    },
    async close() {
      mkdirSync(HIT_DIR, { recursive: true });
      writeFileSync(join(HIT_DIR, `${process.pid}-${randomBytes(3).toString('hex')}.json`), JSON.stringify([...hits]));
      await app.close();
      await drop();
    },
  };
  return env;
}

export const convBody = (over: Record<string, unknown> = {}) => ({
  customer: { email: 'anna@example.com', name: 'Anna Berg' },
  channel: 'email',
  subject: 'My order has not arrived',
  message: { text: 'Hello, I ordered a tent two weeks ago and it has not arrived yet.' },
  ...over,
});
