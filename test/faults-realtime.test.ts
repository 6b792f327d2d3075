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
