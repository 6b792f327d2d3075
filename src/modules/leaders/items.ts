/** Drawn items: listed, prepared by the team, answered by the leader in the customer's channel, or handed back. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { AppError, conflict, forbidden, invalid, isUuid, notFound } from '../../platform/errors.js';
import { reply } from '../conversations/index.js';
import { customerTimeline } from '../customers/index.js';
import { satisfactionFor, type Satisfaction } from '../csat/index.js';
import { recordChange } from '../changes/index.js';
import { settingsOf, localDay, weekOf, weekCount } from './shared.js';

export interface ItemView {
  id: string;
  drawId: string;
  leaderId: string;
  leaderName: string;
  assigneeId: string;
  assigneeName: string;
  reason: 'cap' | 'absence' | null;
  conversationId: string;
  conversationNumber: number;
  subject: string;
  channel: string;
  conversationStatus: string;
  customerId: string;
  customerName: string | null;
  day: string;
  status: 'drawn' | 'prepared' | 'answered' | 'handed_back';
  summary: string | null;
  proposedAnswer: string | null;
  notes: string | null;
  preparedBy: string | null;
  preparedByName: string | null;
  preparedAt: Date | null;
  answerMessageId: string | null;
  answeredAt: Date | null;
  handBackReason: string | null;
  handedBackAt: Date | null;
  drawnAt: Date;
  followThrough?: FollowThrough | null;
}

export interface FollowThrough {
  customerReplied: boolean;
  customerRepliedAt: Date | null;
  conversationStatus: string;
  satisfaction: Satisfaction | null;
  /** From the draw to the leader's answer. */
  timeToAnswerSeconds: number;
}

const ITEM_SQL = `
  SELECT li.id, li.draw_id AS "drawId", li.leader_id AS "leaderId", lu.name AS "leaderName", li.assignee_id AS "assigneeId", au.name AS "assigneeName",
         li.reason, li.conversation_id AS "conversationId", c.number AS "conversationNumber", c.subject, c.channel, c.status AS "conversationStatus",
         li.customer_id AS "customerId", cu.name AS "customerName", to_char(li.day, 'YYYY-MM-DD') AS day, li.status, li.summary,
         li.proposed_answer AS "proposedAnswer", li.notes, li.prepared_by AS "preparedBy", pu.name AS "preparedByName", li.prepared_at AS "preparedAt",
         li.answer_message_id AS "answerMessageId", li.answered_at AS "answeredAt", li.hand_back_reason AS "handBackReason",
         li.handed_back_at AS "handedBackAt", li.drawn_at AS "drawnAt",
         (SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = li.conversation_id AND m.kind = 'message'
             AND m.author_type = 'customer' AND li.answered_at IS NOT NULL AND m.created_at > li.answered_at) AS "customerRepliedAt"
    FROM leader_items li JOIN users lu ON lu.id = li.leader_id JOIN users au ON au.id = li.assignee_id
    JOIN conversations c ON c.id = li.conversation_id JOIN customers cu ON cu.id = li.customer_id
    LEFT JOIN users pu ON pu.id = li.prepared_by`;

export async function listItemRows(
  tx: Tx, accountId: string, f: { drawId?: string; status?: string; leaderId?: string; assigneeId?: string; conversationId?: string; id?: string },
): Promise<ItemView[]> {
  const r = await tx.query<ItemView & { customerRepliedAt: Date | null }>(
    `${ITEM_SQL}
      WHERE li.account_id = $1 AND ($2::uuid IS NULL OR li.draw_id = $2) AND ($3::text IS NULL OR li.status = $3)
        AND ($4::uuid IS NULL OR li.leader_id = $4 OR li.assignee_id = $4) AND ($5::uuid IS NULL OR li.assignee_id = $5)
        AND ($6::uuid IS NULL OR li.conversation_id = $6) AND ($7::uuid IS NULL OR li.id = $7)
      ORDER BY li.day DESC, li.drawn_at DESC, c.number
      LIMIT 500`,
    [accountId, f.drawId ?? null, f.status ?? null, f.leaderId ?? null, f.assigneeId ?? null, f.conversationId ?? null, f.id ?? null],
  );
  const answered = r.rows.filter((i) => i.status === 'answered');
  const sat = answered.length ? await satisfactionFor(tx, accountId, answered.map((i) => i.conversationId)) : new Map<string, Satisfaction>();
  return r.rows.map(({ customerRepliedAt, ...i }) => ({
    ...i,
    followThrough: i.status === 'answered' && i.answeredAt
      ? {
          customerReplied: customerRepliedAt !== null,
          customerRepliedAt,
          conversationStatus: i.conversationStatus,
          satisfaction: sat.get(i.conversationId) ?? null,
          timeToAnswerSeconds: Math.round((new Date(i.answeredAt).getTime() - new Date(i.drawnAt).getTime()) / 1000),
        }
      : null,
  }));
}

