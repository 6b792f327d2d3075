/**
 * Benchmark: chat round trips with 500 connected widget clients on one server.
 *
 *   node --import tsx bench/chat.ts        (BENCH_CHAT_CLIENTS=500, BENCH_CHAT_SECONDS=10)
 *
 * Round trip: a visitor sends a message over its WebSocket → stored (ack) → the agent side answers through the HTTP API
 * (POST /conversations/:id/replies) → the reply is pushed to the visitor's socket (LISTEN/NOTIFY → seq → frame).
 * Every client does this in a loop for the measured time; figures: round trips/s, chat messages/s (two per round trip),
 * p50/p99 round-trip latency.
 * Baseline, same run, same conversations and concurrency: the same two messages through the HTTP API only
 * (POST /conversations/:id/messages, then POST /conversations/:id/replies), no sockets and no push.
 *
 * Backend: PostgreSQL when reachable (BENCH_DATABASE_URL, TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test;
 * a fresh database earshot_bench_<random>, dropped at the end), else embedded PGlite with 100 clients.
 * The clients run in the server's process, so absolute figures are lower than with a separate load generator.
 */
import WebSocket from 'ws';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { loadConfig } from '../src/platform/config.js';
import { buildApp } from '../src/server/app.js';
import { addUser, createAccount, createToken } from '../src/modules/accounts/accounts.service.js';
import { systemPrincipal } from '../src/platform/context.js';
import { fmt, printTable, ratio, withPostgres } from './common.js';

const SECONDS = Number(process.env.BENCH_CHAT_SECONDS ?? 10);

interface Figures {
  backend: string;
  clients: number;
  setupSeconds: number;
  socket: { roundTrips: number; perSec: number; messagesPerSec: number; p50: number; p99: number };
  http: { roundTrips: number; perSec: number; messagesPerSec: number; p50: number; p99: number };
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

class Client {
  private handlers = new Set<(f: any) => void>();
  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const f = JSON.parse(raw.toString());
      for (const h of [...this.handlers]) h(f);
    });
  }
  wait(pred: (f: any) => boolean, ms = 30_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.handlers.delete(h);
        reject(new Error('timeout waiting for a frame'));
      }, ms);
      const h = (f: any) => {
        if (!pred(f)) return;
        clearTimeout(t);
        this.handlers.delete(h);
        resolve(f);
      };
      this.handlers.add(h);
    });
  }
  send(f: unknown) {
    this.ws.send(JSON.stringify(f));
  }
}

