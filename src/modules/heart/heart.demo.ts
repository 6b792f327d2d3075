/** Demo data for service with heart: EUR, threshold 50.00, team budgets 500.00 and agent budgets 150.00 a month, a few
 * goodwill spends (one awaiting approval), an exception to policy, two moments with consent and some kudos. */
import type { Ctx, Principal } from '../../platform/context.js';
import { systemPrincipal } from '../../platform/context.js';
import { cancelQueuedJobs } from '../../platform/jobs.js';
import type { DemoSeed } from '../module.js';
import * as svc from './heart.service.js';

export async function heartDemo(ctx: Ctx, seed: DemoSeed): Promise<void> {
  const sys = systemPrincipal(seed.accountId);
  await svc.updateSettings(ctx, sys, { currency: 'EUR', approvalThreshold: 5000, defaultAgentBudget: 15000, defaultTeamBudget: 50000 });
  const as = (email: string, role: Principal['role'] = 'agent'): Principal => ({
    accountId: seed.accountId, role, kind: 'user', userId: seed.users[`${email}@demo.earshot.test`], tokenId: null,
  });
  const lena = as('lena');
  const ola = as('ola');
  const sam = as('sam');
  const martin = as('martin', 'supervisor');
  const ingrid = as('ingrid', 'leader');
  const convIn = async (queueId: string, n: number) =>
    (await ctx.db.query<{ id: string }>(
      'SELECT id FROM conversations WHERE account_id = $1 AND queue_id = $2 AND merged_into IS NULL ORDER BY created_at LIMIT $3',
      [seed.accountId, queueId, n],
    )).rows.map((r) => r.id);
  const [de1, de2] = await convIn(seed.queues.de, 2);
  const [no1, no2] = await convIn(seed.queues.no, 2);
  const [en1] = await convIn(seed.queues.en, 1);

  if (de1) {
    const s = await svc.spendGoodwill(ctx, lena, de1, { kind: 'free_delivery', amount: 990, description: 'Express-Versand ohne Kosten, damit das Zelt vor dem Urlaub ankommt' });
    await svc.recordException(ctx, lena, de1, {
      policy: 'Express-Versand nur gegen Aufpreis',
      action: 'Express-Versand kostenlos',
      reason: 'Die Kundin fährt am Samstag in den Urlaub; die Verspätung lag bei uns.',
      goodwillSpendId: s.id,
    });
    await svc.captureMoment(ctx, lena, de1, {
      title: 'Das Zelt kam rechtzeitig zum Urlaub',
      story: 'Die Lieferung hing im Lager fest. Lena hat den Versand selbst verfolgt, Express gebucht und der Kundin am Abend geschrieben. Die Familie konnte pünktlich los.',
      consent: { given: true, how: 'conversation', note: 'Im Chat gefragt: „Dürfen wir die Geschichte im Team erzählen?“ – „Gern!“' },
    });
  }
  if (de2) await svc.spendGoodwill(ctx, lena, de2, { kind: 'gift', amount: 1500, description: 'Gutschein als Entschuldigung für die lange Wartezeit' });
  if (no1) {
    await svc.spendGoodwill(ctx, ola, no1, { kind: 'replacement', amount: 8000, description: 'Ny sovepose sendt før den gamle er returnert' });
    const m = await svc.captureMoment(ctx, ola, no1, {
      title: 'Ny sovepose før fjellturen',
      story: 'Glidelåsen røk to dager før turen. Ola sendte en ny sovepose med en gang, uten å vente på returen.',
      consent: { given: true, how: 'writing', note: 'Kunden svarte ja på e-post.' },
    });
    for (const who of [lena, sam, martin, ingrid]) await svc.giveKudos(ctx, who, m.id);
  }
  if (no2) await svc.spendGoodwill(ctx, ola, no2, { kind: 'refund', amount: 2500, description: 'Refusjon av fraktkostnaden' });
  if (en1) await svc.spendGoodwill(ctx, sam, en1, { kind: 'gift', amount: 2000, description: 'A thank-you card and a coffee voucher' });
  // Demo history: the pending spend is listed on /heart, but nobody is emailed about it.
  const spends = await ctx.db.query<{ id: string }>('SELECT id FROM goodwill_spends WHERE account_id = $1', [seed.accountId]);
  await cancelQueuedJobs(ctx.db, 'heart.approval_requested', 'spendId', spends.rows.map((r) => r.id));
  // The first moment gets kudos too.
  const feed = await svc.feed(ctx, sys, { limit: 10 });
  const first = feed.find((m) => m.agentId === lena.userId);
  if (first) for (const who of [ola, martin]) await svc.giveKudos(ctx, who, first.id);
}