const ITEM_STATUSES = ['drawn', 'prepared', 'answered', 'handed_back'];

export async function listItems(ctx: Ctx, p: Principal, f: { status?: string; leaderId?: string; conversationId?: string }) {
  requireCap(p, 'conversations');
  if (f.status !== undefined && !ITEM_STATUSES.includes(f.status)) throw invalid('status', `one of ${ITEM_STATUSES.join(', ')}`);
  if (f.leaderId !== undefined && !isUuid(f.leaderId)) throw invalid('leaderId', 'a user id');
  if (f.conversationId !== undefined && !isUuid(f.conversationId)) throw invalid('conversationId', 'a conversation id');
  return listItemRows(ctx.db, p.accountId, f);
}

async function itemRow(tx: Tx, p: Principal, id: string): Promise<ItemView> {
  if (!isUuid(id)) throw notFound('Leader request');
  const r = await listItemRows(tx, p.accountId, { id });
  if (!r[0]) throw notFound('Leader request');
  return r[0];
}

/** The preparation view: the item, the conversation's messages with listening findings, and the customer's journey. */
export async function getItem(ctx: Ctx, p: Principal, id: string) {
  requireCap(p, 'conversations');
  const item = await itemRow(ctx.db, p, id);
  const m = await ctx.db.query(
    `SELECT m.id, m.kind, m.direction, m.author_type AS "authorType", coalesce(u.name, cu.name) AS "authorName", m.text, m.language, m.created_at AS "createdAt",
            CASE WHEN f.message_id IS NOT NULL THEN json_build_object('lang', f.lang, 'urgency', f.urgency, 'abuse', f.abuse, 'threat', f.threat,
                 'waitComplaint', f.wait_complaint, 'waitMinutes', f.wait_minutes, 'sentiment', f.sentiment) END AS findings
       FROM messages m LEFT JOIN users u ON u.id = m.author_user_id LEFT JOIN customers cu ON cu.id = m.author_customer_id
       LEFT JOIN message_findings f ON f.message_id = m.id
      WHERE m.conversation_id = $1 ORDER BY m.created_at, m.id`,
    [item.conversationId],
  );
  const journey = await customerTimeline(ctx, p, item.customerId, 20);
  return { ...item, messages: m.rows, journey: journey.items };
}

/** A team member (not the leader, not whoever answers it) prepares a drawn item: summary, proposed answer, notes. */
export async function prepare(ctx: Ctx, p: Principal, id: string, input: { summary: string; proposedAnswer: string; notes?: string }) {
  requireCap(p, 'conversations');
  if (p.role === 'leader') throw forbidden('Preparing requests is the team’s work (agents, supervisors), not a leader’s');
  const summary = input.summary?.trim();
  const proposed = input.proposedAnswer?.trim();
  if (!summary) throw invalid('summary', 'required');
  if (!proposed) throw invalid('proposedAnswer', 'required');
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ leader_id: string; assignee_id: string; status: string }>(
      'SELECT leader_id, assignee_id, status FROM leader_items WHERE id = $1 AND account_id = $2 FOR UPDATE',
      [isUuid(id) ? id : null, p.accountId],
    );
    const it = r.rows[0];
    if (!it) throw notFound('Leader request');
    if (p.userId && (p.userId === it.leader_id || p.userId === it.assignee_id))
      throw forbidden('The leader (or deputy) who answers a request does not prepare it: a team member does');
    if (!['drawn', 'prepared'].includes(it.status)) throw conflict('leader_item_closed', `This request is ${it.status} already`);
    await tx.query(
      `UPDATE leader_items SET status = 'prepared', summary = $2, proposed_answer = $3, notes = $4, prepared_by = $5, prepared_at = $6 WHERE id = $1`,
      [id, summary, proposed, input.notes?.trim() || null, p.userId, ctx.now()],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'leader.item_prepared', target: { type: 'leader_item', id }, data: { again: it.status === 'prepared' } },
      change: { type: 'feature.changed', feature: 'leaders' },
    });
    return itemRow(tx, p, id);
  });
}

