/** What the channels ask: the measures in force for a customer, whether a channel is open to them, the front doors' refusal. */
import type { Tx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { refusalText } from './texts.js';

export type MeasureKind = 'warning' | 'cool_off' | 'restriction' | 'ban';
export interface ActiveMeasure {
  id: string;
  kind: MeasureKind;
  /** restriction: the channels still allowed (e.g. ['email']); null otherwise */
  channels: string[] | null;
  until: string | null;
}

/**
 * The approved, unexpired measures on a customer at `now`. Contract for other modules (channels, community):
 * keep this signature. A measure on a customer that was later merged into this one applies too.
 */
export async function activeMeasures(tx: Tx, accountId: string, customerId: string, now: Date): Promise<ActiveMeasure[]> {
  const { rows } = await tx.query<{ id: string; kind: MeasureKind; channels: string[] | null; until: Date | string | null }>(
    `SELECT m.id, m.kind, m.channels, m.until FROM respect_measures m
      WHERE m.account_id = $1 AND m.status = 'active' AND (m.until IS NULL OR m.until > $3)
        AND (m.customer_id = $2 OR m.customer_id IN (SELECT id FROM customers WHERE account_id = $1 AND merged_into = $2))
      ORDER BY m.until NULLS LAST, m.id`,
    [accountId, customerId, now],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    channels: r.kind === 'restriction' ? (r.channels ?? []) : null,
    until: r.until == null ? null : new Date(r.until).toISOString(),
  }));
}

/** Whether the customer may start a contact on this channel now (false under a ban, or a restriction excluding it). */
export async function channelAllowed(tx: Tx, accountId: string, customerId: string, channel: string, now: Date): Promise<boolean> {
  for (const m of await activeMeasures(tx, accountId, customerId, now)) {
    if (m.kind === 'ban') return false;
    if (m.kind === 'restriction' && !(m.channels ?? []).includes(channel)) return false;
  }
  return true;
}


/**
 * For the chat and contact-form doors: refuses politely (403 `respect_refused`, the message in the visitor's
 * language) when the customer behind one of these identities may not start a contact on `channel` now. An unknown
 * visitor is let in. Inbound email never calls this: mail is always stored (see routeBanned).
 */
export async function refuseIfBlocked(tx: Tx, accountId: string, identities: { kind: 'email' | 'chat'; value: string }[], channel: string, now: Date, locale: Locale) {
  for (const id of identities) {
    const r = await tx.query<{ id: string }>(
      `SELECT coalesce(c.merged_into, c.id) AS id FROM customer_identities i JOIN customers c ON c.id = i.customer_id
        WHERE i.account_id = $1 AND i.kind = $2 AND i.value = $3`,
      [accountId, id.kind, id.value],
    );
    if (r.rows[0] && !(await channelAllowed(tx, accountId, r.rows[0].id, channel, now)))
      throw new AppError('respect_refused', refusalText(locale), 403, { channel });
  }
}
