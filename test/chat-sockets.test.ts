/**
 * Issue 14 item 6: unauthenticated chat sockets are bounded. Sockets per client address are capped, a socket that
 * has not said hello within a few seconds is closed, and the sockets still waiting for their hello are bounded in
 * total, so 1,000 silent sockets from one address cannot stay open.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { setup, type TestEnv } from './helpers.js';

let env: TestEnv;
let port = 0;
const HELLO_MS = 3_000;

before(async () => {
  // TRUST_PROXY so each socket can come from its own address (X-Forwarded-For), as behind a reverse proxy.
  env = await setup({ publicRateLimit: 1000, trustProxy: true, wsMaxPerIp: 5, wsMaxUnauthenticated: 4, wsHelloTimeoutMs: HELLO_MS });
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  port = (env.app.server.address() as any).port;
});
after(() => env.close());

interface Sock {
  ws: WebSocket;
  frames: any[];
  closed: Promise<{ code: number; reason: string }>;
  isClosed: () => boolean;
}
async function open(ip: string): Promise<Sock> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/chat/socket`, { headers: { 'x-forwarded-for': ip } });
  const frames: any[] = [];
  let done = false;
  ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
  const closed = new Promise<{ code: number; reason: string }>((res) =>
    ws.once('close', (code, reason) => {
      done = true;
      res({ code, reason: reason.toString() });
    }),
  );
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  return { ws, frames, closed, isClosed: () => done };
}
const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what} did not happen within ${ms} ms`)), ms))]);
async function hello(s: Sock) {
  s.ws.send(JSON.stringify({ type: 'hello', account: 'acme' }));
  for (let i = 0; i < 400 && !s.frames.some((f) => f.type === 'welcome' || f.type === 'error'); i++) await new Promise((r) => setTimeout(r, 10));
  return s.frames.find((f) => f.type === 'welcome' || f.type === 'error');
}
const closeAll = async (socks: Sock[]) => {
  for (const s of socks) if (!s.isClosed()) s.ws.close();
  await Promise.all(socks.map((s) => s.closed));
  await new Promise((r) => setTimeout(r, 100)); // the server's close handlers
};

test('a socket that does not say hello is closed after a few seconds; one that did stays open', async () => {
  const silent = await open('198.51.100.1');
  const talker = await open('198.51.100.2');
  assert.equal((await hello(talker)).type, 'welcome');
  const c = await within(silent.closed, HELLO_MS + 3_000, 'closing the silent socket');
  assert.equal(c.code, 4008);
  assert.ok(silent.frames.some((f) => f.type === 'error' && f.code === 'hello_timeout'), JSON.stringify(silent.frames));
  assert.equal(talker.isClosed(), false, 'the socket that said hello is still open');
  await closeAll([talker]);
});

test('sockets per client address are capped; another address is not affected', async () => {
  const mine: Sock[] = [];
  for (let i = 0; i < 5; i++) {
    const s = await open('203.0.113.7');
    assert.equal((await hello(s)).type, 'welcome', `socket ${i + 1} is within the cap`);
    mine.push(s);
  }
  const extra = await open('203.0.113.7');
  const c = await within(extra.closed, 2_000, 'refusing the sixth socket');
  assert.equal(c.code, 4029);
  assert.ok(extra.frames.some((f) => f.code === 'too_many_sockets'), JSON.stringify(extra.frames));
  const other = await open('203.0.113.8');
  assert.equal((await hello(other)).type, 'welcome');
  // A closed socket frees its place.
  await closeAll([mine.pop()!]);
  const again = await open('203.0.113.7');
  assert.equal((await hello(again)).type, 'welcome');
  await closeAll([...mine, other, again]);
});

test('sockets waiting for their hello are bounded in total', async () => {
  const waiting: Sock[] = [];
  for (let i = 0; i < 4; i++) waiting.push(await open(`192.0.2.${i + 1}`));
  const fifth = await open('192.0.2.50');
  const c = await within(fifth.closed, 2_000, 'refusing the fifth unauthenticated socket');
  assert.equal(c.code, 1013);
  assert.ok(fifth.frames.some((f) => f.code === 'busy'), JSON.stringify(fifth.frames));
  // One says hello: it no longer counts, so a new socket is let in.
  assert.equal((await hello(waiting[0])).type, 'welcome');
  const sixth = await open('192.0.2.51');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(sixth.isClosed(), false);
  await closeAll([...waiting, sixth]);
});
