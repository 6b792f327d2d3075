/** Demo data: the Supervisors cool-off queue, one approved measure and one proposal awaiting approval. */
import type { Ctx, Principal } from '../../platform/context.js';
import { systemPrincipal } from '../../platform/context.js';
import type { DemoSeed } from '../module.js';
import * as queues from '../queues/index.js';
import * as conv from '../conversations/index.js';
import { analyzeMessage } from '../listening/index.js';
import { holdQueuedEmails } from '../channels/email/index.js';
import { approveMeasure, proposeMeasure, updateSettings } from './respect.service.js';

export async function respectDemo(ctx: Ctx, seed: DemoSeed) {
  const sys = systemPrincipal(seed.accountId);
  const person = (email: string, role: Principal['role']): Principal => ({ accountId: seed.accountId, role, kind: 'user', userId: seed.users[email], tokenId: null });
  const martin = person('martin@demo.earshot.test', 'supervisor');
  const lena = person('lena@demo.earshot.test', 'agent');
  const sam = person('sam@demo.earshot.test', 'agent');
  const q = await queues.createQueue(ctx, sys, { name: 'Supervisors', timezone: 'Europe/Berlin' });
  await updateSettings(ctx, martin, { coolOffQueueId: q.id });

  // Approved: a German customer insulted Lena twice; restricted to email for 30 days (reported by Lena, approved by Martin).
  const a = await conv.createConversation(ctx, sys, {
    customer: { name: 'Dieter Krause', email: 'dieter.krause@example.de', language: 'de' }, channel: 'chat',
    subject: 'Reklamation Schlafsack', message: { text: 'Sie sind ein inkompetenter Idiot. Ich will mein Geld zurück.' }, queueId: seed.queues.de,
  });
  await conv.addCustomerMessage(ctx, sys, a.id, { text: 'Ihr Produkt ist Schrott und Sie sind eine dumme Kuh.' });
  const msgs = await ctx.db.query<{ id: string }>(`SELECT id FROM messages WHERE conversation_id = $1 AND direction = 'inbound' ORDER BY created_at`, [a.id]);
  const m1 = await proposeMeasure(ctx, lena, {
    customerId: a.customerId, conversationId: a.id, kind: 'restriction', channels: ['email'], reasonCategory: 'insult',
    reasonText: 'Insulted Lena twice in chat after the refund was explained.', messageIds: msgs.rows.map((r) => r.id),
    abusedUserIds: [lena.userId!], durationDays: 30,
  });
  await approveMeasure(ctx, martin, m1.id, { note: 'Two insults in a row; email keeps the customer reachable.' });

  // Awaiting approval: an English customer threatened Sam (reported by Sam; Martin, Ingrid or Alex may decide).
  const b = await conv.createConversation(ctx, sys, {
    customer: { name: 'Rick Hollis', email: 'rick.hollis@example.com', language: 'en' }, channel: 'email',
    subject: 'Broken stove', message: { text: 'You are a useless idiot. I know where you live and I will find you.' }, queueId: seed.queues.en,
  });
  const bm = await ctx.db.query<{ id: string }>(`SELECT id FROM messages WHERE conversation_id = $1 AND direction = 'inbound'`, [b.id]);
  await proposeMeasure(ctx, sam, {
    customerId: b.customerId, conversationId: b.id, kind: 'ban', reasonCategory: 'threat',
    reasonText: 'Threatened Sam personally after a warranty refusal.', messageIds: bm.rows.map((r) => r.id), abusedUserIds: [sam.userId!], durationDays: 60,
  });
  // The threat is analysed now rather than by its job after start, so the supervisors' threat alert belongs to the
  // demo's history too (the job then finds the findings and does nothing).
  for (const r of bm.rows) await analyzeMessage(ctx, { messageId: r.id });
  // Demo customers have example.* addresses: the notices of these two conversations, and the supervisors' alert about
  // the threat, are kept but never sent.
  await ctx.db.transaction((tx) =>
    holdQueuedEmails(tx, seed.accountId, 'demo history: not sent', { conversationIds: [a.id, b.id], mentioning: `/conversations/${b.id}` }));
}
