/** Demo answers (issue 7): the demo's solved conversations get survey answers so the satisfaction page is not empty. */
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../platform/context.js';
import type { DemoSeed } from '../module.js';
import { DEFAULT_QUESTION } from './texts.js';

const COMMENTS: Record<string, string[]> = {
  de: ['Schnell und freundlich, danke!', 'Hat etwas gedauert, aber am Ende war alles gut.', 'Ich musste dreimal anrufen, bevor jemand dran war.'],
  nb: ['Kjempefin hjelp, tusen takk!', 'Greit nok, men jeg ventet lenge.', 'Dere svarte raskt og ordnet alt.'],
  en: ['Sorted in minutes, brilliant.', 'Helpful in the end, but the wait was long.', 'You went out of your way for us — thank you!'],
};

export async function seedDemo(ctx: Ctx, seed: DemoSeed): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.query(`INSERT INTO csat_settings (account_id, secret) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING`, [
      seed.accountId,
      randomBytes(32).toString('base64url'),
    ]);
    const convs = await tx.query<{ id: string; customer_id: string; solved_at: Date; lang: string; email: string | null }>(
      `SELECT c.id, c.customer_id, c.solved_at, coalesce(cu.language, c.language, 'en') AS lang,
              (SELECT i.value FROM customer_identities i WHERE i.customer_id = c.customer_id AND i.kind = 'email' LIMIT 1) AS email
         FROM conversations c JOIN customers cu ON cu.id = c.customer_id
        WHERE c.account_id = $1 AND c.status IN ('solved', 'closed') AND c.solved_at IS NOT NULL AND c.first_replied_at IS NOT NULL
        ORDER BY c.number`,
      [seed.accountId],
    );
    const now = ctx.now().getTime();
    let i = 0;
    for (const c of convs.rows) {
      const lang = c.lang.startsWith('de') ? 'de' : c.lang.startsWith('n') ? 'nb' : 'en';
      const sentAt = new Date(Math.min(now, new Date(c.solved_at).getTime() + 10 * 60_000));
      const answeredAt = new Date(Math.min(now, sentAt.getTime() + (1 + (i % 5)) * 3_600_000));
      await tx.query(
        `INSERT INTO csat_surveys (conversation_id, account_id, customer_id, route, language, email, question, sent_at, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) ON CONFLICT (conversation_id) DO NOTHING`,
        [c.id, seed.accountId, c.customer_id, c.email ? 'email' : 'no_route', lang, c.email, DEFAULT_QUESTION[lang], sentAt, new Date(sentAt.getTime() + 30 * 86_400_000)],
      );
      // Every fourth stays unanswered, so the response rate is not 100 %.
      if (c.email && i % 4 !== 3) {
        const score = [5, 4, 2, 5, 3, 4, 1, 5][i % 8];
        const comment = i % 2 === 0 ? COMMENTS[lang][(i / 2) % 3] : null;
        await tx.query(
          `INSERT INTO conversation_ratings (conversation_id, account_id, customer_id, score, comment, source, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 'survey', $6, $6) ON CONFLICT (conversation_id) DO NOTHING`,
          [c.id, seed.accountId, c.customer_id, score, comment, answeredAt],
        );
      }
      i++;
    }
  });
}