async function run(backend: string, db: Db, clients: number): Promise<Figures> {
  await migrate(db);
  const config = loadConfig({}, { logLevel: 'silent', publicRateLimit: 1_000_000 });
  const app = await buildApp({ db, config, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as any).port}`;
  try {
    const ctx = app.ctx;
    const acc = await createAccount(ctx, { name: 'Bench', slug: 'bench' });
    const p = systemPrincipal(acc.id);
    const agent = await addUser(ctx, p, { email: 'agent@bench.test', name: 'Agent', role: 'agent', capacity: 100_000 });
    await db.query(`UPDATE users SET presence = 'available' WHERE id = $1`, [agent.id]);
    const token = (await createToken(ctx, p, { role: 'agent', name: 'bench' })).token;
    const post = async (path: string, body: unknown) => {
      const r = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<any>;
    };

    // 500 widgets connect, say hello and open a chat each.
    const t0 = performance.now();
    const conns: { c: Client; conversationId: string }[] = [];
    for (let i = 0; i < clients; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, clients - i) }, async (_, k) => {
          const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/chat/socket`);
          await new Promise((res, rej) => {
            ws.once('open', res);
            ws.once('error', rej);
          });
          const c = new Client(ws);
          c.send({ type: 'hello', account: 'bench' });
          await c.wait((f) => f.type === 'welcome');
          c.send({ type: 'start', name: `Visitor ${i + k}`, clientId: 'start', text: 'Hello' });
          const ack = await c.wait((f) => f.type === 'ack' || f.type === 'error');
          if (ack.type === 'error') throw new Error(ack.message);
          return { c, conversationId: ack.conversationId as string };
        }),
      );
      conns.push(...batch);
    }
    const setupSeconds = (performance.now() - t0) / 1000;

    // Sockets: visitor → ack → agent reply over HTTP → pushed to the visitor.
    const socketLat: number[] = [];
    let end = performance.now() + SECONDS * 1000;
    let t = performance.now();
    await Promise.all(
      conns.map(async ({ c, conversationId }, i) => {
        for (let n = 0; performance.now() < end; n++) {
          const s = performance.now();
          const id = `v${i}-${n}`;
          const acked = c.wait((f) => f.type === 'ack' && f.clientId === id);
          const delivered = c.wait((f) => f.type === 'message' && f.from === 'agent' && f.text === `re ${id}`);
          c.send({ type: 'message', clientId: id, text: `msg ${id}` });
          await acked;
          await post(`/api/v1/conversations/${conversationId}/replies`, { text: `re ${id}`, clientId: `a-${id}` });
          await delivered;
          socketLat.push(performance.now() - s);
        }
      }),
    );
    const socketSecs = (performance.now() - t) / 1000;

    // Baseline: the same two messages through the HTTP API only.
    const httpLat: number[] = [];
    end = performance.now() + SECONDS * 1000;
    t = performance.now();
    await Promise.all(
      conns.map(async ({ conversationId }, i) => {
        for (let n = 0; performance.now() < end; n++) {
          const s = performance.now();
          const id = `h${i}-${n}`;
          await post(`/api/v1/conversations/${conversationId}/messages`, { text: `msg ${id}`, clientId: id });
          await post(`/api/v1/conversations/${conversationId}/replies`, { text: `re ${id}`, clientId: `a-${id}` });
          httpLat.push(performance.now() - s);
        }
      }),
    );
    const httpSecs = (performance.now() - t) / 1000;
    for (const { c } of conns) c.ws.terminate();
    const fig = (lat: number[], secs: number) => ({
      roundTrips: lat.length, perSec: lat.length / secs, messagesPerSec: (2 * lat.length) / secs, p50: pct(lat, 50), p99: pct(lat, 99),
    });
    return { backend, clients, setupSeconds, socket: fig(socketLat, socketSecs), http: fig(httpLat, httpSecs) };
  } finally {
    await app.close();
  }
}

async function main() {
  const clients = Number(process.env.BENCH_CHAT_CLIENTS ?? 500);
  console.log(`Earshot chat bench — node ${process.version}, ${SECONDS}s per phase`);
  let figures: Figures | string = await withPostgres((db) => run('postgres', db, clients));
  if (typeof figures === 'string') {
    console.log(`${figures}; using embedded PGlite with 100 clients`);
    const db = await openDb({ dataDir: 'memory://' });
    try {
      figures = await run('pglite', db, Math.min(clients, Number(process.env.BENCH_CHAT_PGLITE_CLIENTS ?? 100)));
    } finally {
      await db.close();
    }
  }
  const f = figures;
  console.log(`\n${f.backend}: ${f.clients} connected widgets (connect + hello + start: ${f.setupSeconds.toFixed(1)} s)`);
  printTable([
    ['path', 'round trips', 'round trips/s', 'messages/s', 'p50 ms', 'p99 ms', 'msgs/s ratio'],
    ['HTTP API only (baseline)', fmt(f.http.roundTrips), fmt(f.http.perSec, 1), fmt(f.http.messagesPerSec, 1), fmt(f.http.p50, 1), fmt(f.http.p99, 1), '1.000'],
    ['widget socket + push', fmt(f.socket.roundTrips), fmt(f.socket.perSec, 1), fmt(f.socket.messagesPerSec, 1), fmt(f.socket.p50, 1), fmt(f.socket.p99, 1),
      ratio(f.socket.messagesPerSec, f.http.messagesPerSec).toFixed(3)],
  ]);
  console.log(JSON.stringify({ chat: { ...f, messagesPerSecRatio: ratio(f.socket.messagesPerSec, f.http.messagesPerSec) } }));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
