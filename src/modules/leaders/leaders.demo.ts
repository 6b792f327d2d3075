/** Demo data: ingrid@ (leader) with deputy martin@, today's sample drawn and prepared by the agents lena@, ola@, sam@. */
import type { Ctx, Principal } from '../../platform/context.js';
import { systemPrincipal } from '../../platform/context.js';
import type { DemoSeed } from '../module.js';
import { draw, prepare, saveSettings } from './leaders.service.js';

const ANSWER: Record<string, (name: string) => string> = {
  de: (n) => `Hallo ${n},\n\nich bin Ingrid Berg und leite den Kundenservice bei Nordlicht. Ich habe Ihre Nachricht selbst gelesen – danke, dass Sie uns geschrieben haben. Wir kümmern uns heute darum und melden uns mit einer Lösung.\n\nIngrid Berg`,
  nb: (n) => `Hei ${n},\n\njeg heter Ingrid Berg og leder kundeservice hos Nordlicht. Jeg har lest meldingen din selv – takk for at du skrev til oss. Vi ordner dette i dag og kommer tilbake med en løsning.\n\nIngrid Berg`,
  en: (n) => `Hello ${n},\n\nI'm Ingrid Berg, head of customer service at Nordlicht. I read your message myself – thank you for writing to us. We are on it today and will come back with a solution.\n\nIngrid Berg`,
};

export async function seedLeadersDemo(ctx: Ctx, seed: DemoSeed): Promise<void> {
  const sys = systemPrincipal(seed.accountId);
  const ingrid = seed.users['ingrid@demo.earshot.test'];
  // The demo leader works every day, so a fresh demo always shows a sample.
  await saveSettings(ctx, sys, ingrid, {
    requestsPerDay: 3, weeklyCap: 8, deputyId: seed.users['martin@demo.earshot.test'], workingDays: [1, 2, 3, 4, 5, 6, 7], digestHour: 7,
  });
  const d = await draw(ctx, sys, ingrid, { seed: 20261125 });
  const team = ['lena@demo.earshot.test', 'ola@demo.earshot.test', 'sam@demo.earshot.test'];
  for (const [i, item] of d.items.entries()) {
    const c = await ctx.db.query<{ language: string | null; text: string; name: string | null }>(
      `SELECT coalesce(c.language, cu.language) AS language, cu.name,
              (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.author_type = 'customer' ORDER BY m.created_at DESC LIMIT 1) AS text
         FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`,
      [item.conversationId],
    );
    const row = c.rows[0];
    const lang = row.language === 'de' ? 'de' : row.language === 'nb' || row.language === 'no' || row.language === 'nn' ? 'nb' : 'en';
    const first = (row.name ?? '').split(' ')[0] || 'there';
    const agent: Principal = { accountId: seed.accountId, role: 'agent', kind: 'user', userId: seed.users[team[i % team.length]], tokenId: null };
    await prepare(ctx, agent, item.id, {
      summary: `${item.subject}: ${(row.text ?? '').replace(/\s+/g, ' ').slice(0, 200)}`,
      proposedAnswer: ANSWER[lang](first),
      notes: 'Prepared for the demo.',
    });
  }
}
