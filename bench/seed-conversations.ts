/**
 * Bulk seed for inbox scrolling checks and benchmarks: `seedConversations(ctx, accountId, n)` inserts n conversations
 * (each with one customer message, spread over n/4 customers, the account's queues and agents, all statuses, channels
 * and priorities, and the last 30 days) in a few set-based statements — 10,000 take about a second on PGlite.
 *
 * These rows skip the conversation service on purpose (no contact events, audit, jobs, webhooks): they exist to be
 * listed, searched and scrolled, not to be measured as contacts.
 *
 * CLI: `node --import tsx bench/seed-conversations.ts --data <folder> [--account demo] [--n 10000]` seeds an embedded
 * data folder (a stopped `earshot demo --data <folder>`), or `--db postgres://…`.
 */
import type { Db } from '../src/platform/db.js';

const SUBJECTS = [
  'Order has not arrived', 'Refund for a returned tent', 'Wrong size delivered', 'Invoice address change',
  'Bestellung nicht angekommen', 'Rücksendung und Erstattung', 'Rechnung doppelt belastet', 'Lieferadresse ändern',
  'Pakken har ikke kommet', 'Refusjon for retur', 'Feil størrelse levert', 'Endre fakturaadresse',
];
const TEXTS = [
  'Hello, I ordered two weeks ago and nothing has arrived yet. Could you check the tracking?',
  'Guten Tag, ich warte seit zwei Wochen auf meine Bestellung. Können Sie bitte nachsehen?',
  'Hei, jeg har ventet i to uker på pakken min. Kan dere sjekke sporingen?',
];

export async function seedConversations(ctx: { db: Db }, accountId: string, n: number, opts: { now?: Date } = {}): Promise<{ conversations: number; customers: number }> {
  const now = opts.now ?? new Date();
  const customers = Math.max(1, Math.ceil(n / 4));
  await ctx.db.transaction(async (tx) => {
    const cust = await tx.query<{ id: string }>(
      `INSERT INTO customers (account_id, name, language, created_at)
       SELECT $1, 'Seed Customer ' || g, (ARRAY['en', 'de', 'nb'])[1 + g % 3], $3::timestamptz - interval '60 days'
         FROM generate_series(1, $2::int) g RETURNING id`,
      [accountId, customers, now],
    );
    const ids = cust.rows.map((r) => r.id);
    await tx.query(
      `INSERT INTO customer_identities (account_id, customer_id, kind, value)
       SELECT $1, c, 'email', 'seed-' || i || '-' || substr(md5(c::text), 1, 6) || '@seed.earshot.test'
         FROM unnest($2::uuid[]) WITH ORDINALITY AS t(c, i)`,
      [accountId, ids],
    );
    // Conversations: the i-th row's attributes rotate through the choices; activity spreads over 30 days.
    await tx.query(
      `WITH src AS (
         SELECT g,
                (SELECT array_agg(id ORDER BY name) FROM queues WHERE account_id = $1) AS queues,
                (SELECT array_agg(id ORDER BY name) FROM users WHERE account_id = $1 AND role IN ('agent', 'supervisor') AND disabled_at IS NULL) AS agents,
                $5::timestamptz - (g * interval '1 second' * (2592000.0 / $2::int)) AS at
           FROM generate_series(1, $2::int) g)
       INSERT INTO conversations (account_id, number, subject, status, priority, channel, queue_id, assignee_id, customer_id, language,
                                  first_reply_due_at, first_replied_at, resolution_due_at, last_message_at, created_at, updated_at)
       SELECT $1, earshot_next_conversation_number($1), ($3::text[])[1 + g % array_length($3::text[], 1)] || ' (' || g || ')',
              (ARRAY['new', 'open', 'open', 'pending', 'on_hold', 'solved', 'closed'])[1 + g % 7],
              (ARRAY['normal', 'normal', 'high', 'low', 'urgent'])[1 + g % 5],
              (ARRAY['email', 'chat', 'web', 'phone', 'email'])[1 + g % 5],
              CASE WHEN queues IS NULL THEN NULL ELSE queues[1 + g % array_length(queues, 1)] END,
              CASE WHEN agents IS NULL OR g % 3 = 0 THEN NULL ELSE agents[1 + g % array_length(agents, 1)] END,
              ($4::uuid[])[1 + g % array_length($4::uuid[], 1)],
              (ARRAY['en', 'de', 'nb'])[1 + (g / 4) % 3],
              at + interval '4 hours', CASE WHEN g % 7 IN (0, 3, 4, 5, 6) THEN at + interval '1 hour' END, at + interval '3 days',
              at, at, at
         FROM src`,
      [accountId, n, SUBJECTS, ids, now],
    );
    await tx.query(
      `INSERT INTO messages (account_id, conversation_id, kind, direction, author_type, author_customer_id, text, language, created_at)
       SELECT c.account_id, c.id, 'message', 'inbound', 'customer', c.customer_id,
              ($2::text[])[CASE c.language WHEN 'de' THEN 2 WHEN 'nb' THEN 3 ELSE 1 END], c.language, c.created_at
         FROM conversations c
        WHERE c.account_id = $1 AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)`,
      [accountId, TEXTS],
    );
  });
  return { conversations: n, customers };
}

// CLI
if (import.meta.url === `file://${process.argv[1]}`) {
  const { openDb } = await import('../src/platform/db.js');
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const n = Number(arg('n') ?? 10_000);
  const url = arg('db') ?? (arg('data') ? undefined : process.env.DATABASE_URL);
  const db = await openDb(url ? { databaseUrl: url } : { dataDir: arg('data') });
  const slug = arg('account') ?? 'demo';
  const acc = await db.query<{ id: string }>('SELECT id FROM accounts WHERE slug = $1', [slug]);
  if (!acc.rows[0]) throw new Error(`no account '${slug}'`);
  const t = Date.now();
  const r = await seedConversations({ db }, acc.rows[0].id, n);
  console.log(`seeded ${r.conversations} conversations for ${r.customers} customers into '${slug}' in ${Date.now() - t} ms`);
  await db.close();
}
