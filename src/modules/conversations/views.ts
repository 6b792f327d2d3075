/** The inbox: views, sorting, filters, full-text search and the view counts. */
import type { Ctx, Principal } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { invalid, isUuid } from '../../platform/errors.js';
import { CONV_COLS } from './read.js';
import { normTag, PRIORITIES, STATUSES } from './shared.js';

/**
 * The inbox views. `open` is everything not solved or closed; `mine` and `unassigned` are the open ones of the caller
 * or of nobody; `sla_at_risk` the open (not pending) ones whose first reply (not yet given) or next reply is due within
 * the hour or overdue; `waiting` the pending ones (waiting on the customer); `all` leaves the status alone.
 */
export const VIEWS = ['all', 'open', 'mine', 'unassigned', 'sla_at_risk', 'waiting'] as const;
export type View = (typeof VIEWS)[number];
export const SORTS = ['activity', 'oldest', 'due', 'priority', 'number'] as const;
export type Sort = (typeof SORTS)[number];
/** How far ahead a due reply counts as "at risk". */
export const SLA_RISK_MS = 60 * 60_000;

const OPEN_SQL = `c.status NOT IN ('solved', 'closed')`;
/** SQL for a view; $1 is the account, `me` and `soon` are parameter placeholders for the user and the risk horizon. */
function viewSql(view: View, me: string, soon: string): string {
  switch (view) {
    case 'all':
      return 'TRUE';
    case 'open':
      return OPEN_SQL;
    case 'mine':
      return `${OPEN_SQL} AND c.assignee_id = ${me}`;
    case 'unassigned':
      return `${OPEN_SQL} AND c.assignee_id IS NULL`;
    case 'waiting':
      return `c.status = 'pending'`;
    case 'sla_at_risk':
      return `c.status IN ('new', 'open', 'on_hold') AND ((c.first_replied_at IS NULL AND c.first_reply_due_at <= ${soon})
              OR c.next_reply_due_at <= ${soon})`;
  }
}
const SORT_SQL: Record<Sort, string> = {
  activity: 'c.last_message_at DESC, c.number DESC',
  oldest: 'c.last_message_at ASC, c.number ASC',
  due: `least(CASE WHEN c.first_replied_at IS NULL THEN c.first_reply_due_at END, c.next_reply_due_at) ASC NULLS LAST, c.number ASC`,
  priority: `array_position(ARRAY['urgent', 'high', 'normal', 'low']::text[], c.priority), c.last_message_at DESC, c.number DESC`,
  number: 'c.number DESC',
};

export interface ListFilter {
  view?: string;
  sort?: string;
  status?: string;
  queue?: string;
  assignee?: string;
  customer?: string;
  tag?: string;
  channel?: string;
  priority?: string;
  q?: string;
  /** One conversation by its number (the merge picker's "#123"). */
  number?: number;
  limit: number;
  offset: number;
}

/**
 * Lists conversations, newest activity first. `q` is full-text search over subjects and message texts with the
 * English, German and Norwegian stemmers (and plain words), so "gewartet" finds "warten" and "ventet" finds "vente".
 */
