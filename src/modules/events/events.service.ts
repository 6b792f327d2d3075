/**
 * The contact event log: every touch of a customer, written once and never changed (a trigger refuses UPDATE and
 * DELETE). Services append events in the same transaction as the change they record.
 */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { invalid, isUuid } from '../../platform/errors.js';
import { isTimeZone } from '../../platform/business-hours.js';
import { CONTACT_EVENT_TYPES } from './vocabulary.js';

/** The shared vocabulary every channel writes (journeys issue), plus the help-desk changes of a conversation. */
export { CONTACT_EVENT_TYPES };
export const CONVERSATION_EVENT_TYPES = [
  'message.received',
  'note.added',
  'conversation.assigned',
  'conversation.status_changed',
  'conversation.priority_changed',
  'conversation.queue_changed',
  'conversation.tagged',
  'conversation.fields_changed',
  'conversation.merged',
  'conversation.split',
  'sla.breached',
  'customer.merged',
] as const;
/**
 * A projection of contact events kept in the appending transaction (journeys' contact facts). The events module knows
 * nothing of what is projected: the journeys module registers its projection when it is loaded (journeys.module.ts,
 * which the registry loads in every process), and `appendEvents` refuses contact events while none is registered,
 * so a process that forgot the registry fails loudly instead of leaving journeys behind.
 */
export type ContactProjection = (tx: Tx, accountId: string, contactIds: string[]) => Promise<unknown>;
const projections: ContactProjection[] = [];
export function onContactEvents(projection: ContactProjection): void {
  if (!projections.includes(projection)) projections.push(projection);
}

