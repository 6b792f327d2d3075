/**
 * Callbacks: an abandoned call with a caller number is an owed contact. It opens a callback task in its queue (in the
 * same transaction as the abandon event) due `queues.callback_sla_minutes` after the hang-up (business minutes when
 * the queue has business hours), at most one open per phone number and queue, one per abandoned call.
 *
 * The callback is its own contact, `callback:<id>`, with the caller's identity and customer, so the journey continues
 * instead of vanishing: `callback.requested` at the abandon time (the contact waits from then), `callback.made` for
 * every attempt, `contact.answered` when the caller was reached (the journey's lived wait ends at the human callback),
 * `contact.resolved` when it is given up (after `queues.callback_max_attempts` failed attempts, a wrong number) or
 * cancelled (the journey is then never served).
 *
 * SLA: a `callback.sla` job at the due time records a breach (`callbacks.breached_at` and an `sla.breached` event on
 * the callback contact with metric 'callback') when no attempt was made by then. Any attempt counts as the callback
 * made in time: the customer was called back, whether or not they picked up.
 *
 * A caller who gets through to a human on a later call before being called back is owed nothing: their open callbacks
 * are closed (closed_by 'caller') in the transaction of that answer.
 */
import { addBusinessMinutes, type BusinessHours } from '../../../platform/business-hours.js';
import type { Ctx, Principal, Tx } from '../../../platform/context.js';
import { requireCap, systemPrincipal } from '../../../platform/context.js';
import { AppError, conflict, invalid, isUuid, notFound } from '../../../platform/errors.js';
import { enqueue } from '../../../platform/jobs.js';
import { appendEvents, type NewEvent } from '../../events/index.js';
import { recordChange } from '../../changes/index.js';
import type { CallbackAttempt } from './voice.schemas.js';

export const CALLBACK_OUTCOMES = ['reached', 'no_answer', 'voicemail', 'wrong_number'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];
export const CALLBACK_STATUSES = ['open', 'done', 'cancelled'] as const;
export const DEFAULT_SLA_MINUTES = 60;

export interface Callback {
  id: string;
  queueId: string | null;
  queueName: string | null;
  contactId: string;
  customerId: string | null;
  phone: string;
  reason: 'abandoned' | 'requested';
  status: (typeof CALLBACK_STATUSES)[number];
  dueAt: Date;
  createdAt: Date;
  attempts: number;
  madeAt: Date | null;
  madeBy: string | null;
  outcome: CallbackOutcome | null;
  note: string | null;
  closedAt: Date | null;
  closedBy: 'callback' | 'caller' | 'cancelled' | null;
  cancelReason: string | null;
  breachedAt: Date | null;
  overdue: boolean;
}

const COLS = `cb.id, cb.queue_id AS "queueId", q.name AS "queueName", cb.contact_id AS "contactId", cb.customer_id AS "customerId",
  cb.phone, cb.reason, cb.status, cb.due_at AS "dueAt", cb.created_at AS "createdAt", cb.attempts, cb.made_at AS "madeAt",
  cb.made_by AS "madeBy", cb.outcome, cb.note, cb.closed_at AS "closedAt", cb.cancel_reason AS "cancelReason",
  cb.breached_at AS "breachedAt", cb.closed_by AS "closedBy", (cb.status = 'open' AND cb.due_at < $2::timestamptz) AS overdue`;
const FROM = 'FROM callbacks cb LEFT JOIN queues q ON q.id = cb.queue_id';

/** The contact id of a callback's own contact (its journey continues the abandoned call's). */
export const callbackContact = (id: string) => `callback:${id}`;

/**
 * Opens callbacks for new abandon (or callback-request) events, inside their transaction. Returns the ids opened;
 * an abandoned call that has one already, or a phone with an open callback in that queue, opens none.
 */
