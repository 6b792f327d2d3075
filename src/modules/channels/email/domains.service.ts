/**
 * Mail domains (issue 14 item 1). A domain belongs to at most one account: only that account may have mailboxes in
 * it, and only its mailboxes and reply addresses in it receive mail. The rule:
 *
 * - The instance operator claims a domain for an account: `earshot domain claim --account <a> --domain <d>`. The CLI
 *   runs on the server with the database's credentials, so the claim needs no further proof. A domain held by another
 *   account is refused; `earshot domain release` first (an explicit move).
 * - On an install with exactly one account (the demo, a single-company install) the first mailbox of an unclaimed
 *   domain claims it for that account ("first use"); nobody else is there to take it.
 * - Otherwise an address in a domain this account does not hold is refused with one answer, whether the domain is
 *   unclaimed or held by another account, so an admin of one account learns nothing about another's domains or
 *   addresses.
 */
import type { Ctx, Tx } from '../../../platform/context.js';
import { systemPrincipal } from '../../../platform/context.js';
import { AppError, invalid } from '../../../platform/errors.js';
import { audit } from '../../audit/index.js';

export interface MailDomain {
  domain: string;
  accountId: string;
  accountSlug: string;
  claimedBy: 'operator' | 'first-use' | 'migration';
  createdAt: Date;
}

const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export function normaliseDomain(d: string, field = 'domain'): string {
  const v = d.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  if (v.length > 253 || !DOMAIN.test(v)) throw invalid(field, `'${d}' is not a domain name`);
  return v;
}

export const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/** The one answer for an address whose domain this account does not hold (unclaimed or another account's). */
export function notOurDomain(field: string, domain: string) {
  return invalid(
    field,
    `${domain} is not a mail domain of this account; the instance operator adds it with: earshot domain claim --account <account> --domain ${domain}`,
  );
}

/**
 * Inside the transaction that writes a mailbox address: the address's domain must belong to the account. On a
 * single-account install an unclaimed domain is claimed for it on first use.
 */
export async function requireOwnDomain(tx: Tx, accountId: string, address: string, field = 'address'): Promise<void> {
  const domain = domainOf(address);
  const held = await tx.query<{ account_id: string }>('SELECT account_id FROM mail_domains WHERE domain = $1', [domain]);
  if (held.rows[0]) {
    if (held.rows[0].account_id !== accountId) throw notOurDomain(field, domain);
    return;
  }
  const accounts = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  if (accounts.rows[0].n !== 1) throw notOurDomain(field, domain);
  const r = await tx.query(
    `INSERT INTO mail_domains (domain, account_id, claimed_by) VALUES ($1, $2, 'first-use') ON CONFLICT (domain) DO NOTHING`,
    [domain, accountId],
  );
  if (!r.rowCount) return requireOwnDomain(tx, accountId, address, field);
  await audit(tx, systemPrincipal(accountId), 'domain.claimed', { type: 'domain', id: domain }, { claimedBy: 'first-use' });
}

/** Operator (CLI): claim a domain for an account. Claiming one's own domain again makes it an operator claim. */
export async function claimDomain(ctx: Ctx, accountId: string, domainInput: string): Promise<MailDomain> {
  const domain = normaliseDomain(domainInput);
  return ctx.db.transaction(async (tx) => {
    const held = await tx.query<{ account_id: string }>('SELECT account_id FROM mail_domains WHERE domain = $1 FOR UPDATE', [domain]);
    if (held.rows[0] && held.rows[0].account_id !== accountId)
      throw new AppError('domain_taken', `${domain} is claimed by another account; release it first (earshot domain release --domain ${domain})`, 409);
    await tx.query(
      `INSERT INTO mail_domains (domain, account_id, claimed_by) VALUES ($1, $2, 'operator')
       ON CONFLICT (domain) DO UPDATE SET claimed_by = 'operator'`,
      [domain, accountId],
    );
    await audit(tx, systemPrincipal(accountId, 'cli'), 'domain.claimed', { type: 'domain', id: domain }, { claimedBy: 'operator' });
    return (await listDomains(ctx, accountId, tx)).find((d) => d.domain === domain)!;
  });
}

/** Operator (CLI): release a domain. Its mailboxes stay but receive nothing until the domain is claimed again. */
export async function releaseDomain(ctx: Ctx, domainInput: string): Promise<boolean> {
  const domain = normaliseDomain(domainInput);
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ account_id: string }>('DELETE FROM mail_domains WHERE domain = $1 RETURNING account_id', [domain]);
    if (!r.rows[0]) return false;
    await audit(tx, systemPrincipal(r.rows[0].account_id, 'cli'), 'domain.released', { type: 'domain', id: domain });
    return true;
  });
}

export async function listDomains(ctx: Ctx, accountId?: string, tx: Tx = ctx.db): Promise<MailDomain[]> {
  const r = await tx.query<MailDomain>(
    `SELECT d.domain, d.account_id AS "accountId", a.slug AS "accountSlug", d.claimed_by AS "claimedBy", d.created_at AS "createdAt"
       FROM mail_domains d JOIN accounts a ON a.id = d.account_id
      WHERE ($1::uuid IS NULL OR d.account_id = $1) ORDER BY d.domain`,
    [accountId ?? null],
  );
  return r.rows;
}
