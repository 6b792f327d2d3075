/** Queues with business hours and time zone, SLA policies, and automatic assignment (round robin and by load). */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { conflict, invalid, isUuid, notFound } from '../../platform/errors.js';
import {
  type BusinessHours,
  addBusinessMinutes,
  validateBusinessHours,
  validateTimezone,
} from '../../platform/business-hours.js';
import { recordChange } from '../changes/index.js';

export type AssignmentMode = 'manual' | 'round_robin' | 'load';

export interface Queue {
  id: string;
  name: string;
  timezone: string;
  businessHours: BusinessHours | null;
  teamId: string | null;
  assignment: AssignmentMode;
  slaPolicyId: string | null;
  /** Callback policy (PATCH /queues/:id/callback-policy): SLA minutes and attempts before giving up. */
  callbackSlaMinutes: number;
  callbackMaxAttempts: number;
  createdAt: Date;
}
const QUEUE_COLS = `id, name, timezone, business_hours AS "businessHours", team_id AS "teamId", assignment,
  sla_policy_id AS "slaPolicyId", callback_sla_minutes AS "callbackSlaMinutes", callback_max_attempts AS "callbackMaxAttempts",
  created_at AS "createdAt"`;

export interface QueueInput {
  name?: string;
  timezone?: string;
  businessHours?: BusinessHours | null;
  teamId?: string | null;
  assignment?: AssignmentMode;
  slaPolicyId?: string | null;
}

async function checkRefs(tx: Tx, p: Principal, input: QueueInput) {
  if (input.timezone !== undefined) validateTimezone(input.timezone);
  if (input.businessHours) validateBusinessHours(input.businessHours);
  if (input.teamId) {
    const found = isUuid(input.teamId) && (await tx.query('SELECT 1 FROM teams WHERE account_id = $1 AND id = $2', [p.accountId, input.teamId])).rows.length > 0;
    if (!found) throw invalid('teamId', `unknown team ${input.teamId}`);
  }
  if (input.slaPolicyId) {
    const found =
      isUuid(input.slaPolicyId) &&
      (await tx.query('SELECT 1 FROM sla_policies WHERE account_id = $1 AND id = $2', [p.accountId, input.slaPolicyId])).rows.length > 0;
    if (!found) throw invalid('slaPolicyId', `unknown SLA policy ${input.slaPolicyId}`);
  }
}

/**
 * The account's queues with these names, created when missing (phone events and imported call logs name queues that
 * may not exist yet). New queues get `timezone`, or the account's time zone. The common case writes nothing; a
 * concurrent writer creating the same queue is fine. Returns name → id and the names this call created.
 */
export async function ensureQueuesByName(
  tx: Tx,
  accountId: string,
  names: Iterable<string | null | undefined>,
  timezone?: string,
): Promise<{ ids: Map<string, string>; created: string[] }> {
  const wanted = [...new Set([...names].filter((n): n is string => !!n))];
  const ids = new Map<string, string>();
  const created: string[] = [];
  if (!wanted.length) return { ids, created };
  const find = async (list: string[]) => {
    const r = await tx.query<{ id: string; name: string }>('SELECT id, name FROM queues WHERE account_id = $1 AND name = ANY($2::text[])', [accountId, list]);
    for (const row of r.rows) ids.set(row.name, row.id);
  };
  await find(wanted);
  const missing = wanted.filter((n) => !ids.has(n));
  if (missing.length) {
    const ins = await tx.query<{ name: string }>(
      `INSERT INTO queues (account_id, name, timezone)
       SELECT $1, n, coalesce($3, (SELECT timezone FROM accounts WHERE id = $1)) FROM unnest($2::text[]) n
       ON CONFLICT (account_id, name) DO NOTHING RETURNING name`,
      [accountId, missing, timezone ?? null],
    );
    created.push(...ins.rows.map((r) => r.name));
    await find(missing);
  }
  return { ids, created };
}

/** A queue's callback policy: SLA minutes and attempts before giving up (supervisor, admin). */
export async function setCallbackPolicy(ctx: Ctx, p: Principal, queueId: string, input: { slaMinutes?: number; maxAttempts?: number }) {
  requireCap(p, 'manage');
  for (const k of ['slaMinutes', 'maxAttempts'] as const) {
    const v = input[k];
    if (v !== undefined && (!Number.isInteger(v) || v <= 0)) throw invalid(k, 'must be a positive whole number');
  }
  if (!isUuid(queueId)) throw notFound('Queue');
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ id: string; name: string; slaMinutes: number; maxAttempts: number }>(
      `UPDATE queues SET callback_sla_minutes = coalesce($3, callback_sla_minutes), callback_max_attempts = coalesce($4, callback_max_attempts)
        WHERE account_id = $1 AND id = $2
        RETURNING id, name, callback_sla_minutes AS "slaMinutes", callback_max_attempts AS "maxAttempts"`,
      [p.accountId, queueId, input.slaMinutes ?? null, input.maxAttempts ?? null],
    );
    if (!r.rows[0]) throw notFound('Queue');
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'queue.callback_policy', target: { type: 'queue', id: queueId }, data: { ...input } },
    });
    return r.rows[0];
  });
}

