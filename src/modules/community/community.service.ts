/**
 * Crowd service (issue 7): customers ask and answer each other in a public community.
 *
 * - Reading is public; posting needs a portal session and a display name (a member).
 * - Every post is analysed with the listening analyser: abuse and threats are held for a moderator; criticism is
 *   never held, and a moderator's removal of a post classified as criticism is refused (`criticism_protected`) and
 *   audited. Members under an active ban (respect's `activeMeasures`) cannot post.
 * - Agents verify answers; a verified answer can become a draft knowledge-base article.
 * - Points: 10 per verified answer, 1 per helpful vote from another member (one per member per answer, never on
 *   one's own). Badges follow the points.
 */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap, systemPrincipal } from '../../platform/context.js';
import { AppError, conflict, invalid, isUuid, notFound } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { analyze } from '../listening/index.js';
import { activeMeasures } from '../respect/index.js';
import { createArticleTx } from '../knowledge/index.js';
import { recordChange } from '../changes/index.js';

export const POINTS_VERIFIED = 10;
export const POINTS_HELPFUL = 1;
export type Badge = 'expert' | 'helper' | 'contributor';
export const badgeFor = (points: number): Badge | null => (points >= 30 ? 'expert' : points >= 10 ? 'helper' : points >= 1 ? 'contributor' : null);

export interface Member { id: string; displayName: string; points: number; badge: Badge | null }

/** Points of members, computed from verified answers and others' helpful votes (visible answers only). */
const POINTS = `(${POINTS_VERIFIED} * (SELECT count(*) FROM community_posts a WHERE a.member_id = m.id AND a.kind = 'answer' AND a.status = 'visible' AND a.verified_at IS NOT NULL)
  + ${POINTS_HELPFUL} * (SELECT count(*) FROM community_votes v JOIN community_posts a ON a.id = v.answer_id
                          WHERE a.member_id = m.id AND a.status = 'visible' AND v.member_id <> m.id))::int`;

const member = (r: { id: string; display_name: string; points: number }): Member => ({
  id: r.id, displayName: r.display_name, points: Number(r.points), badge: badgeFor(Number(r.points)),
});

export async function memberFor(db: Tx, accountId: string, customerId: string): Promise<Member | null> {
  const r = await db.query<{ id: string; display_name: string; points: number }>(
    `SELECT m.id, m.display_name, ${POINTS} AS points FROM community_members m WHERE m.account_id = $1 AND m.customer_id = $2`,
    [accountId, customerId],
  );
  return r.rows[0] ? member(r.rows[0]) : null;
}

/** Refuses a customer under an active ban. */
async function assertMayPost(tx: Tx, accountId: string, customerId: string, now: Date) {
  const measures = await activeMeasures(tx, accountId, customerId, now);
  const ban = measures.find((m) => m.kind === 'ban');
  if (ban) throw new AppError('banned', 'This member is banned and cannot post', 403, { until: ban.until });
}

/** Becomes a member with a display name (or changes it). */
export async function join(ctx: Ctx, accountId: string, customerId: string, displayName: string): Promise<Member> {
  const name = displayName.trim().replace(/\s+/g, ' ');
  if (name.length < 2 || name.length > 40) throw invalid('displayName', 'between 2 and 40 characters');
  const a = analyze(name);
  if (a.abuse === 'abuse' || a.threat) throw new AppError('name_refused', 'This display name is not allowed', 400, { field: 'displayName' });
  await ctx.db.transaction(async (tx) => {
    await assertMayPost(tx, accountId, customerId, ctx.now());
    const taken = await tx.query('SELECT 1 FROM community_members WHERE account_id = $1 AND lower(display_name) = lower($2) AND customer_id <> $3', [accountId, name, customerId]);
    if (taken.rows.length) throw conflict('name_taken', `The display name "${name}" is taken`, { field: 'displayName' });
    const r = await tx.query<{ id: string }>(
      `INSERT INTO community_members (account_id, customer_id, display_name, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id, customer_id) DO UPDATE SET display_name = excluded.display_name RETURNING id`,
      [accountId, customerId, name, ctx.now()],
    );
    await recordChange(tx, systemPrincipal(accountId), ctx.now(), {
      audit: { action: 'community.member.joined', target: { type: 'community_member', id: r.rows[0].id }, data: { customerId, displayName: name } },
    });
  });
  return (await memberFor(ctx.db, accountId, customerId))!;
}

export interface PostResult { id: string; status: 'visible' | 'held'; classification: string }

