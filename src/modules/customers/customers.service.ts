/** Customers and their identities (email, phone, chat visitor, external id); merging two records of one person. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { conflict, invalid, isUuid, notFound } from '../../platform/errors.js';
import { recordChange } from '../changes/index.js';

export type IdentityKind = 'email' | 'phone' | 'chat' | 'external';
export const IDENTITY_KINDS: IdentityKind[] = ['email', 'phone', 'chat', 'external'];

/** Identities are stored normalised so "Anna@Example.com " and "anna@example.com" are one person. */
export function normaliseIdentity(kind: IdentityKind, value: string): string {
  const v = value.trim();
  if (kind === 'email') {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) throw invalid('email', `not an email address: '${value}'`);
    return v.toLowerCase();
  }
  if (kind === 'phone') {
    const digits = v.replace(/[\s().\-/]/g, '');
    if (!/^\+?\d{3,20}$/.test(digits)) throw invalid('phone', `not a phone number: '${value}'`);
    return digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
  }
  if (!v) throw invalid(kind, 'must not be empty');
  return v;
}

export interface CustomerInput {
  name?: string;
  email?: string;
  phone?: string;
  externalId?: string;
  chatVisitorId?: string;
  language?: string;
}

function identitiesOf(input: CustomerInput): [IdentityKind, string][] {
  const out: [IdentityKind, string][] = [];
  if (input.email) out.push(['email', normaliseIdentity('email', input.email)]);
  if (input.phone) out.push(['phone', normaliseIdentity('phone', input.phone)]);
  if (input.externalId) out.push(['external', normaliseIdentity('external', input.externalId)]);
  if (input.chatVisitorId) out.push(['chat', normaliseIdentity('chat', input.chatVisitorId)]);
  return out;
}

/** Follows merges: a merged customer's id leads to the surviving record. */
async function resolveMerged(tx: Tx, id: string): Promise<string> {
  let cur = id;
  for (let i = 0; i < 20; i++) {
    const r = await tx.query<{ merged_into: string | null }>('SELECT merged_into FROM customers WHERE id = $1', [cur]);
    if (!r.rows[0]?.merged_into) return cur;
    cur = r.rows[0].merged_into;
  }
  return cur;
}

/**
 * Finds the customer any of the given identities belongs to, or creates one. New identities are attached to the
 * found customer; a missing name or language is filled in.
 */
export async function findOrCreateCustomer(tx: Tx, accountId: string, input: CustomerInput): Promise<{ id: string; created: boolean }> {
  const ids = identitiesOf(input);
  if (ids.length === 0) throw invalid('customer', 'needs at least one of email, phone, externalId, chatVisitorId');
  const found = await tx.query<{ customer_id: string }>(
    `SELECT customer_id FROM customer_identities
      WHERE account_id = $1 AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[])) LIMIT 1`,
    [accountId, ids.map((i) => i[0]), ids.map((i) => i[1])],
  );
  let id: string;
  let created = false;
  if (found.rows[0]) {
    id = await resolveMerged(tx, found.rows[0].customer_id);
    await tx.query(
      // Only when something is missing: an unconditional update would lock the customer's row and queue every
      // concurrent message of that customer behind it.
      `UPDATE customers SET name = coalesce(name, $2), language = coalesce(language, $3)
        WHERE id = $1 AND ((name IS NULL AND $2::text IS NOT NULL) OR (language IS NULL AND $3::text IS NOT NULL))`,
      [id, input.name?.trim() || null, input.language ?? null],
    );
  } else {
    const r = await tx.query<{ id: string }>(
      `INSERT INTO customers (account_id, name, language) VALUES ($1, $2, $3) RETURNING id`,
      [accountId, input.name?.trim() || null, input.language ?? null],
    );
    id = r.rows[0].id;
    created = true;
  }
  await tx.query(
    `INSERT INTO customer_identities (account_id, customer_id, kind, value)
     SELECT $1, $2, * FROM unnest($3::text[], $4::text[]) ON CONFLICT (account_id, kind, value) DO NOTHING`,
    [accountId, id, ids.map((i) => i[0]), ids.map((i) => i[1])],
  );
  return { id, created };
}

