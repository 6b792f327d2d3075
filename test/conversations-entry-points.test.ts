/**
 * The conversations module's entry points for other modules (issue 15): each writes the conversation change with its
 * events, audit entry, realtime notice and webhook in the caller's transaction; and the "solved" hook other modules
 * (csat) register.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';
import * as conv from '../src/modules/conversations/index.js';
import { systemPrincipal } from '../src/platform/context.js';

let env: TestEnv;
before(async () => {
  env = await setup({ webhookAllowPrivate: true });
  const hook = await env.req('POST', '/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['conversation.updated', 'message.created'] } });
  assert.equal(hook.status, 201, hook.body);
});
after(() => env.close());

const sys = () => systemPrincipal(env.accountId);
const open = async (subject: string) => (await env.req('POST', '/api/v1/conversations', { body: convBody({ subject }) })).json;
const events = async (id: string) =>
  (await env.db.query<{ type: string; data: any; agent_id: string | null }>(
    'SELECT type, data, agent_id FROM contact_events WHERE conversation_id = $1 ORDER BY id', [id])).rows;
const audits = async (id: string) =>
  (await env.db.query<{ action: string; data: any }>('SELECT action, data FROM audit_log WHERE target_id = $1 ORDER BY id', [id])).rows;
const hooks = async (id: string) =>
  (await env.db.query<{ event: string; body: string }>(`SELECT event, body FROM webhook_deliveries WHERE body LIKE '%' || $1 || '%' ORDER BY created_at, id`, [id])).rows
    .map((r) => ({ event: r.event, data: JSON.parse(r.body).data }));

test('raisePriority: priority, system note, events, audit entry and webhook in one go; never lowers', async () => {
  const c = await open('Raise me');
  const before = { audits: (await audits(c.id)).length, hooks: (await hooks(c.id)).length };
  const noteId = await env.db.transaction((tx) => conv.raisePriority(env.ctx, tx, sys(), c.id, {
    to: 'urgent', reason: 'listening', details: { urgency: 'medical', messageId: c.messages[0].id }, evidence: 'im Krankenhaus',
    note: { text: 'Priorität erhöht: normal → dringend', language: 'de' },
  }));
  assert.ok(noteId);
  const after = await conv.getConversation(env.ctx, sys(), c.id);
  assert.equal(after.priority, 'urgent');
  const note = after.messages.find((m: any) => m.id === noteId);
  assert.deepEqual([note.kind, note.authorType, note.authorUserId, note.language, note.text], ['note', 'system', null, 'de', 'Priorität erhöht: normal → dringend']);
  const ev = (await events(c.id)).slice(-2);
  assert.deepEqual(ev.map((e) => [e.type, e.data, e.agent_id]), [
    ['conversation.priority_changed', { from: 'normal', to: 'urgent', reason: 'listening', urgency: 'medical', messageId: c.messages[0].id }, null],
    ['note.added', { messageId: noteId, system: true }, null],
  ]);
  const a = (await audits(c.id)).slice(before.audits);
  assert.deepEqual(a, [{ action: 'conversation.priority_raised',
    data: { from: 'normal', to: 'urgent', urgency: 'medical', messageId: c.messages[0].id, evidence: 'im Krankenhaus' } }]);
  const h = (await hooks(c.id)).slice(before.hooks);
  assert.deepEqual(h, [{ event: 'conversation.updated',
    data: { conversationId: c.id, changes: { priority: 'urgent' }, reason: 'listening', urgency: 'medical', messageId: c.messages[0].id } }]);
  // Equal or lower: nothing written.
  const again = await env.db.transaction((tx) => conv.raisePriority(env.ctx, tx, sys(), c.id, {
    to: 'high', reason: 'listening', details: {}, note: { text: 'no', language: 'en' },
  }));
  assert.equal(again, null);
  assert.equal((await conv.getConversation(env.ctx, sys(), c.id)).messages.length, after.messages.length);
});

test('addSystemNote: a note by the system with note.added (system) and the message.created webhook', async () => {
  const c = await open('System note');
  const id = await env.db.transaction((tx) => conv.addSystemNote(env.ctx, tx, sys(), c.id, { text: 'The line dropped.', language: 'en' }));
  const m = (await conv.getConversation(env.ctx, sys(), c.id)).messages.find((x: any) => x.id === id);
  assert.deepEqual([m.kind, m.authorType, m.text], ['note', 'system', 'The line dropped.']);
  assert.deepEqual((await events(c.id)).at(-1), { type: 'note.added', data: { messageId: id, system: true }, agent_id: null });
  assert.deepEqual((await hooks(c.id)).at(-1), { event: 'message.created', data: { conversationId: c.id, messageId: id, kind: 'note' } });
});

test('tagConversation adds tags once, with conversation.tagged, audit and webhook', async () => {
  const c = await open('Tag me');
  assert.deepEqual(await env.db.transaction((tx) => conv.tagConversation(env.ctx, tx, sys(), c.id, ['VIP Customer'])), ['vip-customer']);
  assert.deepEqual((await events(c.id)).at(-1)?.data, { from: [], to: ['vip-customer'] });
  assert.deepEqual((await audits(c.id)).at(-1), { action: 'conversation.updated', data: { tags: ['vip-customer'] } });
  assert.deepEqual((await hooks(c.id)).at(-1)?.data, { conversationId: c.id, changes: { tags: ['vip-customer'] } });
  const n = (await events(c.id)).length;
  await env.db.transaction((tx) => conv.tagConversation(env.ctx, tx, sys(), c.id, ['vip-customer']));
  assert.equal((await events(c.id)).length, n, 'a tag already there changes nothing');
});

test('recordChannelOutcome adds its tags once and writes the ending it is given', async () => {
  const c = await open('Chat outcome');
  const outcome = () => env.db.transaction((tx) => conv.recordChannelOutcome(env.ctx, tx, sys(), c.id, {
    addTags: ['abandoned'], audit: { action: 'chat.abandoned', data: { reason: 'left' } },
  }));
  await outcome();
  await outcome();
  assert.deepEqual((await conv.getConversation(env.ctx, sys(), c.id)).tags, ['abandoned']);
  assert.deepEqual((await audits(c.id)).filter((a) => a.action === 'chat.abandoned').length, 2);
});

test('reopenFromChannel: closed → open (by the channel), solved → open, open stays; merged is refused', async () => {
  const c = await open('Closed one');
  await conv.updateConversation(env.ctx, sys(), c.id, { status: 'closed' });
  const n = { audits: (await audits(c.id)).length, hooks: (await hooks(c.id)).length };
  assert.equal(await env.db.transaction((tx) => conv.reopenFromChannel(env.ctx, tx, sys(), c.id, 'email')), true);
  assert.equal((await conv.getConversation(env.ctx, sys(), c.id)).status, 'open');
  assert.deepEqual((await events(c.id)).slice(-2).map((e) => [e.type, e.data]), [
    ['conversation.status_changed', { from: 'closed', to: 'open', by: 'email' }],
    ['contact.reopened', { from: 'closed' }],
  ]);
  // As the email channel always did: no audit entry, no webhook for this reopen.
  assert.equal((await audits(c.id)).length, n.audits);
  assert.equal((await hooks(c.id)).length, n.hooks);
  assert.equal(await env.db.transaction((tx) => conv.reopenFromChannel(env.ctx, tx, sys(), c.id, 'email')), false);

  const s = await open('Solved one');
  await conv.updateConversation(env.ctx, sys(), s.id, { status: 'solved' });
  assert.equal(await env.db.transaction((tx) => conv.reopenFromChannel(env.ctx, tx, sys(), s.id, 'email')), true);
  assert.deepEqual((await events(s.id)).slice(-2).map((e) => [e.type, e.data]), [
    ['conversation.status_changed', { from: 'solved', to: 'open' }],
    ['contact.reopened', {}],
  ]);

  await conv.mergeConversations(env.ctx, sys(), s.id, c.id);
  await assert.rejects(env.db.transaction((tx) => conv.reopenFromChannel(env.ctx, tx, sys(), s.id, 'email')), /merged/);
});

test('onConversationSolved: a registered handler runs once per solve, inside the solving transaction', async () => {
  const seen: string[] = [];
  conv.onConversationSolved(async (tx, _p, s) => {
    if (s.conversationId === 'refuse') return;
    const r = await tx.query<{ status: string }>('SELECT status FROM conversations WHERE id = $1', [s.conversationId]);
    seen.push(`${s.conversationId}:${s.status}:${r.rows[0].status}`);
  });
  const c = await open('Solve me');
  await conv.updateConversation(env.ctx, sys(), c.id, { status: 'solved' });
  await conv.updateConversation(env.ctx, sys(), c.id, { status: 'closed' });
  assert.deepEqual(seen, [`${c.id}:solved:solved`], 'closing a solved conversation is no second solve');
  // csat registered its handler when the app loaded: the survey job is queued by the same solve.
  const jobs = await env.db.query(`SELECT 1 FROM jobs WHERE kind = 'csat.survey' AND payload->>'conversationId' = $1`, [c.id]);
  assert.equal(jobs.rows.length, 1);
});
