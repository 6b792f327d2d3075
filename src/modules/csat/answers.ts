/** Answering: the survey page, the chat prompt, one store for every answer; and the survey state agents see. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap, systemPrincipal } from '../../platform/context.js';
import { AppError, invalid, isUuid, notFound } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { ct, scoreLabels } from './texts.js';
import { recordChange } from '../changes/index.js';
import { type SurveyRow, surveyByToken } from './tokens.js';

export const MAX_COMMENT = 5000;

/**
 * Writes the answer into the one store (conversation_ratings); the caller has checked who may answer. The portal's
 * rating form, the survey page and the chat prompt all write here: rated in one place, shown and changeable in all.
 */
export async function recordRating(tx: Tx, ctx: Ctx, accountId: string, conversationId: string, customerId: string, score: number, comment: string | null, source: 'survey' | 'chat' | 'portal') {
  if (!Number.isInteger(score) || score < 1 || score > 5) throw invalid('score', 'must be 1 to 5');
  if (comment && comment.length > MAX_COMMENT) throw invalid('comment', `at most ${MAX_COMMENT} characters`);
  const now = ctx.now();
  const prev = await tx.query<{ score: number }>('SELECT score FROM conversation_ratings WHERE conversation_id = $1 FOR UPDATE', [conversationId]);
  await tx.query(
    `INSERT INTO conversation_ratings (conversation_id, account_id, customer_id, score, comment, source, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (conversation_id) DO UPDATE SET score = EXCLUDED.score, comment = EXCLUDED.comment, source = EXCLUDED.source,
                                                 customer_id = EXCLUDED.customer_id,
                                                 updated_at = EXCLUDED.updated_at`,
    [conversationId, accountId, customerId, score, comment || null, source, now],
  );
  await recordChange(tx, systemPrincipal(accountId), ctx.now(), {
    audit: { action: prev.rows[0] ? 'conversation.rating_changed' : 'conversation.rated', target: { type: 'conversation', id: conversationId }, data: {
      score,
      source,
      ...(prev.rows[0] ? { from: prev.rows[0].score } : {}),
    } },
    change: { type: 'conversation.updated', conversationId },
  });
}

export interface SurveyView {
  accountId: string;
  accountName: string;
  accountSlug: string;
  language: Locale;
  question: string;
  number: number;
  subject: string;
  expiresAt: Date;
  answer: { score: number; comment: string | null } | null;
}

export class SurveyError extends AppError {
  constructor(readonly reason: 'bad' | 'expired') {
    super(reason === 'bad' ? 'not_found' : 'expired', reason === 'bad' ? 'Survey link not valid' : 'Survey link expired', reason === 'bad' ? 404 : 410);
  }
}

async function viewOf(tx: Tx, ctx: Ctx, token: string): Promise<{ s: SurveyRow; view: SurveyView }> {
  const s = await surveyByToken(tx, token);
  if (!s) throw new SurveyError('bad');
  if (new Date(s.expires_at) <= ctx.now()) throw new SurveyError('expired');
  const r = await tx.query<{ number: number; subject: string; name: string; slug: string; score: number | null; comment: string | null }>(
    `SELECT c.number, c.subject, a.name, a.slug, r.score, r.comment
       FROM conversations c JOIN accounts a ON a.id = c.account_id LEFT JOIN conversation_ratings r ON r.conversation_id = c.id
      WHERE c.id = $1`,
    [s.conversation_id],
  );
  const c = r.rows[0];
  if (!c) throw new SurveyError('bad');
  return {
    s,
    view: {
      accountId: s.account_id, accountName: c.name, accountSlug: c.slug, language: s.language, question: s.question, number: c.number,
      subject: c.subject, expiresAt: new Date(s.expires_at), answer: c.score ? { score: c.score, comment: c.comment } : null,
    },
  };
}

/** What the survey page shows (GET: never records anything, so mail scanners that prefetch links change nothing). */
export async function surveyPage(ctx: Ctx, token: string): Promise<SurveyView> {
  return (await viewOf(ctx.db, ctx, token)).view;
}

