/**
 * One small database interface over two drivers: embedded PGlite (default, zero set-up) and a PostgreSQL server
 * through `pg`. Both speak the same SQL, so modules write plain parameterised PostgreSQL and never ask which one runs.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from './errors.js';
import { takeClaim, writeClaim, settleClaim } from './idempotency.js';
import { lockFolder, type FolderLock } from './db-lock.js';
import type { Queryable } from './queryable.js';

export type { Queryable };

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Human-readable location without secrets (for logs and errors). */
  readonly where: string;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; the callback gets each payload. Returns a function that stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: a gzip dump of the data folder, loadable through `loadDataDir` (tests start from a migrated one). */
  dumpDataDir?(): Promise<Blob>;
}

export interface DbOptions {
  /** postgres://… selects a PostgreSQL server. */
  databaseUrl?: string;
  /** A folder selects embedded PGlite with its data there; 'memory://' keeps it in memory (tests). */
  dataDir?: string;
  /** PGlite only: start from a data folder dump (used by tests to skip initdb). */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.dataDir ?? './earshot-data', opts.loadDataDir);
}

/** Hides the password of a connection string. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

async function openPostgres(url: string, poolSize: number): Promise<Db> {
  const pg = (await import('pg')).default;
  // int8 (count(*), bigint ids) as numbers, like PGlite returns them; our counters stay far below 2^53.
  const types = {
    getTypeParser(oid: number, format?: any) {
      if (oid === 20) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const where = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {
    /* an idle client died (server restart); the pool replaces it on next use */
  });
  try {
    const c = await pool.connect();
    c.release();
  } catch (err: any) {
    await pool.end().catch(() => {});
    throw new AppError('db_unreachable', `Cannot reach PostgreSQL at ${where}: ${err.code ?? ''} ${err.message}`.trim(), 503);
  }
  const wrap = (c: { query: (...a: any[]) => Promise<any> }): Queryable => ({
    async query(sql, params) {
      const r = await c.query(sql, params as any[]);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    },
    async exec(sql) {
      await c.query(sql);
    },
  });
  const base = wrap(pool);
  const listeners = new Map<string, Set<(p: string) => void>>();
  // One LISTEN connection per process. A lost connection (server restart, terminated backend) is replaced once: a
  // client can report one loss several times ('error' then 'end', or two 'error's), and only the current client's
  // first report counts; a replaced client is ended so it never delivers again; connecting is shared, so callers
  // racing to listen never open a second connection.
  let listenClient: import('pg').Client | null = null;
  let connecting: Promise<import('pg').Client> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;

  function lost(client: import('pg').Client) {
    if (client !== listenClient) return;
    listenClient = null;
    client.removeAllListeners('notification');
    client.end().catch(() => {});
    scheduleResubscribe(500);
  }
  function scheduleResubscribe(ms: number) {
    if (closed || retry || !listeners.size) return;
    retry = setTimeout(() => {
      retry = null;
      void resubscribe();
    }, ms);
    retry.unref?.();
  }
  function ensureListenClient(): Promise<import('pg').Client> {
    if (listenClient) return Promise.resolve(listenClient);
    if (connecting) return connecting;
    connecting = (async () => {
      const client = new pg.Client({ connectionString: url, types, application_name: `earshot-listen ${process.pid}` });
      client.on('notification', (msg) => {
        const set = listeners.get(msg.channel);
        if (set) for (const fn of set) fn(msg.payload ?? '');
      });
      // Notifications sent while disconnected are lost, which realtime clients tolerate (they refetch on reconnect).
      client.on('error', () => lost(client));
      client.on('end', () => lost(client));
      try {
        await client.connect();
      } catch (err) {
        client.removeAllListeners('notification');
        await client.end().catch(() => {});
        throw err;
      }
      if (closed) {
        await client.end().catch(() => {});
        throw new Error('database closed');
      }
      listenClient = client;
      return client;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  }
  async function resubscribe() {
    if (closed) return;
    try {
      const c = await ensureListenClient();
      for (const ch of listeners.keys()) await c.query(`LISTEN ${quoteIdent(ch)}`);
    } catch {
      scheduleResubscribe(1000);
    }
  }

  return {
    kind: 'postgres',
    where,
    ...base,
    async transaction(fn) {
      const client = await pool.connect();
      // A request with an Idempotency-Key: its first transaction carries the key (platform/idempotency.ts).
      const claim = takeClaim();
      try {
        await client.query('BEGIN');
        const tx = wrap(client);
        if (claim) await writeClaim(tx, claim);
        const result = await fn(tx);
        await client.query('COMMIT');
        if (claim) settleClaim(claim, true);
        return result;
      } catch (err) {
        if (claim) settleClaim(claim, false);
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        const c = await ensureListenClient();
        await c.query(`LISTEN ${quoteIdent(channel)}`);
      }
      set.add(onPayload);
      return async () => {
        set!.delete(onPayload);
        if (set!.size === 0) {
          listeners.delete(channel);
          await listenClient?.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => {});
        }
      };
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = listenClient;
      listenClient = null;
      await c?.end().catch(() => {});
      await pool.end();
    },
  };
}