export async function openCallbacksFor(tx: Tx, accountId: string, owed: NewEvent[]): Promise<string[]> {
  const queueIds = [...new Set(owed.map((e) => e.queueId).filter((q): q is string => !!q))];
  const policies = new Map<string, { minutes: number; hours: BusinessHours | null; tz: string }>();
  if (queueIds.length) {
    const r = await tx.query<{ id: string; minutes: number; hours: BusinessHours | null; tz: string }>(
      'SELECT id, callback_sla_minutes AS minutes, business_hours AS hours, timezone AS tz FROM queues WHERE id = ANY($1::uuid[])',
      [queueIds],
    );
    for (const q of r.rows) policies.set(q.id, q);
  }
  const opened: string[] = [];
  for (const e of owed) {
    const pol = e.queueId ? policies.get(e.queueId) : undefined;
    const due = addBusinessMinutes(e.occurredAt, pol?.minutes ?? DEFAULT_SLA_MINUTES, pol?.hours ?? null, pol?.tz ?? 'UTC');
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO callbacks (account_id, queue_id, contact_id, customer_id, phone, reason, due_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
      [accountId, e.queueId ?? null, e.contactId, e.customerId ?? null, e.identity, e.type === 'callback.requested' ? 'requested' : 'abandoned', due, e.occurredAt],
    );
    const id = ins.rows[0]?.id;
    if (!id) continue;
    opened.push(id);
    await recordChange(tx, systemPrincipal(accountId), e.occurredAt, {
      events: [{
        accountId, contactId: callbackContact(id), type: 'callback.requested', channel: 'phone', occurredAt: e.occurredAt,
        identity: e.identity, customerId: e.customerId ?? null, queueId: e.queueId ?? null, source: 'earshot',
        dedupeKey: `callback:${id}:requested`, data: { callbackId: id, call: e.contactId, dueAt: due.toISOString() },
      }],
      audit: { action: 'callback.created', target: { type: 'callback', id }, data: { call: e.contactId, queueId: e.queueId ?? null, dueAt: due.toISOString() } },
    });
    await enqueue(tx, 'callback.sla', { callbackId: id, dueAt: due.toISOString() }, { runAt: due, maxAttempts: 5 });
  }
  return opened;
}

export async function listCallbacks(ctx: Ctx, p: Principal, f: { status?: string; queue?: string; limit?: number }): Promise<Callback[]> {
  requireCap(p, 'conversations');
  const status = f.status ?? 'open';
  if (status !== 'all' && !(CALLBACK_STATUSES as readonly string[]).includes(status))
    throw invalid('status', `must be one of ${CALLBACK_STATUSES.join(', ')} or all`);
  let queueId: string | null = null;
  if (f.queue) {
    const r = await ctx.db.query<{ id: string }>(
      'SELECT id FROM queues WHERE account_id = $1 AND (name = $2 OR ($3::boolean AND id::text = $2))',
      [p.accountId, f.queue, isUuid(f.queue)],
    );
    if (!r.rows[0]) throw invalid('queue', `unknown queue '${f.queue}'`);
    queueId = r.rows[0].id;
  }
  const r = await ctx.db.query<Callback>(
    `SELECT ${COLS} ${FROM}
      WHERE cb.account_id = $1 AND ($3::text = 'all' OR cb.status = $3) AND ($4::uuid IS NULL OR cb.queue_id = $4)
      ORDER BY cb.due_at, cb.created_at, cb.id LIMIT $5`,
    [p.accountId, ctx.now(), status, queueId, Math.min(f.limit ?? 100, 1000)],
  );
  return r.rows;
}

export async function getCallback(ctx: Ctx, p: Principal, id: string, tx: Tx = ctx.db) {
  requireCap(p, 'conversations');
  if (!isUuid(id)) throw notFound('Callback');
  const r = await tx.query<Callback>(`SELECT ${COLS} ${FROM} WHERE cb.account_id = $1 AND cb.id = $3`, [p.accountId, ctx.now(), id]);
  if (!r.rows[0]) throw notFound('Callback');
  const attempts = await tx.query<CallbackAttempt>(
    'SELECT at, user_id AS "userId", outcome, note FROM callback_attempts WHERE callback_id = $1 ORDER BY at, id',
    [id],
  );
  return { ...r.rows[0], attemptLog: attempts.rows };
}