export async function createQueue(ctx: Ctx, p: Principal, input: QueueInput & { name: string }): Promise<Queue> {
  requireCap(p, 'manage');
  if (!input.name?.trim()) throw invalid('name', 'must not be empty');
  return ctx.db.transaction(async (tx) => {
    await checkRefs(tx, p, input);
    const dup = await tx.query('SELECT 1 FROM queues WHERE account_id = $1 AND name = $2', [p.accountId, input.name.trim()]);
    if (dup.rows.length) throw conflict('queue_exists', `A queue named '${input.name}' exists already`);
    const r = await tx.query<Queue>(
      `INSERT INTO queues (account_id, name, timezone, business_hours, team_id, assignment, sla_policy_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${QUEUE_COLS}`,
      [p.accountId, input.name.trim(), input.timezone ?? 'UTC', input.businessHours ? JSON.stringify(input.businessHours) : null,
       input.teamId ?? null, input.assignment ?? 'manual', input.slaPolicyId ?? null],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'queue.created', target: { type: 'queue', id: r.rows[0].id }, data: { ...input } },
    });
    return r.rows[0];
  });
}

export async function updateQueue(ctx: Ctx, p: Principal, id: string, input: QueueInput): Promise<Queue> {
  requireCap(p, 'manage');
  return ctx.db.transaction(async (tx) => {
    await getQueue(ctx, p, id, tx);
    await checkRefs(tx, p, input);
    const has = (k: keyof QueueInput) => Object.hasOwn(input, k);
    const r = await tx.query<Queue>(
      `UPDATE queues SET name = coalesce($3, name), timezone = coalesce($4, timezone),
              business_hours = CASE WHEN $5 THEN $6::jsonb ELSE business_hours END,
              team_id = CASE WHEN $7 THEN $8::uuid ELSE team_id END, assignment = coalesce($9, assignment),
              sla_policy_id = CASE WHEN $10 THEN $11::uuid ELSE sla_policy_id END
        WHERE account_id = $1 AND id = $2 RETURNING ${QUEUE_COLS}`,
      [p.accountId, id, input.name?.trim() ?? null, input.timezone ?? null, has('businessHours'),
       input.businessHours ? JSON.stringify(input.businessHours) : null, has('teamId'), input.teamId ?? null,
       input.assignment ?? null, has('slaPolicyId'), input.slaPolicyId ?? null],
    );
    await recordChange(tx, p, ctx.now(), { audit: { action: 'queue.updated', target: { type: 'queue', id }, data: { ...input } } });
    return r.rows[0];
  });
}

export async function getQueue(ctx: Ctx, p: Principal, id: string, tx: Tx = ctx.db): Promise<Queue> {
  if (!isUuid(id)) throw notFound('Queue');
  const r = await tx.query<Queue>(`SELECT ${QUEUE_COLS} FROM queues WHERE account_id = $1 AND id = $2`, [p.accountId, id]);
  if (!r.rows[0]) throw notFound('Queue');
  return r.rows[0];
}

export async function listQueues(ctx: Ctx, p: Principal): Promise<Queue[]> {
  requireCap(p, 'conversations');
  const r = await ctx.db.query<Queue>(`SELECT ${QUEUE_COLS} FROM queues WHERE account_id = $1 ORDER BY name`, [p.accountId]);
  return r.rows;
}

// ---------------------------------------------------------------- SLA policies

export interface SlaPolicy {
  id: string;
  name: string;
  firstReplyMinutes: number | null;
  nextReplyMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: boolean;
}
const SLA_COLS = `id, name, first_reply_minutes AS "firstReplyMinutes", next_reply_minutes AS "nextReplyMinutes",
  resolution_minutes AS "resolutionMinutes", business_hours AS "businessHours"`;