const CUSTOMER_SELECT = `SELECT c.id, c.name, c.language, c.notes, c.merged_into AS "mergedInto", c.created_at AS "createdAt",
  coalesce((SELECT json_agg(json_build_object('kind', i.kind, 'value', i.value) ORDER BY i.kind, i.value)
              FROM customer_identities i WHERE i.customer_id = c.id), '[]') AS identities
  FROM customers c`;

export async function getCustomer(ctx: Ctx, p: Principal, id: string, tx: Tx = ctx.db) {
  requireCap(p, 'conversations');
  if (!isUuid(id)) throw notFound('Customer');
  const r = await tx.query(`${CUSTOMER_SELECT} WHERE c.account_id = $1 AND c.id = $2`, [p.accountId, id]);
  if (!r.rows[0]) throw notFound('Customer');
  return r.rows[0];
}

export async function listCustomers(ctx: Ctx, p: Principal, f: { q?: string; limit: number; offset: number }) {
  requireCap(p, 'conversations');
  const r = await ctx.db.query(
    `${CUSTOMER_SELECT}
      WHERE c.account_id = $1 AND c.merged_into IS NULL
        AND ($2::text IS NULL OR c.name ILIKE '%' || $2 || '%'
             OR EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id AND i.value ILIKE '%' || $2 || '%'))
      ORDER BY c.created_at DESC LIMIT $3 OFFSET $4`,
    [p.accountId, f.q ?? null, f.limit, f.offset],
  );
  return r.rows;
}

