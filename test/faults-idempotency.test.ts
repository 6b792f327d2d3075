/**
 * Issue 14 item 16 across processes: a burst of creates on node A, SIGKILL A midway, and every create A did not
 * acknowledge is retried on node B with the same Idempotency-Key, like a client behind a load balancer would.
 * Afterwards: every create exists exactly once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SKIP, cluster, api, kill, convBody } from './faults-harness.js';

const TOTAL = 240;
const PARALLEL = 24;

test('item 16: SIGKILL during a burst of creates, retries on the other node with the same keys: 0 duplicates', { skip: SKIP, timeout: 150_000 }, async () => {
  const c = await cluster('earshot_f16');
  try {
    const [a, b] = await Promise.all([c.start({ EARSHOT_JOBS: '0' }), c.start({ EARSHOT_JOBS: '0' })]);
    const acked = new Map<number, string>();
    const answerLost = new Set<number>();
    let retried = 0;
    let killed = false;
    let next = 0;
    const one = async (i: number) => {
      const headers = { 'idempotency-key': `burst-${i}` };
      try {
        const r = await api(killed ? b : a, c.token, 'POST', '/api/v1/conversations', convBody(i), headers);
        assert.equal(r.status, 201, r.text);
        acked.set(i, r.json.id);
        return;
      } catch (err: any) {
        if (err?.code === 'ERR_ASSERTION') throw err;
        // Connection cut by the kill: not acknowledged. Retry on the other node with the same key.
      }
      retried++;
      const r = await api(b, c.token, 'POST', '/api/v1/conversations', convBody(i), headers);
      if (r.status === 409 && r.json?.error?.code === 'idempotency_key_in_use') {
        answerLost.add(i); // carried out on A, which died before storing its answer
        return;
      }
      assert.equal(r.status, 201, r.text);
      acked.set(i, r.json.id);
    };
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        await one(i);
        if (!killed && acked.size >= TOTAL / 3) {
          killed = true;
          await kill(a);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    assert.ok(killed, 'node A was killed during the burst');
    assert.ok(retried > 0, 'some creates were cut off by the kill and retried');

    const rows = (await c.db.query<{ subject: string; n: number; ids: string[] }>(
      `SELECT subject, count(*)::int AS n, array_agg(id) AS ids FROM conversations WHERE account_id = $1 GROUP BY subject`, [c.accountId],
    )).rows;
    const bySubject = new Map(rows.map((r) => [r.subject, r]));
    const dupes = rows.filter((r) => r.n > 1).map((r) => `${r.subject} ×${r.n}`);
    assert.deepEqual(dupes, [], `duplicates after ${retried} retries`);
    for (let i = 0; i < TOTAL; i++) {
      const row = bySubject.get(`Fault test ${i}`);
      assert.ok(row, `create ${i} (${acked.has(i) ? 'acknowledged' : answerLost.has(i) ? 'answer lost' : 'never acknowledged'}) is stored`);
      if (acked.has(i)) assert.equal(row.ids[0], acked.get(i), `create ${i}: the acknowledged id is the stored one`);
    }
    assert.equal(rows.length, TOTAL);
  } finally {
    await c.close();
  }
});
