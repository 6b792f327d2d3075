/** Reading one conversation (with messages and viewers), one message, one attachment. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { isUuid, notFound } from '../../platform/errors.js';

export const CONV_COLS = `c.id, c.number, c.subject, c.status, c.priority, c.channel, c.queue_id AS "queueId",
  c.assignee_id AS "assigneeId", c.customer_id AS "customerId", c.tags, c.custom_fields AS "customFields", c.language,
  c.merged_into AS "mergedInto", c.split_from AS "splitFrom", c.automatic, c.follow_up_of AS "followUpOf",
  json_build_object('firstReplyDueAt', c.first_reply_due_at, 'nextReplyDueAt', c.next_reply_due_at,
                    'resolutionDueAt', c.resolution_due_at, 'firstRepliedAt', c.first_replied_at,
                    'breached', coalesce((SELECT json_agg(DISTINCT b.metric) FROM sla_breaches b WHERE b.conversation_id = c.id), '[]'),
                    'breaches', coalesce((SELECT json_agg(json_build_object('metric', b.metric, 'dueAt', b.due_at, 'breachedAt', b.breached_at,
                                                                            'detectedAt', b.detected_at) ORDER BY b.due_at, b.metric)
                                            FROM sla_breaches b WHERE b.conversation_id = c.id), '[]')) AS sla,
  EXISTS (SELECT 1 FROM message_findings f WHERE f.conversation_id = c.id AND f.threat) AS threat,
  c.solved_at AS "solvedAt", c.last_message_at AS "lastMessageAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  json_build_object('id', cu.id, 'name', cu.name, 'language', cu.language,
    'identities', coalesce((SELECT json_agg(json_build_object('kind', i.kind, 'value', i.value) ORDER BY i.kind, i.value)
                              FROM customer_identities i WHERE i.customer_id = cu.id), '[]')) AS customer`;

const MESSAGE_COLS = `m.id, m.kind, m.direction, m.author_type AS "authorType", m.author_user_id AS "authorUserId",
  m.author_customer_id AS "authorCustomerId", m.automatic, m.text, m.html, m.language, m.created_at AS "createdAt",
  EXISTS (SELECT 1 FROM email_messages e WHERE e.message_id = m.id AND e.quoted_text IS NOT NULL) AS "hasQuoted",
  coalesce((SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a.content_type, 'size', a.size)
                            ORDER BY a.created_at) FROM attachments a WHERE a.message_id = m.id), '[]') AS attachments`;

/** A conversation as the API shows it (see CONV_COLS for the fields). */
export type ConversationView = Record<string, any>;

export async function getConversation(ctx: Ctx, p: Principal, id: string, tx: Tx = ctx.db): Promise<ConversationView> {
  requireCap(p, 'conversations');
  if (!isUuid(id)) throw notFound('Conversation');
  // One round trip: the conversation with its messages and current viewers.
  const r = await tx.query(
    `SELECT ${CONV_COLS},
            coalesce((SELECT json_agg(x ORDER BY x."createdAt", x.id) FROM (SELECT ${MESSAGE_COLS} FROM messages m
                        WHERE m.conversation_id = c.id) x), '[]') AS messages,
            coalesce((SELECT json_agg(json_build_object('userId', v.user_id, 'name', u.name, 'mode', v.mode, 'expiresAt', v.expires_at)
                                      ORDER BY u.name)
                        FROM conversation_viewers v JOIN users u ON u.id = v.user_id
                       WHERE v.conversation_id = c.id AND v.expires_at > $3), '[]') AS viewers
       FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.account_id = $1 AND c.id = $2`,
    [p.accountId, id, ctx.now()],
  );
  if (!r.rows[0]) throw notFound('Conversation');
  return r.rows[0];
}

export async function getMessage(ctx: Ctx, p: Principal, id: string) {
  const r = await ctx.db.query(`SELECT ${MESSAGE_COLS}, m.conversation_id AS "conversationId" FROM messages m WHERE m.account_id = $1 AND m.id = $2`, [
    p.accountId,
    id,
  ]);
  if (!r.rows[0]) throw notFound('Message');
  return r.rows[0];
}

export async function getAttachment(ctx: Ctx, p: Principal, id: string) {
  requireCap(p, 'conversations');
  if (!isUuid(id)) throw notFound('Attachment');
  const r = await ctx.db.query<{ filename: string; content_type: string; content: Uint8Array }>(
    'SELECT filename, content_type, content FROM attachments WHERE account_id = $1 AND id = $2',
    [p.accountId, id],
  );
  if (!r.rows[0]) throw notFound('Attachment');
  return r.rows[0];
}