export async function createCustomer(ctx: Ctx, p: Principal, input: CustomerInput) {
  requireCap(p, 'conversations');
  return ctx.db.transaction(async (tx) => {
    const ids = identitiesOf(input);
    if (ids.length) {
      const taken = await tx.query(
        `SELECT kind, value FROM customer_identities WHERE account_id = $1 AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
        [p.accountId, ids.map((i) => i[0]), ids.map((i) => i[1])],
      );
      if (taken.rows[0])
        throw conflict('identity_taken', `The ${taken.rows[0].kind} ${taken.rows[0].value} belongs to another customer already`);
    }
    const r = await tx.query<{ id: string }>(
      `INSERT INTO customers (account_id, name, language) VALUES ($1, $2, $3) RETURNING id`,
      [p.accountId, input.name?.trim() || null, input.language ?? null],
    );
    const id = r.rows[0].id;
    if (ids.length)
      await tx.query(
        `INSERT INTO customer_identities (account_id, customer_id, kind, value) SELECT $1, $2, * FROM unnest($3::text[], $4::text[])`,
        [p.accountId, id, ids.map((i) => i[0]), ids.map((i) => i[1])],
      );
    await recordChange(tx, p, ctx.now(), { audit: { action: 'customer.created', target: { type: 'customer', id } } });
    return getCustomer(ctx, p, id, tx);
  });
}

export async function addIdentity(ctx: Ctx, p: Principal, customerId: string, kind: IdentityKind, value: string) {
  requireCap(p, 'conversations');
  if (!IDENTITY_KINDS.includes(kind)) throw invalid('kind', `must be one of ${IDENTITY_KINDS.join(', ')}`);
  const v = normaliseIdentity(kind, value);
  return ctx.db.transaction(async (tx) => {
    await getCustomer(ctx, p, customerId, tx);
    const taken = await tx.query<{ customer_id: string }>(
      'SELECT customer_id FROM customer_identities WHERE account_id = $1 AND kind = $2 AND value = $3',
      [p.accountId, kind, v],
    );
    if (taken.rows[0] && taken.rows[0].customer_id !== customerId)
      throw conflict('identity_taken', `The ${kind} ${v} belongs to another customer; merge the two customers instead`, {
        customerId: taken.rows[0].customer_id,
      });
    await tx.query(
      `INSERT INTO customer_identities (account_id, customer_id, kind, value) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [p.accountId, customerId, kind, v],
    );
    await recordChange(tx, p, ctx.now(), { audit: { action: 'customer.identity_added', target: { type: 'customer', id: customerId }, data: { kind, value: v } } });
    return getCustomer(ctx, p, customerId, tx);
  });
}

/** What another module moves when two customers merge; what it returns goes into the `customer.merged` event's data. */
export type CustomersMergedHandler = (tx: Tx, e: { sourceId: string; targetId: string }) => Promise<Record<string, unknown>>;
const mergeHandlers = new Set<CustomersMergedHandler>();
/** Registered by a module that owns rows pointing at customers (conversations), when it is loaded. */
export function onCustomersMerged(handler: CustomersMergedHandler): void {
  mergeHandlers.add(handler);
}

/** Merges `sourceId` into `targetId`: identities and conversations move, the source points at the target. */
export async function mergeCustomers(ctx: Ctx, p: Principal, sourceId: string, targetId: string) {
  requireCap(p, 'manage');
  if (sourceId === targetId) throw invalid('into', 'a customer cannot be merged into itself');
  return ctx.db.transaction(async (tx) => {
    const source = await getCustomer(ctx, p, sourceId, tx);
    const target = await getCustomer(ctx, p, targetId, tx);
    if (source.mergedInto) throw conflict('already_merged', 'This customer was merged already');
    if (target.mergedInto) throw invalid('into', 'the target customer was itself merged; merge into the surviving record');
    await tx.query('UPDATE customer_identities SET customer_id = $2 WHERE customer_id = $1', [sourceId, targetId]);
    // The owners of what hangs off a customer move it (conversations, through the hook its index.ts registers).
    const moved: Record<string, unknown> = {};
    for (const h of mergeHandlers) Object.assign(moved, await h(tx, { sourceId, targetId }));
    await tx.query(
      `UPDATE customers SET merged_into = $2, name = NULL WHERE id = $1;`,
      [sourceId, targetId],
    );
    await tx.query(`UPDATE customers SET name = coalesce(name, $2), language = coalesce(language, $3) WHERE id = $1`, [
      targetId,
      source.name,
      source.language,
    ]);
    await recordChange(tx, p, ctx.now(), {
      events: [{
        accountId: p.accountId,
        contactId: `customer:${targetId}`,
        type: 'customer.merged',
        channel: 'api',
        occurredAt: ctx.now(),
        customerId: targetId,
        agentId: p.userId,
        data: { from: sourceId, into: targetId, ...moved },
      }],
      audit: { action: 'customer.merged', target: { type: 'customer', id: targetId }, data: { from: sourceId } },
      change: { type: 'customer.updated', customerId: targetId },
    });
    return getCustomer(ctx, p, targetId, tx);
  });
}

// ---------------------------------------------------------------- timeline

export interface TimelineItem {
  kind: 'conversation' | 'call' | 'callback' | 'contact';
  channel: string;
  /** First touch (a conversation's creation, a call's dial, a callback's abandon time). */
  at: Date;
  lastAt: Date | null;
  queue: { id: string; name: string } | null;
  /** docs/metrics.md: first touch until a human answered or the customer gave up; null while waiting. */
  livedWaitSeconds: number | null;
  queueWaitSeconds: number | null;
  /** answered | abandoned | closed | waiting (contact facts), null when not projected. */
  outcome: string | null;
  conversationId?: string;
  number?: number;
  subject?: string;
  status?: string;
  contactId?: string;
  callback?: { id: string; status: string; closedBy: string | null; dueAt: Date; attempts: number; outcome: string | null; breached: boolean; call: string };
}

/**
 * Everything a customer did with us, newest first: conversations of every channel (email, chat, web, API), phone
 * contacts (calls linked by customer id or by one of the customer's identities) and callbacks owed or made.
 */
export async function customerTimeline(ctx: Ctx, p: Principal, id: string, limit = 100): Promise<{ customerId: string; items: TimelineItem[] }> {
  const customer = await getCustomer(ctx, p, id);
  const identities = (customer.identities as { kind: string; value: string }[]).map((i) => `i:${i.value}`);
  const who = [`c:${customer.id}`, ...identities];
  const r = await ctx.db.query<TimelineItem & { sortAt: Date }>(
    `SELECT * FROM (
       SELECT 'conversation' AS kind, c.channel, coalesce(f.first_touch_at, c.created_at) AS at,
              coalesce(f.last_event_at, c.last_message_at) AS "lastAt",
              CASE WHEN q.id IS NOT NULL THEN json_build_object('id', q.id, 'name', q.name) END AS queue,
              f.lived_wait_s AS "livedWaitSeconds", f.queue_wait_s AS "queueWaitSeconds", f.outcome,
              c.id::text AS "conversationId", c.number, c.subject, c.status, NULL::text AS "contactId", NULL::json AS callback
         FROM conversations c
         LEFT JOIN queues q ON q.id = c.queue_id
         LEFT JOIN contact_facts f ON f.account_id = c.account_id AND f.contact_id = c.id::text
        WHERE c.account_id = $1 AND c.customer_id = $2 AND c.merged_into IS NULL
       UNION ALL
       SELECT CASE WHEN f.channel = 'phone' THEN 'call' ELSE 'contact' END, f.channel, f.first_touch_at, f.last_event_at,
              CASE WHEN q.id IS NOT NULL THEN json_build_object('id', q.id, 'name', q.name) END,
              f.lived_wait_s, f.queue_wait_s, f.outcome, NULL, NULL, NULL, NULL, f.contact_id, NULL
         FROM contact_facts f LEFT JOIN queues q ON q.id = f.queue_id
        WHERE f.account_id = $1 AND f.who = ANY($3::text[]) AND f.conversation_id IS NULL AND f.contact_id NOT LIKE 'callback:%'
       UNION ALL
       SELECT 'callback', 'phone', cb.created_at, coalesce(cb.closed_at, cb.made_at),
              CASE WHEN q.id IS NOT NULL THEN json_build_object('id', q.id, 'name', q.name) END,
              f.lived_wait_s, f.queue_wait_s, f.outcome, NULL, NULL, NULL, NULL, 'callback:' || cb.id,
              json_build_object('id', cb.id, 'status', cb.status, 'closedBy', cb.closed_by, 'dueAt', cb.due_at, 'attempts', cb.attempts, 'outcome', cb.outcome,
                                'breached', cb.breached_at IS NOT NULL, 'call', cb.contact_id)
         FROM callbacks cb LEFT JOIN queues q ON q.id = cb.queue_id
         LEFT JOIN contact_facts f ON f.account_id = cb.account_id AND f.contact_id = 'callback:' || cb.id
        WHERE cb.account_id = $1 AND (cb.customer_id = $2 OR cb.phone = ANY($4::text[]))
     ) t ORDER BY at DESC, kind LIMIT $5`,
    [p.accountId, customer.id, who, (customer.identities as { kind: string; value: string }[]).filter((i) => i.kind === 'phone').map((i) => i.value), limit],
  );
  const items = r.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (v !== null || ['queue', 'livedWaitSeconds', 'queueWaitSeconds', 'outcome', 'lastAt'].includes(k)) out[k] = v;
    return out as unknown as TimelineItem;
  });
  return { customerId: customer.id, items };
}

/** A bounce report said mail to this address failed (email channel): agents see it on the customer's identity. */
export async function markEmailBounced(tx: Tx, accountId: string, address: string, at: Date, reason: string) {
  await tx.query(
    `UPDATE customer_identities SET bounced_at = $3, bounce_reason = $4 WHERE account_id = $1 AND kind = 'email' AND value = $2`,
    [accountId, address, at, reason],
  );
}