export const EVENT_TYPES: readonly string[] = [...CONTACT_EVENT_TYPES, ...CONVERSATION_EVENT_TYPES];
export const CHANNELS = ['email', 'chat', 'web', 'phone', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface NewEvent {
  accountId: string;
  contactId: string;
  type: string;
  channel: string;
  occurredAt: Date;
  conversationId?: string | null;
  customerId?: string | null;
  identity?: string | null;
  queueId?: string | null;
  agentId?: string | null;
  source?: string;
  dedupeKey?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Bulk append through one `INSERT … SELECT FROM unnest(…)`: one round trip for any number of events.
 * Events with a dedupe key that is already stored are skipped (re-imports add nothing). Returns how many were added.
 * Contacts that received contact-vocabulary events get their facts (lived waits, journeys) recomputed in the same
 * transaction.
 */
export async function appendEvents(tx: Tx, events: NewEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const cols = {
    account: [] as string[],
    contact: [] as string[],
    type: [] as string[],
    channel: [] as string[],
    at: [] as string[],
    conv: [] as (string | null)[],
    cust: [] as (string | null)[],
    ident: [] as (string | null)[],
    queue: [] as (string | null)[],
    agent: [] as (string | null)[],
    source: [] as string[],
    dedupe: [] as (string | null)[],
    data: [] as string[],
  };
  for (const e of events) {
    cols.account.push(e.accountId);
    cols.contact.push(e.contactId);
    cols.type.push(e.type);
    cols.channel.push(e.channel);
    cols.at.push(e.occurredAt.toISOString());
    cols.conv.push(e.conversationId ?? null);
    cols.cust.push(e.customerId ?? null);
    cols.ident.push(e.identity ?? null);
    cols.queue.push(e.queueId ?? null);
    cols.agent.push(e.agentId ?? null);
    cols.source.push(e.source ?? 'earshot');
    cols.dedupe.push(e.dedupeKey ?? null);
    cols.data.push(JSON.stringify(e.data ?? {}));
  }
  // The insert reports, per contact, how many events were new and whether any is in the contact vocabulary: those
  // contacts' facts (journeys, lived waits) are recomputed in this same transaction.
  const r = await tx.query<{ account_id: string; contact_id: string; n: number; contact: boolean }>(
    `WITH ins AS (
       INSERT INTO contact_events (account_id, contact_id, type, channel, occurred_at, conversation_id, customer_id,
                                   identity, queue_id, agent_id, source, dedupe_key, data)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::uuid[], $7::uuid[],
                            $8::text[], $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::jsonb[])
       ON CONFLICT (account_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
       RETURNING account_id, contact_id, type)
     SELECT account_id, contact_id, count(*)::int AS n, bool_or(type = ANY($14::text[])) AS contact
       FROM ins GROUP BY account_id, contact_id`,
    [cols.account, cols.contact, cols.type, cols.channel, cols.at, cols.conv, cols.cust, cols.ident, cols.queue,
     cols.agent, cols.source, cols.dedupe, cols.data, CONTACT_EVENT_TYPES],
  );
  let added = 0;
  const touched = new Map<string, string[]>();
  for (const row of r.rows) {
    added += row.n;
    if (!row.contact) continue;
    const list = touched.get(row.account_id) ?? [];
    list.push(row.contact_id);
    touched.set(row.account_id, list);
  }
  if (touched.size && !projections.length) throw new Error('contact events appended with no projection registered: load the module registry (src/modules/index.ts)');
  for (const [accountId, ids] of touched) for (const project of projections) await project(tx, accountId, ids);
  return added;
}

export interface IngestEvent {
  contactId: string;
  type: string;
  channel: string;
  occurredAt: string;
  customerId?: string;
  identity?: string;
  queueId?: string;
  agentId?: string;
  dedupeKey?: string;
  data?: Record<string, unknown>;
}

/** Events from outside (telephony, other systems): validated as a whole batch before anything is written. */
export async function ingestEvents(ctx: Ctx, p: Principal, events: IngestEvent[]) {
  requireCap(p, 'manage');
  const rows: NewEvent[] = events.map((e, i) => {
    if (!EVENT_TYPES.includes(e.type)) throw invalid(`events/${i}/type`, `unknown event type '${e.type}'`);
    if (!(CHANNELS as readonly string[]).includes(e.channel))
      throw invalid(`events/${i}/channel`, `unknown channel '${e.channel}'`);
    const at = new Date(e.occurredAt);
    if (Number.isNaN(at.getTime())) throw invalid(`events/${i}/occurredAt`, `not a date-time: '${e.occurredAt}'`);
    if (e.data?.tz !== undefined && !isTimeZone(e.data.tz))
      throw invalid(`events/${i}/data/tz`, `'${String(e.data.tz)}' is not a time zone (use an IANA name such as Europe/Oslo)`);
    for (const f of ['customerId', 'queueId', 'agentId'] as const)
      if (e[f] !== undefined && !isUuid(e[f])) throw invalid(`events/${i}/${f}`, 'must be a uuid');
    return {
      accountId: p.accountId,
      contactId: e.contactId,
      type: e.type,
      channel: e.channel,
      occurredAt: at,
      customerId: e.customerId,
      identity: e.identity,
      queueId: e.queueId,
      agentId: e.agentId,
      dedupeKey: e.dedupeKey,
      source: 'api',
      data: e.data,
    };
  });
  const added = await ctx.db.transaction(async (tx) => {
    // Foreign ids are checked against the caller's account so nobody can attach events to another tenant's rows.
    await assertOwned(tx, p.accountId, 'queues', rows.map((r) => r.queueId), 'queueId');
    await assertOwned(tx, p.accountId, 'users', rows.map((r) => r.agentId), 'agentId');
    await assertOwned(tx, p.accountId, 'customers', rows.map((r) => r.customerId), 'customerId');
    return appendEvents(tx, rows);
  });
  return { received: rows.length, added, duplicates: rows.length - added };
}

async function assertOwned(tx: Tx, accountId: string, table: string, ids: (string | null | undefined)[], field: string) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return;
  const r = await tx.query<{ id: string }>(`SELECT id FROM ${table} WHERE account_id = $1 AND id = ANY($2::uuid[])`, [
    accountId,
    wanted,
  ]);
  const found = new Set(r.rows.map((x) => x.id));
  const missing = wanted.find((id) => !found.has(id));
  if (missing) throw invalid(`events/*/${field}`, `unknown ${field} ${missing}`);
}

const EVENT_COLS = `id, contact_id AS "contactId", type, channel, occurred_at AS "occurredAt", recorded_at AS "recordedAt",
  conversation_id AS "conversationId", customer_id AS "customerId", identity, queue_id AS "queueId",
  agent_id AS "agentId", source, data`;

export async function listEvents(
  ctx: Ctx,
  p: Principal,
  f: { conversationId?: string; contactId?: string; customerId?: string; type?: string; after?: number; limit: number },
) {
  const r = await ctx.db.query(
    `SELECT ${EVENT_COLS} FROM contact_events
      WHERE account_id = $1 AND ($2::uuid IS NULL OR conversation_id = $2) AND ($3::text IS NULL OR contact_id = $3)
        AND ($4::uuid IS NULL OR customer_id = $4) AND ($5::text IS NULL OR type = $5) AND ($6::bigint IS NULL OR id > $6)
      ORDER BY id LIMIT $7`,
    [p.accountId, f.conversationId ?? null, f.contactId ?? null, f.customerId ?? null, f.type ?? null, f.after ?? null, f.limit],
  );
  return r.rows;
}