function quoteIdent(s: string) {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * PGlite's WebAssembly module and file-system bundle, compiled and read once per process: every further database a
 * process opens (the tests open one per test file or case) skips the compile, about a second each.
 */
let parts: Promise<{ pgliteWasmModule: WebAssembly.Module; fsBundle: Blob }> | null = null;
function pgliteParts() {
  parts ??= (async () => {
    const dist = new URL('.', import.meta.resolve('@electric-sql/pglite'));
    const [wasm, data] = await Promise.all([readFile(new URL('pglite.wasm', dist)), readFile(new URL('pglite.data', dist))]);
    return { pgliteWasmModule: await WebAssembly.compile(wasm), fsBundle: new Blob([data]) };
  })();
  return parts;
}

async function openPglite(dataDir: string, loadDataDir?: Blob | File): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const memory = dataDir === 'memory://' || dataDir === '';
  let lock: FolderLock | null = null;
  if (!memory) {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    // PGlite is single-process: a second process on the same folder is refused instead of corrupting it. The lock
    // is released by the operating system when the process dies (db-lock.ts).
    lock = await lockFolder(dir);
    // The pid file earlier versions used as the lock; it is no longer read.
    rmSync(join(dir, 'earshot.lock'), { force: true });
  }
  let pg: InstanceType<typeof PGlite>;
  try {
    // 'memory://', not undefined: a dump loads only into a data folder of the name it was taken from.
    pg = new PGlite(memory ? 'memory://' : resolve(dataDir), { ...(await pgliteParts()), ...(loadDataDir ? { loadDataDir } : {}) });
    await pg.waitReady;
  } catch (err: any) {
    await lock?.release();
    throw new AppError('db_unreachable', `Cannot open the embedded database in ${dataDir}: ${err.message}`, 503);
  }
  const wrap = (c: any): Queryable => ({
    async query(sql, params) {
      const r = await c.query(sql, params as any[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql) {
      await c.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    where: memory ? 'embedded (in memory)' : `embedded (${resolve(dataDir)})`,
    ...wrap(pg),
    async transaction(fn) {
      const claim = takeClaim();
      try {
        const result = await pg.transaction(async (t) => {
          const tx = wrap(t);
          if (claim) await writeClaim(tx, claim);
          return fn(tx);
        });
        if (claim) settleClaim(claim, true);
        return result;
      } catch (err) {
        if (claim) settleClaim(claim, false);
        throw err;
      }
    },
    async listen(channel, onPayload) {
      const unsub = await pg.listen(channel, onPayload);
      return async () => {
        await unsub();
      };
    },
    async dumpDataDir() {
      return pg.dumpDataDir('gzip');
    },
    async close() {
      await pg.close();
      await lock?.release();
    },
  };
}
