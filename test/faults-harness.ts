/**
 * Fault-test harness (issue 14 items 15–18): a scratch PostgreSQL database with one account and an admin token, and
 * real `earshot serve` processes on it, started and SIGKILLed by the tests. Only with TEST_DATABASE_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import WebSocket from 'ws';
import { scratchPgDatabase } from './helpers.js';
import { CLI, CWD, childEnv } from './cli-run.js';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { loadConfig } from '../src/platform/config.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';

export const PG_URL = process.env.TEST_DATABASE_URL;
export const SKIP = PG_URL ? false : 'fault tests need two server processes on one PostgreSQL: set TEST_DATABASE_URL';

export interface Node {
  child: ChildProcess;
  port: number;
  base: string;
  pid: number;
  stderr: () => string;
}

export interface Cluster {
  url: string;
  db: Db;
  /** A plain connection to the scratch database (pg_stat_activity, terminating backends). */
  admin: pg.Client;
  token: string;
  accountId: string;
  start(env?: Record<string, string>): Promise<Node>;
  close(): Promise<void>;
}

export async function cluster(prefix: string): Promise<Cluster> {
  const scratch = await scratchPgDatabase(prefix);
  const db = await openDb({ databaseUrl: scratch.url, poolSize: 3 });
  await migrate(db);
  const ctx = { db, config: loadConfig({}, { logLevel: 'silent' }), now: () => new Date() };
  const a = await accounts.createAccount(ctx, { name: 'Acme', slug: 'acme' });
  const token = (await accounts.createToken(ctx, systemPrincipal(a.id), { role: 'admin', name: 'faults' })).token;
  const admin = new pg.Client({ connectionString: scratch.url });
  await admin.connect();
  const nodes = new Set<ChildProcess>();
  return {
    url: scratch.url, db, admin, token, accountId: a.id,
    start(env = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...CLI, 'serve', '--port', '0', '--host', '127.0.0.1'], {
          cwd: CWD,
          env: childEnv({ DATABASE_URL: scratch.url, LOG_LEVEL: 'error', ...env }),
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        nodes.add(child);
        child.on('exit', () => nodes.delete(child));
        let err = '';
        const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 60_000);
        const onExit = (code: number | null) => {
          clearTimeout(timer);
          reject(new Error(`server exited (${code}) before it was ready:\n${err}`));
        };
        child.on('exit', onExit);
        child.stderr!.setEncoding('utf8').on('data', (d) => {
          err += d;
          const m = /on http:\/\/localhost:(\d+)/.exec(err);
          if (m && timer) {
            clearTimeout(timer);
            child.off('exit', onExit);
            const port = Number(m[1]);
            resolve({ child, port, base: `http://127.0.0.1:${port}`, pid: child.pid!, stderr: () => err });
          }
        });
      });
    },
    async close() {
      for (const c of nodes) c.kill('SIGKILL');
      await admin.end().catch(() => {});
      await db.close().catch(() => {});
      await scratch.drop();
    },
  };
}

export async function kill(node: Node) {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = new Promise((r) => node.child.once('exit', r));
  node.child.kill('SIGKILL');
  await exited;
}

export async function api(node: Node, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(node.base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, json, text };
}

/** A realtime socket that records every frame it receives. */
export async function socket(node: Node, token: string): Promise<{ ws: WebSocket; frames: any[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${node.port}/api/v1/realtime`, { headers: { authorization: `Bearer ${token}` } });
  const frames: any[] = [];
  ws.on('message', (d) => {
    try {
      frames.push(JSON.parse(d.toString()));
    } catch {}
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    const t = setInterval(() => {
      if (frames.some((f) => f.type === 'hello')) {
        clearInterval(t);
        resolve();
      }
    }, 10);
  });
  return { ws, frames };
}

export async function until<T>(what: string, fn: () => Promise<T | false | null | undefined> | T | false | null | undefined, ms = 20_000, every = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const convBody = (i: number | string, over: Record<string, unknown> = {}) => ({
  customer: { email: `c${i}@example.com`, name: `Customer ${i}` },
  channel: 'email',
  subject: `Fault test ${i}`,
  message: { text: `Hello, this is message ${i}.` },
  ...over,
});
