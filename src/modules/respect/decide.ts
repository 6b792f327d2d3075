/** Deciding on measures: four-eyes approval, rejection, revocation, expiry, and routing a banned customer's mail. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap, systemPrincipal } from '../../platform/context.js';
import { AppError, conflict, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { updateConversation } from '../conversations/index.js';
import { recordChange } from '../changes/index.js';
import type { MeasureKind } from './channel-checks.js';
import { classifyEvidence, criticismOnly, refuseCriticism } from './evidence.js';
import { activate } from './propose.js';
import { settingsIn } from './settings.js';
import { ROUTE_BANNED_JOB, type EvidenceItem, requirePerson, requireDecider } from './shared.js';
import { getMeasure } from './views.js';

export async function lockMeasure(tx: Tx, p: Principal, id: string) {
  if (!isUuid(id)) throw notFound('Measure');
  const r = await tx.query<{ id: string; status: string; kind: MeasureKind; reporter_id: string; abused_user_ids: string[]; decided_by: string | null;
    customer_id: string; conversation_id: string | null; reason_category: string; evidence: EvidenceItem[]; channels: string[] | null; until: Date | null }>(
    'SELECT * FROM respect_measures WHERE account_id = $1 AND id = $2 FOR UPDATE',
    [p.accountId, id],
  );
  if (!r.rows[0]) throw notFound('Measure');
  return r.rows[0];
}

export function fourEyes(uid: string, m: { reporter_id: string; abused_user_ids: string[] }, what: string) {
  if (m.reporter_id === uid) throw new AppError('four_eyes', `${what}: the person who reported it cannot decide it; a second person must`, 403);
  if ((m.abused_user_ids ?? []).includes(uid)) throw new AppError('four_eyes', `${what}: a person who was abused cannot decide it; someone not involved must`, 403);
}

export async function approveMeasure(ctx: Ctx, p: Principal, id: string, input: { note?: string } = {}) {
  const uid = requireDecider(p, 'Approving a measure');
  const m = await ctx.db.transaction(async (tx) => lockMeasure(tx, p, id));
  fourEyes(uid, m, 'Approving a measure');
  if (m.status !== 'proposed') throw conflict('not_proposed', `This measure is ${m.status}, not awaiting approval`);
  // Again at approval: the findings may have changed since the proposal (re-analysed, corrected).
  const ids = m.evidence.filter((e) => e.messageId).map((e) => e.messageId!);
  const pub = m.evidence.filter((e) => e.source !== 'message').map((e) => ({ source: e.source as 'community' | 'public', ref: e.ref, text: e.text }));
  const evidence = await classifyEvidence(ctx.db, p.accountId, m.customer_id, ids, pub);
  if (criticismOnly(evidence)) await refuseCriticism(ctx, p, { customerId: m.customer_id, kind: m.kind, reasonCategory: m.reason_category, measureId: id }, evidence, 'approval');
  let moveTo: string | null = null;
  await ctx.db.transaction(async (tx) => {
    const cur = await lockMeasure(tx, p, id);
    if (cur.status !== 'proposed') throw conflict('not_proposed', `This measure is ${cur.status}, not awaiting approval`);
    if (m.kind === 'cool_off') {
      moveTo = (await settingsIn(tx, p.accountId)).coolOffQueueId;
      if (!moveTo) throw conflict('cool_off_queue_missing', 'Set the cool-off queue in the respect settings (a supervisor queue) before approving a cool-off');
    }
    await tx.query('UPDATE respect_measures SET evidence = $2, decision_note = $3 WHERE id = $1', [id, JSON.stringify(evidence), input.note?.trim() || null]);
    await activate(ctx, tx, p, id, uid);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'respect.approved', target: { type: 'respect_measure', id }, data: { kind: m.kind, note: input.note ?? null } },
      change: { type: 'customer.updated', customerId: m.customer_id },
    });
    if (m.kind === 'ban') await enqueue(tx, ROUTE_BANNED_JOB, { accountId: p.accountId, customerId: m.customer_id, measureId: id }, { runAt: ctx.now() });
  });
  if (moveTo && m.conversation_id) await updateConversation(ctx, p, m.conversation_id, { queueId: moveTo });
  return getMeasure(ctx, p, id);
}

export async function rejectMeasure(ctx: Ctx, p: Principal, id: string, input: { note?: string } = {}) {
  const uid = requireDecider(p, 'Rejecting a measure');
  await ctx.db.transaction(async (tx) => {
    const m = await lockMeasure(tx, p, id);
    fourEyes(uid, m, 'Rejecting a measure');
    if (m.status !== 'proposed') throw conflict('not_proposed', `This measure is ${m.status}, not awaiting approval`);
    await tx.query(`UPDATE respect_measures SET status = 'rejected', decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $1`,
      [id, uid, ctx.now(), input.note?.trim() || null]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'respect.rejected', target: { type: 'respect_measure', id }, data: { note: input.note ?? null } },
      change: { type: 'customer.updated', customerId: m.customer_id },
    });
  });
  return getMeasure(ctx, p, id);
}

/** Ends an active measure early (a supervisor's second thought; no customer appeal needed). */
export async function revokeMeasure(ctx: Ctx, p: Principal, id: string, input: { note?: string } = {}) {
  requireCap(p, 'manage');
  const uid = requirePerson(p, 'Revoking a measure');
  await ctx.db.transaction(async (tx) => {
    const m = await lockMeasure(tx, p, id);
    if (m.status !== 'active') throw conflict('not_active', `This measure is ${m.status}, not active`);
    await tx.query(`UPDATE respect_measures SET status = 'revoked', ended_by = $2, ended_at = $3, decision_note = coalesce($4, decision_note) WHERE id = $1`,
      [id, uid, ctx.now(), input.note?.trim() || null]);
    await tx.query(`UPDATE respect_appeals SET status = 'overturned', decided_by = $2, decided_at = $3, decision_note = 'measure revoked' WHERE measure_id = $1 AND status = 'open'`, [id, uid, ctx.now()]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'respect.revoked', target: { type: 'respect_measure', id }, data: { note: input.note ?? null } },
      change: { type: 'customer.updated', customerId: m.customer_id },
    });
  });
  return getMeasure(ctx, p, id);
}