/** The customer's answer from the survey page (POST); can be changed until the link expires. */
export async function answerSurvey(ctx: Ctx, token: string, score: number, comment: string | null): Promise<SurveyView> {
  return ctx.db.transaction(async (tx) => {
    const { s } = await viewOf(tx, ctx, token);
    await recordRating(tx, ctx, s.account_id, s.conversation_id, s.customer_id, score, comment, 'survey');
    return (await viewOf(tx, ctx, token)).view;
  });
}

export interface ChatPrompt {
  conversationId: string;
  question: string;
  language: Locale;
  labels: string[];
  thanks: string;
  /** Texts for the widget's comment box and button, in the survey's language. */
  commentLabel: string;
  sendLabel: string;
  expiresAt: string;
}

/** The pending survey prompt of a chat (route 'chat', unanswered, not expired), or null. */
export async function chatPrompt(ctx: Ctx, conversationId: string): Promise<ChatPrompt | null> {
  if (!isUuid(conversationId)) return null;
  const r = await ctx.db.query<SurveyRow>(
    `SELECT s.* FROM csat_surveys s WHERE s.conversation_id = $1 AND s.route = 'chat' AND s.expires_at > $2
        AND NOT EXISTS (SELECT 1 FROM conversation_ratings r WHERE r.conversation_id = s.conversation_id)`,
    [conversationId, ctx.now()],
  );
  const s = r.rows[0];
  if (!s) return null;
  return {
    conversationId, question: s.question, language: s.language, labels: scoreLabels(s.language), thanks: ct(s.language, 'chat_thanks'),
    commentLabel: ct(s.language, 'page_comment'), sendLabel: ct(s.language, 'page_send'), expiresAt: new Date(s.expires_at).toISOString(),
  };
}

/** A chat visitor's answer to the prompt: only for the visitor session's own chat that has a chat survey. */
export async function answerChat(ctx: Ctx, sessionId: string, conversationId: string | null, score: unknown, comment: unknown) {
  if (!conversationId) throw new AppError('no_survey', 'There is no survey to answer in this chat', 409);
  if (comment !== undefined && comment !== null && typeof comment !== 'string') throw invalid('comment', 'must be text');
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<SurveyRow>(
      `SELECT s.* FROM csat_surveys s JOIN chat_conversations cc ON cc.conversation_id = s.conversation_id
        WHERE s.conversation_id = $1 AND cc.session_id = $2 AND s.route = 'chat'`,
      [conversationId, sessionId],
    );
    const s = r.rows[0];
    if (!s) throw new AppError('no_survey', 'There is no survey to answer in this chat', 409);
    if (new Date(s.expires_at) <= ctx.now()) throw new AppError('expired', 'This survey has expired', 410);
    await recordRating(tx, ctx, s.account_id, s.conversation_id, s.customer_id, Number(score), ((comment as string | undefined) ?? '').trim() || null, 'chat');
    return { conversationId, score: Number(score), thanks: ct(s.language, 'chat_thanks') };
  });
}

// ---------------------------------------------------------------- agents: the state of one conversation

export async function conversationState(ctx: Ctx, p: Principal, conversationId: string) {
  requireCap(p, 'conversations');
  if (!isUuid(conversationId)) throw notFound('Conversation');
  const r = await ctx.db.query<any>(
    `SELECT c.id,
            (SELECT json_build_object('route', s.route, 'language', s.language, 'sentAt', s.sent_at, 'remindedAt', s.reminded_at,
                    'expiresAt', s.expires_at, 'question', s.question) FROM csat_surveys s WHERE s.conversation_id = c.id) AS survey,
            (SELECT json_build_object('score', r.score, 'comment', r.comment, 'source', r.source, 'at', r.updated_at)
               FROM conversation_ratings r WHERE r.conversation_id = c.id) AS answer
       FROM conversations c WHERE c.account_id = $1 AND c.id = $2`,
    [p.accountId, conversationId],
  );
  if (!r.rows[0]) throw notFound('Conversation');
  const { survey, answer } = r.rows[0];
  return { conversationId, survey: survey ?? null, answer: answer ?? null };
}