interface LockedRow {
  id: string;
  account_id: string;
  queue_id: string | null;
  customer_id: string | null;
  phone: string;
  status: string;
  attempts: number;
  max_attempts: number;
}

async function lockCallback(tx: Tx, p: Principal, id: string): Promise<LockedRow> {
  if (!isUuid(id)) throw notFound('Callback');
  const r = await tx.query<LockedRow>(
    `SELECT cb.id, cb.account_id, cb.queue_id, cb.customer_id, cb.phone, cb.status, cb.attempts,
            coalesce((SELECT callback_max_attempts FROM queues WHERE id = cb.queue_id), 3) AS max_attempts
       FROM callbacks cb WHERE cb.account_id = $1 AND cb.id = $2 FOR UPDATE`,
    [p.accountId, id],
  );
  if (!r.rows[0]) throw notFound('Callback');
  return r.rows[0];
}

const ev = (c: LockedRow, type: string, at: Date, key: string, data: Record<string, unknown>, agentId: string | null = null): NewEvent => ({
  accountId: c.account_id, contactId: callbackContact(c.id), type, channel: 'phone', occurredAt: at, identity: c.phone,
  customerId: c.customer_id, queueId: c.queue_id, agentId, source: 'earshot', dedupeKey: `callback:${c.id}:${key}`, data: { callbackId: c.id, ...data },
});

/**
 * Records an attempt to call back. 'reached' closes the callback (and answers its contact, so the journey is served);
 * 'wrong_number' closes it at once; 'no_answer' and 'voicemail' keep it open until the queue's maximum of attempts.
 */
export async function attemptCallback(ctx: Ctx, p: Principal, id: string, input: { outcome: CallbackOutcome; note?: string }) {
  requireCap(p, 'conversations');
  if (!(CALLBACK_OUTCOMES as readonly string[]).includes(input.outcome))
    throw invalid('outcome', `must be one of ${CALLBACK_OUTCOMES.join(', ')}`);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const c = await lockCallback(tx, p, id);
    if (c.status !== 'open') throw conflict('callback_closed', `This callback is ${c.status === 'done' ? 'done' : 'cancelled'} already; no more attempts`);
    const n = c.attempts + 1;
    const note = input.note?.trim() || null;
    await tx.query('INSERT INTO callback_attempts (callback_id, at, user_id, outcome, note) VALUES ($1, $2, $3, $4, $5)', [c.id, now, p.userId, input.outcome, note]);
    const reached = input.outcome === 'reached';
    const close = reached || input.outcome === 'wrong_number' || n >= c.max_attempts;
    const events: NewEvent[] = [ev(c, 'callback.made', now, `made:${n}`, { attempt: n, outcome: input.outcome }, p.userId)];
    if (reached) events.push(ev(c, 'contact.answered', now, 'answered', { by: 'callback' }, p.userId));
    else if (close) events.push(ev(c, 'contact.resolved', now, 'resolved', { outcome: input.outcome, attempts: n, gaveUp: true }, p.userId));
    await tx.query(
      `UPDATE callbacks SET attempts = $2, made_at = $3, made_by = $4, outcome = $5, note = coalesce($6, note),
              status = CASE WHEN $7 THEN 'done' ELSE status END, closed_at = CASE WHEN $7 THEN $3::timestamptz ELSE closed_at END,
              closed_by = CASE WHEN $7 THEN 'callback' ELSE closed_by END
        WHERE id = $1`,
      [c.id, n, now, p.userId, input.outcome, note, close],
    );
    await recordChange(tx, p, ctx.now(), {
      events,
      audit: { action: 'callback.attempted', target: { type: 'callback', id: c.id }, data: { attempt: n, outcome: input.outcome, closed: close } },
    });
    return getCallback(ctx, p, c.id, tx);
  });
}

