/**
 * The heart demo hook on a small stand-in for the demo account (the users, teams and queues the seeder passes):
 * EUR, threshold 50.00, budgets 150.00 per agent and 500.00 per team, spends with one awaiting approval, an exception,
 * two moments with consent and kudos.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import * as queues from '../src/modules/queues/queues.service.js';
import heart from '../src/modules/heart/heart.module.js';
import { feed, report, listSpends, listExceptions } from '../src/modules/heart/heart.service.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(async () => {
  await env.close();
});

test('the demo hook seeds budgets, spends (one pending), an exception and two consented moments with kudos', async () => {
  const sys = systemPrincipal(env.accountId);
  const users: Record<string, string> = {};
  for (const [key, role] of [['lena', 'agent'], ['ola', 'agent'], ['sam', 'agent'], ['martin', 'supervisor'], ['ingrid', 'leader']] as const)
    users[`${key}@demo.earshot.test`] = (await accounts.addUser(env.ctx, sys, { email: `${key}@demo.earshot.test`, name: key, role })).id;
  const team = async (name: string, members: string[]) => (await accounts.createTeam(env.ctx, sys, { name, memberIds: members.map((m) => users[`${m}@demo.earshot.test`]) })).id;
  const teams = { de: await team('DACH', ['lena', 'martin']), no: await team('Norge', ['ola']), en: await team('Intl', ['sam']) };
  const q = async (name: string) => (await queues.createQueue(env.ctx, sys, { name })).id;
  const qs = { de: await q('DE'), no: await q('NO'), en: await q('EN') };
  for (const [k, id] of Object.entries(qs))
    for (let i = 0; i < 2; i++) {
      const r = await env.req('POST', '/api/v1/conversations', { body: convBody({ queueId: id, subject: `${k} ${i}`, customer: { email: `${k}${i}@example.com`, name: `Customer ${k}${i}` } }) });
      assert.equal(r.status, 201, r.body);
    }
  await heart.demo!(env.ctx, { accountId: env.accountId, users, queues: qs, teams });

  const r = await report(env.ctx, sys, {});
  assert.equal(r.currency, 'EUR');
  assert.equal(r.approvalThreshold, 5000);
  assert.ok(r.teams.every((t) => t.budget === 50000));
  assert.equal(r.agents.find((a) => a.userId === users['lena@demo.earshot.test'])!.budget, 15000);
  assert.equal(r.agents.find((a) => a.userId === users['lena@demo.earshot.test'])!.spent, 990 + 1500);
  const pending = await listSpends(env.ctx, sys, { status: 'pending' });
  assert.equal(pending.length, 1);
  assert.equal(pending[0].spenderId, users['ola@demo.earshot.test']);
  assert.equal((await listSpends(env.ctx, sys, { status: 'approved' })).length, 4);
  assert.equal((await env.db.query(`SELECT 1 FROM jobs WHERE kind = 'heart.approval_requested'`)).rows.length, 0, 'the demo history emails nobody');
  assert.equal((await listExceptions(env.ctx, sys, {})).length, 1);
  const moments = await feed(env.ctx, sys, {});
  assert.equal(moments.length, 2);
  assert.ok(moments.every((m) => m.consent && m.customerName));
  assert.deepEqual(moments.map((m) => m.kudos).sort(), [2, 4]);
});
