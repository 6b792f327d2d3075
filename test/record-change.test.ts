/**
 * The one write ending (src/modules/changes): events, audit entry, realtime notice and webhook delivery are written
 * together in the caller's transaction, and none of them survives a rollback.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setup, type TestEnv } from './helpers.js';
import { recordChange } from '../src/modules/changes/index.js';
import { systemPrincipal } from '../src/platform/context.js';

let env: TestEnv;
before(async () => {
  env = await setup({ webhookAllowPrivate: true });
});
after(() => env.close());

async function counts(marker: string) {
  const q = async (sql: string) => Number((await env.db.query<{ n: string }>(sql, [env.accountId, marker])).rows[0].n);
  return {
    events: await q(`SELECT count(*) AS n FROM contact_events WHERE account_id = $1 AND data->>'marker' = $2`),
    audit: await q(`SELECT count(*) AS n FROM audit_log WHERE account_id = $1 AND data->>'marker' = $2`),
    deliveries: await q(`SELECT count(*) AS n FROM webhook_deliveries WHERE account_id = $1 AND body LIKE '%' || $2 || '%'`),
  };
}

test('recordChange writes every part it is given, in the caller transaction; a rollback keeps none of them', async () => {
  const hook = await env.req('POST', '/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['conversation.updated'] } });
  assert.equal(hook.status, 201, hook.body);
  const p = systemPrincipal(env.accountId);
  const write = (marker: string) => async (tx: any) => {
    const contactId = randomUUID();
    const added = await recordChange(tx, p, new Date(), {
      events: [{ accountId: env.accountId, contactId, type: 'conversation.tagged', channel: 'api', occurredAt: new Date(), data: { marker } }],
      audit: { action: 'test.changed', target: { type: 'account', id: env.accountId }, data: { marker } },
      change: { type: 'feature.changed', feature: 'test' },
      webhook: { event: 'conversation.updated', data: { marker } },
    });
    assert.equal(added, 1);
  };
  await env.db.transaction(write('kept'));
  assert.deepEqual(await counts('kept'), { events: 1, audit: 1, deliveries: 1 });

  await assert.rejects(env.db.transaction(async (tx) => {
    await write('rolled-back')(tx);
    throw new Error('the change fails after its ending was written');
  }), /change fails/);
  assert.deepEqual(await counts('rolled-back'), { events: 0, audit: 0, deliveries: 0 });
});

test('recordChange with only some parts writes only those', async () => {
  const p = systemPrincipal(env.accountId);
  await env.db.transaction((tx) => recordChange(tx, p, new Date(), { audit: { action: 'test.only_audit', target: null, data: { marker: 'solo' } } }));
  assert.deepEqual(await counts('solo'), { events: 0, audit: 1, deliveries: 0 });
});
