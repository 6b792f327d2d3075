/** Demo articles in en/de/nb (returns, delivery times, tent care, an internal one), written through the service. */
import type { Ctx, Principal } from '../../platform/context.js';
import type { DemoSeed } from '../module.js';
import * as svc from './knowledge.service.js';

export const DEMO_ARTICLES: svc.ArticleInput[] = [
  {
    slug: 'returns', tags: ['returns'],
    translations: {
      en: { title: 'Returns and refunds', body: 'You can return any item within **30 days**.\n\n1. Sign in to the portal\n2. Choose the order and the items\n3. Print the return label\n\nRefunds reach your account within 5 working days after the return arrives.' },
      de: { title: 'Rücksendung und Erstattung', body: 'Sie können jeden Artikel innerhalb von **30 Tagen** zurückschicken.\n\n1. Melden Sie sich im Portal an\n2. Wählen Sie Bestellung und Artikel\n3. Drucken Sie das Rücksendeetikett\n\nDie Erstattung erfolgt innerhalb von 5 Werktagen nach Eingang der Rücksendung.' },
      nb: { title: 'Retur og refusjon', body: 'Du kan returnere alle varer innen **30 dager**.\n\n1. Logg inn i portalen\n2. Velg bestillingen og varene\n3. Skriv ut returetiketten\n\nPengene kommer tilbake innen 5 virkedager etter at returen er mottatt.' },
    },
  },
  {
    slug: 'delivery-times', tags: ['delivery'],
    translations: {
      en: { title: 'Delivery times', body: 'Orders placed before 14:00 ship the same working day. Delivery takes 1–3 working days in Germany and Norway, 3–6 days elsewhere in Europe.' },
      de: { title: 'Lieferzeiten', body: 'Bestellungen bis 14 Uhr verschicken wir am selben Werktag. Die Lieferung dauert in Deutschland und Norwegen 1–3 Werktage, im übrigen Europa 3–6 Tage.' },
      nb: { title: 'Leveringstider', body: 'Bestillinger før kl. 14 sendes samme virkedag. Leveringen tar 1–3 virkedager i Norge og Tyskland, 3–6 dager ellers i Europa.' },
    },
  },
  {
    slug: 'tent-care', tags: ['tents', 'care'],
    translations: {
      en: { title: 'Caring for your tent', body: '## After every trip\n- Dry the tent completely before storing it\n- Brush off sand and needles\n\n## Washing\nHand-wash with lukewarm water only; never use a washing machine.' },
      de: { title: 'Zeltpflege', body: '## Nach jeder Tour\n- Trocknen Sie das Zelt vollständig, bevor Sie es einlagern\n- Bürsten Sie Sand und Nadeln ab\n\n## Waschen\nNur von Hand mit lauwarmem Wasser waschen, niemals in der Waschmaschine.' },
      nb: { title: 'Stell av teltet', body: '## Etter hver tur\n- Tørk teltet helt før du pakker det bort\n- Børst av sand og barnåler\n\n## Vask\nVask kun for hånd med lunkent vann, aldri i vaskemaskin.' },
    },
  },
  {
    slug: 'goodwill-guide', visibility: 'internal', tags: ['internal'],
    translations: {
      en: { title: 'Internal: when to offer a replacement', body: 'Offer a replacement without asking for the return first when the damage is visible on a photo.' },
      de: { title: 'Intern: Wann wir Ersatz anbieten', body: 'Bieten Sie Ersatz an, ohne erst die Rücksendung zu verlangen, wenn der Schaden auf einem Foto sichtbar ist.' },
    },
  },
];

export async function seedKnowledge(ctx: Ctx, seed: DemoSeed) {
  const p: Principal = { accountId: seed.accountId, role: 'supervisor', kind: 'user', userId: seed.users['martin@demo.earshot.test'] ?? null, tokenId: null };
  for (const a of DEMO_ARTICLES) {
    const art = await svc.createArticle(ctx, p, a);
    await svc.setPublished(ctx, p, art.id, true);
  }
  // One draft, to show the editor's workflow.
  await svc.createArticle(ctx, p, {
    slug: 'gift-cards', tags: ['payment'],
    translations: { en: { title: 'Gift cards (draft)', body: 'Gift cards are valid for three years.' } },
  });
}