async function writePost(
  ctx: Ctx, accountId: string, customerId: string,
  post: { kind: 'question' | 'answer'; questionId?: string; title?: string; body: string },
): Promise<PostResult> {
  const body = post.body.trim();
  if (!body) throw invalid('body', 'write something');
  if (body.length > 10_000) throw invalid('body', 'at most 10,000 characters');
  if (post.kind === 'question') {
    const title = post.title?.trim() ?? '';
    if (title.length < 5 || title.length > 200) throw invalid('title', 'between 5 and 200 characters');
  }
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    await assertMayPost(tx, accountId, customerId, now);
    const m = await memberFor(tx, accountId, customerId);
    if (!m) throw new AppError('not_member', 'Choose a display name first', 403);
    if (post.kind === 'answer') {
      if (!isUuid(post.questionId)) throw notFound('Question');
      const q = await tx.query(`SELECT 1 FROM community_posts WHERE account_id = $1 AND id = $2 AND kind = 'question' AND status = 'visible'`, [accountId, post.questionId]);
      if (!q.rows.length) throw notFound('Question');
    }
    const text = post.title ? `${post.title.trim()}\n${body}` : body;
    const a = analyze(text);
    const held = a.abuse === 'abuse' || a.threat;
    const evidence = (a.threat ? a.threatEvidence : a.abuseEvidence)?.text ?? null;
    const r = await tx.query<{ id: string }>(
      `INSERT INTO community_posts (account_id, kind, question_id, member_id, title, body, lang, classification, threat, evidence, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [accountId, post.kind, post.questionId ?? null, m.id, post.title?.trim() ?? null, body, a.lang, a.abuse, a.threat, evidence, held ? 'held' : 'visible', now],
    );
    const id = r.rows[0].id;
    await recordChange(tx, systemPrincipal(accountId), ctx.now(), {
      audit: { action: held ? `community.${post.kind}.held` : `community.${post.kind}.posted`, target: { type: 'community_post', id }, data: {
        memberId: m.id, customerId, classification: a.abuse, threat: a.threat, evidence, lang: a.lang,
      } },
      change: { type: 'feature.changed', feature: 'community' },
    });
    return { id, status: held ? 'held' : 'visible', classification: a.abuse };
  });
}

export const ask = (ctx: Ctx, accountId: string, customerId: string, title: string, body: string) =>
  writePost(ctx, accountId, customerId, { kind: 'question', title, body });
export const answer = (ctx: Ctx, accountId: string, customerId: string, questionId: string, body: string) =>
  writePost(ctx, accountId, customerId, { kind: 'answer', questionId, body });

/** "This helped": once per member per answer; never on one's own answer. Answers whether the vote is new. */
export async function helpful(ctx: Ctx, accountId: string, customerId: string, answerId: string): Promise<{ counted: boolean; questionId: string }> {
  return ctx.db.transaction(async (tx) => {
    await assertMayPost(tx, accountId, customerId, ctx.now());
    const m = await memberFor(tx, accountId, customerId);
    if (!m) throw new AppError('not_member', 'Choose a display name first', 403);
    if (!isUuid(answerId)) throw notFound('Answer');
    const a = await tx.query<{ member_id: string; question_id: string }>(
      `SELECT member_id, question_id FROM community_posts WHERE account_id = $1 AND id = $2 AND kind = 'answer' AND status = 'visible'`,
      [accountId, answerId],
    );
    if (!a.rows[0]) throw notFound('Answer');
    if (a.rows[0].member_id === m.id) throw conflict('own_answer', 'You cannot mark your own answer as helpful');
    const r = await tx.query(
      `INSERT INTO community_votes (answer_id, member_id, account_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING answer_id`,
      [answerId, m.id, accountId, ctx.now()],
    );
    if (r.rows.length) await recordChange(tx, systemPrincipal(accountId), ctx.now(), {
      audit: { action: 'community.answer.helpful', target: { type: 'community_post', id: answerId }, data: { memberId: m.id } },
    });
    return { counted: r.rows.length > 0, questionId: a.rows[0].question_id };
  });
}

// ------------------------------------------------------------------------------------------------ reading

export interface QuestionItem {
  id: string; title: string; lang: string; author: string; createdAt: string; answers: number; verified: boolean;
}

/** Visible questions, newest first (unanswered first when asked), optionally a full-text search. */
export async function listQuestions(db: Tx, accountId: string, o: { q?: string; unanswered?: boolean; limit?: number } = {}): Promise<QuestionItem[]> {
  const q = o.q?.trim() || null;
  const r = await db.query<{ id: string; title: string; lang: string; author: string; created_at: Date; answers: number; verified: boolean }>(
    `WITH tsq AS (SELECT websearch_to_tsquery('english', coalesce($2, '')) || websearch_to_tsquery('german', coalesce($2, ''))
                      || websearch_to_tsquery('norwegian', coalesce($2, '')) || websearch_to_tsquery('simple', coalesce($2, '')) AS q)
     SELECT p.id, p.title, p.lang, m.display_name AS author, p.created_at,
            (SELECT count(*)::int FROM community_posts a WHERE a.question_id = p.id AND a.status = 'visible') AS answers,
            EXISTS (SELECT 1 FROM community_posts a WHERE a.question_id = p.id AND a.status = 'visible' AND a.verified_at IS NOT NULL) AS verified
       FROM community_posts p JOIN community_members m ON m.id = p.member_id, tsq
      WHERE p.account_id = $1 AND p.kind = 'question' AND p.status = 'visible'
        AND ($2::text IS NULL OR p.search @@ tsq.q
             OR EXISTS (SELECT 1 FROM community_posts a WHERE a.question_id = p.id AND a.status = 'visible' AND a.search @@ tsq.q))
      ORDER BY ${o.unanswered ? `(SELECT count(*) FROM community_posts a WHERE a.question_id = p.id AND a.status = 'visible') = 0 DESC,` : ''}
               CASE WHEN $2::text IS NULL THEN 0 ELSE ts_rank(p.search, tsq.q) END DESC, p.created_at DESC
      LIMIT $3`,
    [accountId, q, o.limit ?? 50],
  );
  return r.rows.map((x) => ({ id: x.id, title: x.title, lang: x.lang, author: x.author, createdAt: new Date(x.created_at).toISOString(), answers: Number(x.answers), verified: x.verified }));
}

export interface AnswerView {
  id: string; body: string; lang: string; author: Member; createdAt: string; helpful: number;
  verified: { by: string | null; at: string } | null; articleId: string | null; status: string; mine: boolean;
}
export interface QuestionView {
  id: string; title: string; body: string; lang: string; author: Member; createdAt: string; status: string; mine: boolean; answers: AnswerView[];
}

/**
 * A question with its answers (verified first, then most helpful). The public sees visible posts only; a member
 * also sees their own held posts (marked as waiting); agents (`all`) see every post.
 */
export async function getQuestion(db: Tx, accountId: string, id: string, o: { viewerMemberId?: string | null; all?: boolean } = {}): Promise<QuestionView> {
  if (!isUuid(id)) throw notFound('Question');
  const viewer = o.viewerMemberId ?? null;
  const r = await db.query<{
    id: string; kind: string; title: string | null; body: string; lang: string; status: string; created_at: Date; member_id: string;
    display_name: string; points: number; helpful: number; verified_at: Date | null; verifier: string | null; article_id: string | null;
  }>(
    `SELECT p.id, p.kind, p.title, p.body, p.lang, p.status, p.created_at, p.member_id, m.display_name, ${POINTS} AS points,
            (SELECT count(*)::int FROM community_votes v WHERE v.answer_id = p.id AND v.member_id <> p.member_id) AS helpful,
            p.verified_at, u.name AS verifier, p.article_id
       FROM community_posts p JOIN community_members m ON m.id = p.member_id LEFT JOIN users u ON u.id = p.verified_by
      WHERE p.account_id = $1 AND (p.id = $2 OR p.question_id = $2)
        AND ($3::boolean OR p.status = 'visible' OR (p.status = 'held' AND p.member_id = $4::uuid))
      ORDER BY p.kind DESC, p.verified_at IS NULL, helpful DESC, p.created_at`,
    [accountId, id, !!o.all, viewer],
  );
  const q = r.rows.find((x) => x.kind === 'question' && x.id === id);
  if (!q) throw notFound('Question');
  const author = (x: typeof q) => member({ id: x.member_id, display_name: x.display_name, points: x.points });
  return {
    id: q.id, title: q.title!, body: q.body, lang: q.lang, author: author(q), createdAt: new Date(q.created_at).toISOString(), status: q.status,
    mine: q.member_id === viewer,
    answers: r.rows.filter((x) => x.kind === 'answer').map((x) => ({
      id: x.id, body: x.body, lang: x.lang, author: author(x), createdAt: new Date(x.created_at).toISOString(), helpful: Number(x.helpful),
      verified: x.verified_at ? { by: x.verifier, at: new Date(x.verified_at).toISOString() } : null, articleId: x.article_id, status: x.status,
      mine: x.member_id === viewer,
    })),
  };
}

/** Members with the most points (ties: earlier members first). */
export async function topHelpers(db: Tx, accountId: string, limit = 10): Promise<Member[]> {
  const r = await db.query<{ id: string; display_name: string; points: number }>(
    `SELECT * FROM (SELECT m.id, m.display_name, m.created_at, ${POINTS} AS points FROM community_members m WHERE m.account_id = $1) x
      WHERE points > 0 ORDER BY points DESC, created_at LIMIT $2`,
    [accountId, limit],
  );
  return r.rows.map(member);
}

// ------------------------------------------------------------------------------------------------ agents

export interface ModerationItem {
  id: string; kind: string; questionId: string | null; questionTitle: string | null; title: string | null; body: string; lang: string;
  classification: string; threat: boolean; evidence: string | null; author: string; createdAt: string; status: string;
}

/** Held posts waiting for a moderator (oldest first). */
export async function heldPosts(ctx: Ctx, p: Principal): Promise<ModerationItem[]> {
  requireCap(p, 'conversations');
  const r = await ctx.db.query<any>(
    `SELECT p.id, p.kind, p.question_id, q.title AS question_title, p.title, p.body, p.lang, p.classification, p.threat, p.evidence,
            m.display_name AS author, p.created_at, p.status
       FROM community_posts p JOIN community_members m ON m.id = p.member_id LEFT JOIN community_posts q ON q.id = p.question_id
      WHERE p.account_id = $1 AND p.status = 'held' ORDER BY p.created_at LIMIT 200`,
    [p.accountId],
  );
  return r.rows.map((x) => ({
    id: x.id, kind: x.kind, questionId: x.question_id, questionTitle: x.question_title, title: x.title, body: x.body, lang: x.lang,
    classification: x.classification, threat: x.threat, evidence: x.evidence, author: x.author, createdAt: new Date(x.created_at).toISOString(), status: x.status,
  }));
}

async function lockPost(tx: Tx, accountId: string, id: string) {
  if (!isUuid(id)) throw notFound('Post');
  const r = await tx.query<{ id: string; kind: string; status: string; classification: string; threat: boolean; question_id: string | null; title: string | null; body: string; lang: string; verified_at: Date | null; article_id: string | null }>(
    `SELECT id, kind, status, classification, threat, question_id, title, body, lang, verified_at, article_id FROM community_posts WHERE account_id = $1 AND id = $2 FOR UPDATE`,
    [accountId, id],
  );
  if (!r.rows[0]) throw notFound('Post');
  return r.rows[0];
}

/** A held post becomes visible. */
export async function approve(ctx: Ctx, p: Principal, id: string): Promise<{ id: string; status: string }> {
  requireCap(p, 'conversations');
  return ctx.db.transaction(async (tx) => {
    const post = await lockPost(tx, p.accountId, id);
    if (post.status !== 'held') throw conflict('not_held', `This post is ${post.status}, not held`);
    await tx.query(`UPDATE community_posts SET status = 'visible', moderated_by = $2, moderated_at = $3 WHERE id = $1`, [id, p.userId, ctx.now()]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'community.post.approved', target: { type: 'community_post', id }, data: { classification: post.classification, threat: post.threat } },
      change: { type: 'feature.changed', feature: 'community' },
    });
    return { id, status: 'visible' };
  });
}

/**
 * A moderator removes a post, with a reason. Criticism is protected: a post the analyser classified as criticism
 * is never removed — the attempt is refused with `criticism_protected` and the refusal itself is audited.
 */
export async function remove(ctx: Ctx, p: Principal, id: string, reason: string): Promise<{ id: string; status: string }> {
  requireCap(p, 'conversations');
  const why = reason.trim();
  if (why.length < 3) throw invalid('reason', 'say why the post is removed (at least 3 characters)');
  const refused = await ctx.db.transaction(async (tx) => {
    const post = await lockPost(tx, p.accountId, id);
    if (post.classification === 'criticism' && !post.threat) {
      await recordChange(tx, p, ctx.now(), {
        audit: { action: 'community.post.remove_refused', target: { type: 'community_post', id }, data: { reason: why, classification: post.classification, code: 'criticism_protected' } },
      });
      return true;
    }
    if (post.status === 'removed') throw conflict('already_removed', 'This post is already removed');
    await tx.query(`UPDATE community_posts SET status = 'removed', moderated_by = $2, moderated_at = $3, moderation_reason = $4 WHERE id = $1`, [id, p.userId, ctx.now(), why]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'community.post.removed', target: { type: 'community_post', id }, data: { reason: why, classification: post.classification, threat: post.threat, was: post.status } },
      change: { type: 'feature.changed', feature: 'community' },
    });
    return false;
  });
  if (refused)
    throw conflict('criticism_protected', 'This post is criticism of the company or its products; criticism is protected and cannot be removed for being critical. The attempt was recorded.', { classification: 'criticism' });
  return { id, status: 'removed' };
}

/** An agent marks an answer as verified (correct and complete). */
export async function verify(ctx: Ctx, p: Principal, id: string): Promise<{ id: string; verifiedAt: string }> {
  requireCap(p, 'conversations');
  return ctx.db.transaction(async (tx) => {
    const post = await lockPost(tx, p.accountId, id);
    if (post.kind !== 'answer') throw invalid('id', 'only answers can be verified');
    if (post.status !== 'visible') throw conflict('not_visible', 'Only visible answers can be verified');
    if (post.verified_at) return { id, verifiedAt: new Date(post.verified_at).toISOString() };
    const now = ctx.now();
    await tx.query('UPDATE community_posts SET verified_by = $2, verified_at = $3 WHERE id = $1', [id, p.userId, now]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'community.answer.verified', target: { type: 'community_post', id }, data: { questionId: post.question_id } },
      change: { type: 'feature.changed', feature: 'community' },
    });
    return { id, verifiedAt: now.toISOString() };
  });
}

/**
 * A verified answer becomes a draft knowledge-base article: the question as title, the answer as body, in the
 * answer's language (the question's, or the account's when the analyser could not tell), the answer as its source.
 */
export async function promote(ctx: Ctx, p: Principal, id: string): Promise<{ articleId: string }> {
  requireCap(p, 'conversations');
  return ctx.db.transaction(async (tx) => {
    const post = await lockPost(tx, p.accountId, id);
    if (post.kind !== 'answer') throw invalid('id', 'only answers can be promoted');
    if (!post.verified_at || post.status !== 'visible') throw conflict('not_verified', 'Verify the answer before it becomes an article');
    if (post.article_id) throw conflict('already_promoted', 'This answer is already an article', { articleId: post.article_id });
    const q = await tx.query<{ title: string; lang: string }>('SELECT title, lang FROM community_posts WHERE id = $1', [post.question_id]);
    const acc = await tx.query<{ locale: Locale }>('SELECT locale FROM accounts WHERE id = $1', [p.accountId]);
    const ok = (l: string): l is Locale => l === 'en' || l === 'de' || l === 'nb';
    const lang: Locale = ok(post.lang) ? post.lang : ok(q.rows[0].lang) ? q.rows[0].lang : acc.rows[0]?.locale ?? 'en';
    const articleId = await createArticleTx(tx, p, { translations: { [lang]: { title: q.rows[0].title.slice(0, 200), body: post.body } } }, ctx.now(), { type: 'community_answer', id });
    await tx.query('UPDATE community_posts SET article_id = $2 WHERE id = $1', [id, articleId]);
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'community.answer.promoted', target: { type: 'community_post', id }, data: { articleId, lang } },
    });
    return { articleId };
  });
}

/** The agents' overview: unanswered questions, answers to verify, verified answers not yet articles, top helpers. */
export async function overview(ctx: Ctx, p: Principal) {
  requireCap(p, 'conversations');
  const unanswered = (await listQuestions(ctx.db, p.accountId, { unanswered: true, limit: 100 })).filter((q) => q.answers === 0);
  const r = await ctx.db.query<any>(
    `SELECT a.id, a.body, a.lang, a.verified_at, a.article_id, a.created_at, q.id AS question_id, q.title AS question_title, m.display_name AS author,
            (SELECT count(*)::int FROM community_votes v WHERE v.answer_id = a.id) AS helpful
       FROM community_posts a JOIN community_posts q ON q.id = a.question_id JOIN community_members m ON m.id = a.member_id
      WHERE a.account_id = $1 AND a.kind = 'answer' AND a.status = 'visible' AND q.status = 'visible' AND a.article_id IS NULL
      ORDER BY a.verified_at IS NOT NULL, a.created_at DESC LIMIT 200`,
    [p.accountId],
  );
  const answers = r.rows.map((x) => ({
    id: x.id, body: x.body, lang: x.lang, questionId: x.question_id, questionTitle: x.question_title, author: x.author, helpful: Number(x.helpful),
    verifiedAt: x.verified_at ? new Date(x.verified_at).toISOString() : null, createdAt: new Date(x.created_at).toISOString(),
  }));
  return {
    held: (await heldPosts(ctx, p)).length,
    unanswered,
    toVerify: answers.filter((a) => !a.verifiedAt),
    toPromote: answers.filter((a) => a.verifiedAt),
    helpers: await topHelpers(ctx.db, p.accountId, 10),
  };
}
