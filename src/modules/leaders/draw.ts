/** The daily draw: a seeded, replayable random sample of open conversations, assigned to the leader or their deputy. */
import { createHash, randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap, systemPrincipal } from '../../platform/context.js';
import { invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { rng } from '../simulate/index.js';
import { recordChange } from '../changes/index.js';
import { type ItemView, listItemRows } from './items.js';
import { DRAW_JOB, OPEN_STATUSES, type LeaderSettings, settingsOf, localDay, weekOf, isoWeekday, nextLocal, drawHour, isAbsent, weekCount } from './shared.js';

export interface Candidate {
  id: string;
  stratum: string;
}

/**
 * The sample: strata (one when not stratified) in sorted order shuffled by the PRNG, then round-robin over the strata,
 * each time a uniform pick inside the stratum. Same seed and same candidates → same picks (an auditor's replay).
 */
export function pickSample(seed: number, candidates: Candidate[], n: number): string[] {
  const r = rng(seed);
  const groups = new Map<string, string[]>();
  for (const c of candidates) {
    if (!groups.has(c.stratum)) groups.set(c.stratum, []);
    groups.get(c.stratum)!.push(c.id);
  }
  const keys = [...groups.keys()].sort();
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  const picks: string[] = [];
  let left = candidates.length;
  for (let i = 0; picks.length < n && left > 0; i++) {
    const g = groups.get(keys[i % keys.length])!;
    if (!g.length) continue;
    picks.push(g.splice(Math.floor(r() * g.length), 1)[0]);
    left--;
  }
  return picks;
}

export const candidatesHash = (c: Candidate[]) => createHash('sha256').update(JSON.stringify(c)).digest('hex');

export interface Unassigned {
  conversationId: string;
  reason: 'cap' | 'absence';
  deputy: 'none' | 'cap' | 'absence';
}

export interface DrawView {
  id: string;
  leaderId: string;
  day: string;
  seed: number;
  requested: number;
  stratify: string[];
  candidateCount: number;
  candidatesHash: string;
  picks: string[];
  unassigned: Unassigned[];
  note: string | null;
  items: ItemView[];
  existing?: boolean;
}

async function drawView(tx: Tx, p: Principal, id: string): Promise<DrawView> {
  const r = await tx.query<any>(
    `SELECT id, leader_id AS "leaderId", to_char(day, 'YYYY-MM-DD') AS day, seed::text AS seed, requested, stratify,
            jsonb_array_length(candidates) AS "candidateCount", candidates_hash AS "candidatesHash", picks, unassigned, note
       FROM leader_draws WHERE id = $1 AND account_id = $2`,
    [id, p.accountId],
  );
  if (!r.rows[0]) throw notFound('Draw');
  const d = r.rows[0];
  return { ...d, seed: Number(d.seed), items: await listItemRows(tx, p.accountId, { drawId: id }) };
}

/**
 * Draws the sample of one leader for one local day (default: today in the leader's zone). Idempotent per (leader, day):
 * a second call answers the existing draw. Every pick is assigned to the leader, or to the deputy (cap or absence), or
 * to nobody (the draw says why); nobody gets more than their weekly cap.
 */
export async function draw(ctx: Ctx, p: Principal, leaderId: string, opts: { date?: string; seed?: number } = {}): Promise<DrawView> {
  requireCap(p, 'manage');
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 2 ** 31 - 1))
    throw invalid('seed', 'a whole number from 0 to 2147483647');
  if (opts.date !== undefined && !DateTime.fromISO(opts.date).isValid) throw invalid('date', 'an ISO date such as 2026-11-25');
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    // One draw at a time per account: caps, de-duplication and "never twice the same conversation" hold.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('leaders.draw:' || $1::text))`, [p.accountId]);
    const s = await settingsOf(tx, p.accountId, leaderId);
    if (!s) throw notFound('Leader (a user with leader settings)');
    const day = opts.date ? DateTime.fromISO(opts.date).toISODate()! : localDay(now, s.timezone);
    const existing = await tx.query<{ id: string }>('SELECT id FROM leader_draws WHERE leader_id = $1 AND day = $2::date', [leaderId, day]);
    if (existing.rows[0]) return { ...(await drawView(tx, p, existing.rows[0].id)), existing: true };
    const seed = opts.seed ?? randomInt(0, 2 ** 31 - 1);
    const working = s.workingDays.includes(isoWeekday(day));
    const dayEnd = DateTime.fromISO(day, { zone: s.timezone }).plus({ days: 1 }).toJSDate();
    const cutoff = new Date(Math.min(dayEnd.getTime(), now.getTime()));
    const candidates: Candidate[] = [];
    if (working) {
      const c = await tx.query<{ id: string; channel: string; queue: string; language: string }>(
        `SELECT id, channel, queue, language FROM (
           SELECT DISTINCT ON (c.customer_id) c.id, c.number, c.channel, coalesce(q.name, '') AS queue,
                  coalesce(c.language, cu.language, '') AS language
             FROM conversations c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN queues q ON q.id = c.queue_id
            WHERE c.account_id = $1 AND c.status = ANY($2::text[]) AND NOT c.automatic AND c.merged_into IS NULL AND c.created_at <= $3
              AND NOT EXISTS (SELECT 1 FROM probes pr WHERE pr.account_id = c.account_id AND pr.customer_id = c.customer_id)
              AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'message'
                            AND m.author_type = 'customer' AND NOT m.automatic)
              AND NOT EXISTS (SELECT 1 FROM leader_items li WHERE li.conversation_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM leader_items li WHERE li.account_id = c.account_id AND li.customer_id = c.customer_id
                                AND li.day > $4::date - $5::int AND li.day < $4::date + $5::int)
            ORDER BY c.customer_id, c.number) t
          ORDER BY number`,
        [p.accountId, OPEN_STATUSES, cutoff, day, s.dedupDays],
      );
      for (const row of c.rows) candidates.push({ id: row.id, stratum: s.stratify.map((k) => (row as any)[k] ?? '').join('|') });
    }
    const picks = pickSample(seed, candidates, s.requestsPerDay);
    const note = !working ? 'not_working_day' : candidates.length ? null : 'no_candidates';
    const d = await tx.query<{ id: string }>(
      `INSERT INTO leader_draws (account_id, leader_id, day, seed, candidates, candidates_hash, requested, stratify, picks, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [p.accountId, leaderId, day, seed, JSON.stringify(candidates), candidatesHash(candidates), s.requestsPerDay, s.stratify, picks, note],
    );
    const drawId = d.rows[0].id;
    const week = weekOf(day);
    const unassigned: Unassigned[] = [];
    for (const conversationId of picks) {
      const a = await assigneeFor(tx, s, day, week);
      if ('unassigned' in a) {
        unassigned.push({ conversationId, ...a.unassigned });
        await recordChange(tx, p, ctx.now(), {
          audit: { action: 'leader.item_unassigned', target: { type: 'conversation', id: conversationId }, data: { drawId, leaderId, ...a.unassigned } },
        });
        continue;
      }
      const it = await tx.query<{ id: string }>(
        `INSERT INTO leader_items (account_id, draw_id, leader_id, assignee_id, reason, conversation_id, customer_id, day, week, drawn_at)
         SELECT $1, $2, $3, $4, $5, c.id, c.customer_id, $6, $7, $8 FROM conversations c WHERE c.id = $9 RETURNING id`,
        [p.accountId, drawId, leaderId, a.assignee, a.reason, day, week, now, conversationId],
      );
      await recordChange(tx, p, ctx.now(), {
        audit: { action: 'leader.item_assigned', target: { type: 'leader_item', id: it.rows[0].id }, data: {
          drawId, conversationId, leaderId, assigneeId: a.assignee, reason: a.reason,
        } },
      });
    }
    await tx.query('UPDATE leader_draws SET unassigned = $2 WHERE id = $1', [drawId, JSON.stringify(unassigned)]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'leader.drawn', target: { type: 'leader_draw', id: drawId }, data: {
        leaderId, day, seed, candidates: candidates.length, candidatesHash: candidatesHash(candidates), picks, note,
      } },
      change: { type: 'feature.changed', feature: 'leaders' },
    });
    return drawView(tx, p, drawId);
  });
}

async function assigneeFor(
  tx: Tx, s: LeaderSettings, day: string, week: string,
): Promise<{ assignee: string; reason: 'cap' | 'absence' | null } | { unassigned: Omit<Unassigned, 'conversationId'> }> {
  const absent = await isAbsent(tx, s.userId, day);
  if (!absent && (await weekCount(tx, s.userId, week)) < s.weeklyCap) return { assignee: s.userId, reason: null };
  const reason = absent ? 'absence' : 'cap';
  if (!s.deputyId) return { unassigned: { reason, deputy: 'none' } };
  const ds = await tx.query<{ weekly_cap: number }>('SELECT weekly_cap FROM leader_settings WHERE user_id = $1', [s.deputyId]);
  const deputyCap = ds.rows[0]?.weekly_cap ?? 8;
  if (await isAbsent(tx, s.deputyId, day)) return { unassigned: { reason, deputy: 'absence' } };
  if ((await weekCount(tx, s.deputyId, week)) >= deputyCap) return { unassigned: { reason, deputy: 'cap' } };
  return { assignee: s.deputyId, reason };
}

/** Draws for every leader of the account (or one); used by the API without leaderId and by the CLI. */
export async function drawAll(ctx: Ctx, p: Principal, opts: { leaderId?: string; date?: string; seed?: number }) {
  requireCap(p, 'manage');
  if (opts.leaderId) return [await draw(ctx, p, opts.leaderId, opts)];
  const r = await ctx.db.query<{ userId: string }>(`SELECT user_id AS "userId" FROM leader_settings WHERE account_id = $1 ORDER BY created_at, user_id`, [p.accountId]);
  const out = [];
  for (const l of r.rows) out.push(await draw(ctx, p, l.userId, opts));
  return out;
}

/** A draw, with the auditor's replay: the stored seed over the stored candidates gives the stored picks. */
export async function getDraw(ctx: Ctx, p: Principal, id: string) {
  requireCap(p, 'reports');
  if (!isUuid(id)) throw notFound('Draw');
  const view = await drawView(ctx.db, p, id);
  const c = await ctx.db.query<{ candidates: Candidate[] }>('SELECT candidates FROM leader_draws WHERE id = $1', [id]);
  const candidates = c.rows[0].candidates;
  const replayed = pickSample(view.seed, candidates, view.requested);
  return {
    ...view,
    candidates,
    replay: { picks: replayed, hashMatches: candidatesHash(candidates) === view.candidatesHash, picksMatch: JSON.stringify(replayed) === JSON.stringify(view.picks) },
  };
}


/** `leaders.draw`: draws today's sample when its time is the scheduled one, then schedules the next. */
export async function runDrawJob(ctx: Ctx, payload: { leaderId: string; at: string }) {
  const r = await ctx.db.query<{ account_id: string; next_draw_at: Date | null }>('SELECT account_id, next_draw_at FROM leader_settings WHERE user_id = $1', [payload.leaderId]);
  const row = r.rows[0];
  if (!row?.next_draw_at || new Date(row.next_draw_at).toISOString() !== payload.at) return; // rescheduled or removed
  const sys = systemPrincipal(row.account_id);
  const at = new Date(payload.at);
  const s = (await settingsOf(ctx.db, row.account_id, payload.leaderId))!;
  await draw(ctx, sys, payload.leaderId, { date: localDay(at, s.timezone) });
  await ctx.db.transaction(async (tx) => {
    const next = nextLocal(at, s.timezone, drawHour(s.digestHour), s.workingDays);
    const u = await tx.query('UPDATE leader_settings SET next_draw_at = $2 WHERE user_id = $1 AND next_draw_at = $3 RETURNING 1', [s.userId, next, at]);
    if (u.rows.length && next) await enqueue(tx, DRAW_JOB, { leaderId: s.userId, at: next.toISOString() }, { runAt: next });
  });
}