export async function createSlaPolicy(ctx: Ctx, p: Principal, input: Omit<SlaPolicy, 'id'>): Promise<SlaPolicy> {
  requireCap(p, 'manage');
  if (!input.name?.trim()) throw invalid('name', 'must not be empty');
  for (const k of ['firstReplyMinutes', 'nextReplyMinutes', 'resolutionMinutes'] as const) {
    const v = input[k];
    if (v !== null && v !== undefined && (!Number.isInteger(v) || v <= 0)) throw invalid(k, 'must be a positive whole number of minutes');
  }
  return ctx.db.transaction(async (tx) => {
    const dup = await tx.query('SELECT 1 FROM sla_policies WHERE account_id = $1 AND name = $2', [p.accountId, input.name.trim()]);
    if (dup.rows.length) throw conflict('sla_policy_exists', `An SLA policy named '${input.name}' exists already`);
    const r = await tx.query<SlaPolicy>(
      `INSERT INTO sla_policies (account_id, name, first_reply_minutes, next_reply_minutes, resolution_minutes, business_hours)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SLA_COLS}`,
      [p.accountId, input.name.trim(), input.firstReplyMinutes ?? null, input.nextReplyMinutes ?? null, input.resolutionMinutes ?? null,
       input.businessHours ?? true],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'sla_policy.created', target: { type: 'sla_policy', id: r.rows[0].id }, data: { ...input } },
    });
    return r.rows[0];
  });
}

export async function listSlaPolicies(ctx: Ctx, p: Principal): Promise<SlaPolicy[]> {
  requireCap(p, 'conversations');
  const r = await ctx.db.query<SlaPolicy>(`SELECT ${SLA_COLS} FROM sla_policies WHERE account_id = $1 ORDER BY name`, [p.accountId]);
  return r.rows;
}

export interface SlaClock {
  policy: SlaPolicy;
  hours: BusinessHours | null;
  tz: string;
}

/** The SLA policy and clock of a queue, or null when the queue has none. */
export async function slaClockFor(tx: Tx, queueId: string | null): Promise<SlaClock | null> {
  if (!queueId) return null;
  const r = await tx.query<SlaPolicy & { hours: BusinessHours | null; tz: string }>(
    `SELECT s.id, s.name, s.first_reply_minutes AS "firstReplyMinutes", s.next_reply_minutes AS "nextReplyMinutes",
            s.resolution_minutes AS "resolutionMinutes", s.business_hours AS "businessHours",
            q.business_hours AS hours, q.timezone AS tz
       FROM queues q JOIN sla_policies s ON s.id = q.sla_policy_id WHERE q.id = $1`,
    [queueId],
  );
  const row = r.rows[0];
  if (!row) return null;
  return { policy: row, hours: row.businessHours ? row.hours : null, tz: row.tz };
}

export function dueAt(clock: SlaClock | null, metric: 'first_reply' | 'next_reply' | 'resolution', from: Date): Date | null {
  if (!clock) return null;
  const minutes =
    metric === 'first_reply' ? clock.policy.firstReplyMinutes : metric === 'next_reply' ? clock.policy.nextReplyMinutes : clock.policy.resolutionMinutes;
  if (!minutes) return null;
  return addBusinessMinutes(from, minutes, clock.hours, clock.tz);
}

// ---------------------------------------------------------------- assignment

/**
 * Picks an agent for a conversation in the queue: among the queue team's members (everyone with a working role when
 * the queue has no team) who are available, not disabled and below their capacity of open conversations.
 * Round robin takes the one assigned longest ago; load takes the lowest open/capacity ratio (then longest ago).
 * The queue row is locked so two concurrent assignments cannot both pick the last free seat.
 */
export async function pickAgent(tx: Tx, accountId: string, queueId: string, mode?: AssignmentMode): Promise<string | null> {
  const q = await tx.query<{ assignment: AssignmentMode; team_id: string | null }>(
    'SELECT assignment, team_id FROM queues WHERE id = $1 AND account_id = $2 FOR UPDATE',
    [queueId, accountId],
  );
  if (!q.rows[0]) return null;
  const how = mode ?? q.rows[0].assignment;
  if (how === 'manual') return null;
  const r = await tx.query<{ id: string }>(
    `WITH eligible AS (
       SELECT u.id, u.capacity, u.last_assigned_at,
              (SELECT count(*) FROM conversations c WHERE c.assignee_id = u.id AND c.status IN ('new', 'open')) AS load
         FROM users u
        WHERE u.account_id = $1 AND u.disabled_at IS NULL AND u.presence = 'available'
          AND u.role IN ('agent', 'supervisor', 'leader', 'admin')
          AND ($2::uuid IS NULL OR u.id IN (SELECT user_id FROM team_members WHERE team_id = $2)))
     SELECT id FROM eligible WHERE load < capacity
      ORDER BY CASE WHEN $3 = 'load' THEN load::float / greatest(capacity, 1) ELSE 0 END,
               last_assigned_at NULLS FIRST, id
      LIMIT 1`,
    [accountId, q.rows[0].team_id, how],
  );
  return r.rows[0]?.id ?? null;
}
