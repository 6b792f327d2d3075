/**
 * Issue 14 item 15 (and 17 below): realtime with two `earshot serve` processes on one PostgreSQL.
 * A database restart is what the client sees when its backend is terminated: the shared test server itself is not
 * restarted (other tests use it); the listeners' backends of the scratch database are terminated instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SKIP, cluster, api, socket, until, sleep, convBody } from './faults-harness.js';

const listenBackends = async (c: { admin: import('pg').Client }) =>
  (await c.admin.query<{ pid: number; application_name: string }>(
    `SELECT pid, application_name FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`,
  )).rows;

test('item 15: five database restarts under two processes leave one LISTEN per process and one frame per event', { skip: SKIP, timeout: 120_000 }, async () => {
  const c = await cluster('earshot_f15');
  try {
    const [a, b] = await Promise.all([c.start(), c.start()]);
    const sa = await socket(a, c.token);
    const sb = await socket(b, c.token);
    assert.equal((await listenBackends(c)).length, 2, 'one LISTEN connection per process at start');

    for (let restart = 1; restart <= 5; restart++) {
      const before = (await listenBackends(c)).map((r) => r.pid);
      await c.admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`,
      );
      // Both processes are listening again (on new backends) …
      await until(`listeners back after restart ${restart}`, async () => {
        const now = await listenBackends(c);
        return now.length >= 2 && now.every((r) => !before.includes(r.pid));
      }, 20_000);
    }
    // … and a reconnect storm would show up as extra connections a little later: give it time to happen.
    await sleep(3000);
    const after = await listenBackends(c);
    assert.equal(after.length, 2, `exactly one LISTEN connection per process after five restarts, got ${after.length}`);

    // Every socket gets every event exactly once, whichever process made it.
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await api(i % 2 ? b : a, c.token, 'POST', '/api/v1/conversations', convBody(`rt${i}`));
      assert.equal(r.status, 201, r.text);
      ids.push(r.json.id);
    }
    for (const s of [sa, sb])
      await until('all created frames', () => ids.every((id) => s.frames.some((f) => f.type === 'conversation.created' && f.conversationId === id)), 10_000);
    await sleep(1500);
    for (const [name, s] of [['a', sa], ['b', sb]] as const)
      for (const id of ids) {
        const n = s.frames.filter((f) => f.type === 'conversation.created' && f.conversationId === id).length;
        assert.equal(n, 1, `socket on process ${name}: ${n} conversation.created frames for one conversation`);
      }
    sa.ws.close();
    sb.ws.close();
  } finally {
    await c.close();
  }
});

/** Resident memory of a process in MB (Linux). */
const rssMb = async (pid: number) => {
  const { readFile } = await import('node:fs/promises');
  const m = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

test('item 17: sockets that never read and a burst of events: memory stays bounded, a healthy socket stays prompt', { skip: SKIP, timeout: 120_000 }, async () => {
  const SLOW = 60;
  const EVENTS = 60_000;
  const c = await cluster('earshot_f17');
  try {
    const a = await c.start({ EARSHOT_JOBS: '0', REALTIME_MAX_BUFFER_BYTES: String(256 * 1024) });
    const slow = [];
    for (let i = 0; i < SLOW; i++) {
      const s = await socket(a, c.token);
      // Stop reading: the server's frames pile up in its send buffer for this socket.
      (s.ws as any)._socket.pause();
      slow.push(s);
    }
    const healthy = await socket(a, c.token);
    await sleep(500);
    const base = await rssMb(a.pid);
    let peak = base;
    const sampler = setInterval(() => void rssMb(a.pid).then((m) => (peak = Math.max(peak, m))).catch(() => {}), 100);
    // The burst: change notifications for the account, exactly as services send them (each distinct).
    const accountId = c.accountId;
    for (let from = 0; from < EVENTS; from += 10_000)
      await c.admin.query(
        `SELECT pg_notify('earshot_changes', json_build_object('accountId', $1::text, 'type', 'conversation.updated',
                 'conversationId', md5(i::text)::uuid)::text) FROM generate_series($2::int, $3::int) i`,
        [accountId, from, from + 9_999],
      );
    // A healthy socket gets every event, and a marker sent after the burst promptly.
    await until('healthy socket got the burst', () => healthy.frames.length >= EVENTS, 60_000);
    const sent = Date.now();
    await c.admin.query(`SELECT pg_notify('earshot_changes', json_build_object('accountId', $1::text, 'type', 'conversation.created', 'conversationId', $2::text)::text)`,
      [accountId, '11111111-1111-4111-8111-111111111111']);
    await until('marker', () => healthy.frames.some((f) => f.conversationId === '11111111-1111-4111-8111-111111111111'), 10_000, 10);
    const latency = Date.now() - sent;
    await sleep(1000);
    clearInterval(sampler);
    const grew = peak - base;
    console.log(`# item 17: RSS ${base.toFixed(0)} → peak ${peak.toFixed(0)} MB, marker after the burst in ${latency} ms`);
    assert.ok(latency < 2000, `healthy socket waited ${latency} ms for an event after the burst`);
    // Unbounded, the slow sockets alone hold about SLOW × EVENTS × 110 bytes (≈ 400 MB); bounded, 60 × 256 KiB at most.
    assert.ok(grew < 150, `process memory grew by ${grew.toFixed(0)} MB (${base.toFixed(0)} → ${peak.toFixed(0)} MB) with ${SLOW} sockets that never read`);
    // The consumers that fell behind were told to resync (close code 4008) or cut off.
    const closes = await Promise.all(slow.map((s) => new Promise<number>((resolve) => {
      if (s.ws.readyState === 3) return resolve(-1);
      s.ws.once('close', (code) => resolve(code));
      (s.ws as any)._socket.resume();
    })));
    for (const code of closes) assert.ok(code === 4008 || code === 1006 || code === -1, `slow socket closed with ${code}`);
    healthy.ws.close();
  } finally {
    await c.close();
  }
});
