/**
 * The one write ending. Every service write that changes what people see ends with `recordChange` inside its
 * transaction, so a new write path cannot forget a part of it:
 *   events   contact/conversation events for the event log (journeys, lived waits, reports)
 *   audit    who did what to which object (the audit log)
 *   change   realtime notice(s) for open screens (pg_notify at commit, ids only)
 *   webhook  one delivery per subscribed webhook, queued as a job
 * All of it commits with the change or not at all. Each part is optional; they are written in this order.
 */
import type { Principal, Tx } from '../../platform/context.js';
import { publishChange, type Change } from '../../platform/changes.js';
import { appendEvents, type NewEvent } from '../events/index.js';
import { audit } from '../audit/index.js';
import { emitWebhook, type WebhookEvent } from '../webhooks/index.js';

/** A realtime notice; its account is the writer's unless given. */
export type ChangeNotice = Omit<Change, 'accountId'> & { accountId?: string };

export interface ChangeRecord {
  events?: NewEvent[];
  audit?: { action: string; target: { type: string; id: string } | null; data?: Record<string, unknown> };
  change?: ChangeNotice | ChangeNotice[];
  webhook?: { event: WebhookEvent; data: Record<string, unknown> };
}

/**
 * Writes the ending of a change made by `p` at `at` (the service's `ctx.now()`): `p.accountId` is the account of the
 * audit entry, notices and webhook deliveries. Returns how many events were appended (duplicates by dedupe key skip).
 */
export async function recordChange(tx: Tx, p: Principal, at: Date, rec: ChangeRecord): Promise<number> {
  const added = rec.events?.length ? await appendEvents(tx, rec.events) : 0;
  if (rec.audit) await audit(tx, p, rec.audit.action, rec.audit.target, rec.audit.data ?? {});
  for (const c of [rec.change ?? []].flat()) await publishChange(tx, { ...c, accountId: c.accountId ?? p.accountId } as Change);
  if (rec.webhook) await emitWebhook(tx, p.accountId, rec.webhook.event, rec.webhook.data, at);
  return added;
}