export async function listConversations(ctx: Ctx, p: Principal, f: ListFilter) {
  requireCap(p, 'conversations');
  const statuses = f.status ? f.status.split(',').map((s) => s.trim()) : null;
  for (const s of statuses ?? []) if (!(STATUSES as readonly string[]).includes(s)) throw invalid('status', `unknown status '${s}'`);
  if (f.priority && !(PRIORITIES as readonly string[]).includes(f.priority)) throw invalid('priority', `unknown priority '${f.priority}'`);
  let assignee: string | null = null;
  let unassigned = false;
  if (f.assignee === 'me') {
    if (!p.userId) throw invalid('assignee', "'me' needs a signed-in user, not an API token");
    assignee = p.userId;
  } else if (f.assignee === 'none') unassigned = true;
  else if (f.assignee) {
    if (!isUuid(f.assignee)) throw invalid('assignee', "use a user id, 'me' or 'none'");
    assignee = f.assignee;
  }
  if (f.queue && !isUuid(f.queue)) throw invalid('queue', 'must be a queue id');
  if (f.customer && !isUuid(f.customer)) throw invalid('customer', 'must be a customer id');
  const view = (f.view ?? 'all') as View;
  if (!(VIEWS as readonly string[]).includes(view)) throw invalid('view', `unknown view '${f.view}' (one of ${VIEWS.join(', ')})`);
  if (view === 'mine' && !p.userId) throw invalid('view', "'mine' needs a signed-in user, not an API token");
  const sort = (f.sort ?? (view === 'sla_at_risk' ? 'due' : 'activity')) as Sort;
  if (!(SORTS as readonly string[]).includes(sort)) throw invalid('sort', `unknown sort '${f.sort}' (one of ${SORTS.join(', ')})`);
  const q = f.q?.trim() || null;
  const params = [p.accountId, statuses, f.queue ?? null, assignee, unassigned, f.tag ? normTag(f.tag) : null, f.channel ?? null,
    f.priority ?? null, f.customer ?? null, q, p.userId, new Date(ctx.now().getTime() + SLA_RISK_MS), f.number ?? null];
  // $11 and $12 are typed here even when the view does not use them (PostgreSQL refuses untyped unused parameters).
  const where = `c.account_id = $1 AND ($11::uuid IS NULL OR $12::timestamptz IS NULL OR TRUE) AND (${viewSql(view, '$11::uuid', '$12::timestamptz')})
    AND ($13::int IS NULL OR c.number = $13) AND ($2::text[] IS NULL OR c.status = ANY($2)) AND ($3::uuid IS NULL OR c.queue_id = $3)
    AND ($4::uuid IS NULL OR c.assignee_id = $4) AND (NOT $5 OR c.assignee_id IS NULL) AND ($6::text IS NULL OR $6 = ANY(c.tags))
    AND ($7::text IS NULL OR c.channel = $7) AND ($8::text IS NULL OR c.priority = $8) AND ($9::uuid IS NULL OR c.customer_id = $9)
    AND ($10::text IS NULL OR c.id IN (
      SELECT c2.id FROM conversations c2, tsq WHERE c2.account_id = $1 AND c2.subject_tsv @@ tsq.q
      UNION SELECT m.conversation_id FROM messages m, tsq WHERE m.account_id = $1 AND m.tsv @@ tsq.q))`;
  const tsq = `tsq AS (SELECT websearch_to_tsquery('english', coalesce($10, '')) || websearch_to_tsquery('german', coalesce($10, ''))
                               || websearch_to_tsquery('norwegian', coalesce($10, '')) || websearch_to_tsquery('simple', coalesce($10, '')) AS q)`;
  const [items, total] = await Promise.all([
    ctx.db.query(
      `WITH ${tsq} SELECT ${CONV_COLS},
              lm.text AS preview, lm.author_type AS "previewAuthorType", lm.author_user_id AS "previewAuthorId",
              (SELECT u.name FROM users u WHERE u.id = lm.author_user_id) AS "previewAuthorName",
              (SELECT u.name FROM users u WHERE u.id = c.assignee_id) AS "assigneeName",
              (SELECT qu.name FROM queues qu WHERE qu.id = c.queue_id) AS "queueName"
         FROM conversations c JOIN customers cu ON cu.id = c.customer_id
              -- The last message and who wrote it, so the row does not show an agent's words under the customer's name.
              LEFT JOIN LATERAL (SELECT left(m.text, 200) AS text, m.author_type, m.author_user_id FROM messages m
                                  WHERE m.conversation_id = c.id AND m.kind = 'message' ORDER BY m.created_at DESC, m.id DESC LIMIT 1) lm ON TRUE
        WHERE ${where}
        ORDER BY ${SORT_SQL[sort]} LIMIT $14 OFFSET $15`,
      [...params, f.limit, f.offset],
    ),
    ctx.db.query<{ n: number }>(`WITH ${tsq} SELECT count(*)::int AS n FROM conversations c WHERE ${where}`, params),
  ]);
  return { items: items.rows, total: total.rows[0].n, limit: f.limit, offset: f.offset, view, sort };
}

/** How many conversations each inbox view holds, and the open ones per queue (one statement). */
export async function viewCounts(ctx: Ctx, p: Principal) {
  requireCap(p, 'conversations');
  const soon = new Date(ctx.now().getTime() + SLA_RISK_MS);
  const cols = VIEWS.filter((v) => v !== 'mine' || p.userId).map((v) => `count(*) FILTER (WHERE ${viewSql(v, '$2::uuid', '$3::timestamptz')})::int AS "${v}"`);
  const [views, queues] = await Promise.all([
    ctx.db.query<Record<string, number>>(`SELECT ${cols.join(', ')} FROM conversations c WHERE c.account_id = $1 AND ($2::uuid IS NULL OR TRUE)`, [p.accountId, p.userId, soon]),
    ctx.db.query<{ id: string; name: string; open: number }>(
      `SELECT q.id, q.name, count(c.id) FILTER (WHERE ${OPEN_SQL})::int AS open
         FROM queues q LEFT JOIN conversations c ON c.queue_id = q.id AND c.account_id = q.account_id
        WHERE q.account_id = $1 GROUP BY q.id, q.name ORDER BY q.name`,
      [p.accountId],
    ),
  ]);
  return { views: { mine: 0, ...views.rows[0] }, queues: queues.rows, slaRiskMinutes: SLA_RISK_MS / 60_000 };
}

