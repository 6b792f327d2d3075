/**
 * Migration 0021 on an install that already has data (issue 14 items 1 and 4): each mail domain goes to the account
 * that used it first; tokens of disabled creators are revoked, tokens above their creator's role capped at it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/platform/db.js';
import { migrate, MIGRATIONS_DIR } from '../src/platform/migrate.js';
import { PG_URL, scratchPgDatabase } from './helpers.js';

test('0021 claims existing domains for their first account and bounds existing tokens by their creators', async () => {
  const before = mkdtempSync(join(tmpdir(), 'earshot-mig-'));
  for (const f of readdirSync(MIGRATIONS_DIR)) if (/^\d{4}_/.test(f) && f < '0021') symlinkSync(join(MIGRATIONS_DIR, f), join(before, f));
  const scratch = PG_URL ? await scratchPgDatabase() : null;
  const db = await openDb(scratch ? { databaseUrl: scratch.url, poolSize: 2 } : { dataDir: 'memory://' });
  try {
    await migrate(db, before);
    const acc = async (slug: string) => (await db.query<{ id: string }>(`INSERT INTO accounts (name, slug) VALUES ($1, $1) RETURNING id`, [slug])).rows[0].id;
    const [a, b] = [await acc('a'), await acc('b')];
    const box = (account: string, address: string, at: string) =>
      db.query(`INSERT INTO mailboxes (account_id, address, created_at) VALUES ($1, $2, $3)`, [account, address, at]);
    await box(a, 'support@a.test', '2026-01-01');
    await box(b, 'sales@a.test', '2026-02-01'); // the cross-tenant mailbox the issue found
    await box(b, 'help@b.test', '2026-01-05');
    const user = async (account: string, email: string, role: string, disabled: boolean) =>
      (await db.query<{ id: string }>(
        `INSERT INTO users (account_id, email, name, role, disabled_at) VALUES ($1, $2, $2, $3, $4) RETURNING id`,
        [account, email, role, disabled ? new Date() : null],
      )).rows[0].id;
    const gone = await user(a, 'gone@a.test', 'admin', true);
    const lead = await user(a, 'lead@a.test', 'leader', false);
    const tok = (name: string, role: string, by: string | null) =>
      db.query(`INSERT INTO api_tokens (account_id, name, role, token_hash, prefix, created_by) VALUES ($1, $2, $3, $2, 'es_x', $4)`, [a, name, role, by]);
    await tok('of-gone', 'admin', gone);
    await tok('of-lead-sup', 'supervisor', lead);
    await tok('of-lead-agent', 'agent', lead);
    await tok('cli', 'admin', null);

    const m = await migrate(db);
    assert.ok(m.applied.some((v) => v.startsWith('0021_')), JSON.stringify(m.applied));
    const domains = (await db.query<{ domain: string; account_id: string; claimed_by: string }>('SELECT domain, account_id, claimed_by FROM mail_domains ORDER BY domain')).rows;
    assert.deepEqual(domains, [
      { domain: 'a.test', account_id: a, claimed_by: 'migration' },
      { domain: 'b.test', account_id: b, claimed_by: 'migration' },
    ]);
    const tokens = Object.fromEntries(
      (await db.query<{ name: string; role: string; revoked: boolean }>('SELECT name, role, revoked_at IS NOT NULL AS revoked FROM api_tokens')).rows.map((t) => [t.name, [t.role, t.revoked]]),
    );
    assert.deepEqual(tokens, { 'of-gone': ['admin', true], 'of-lead-sup': ['leader', false], 'of-lead-agent': ['agent', false], cli: ['admin', false] });
  } finally {
    await db.close();
    await scratch?.drop();
    rmSync(before, { recursive: true, force: true });
  }
});