/**
 * The leader (or the deputy it went to) answers in their own name: the conversation service's reply() with their
 * principal, so the message is theirs and goes out through the customer's channel. The item changes in the same
 * transaction as the reply (afterWrite), so a refused item sends nothing.
 */
export async function answer(ctx: Ctx, p: Principal, id: string, input: { text: string }) {
  requireCap(p, 'conversations');
  const text = input.text?.trim();
  if (!text) throw invalid('text', 'required');
  const item = await itemRow(ctx.db, p, id);
  if (!p.userId || p.userId !== item.assigneeId) throw forbidden('Only the leader this request is assigned to answers it, in their own name');
  if (item.status !== 'prepared') throw conflict('leader_item_not_prepared', item.status === 'drawn' ? 'This request is still being prepared by the team' : `This request is ${item.status} already`);
  const msg = await reply(ctx, p, item.conversationId, { text }, {
    afterWrite: async (tx, ids) => {
      const r = await tx.query<{ status: string }>('SELECT status FROM leader_items WHERE id = $1 FOR UPDATE', [id]);
      if (r.rows[0]?.status !== 'prepared') throw conflict('leader_item_not_prepared', `This request is ${r.rows[0]?.status} already`);
      await tx.query(`UPDATE leader_items SET status = 'answered', answer_message_id = $2, answered_at = $3 WHERE id = $1`, [id, ids.messageId, ctx.now()]);
      await recordChange(tx, p, ctx.now(), {
        audit: { action: 'leader.item_answered', target: { type: 'leader_item', id }, data: { conversationId: item.conversationId, messageId: ids.messageId, edited: text !== item.proposedAnswer } },
        change: { type: 'feature.changed', feature: 'leaders' },
      });
    },
  });
  return { item: await itemRow(ctx.db, p, id), message: msg };
}

/** The leader hands a request back to the team (the team keeps the conversation), with a reason. */
export async function handBack(ctx: Ctx, p: Principal, id: string, input: { reason: string }) {
  requireCap(p, 'conversations');
  const reason = input.reason?.trim();
  if (!reason) throw invalid('reason', 'say why the team keeps this one');
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ assignee_id: string; status: string; conversation_id: string }>(
      'SELECT assignee_id, status, conversation_id FROM leader_items WHERE id = $1 AND account_id = $2 FOR UPDATE',
      [isUuid(id) ? id : null, p.accountId],
    );
    const it = r.rows[0];
    if (!it) throw notFound('Leader request');
    if (!p.userId || p.userId !== it.assignee_id) throw forbidden('Only the leader this request is assigned to hands it back');
    if (!['drawn', 'prepared'].includes(it.status)) throw conflict('leader_item_closed', `This request is ${it.status} already`);
    await tx.query(`UPDATE leader_items SET status = 'handed_back', hand_back_reason = $2, handed_back_at = $3 WHERE id = $1`, [id, reason, ctx.now()]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'leader.item_handed_back', target: { type: 'leader_item', id }, data: { conversationId: it.conversation_id, reason } },
      change: { type: 'feature.changed', feature: 'leaders' },
    });
    return itemRow(tx, p, id);
  });
}

/** The signed-in leader's (or deputy's) day: prepared requests to answer, and the ones the team is still preparing. */
export async function today(ctx: Ctx, p: Principal) {
  requireCap(p, 'conversations');
  if (!p.userId) throw new AppError('user_required', 'Today’s requests belong to a signed-in user, not an API token', 400);
  const open = [...(await listItemRows(ctx.db, p.accountId, { assigneeId: p.userId, status: 'prepared' }))];
  const details = [];
  for (const i of open) details.push(await getItem(ctx, p, i.id));
  const drawn = await listItemRows(ctx.db, p.accountId, { assigneeId: p.userId, status: 'drawn' });
  const answered = (await listItemRows(ctx.db, p.accountId, { assigneeId: p.userId, status: 'answered' })).slice(0, 20);
  const s = await settingsOf(ctx.db, p.accountId, p.userId);
  const tz = s?.timezone ?? 'UTC';
  const week = weekOf(localDay(ctx.now(), tz));
  return {
    prepared: details,
    beingPrepared: drawn.map((i) => ({ id: i.id, conversationNumber: i.conversationNumber, subject: i.subject, channel: i.channel, day: i.day })),
    answered,
    week: { week, count: await weekCount(ctx.db, p.userId, week), cap: s?.weeklyCap ?? null },
  };
}


export function listItemsForDigest(tx: Tx, accountId: string, leaderId: string) {
  return listItemRows(tx, accountId, { assigneeId: leaderId });
}