/** The expiry job at `until`: re-reads, expires once. */
export async function expireMeasure(ctx: Ctx, payload: { measureId: string }) {
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ account_id: string; customer_id: string; status: string; until: Date }>('SELECT account_id, customer_id, status, until FROM respect_measures WHERE id = $1 FOR UPDATE', [payload.measureId]);
    const m = r.rows[0];
    if (m?.status !== 'active' || new Date(m.until) > ctx.now()) return;
    await tx.query(`UPDATE respect_measures SET status = 'expired', ended_at = $2 WHERE id = $1`, [payload.measureId, ctx.now()]);
    await tx.query(`UPDATE respect_appeals SET status = 'overturned', decided_at = $2, decision_note = 'measure expired' WHERE measure_id = $1 AND status = 'open'`, [payload.measureId, ctx.now()]);
    await recordChange(tx, systemPrincipal(m.account_id), ctx.now(), {
      audit: { action: 'respect.expired', target: { type: 'respect_measure', id: payload.measureId }, data: { until: new Date(m.until).toISOString() } },
      change: { type: 'customer.updated', customerId: m.customer_id },
    });
  });
}

/** How often the ban sweep looks for new conversations of a banned customer (inbound mail keeps arriving). */
export const SWEEP_MS = 5 * 60_000;

/**
 * Inbound email is never refused: under a ban it is stored as always, and this job moves the customer's open
 * conversations into the cool-off queue, once each (a supervisor may move one back). It runs when the ban is approved
 * and then every SWEEP_MS while the ban is in force, so mail arriving later is routed too.
 */
export async function routeBanned(ctx: Ctx, payload: { accountId: string; customerId: string; measureId: string; at?: string }) {
  const now = ctx.now();
  const m = (await ctx.db.query<{ status: string; until: Date }>('SELECT status, until FROM respect_measures WHERE id = $1', [payload.measureId])).rows[0];
  if (m?.status !== 'active' || new Date(m.until) <= now) return;
  const q = (await settingsIn(ctx.db, payload.accountId)).coolOffQueueId;
  if (q) {
    const r = await ctx.db.query<{ id: string }>(
      `SELECT c.id FROM conversations c WHERE c.account_id = $1
          AND (c.customer_id = $2 OR c.customer_id IN (SELECT id FROM customers WHERE account_id = $1 AND merged_into = $2))
          AND c.status NOT IN ('solved', 'closed') AND c.merged_into IS NULL AND c.queue_id IS DISTINCT FROM $3
          AND NOT EXISTS (SELECT 1 FROM respect_routed x WHERE x.conversation_id = c.id)`,
      [payload.accountId, payload.customerId, q],
    );
    const sys = systemPrincipal(payload.accountId);
    for (const c of r.rows) {
      await updateConversation(ctx, sys, c.id, { queueId: q });
      await ctx.db.query('INSERT INTO respect_routed (conversation_id, measure_id, routed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [c.id, payload.measureId, now]);
    }
  }
  // From the later of now and this run's planned time, so a clock that stands still (tests) cannot loop.
  const next = new Date(Math.max(now.getTime(), payload.at ? Date.parse(payload.at) : 0) + SWEEP_MS);
  if (next < new Date(m.until)) await enqueue(ctx.db, ROUTE_BANNED_JOB, { ...payload, at: next.toISOString() }, { runAt: next });
}
