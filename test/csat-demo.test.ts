/** The csat demo hook: the demo's solved conversations get survey rows and answers (some unanswered), so the page is not empty. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';
import csat from '../src/modules/csat/csat.module.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(async () => {
  await env.close();
});

test('the demo hook answers most solved, answered conversations and leaves the open ones alone', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const c = await env.req('POST', '/api/v1/conversations', {
      body: convBody({ customer: { email: `demo${i}@example.com`, name: `Demo ${i}`, language: i % 2 ? 'de' : 'nb' } }),
    });
    await env.req('POST', `/api/v1/conversations/${c.json.id}/replies`, { body: { text: 'Done', status: i < 4 ? 'solved' : 'open' } });
    ids.push(c.json.id);
  }
  await csat.demo!(env.ctx, { accountId: env.accountId, users: {}, queues: {} as any, teams: {} as any });
  const rows = (await env.db.query<{ conversation_id: string }>('SELECT conversation_id FROM csat_surveys')).rows.map((r) => r.conversation_id);
  assert.deepEqual(rows.sort(), ids.slice(0, 4).sort());
  const rep = await env.req('GET', '/api/v1/csat/report', { token: env.tokens.leader });
  assert.equal(rep.json.responses, 3, 'every fourth stays unanswered');
  assert.equal(rep.json.surveys.sent, 4);
  assert.equal(rep.json.responseRate, 75);
  assert.ok(rep.json.comments.some((c: any) => /Kjempefin|Schnell|Greit|Hat etwas/.test(c.comment)), JSON.stringify(rep.json.comments));
  const pts = await env.req('GET', '/api/v1/csat/points', { token: env.tokens.leader });
  assert.equal(pts.json.points.length, 3);
  assert.ok(pts.json.points.every((p: any) => p.livedWaitSeconds !== null));
});
