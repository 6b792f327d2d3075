/** Demo community: members, questions and answers in en/de/nb; one answer verified, one verified and promoted. */
import type { Ctx, Principal } from '../../platform/context.js';
import type { DemoSeed } from '../module.js';
import { findOrCreateCustomer } from '../customers/index.js';
import * as svc from './community.service.js';

export async function seedCommunity(ctx: Ctx, seed: DemoSeed) {
  const id = seed.accountId;
  const people = [
    { email: 'kari.fjell@example.no', name: 'Kari Fjell', language: 'nb', display: 'Kari på tur' },
    { email: 'jonas.weber@example.de', name: 'Jonas Weber', language: 'de', display: 'Jonas W.' },
    { email: 'emma.hill@example.com', name: 'Emma Hill', language: 'en', display: 'EmmaHikes' },
  ];
  const c: string[] = [];
  for (const p of people) {
    const r = await ctx.db.transaction((tx) => findOrCreateCustomer(tx, id, { email: p.email, name: p.name, language: p.language }));
    c.push(r.id);
    await svc.join(ctx, id, r.id, p.display);
  }
  const agent: Principal = { accountId: id, role: 'agent', kind: 'user', userId: seed.users['lena@demo.earshot.test'] ?? null, tokenId: null };

  const q1 = await svc.ask(ctx, id, c[2], 'How do I re-proof my tent fly?', 'The fly of my tent lets water through after three seasons. What should I use?');
  const a1 = await svc.answer(ctx, id, c[0], q1.id, 'Wash it by hand first, let it dry, then spray a silicone-based re-proofer on the outside. Two thin coats work better than one thick one.');
  await svc.helpful(ctx, id, c[2], a1.id);
  await svc.helpful(ctx, id, c[1], a1.id);
  await svc.verify(ctx, agent, a1.id);
  await svc.promote(ctx, agent, a1.id);

  const q2 = await svc.ask(ctx, id, c[1], 'Wie lange dauert eine Rücksendung?', 'Ich habe meinen Schlafsack vor einer Woche zurückgeschickt. Wann bekomme ich mein Geld?');
  const a2 = await svc.answer(ctx, id, c[2], q2.id, 'Bei mir kam die Erstattung fünf Werktage nachdem das Paket angekommen war.');
  await svc.helpful(ctx, id, c[1], a2.id);
  await svc.verify(ctx, agent, a2.id);

  const q3 = await svc.ask(ctx, id, c[0], 'Kan jeg bytte størrelse på støvler?', 'Støvlene er for små. Må jeg returnere og bestille på nytt?');
  await svc.answer(ctx, id, c[1], q3.id, 'Ja, returner dem og bestill nye – det gikk raskt for meg.');
  // Criticism stays visible (and protected); an unanswered question waits for someone who knows.
  await svc.ask(ctx, id, c[2], 'Your delivery times are getting worse', 'Honestly, your delivery is slow and the tracking page is useless. Three weeks for a stove is not acceptable.');
  await svc.ask(ctx, id, c[1], 'Passt das Zelt Nordlys 2 auf eine Plattform von 2 × 1,5 m?', 'Ich plane eine Tour mit Holzplattformen. Hat das jemand ausprobiert?');
}