/** Cancels an open callback (supervisor, admin): the caller is not called back; the journey ends never served. */
export async function cancelCallback(ctx: Ctx, p: Principal, id: string, reason: string) {
  requireCap(p, 'manage');
  const why = reason?.trim();
  if (!why) throw invalid('reason', 'must not be empty (say why the caller is not called back)');
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const c = await lockCallback(tx, p, id);
    if (c.status !== 'open') throw conflict('callback_closed', `This callback is ${c.status} already`);
    await tx.query(`UPDATE callbacks SET status = 'cancelled', cancel_reason = $2, closed_at = $3, closed_by = 'cancelled' WHERE id = $1`, [c.id, why, now]);
    await recordChange(tx, p, ctx.now(), {
      events: [ev(c, 'contact.resolved', now, 'resolved', { cancelled: true })],
      audit: { action: 'callback.cancelled', target: { type: 'callback', id: c.id }, data: { reason: why } },
    });
    return getCallback(ctx, p, c.id, tx);
  });
}

/**
 * A caller with open callbacks got through to a human on a later call (answered at `at`): they are owed nothing any
 * more. Their open callbacks opened before that answer are closed ('done', closed_by 'caller') and the callback contacts
 * resolved, so the journey is served by the call and nobody rings the customer needlessly. Runs in the answer's
 * transaction.
 */
export async function closeCallbacksAnswered(tx: Tx, accountId: string, answers: { phone: string; at: Date; contactId: string }[]) {
  const closed: string[] = [];
  for (const a of answers) {
    const r = await tx.query<LockedRow>(
      `UPDATE callbacks SET status = 'done', closed_at = $3, closed_by = 'caller'
        WHERE account_id = $1 AND phone = $2 AND status = 'open' AND created_at <= $3 AND contact_id <> $4
        RETURNING id, account_id, queue_id, customer_id, phone, status, attempts, 0 AS max_attempts`,
      [accountId, a.phone, a.at, a.contactId],
    );
    if (!r.rows.length) continue;
    await appendEvents(tx, r.rows.map((c) => ev(c, 'contact.resolved', a.at, 'resolved', { closedBy: 'caller', call: a.contactId })));
    for (const c of r.rows) {
      closed.push(c.id);
      await recordChange(tx, systemPrincipal(accountId), a.at, {
        audit: { action: 'callback.closed', target: { type: 'callback', id: c.id }, data: { closedBy: 'caller', call: a.contactId } },
      });
    }
  }
  return closed;
}

/** Job at a callback's due time: records a breach when no attempt was made by then. Safe to run twice. */
export async function checkCallbackSla(ctx: Ctx, payload: { callbackId: string; dueAt: string }) {
  const now = ctx.now();
  const due = new Date(payload.dueAt);
  if (due > now) throw new AppError('not_due', 'callback SLA check ran before its due time'); // retried later
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query<LockedRow & { due_at: Date; breached_at: Date | null; first_attempt: Date | null; closed_at: Date | null }>(
      `SELECT cb.*, 0 AS max_attempts, (SELECT min(at) FROM callback_attempts a WHERE a.callback_id = cb.id) AS first_attempt
         FROM callbacks cb WHERE cb.id = $1 FOR UPDATE`,
      [payload.callbackId],
    );
    const c = r.rows[0];
    if (!c || c.breached_at || c.due_at.getTime() !== due.getTime()) return;
    // Met: called back (any outcome) by the due time, or closed by then (cancelled, or the caller got through).
    const met = (c.first_attempt && c.first_attempt <= due) || (c.status !== 'open' && c.closed_at && c.closed_at <= due);
    if (met) return;
    await tx.query('UPDATE callbacks SET breached_at = $2 WHERE id = $1', [c.id, now]);
    await recordChange(tx, systemPrincipal(c.account_id), ctx.now(), {
      events: [ev(c, 'sla.breached', due, 'sla', { metric: 'callback', dueAt: payload.dueAt })],
      audit: { action: 'callback.sla_breached', target: { type: 'callback', id: c.id }, data: { dueAt: payload.dueAt } },
    });
  });
}
