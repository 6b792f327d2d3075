/** Moments worth sharing, with the customer's consent recorded, kudos, and the feed the leaders' digest reads. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { can, requireCap } from '../../platform/context.js';
import { conflict, forbidden, invalid, isUuid, notFound } from '../../platform/errors.js';
import { recordChange } from '../changes/index.js';
import { userOnly, conversationIn } from './shared.js';

// The feed: the leaders' digest reads it through index.ts

export interface MomentSummary {
  id: string;
  title: string;
  story: string;
  conversationId: string | null;
  agentName: string | null;
  kudos: number;
  consent: boolean;
  createdAt: string;
}

/** A feed entry as the web app shows it: the summary plus customer details (only with consent) and my kudos. */
export interface FeedMoment extends MomentSummary {
  agentId: string;
  sharing: 'team' | 'anonymised';
  customerName: string | null;
  conversationNumber: number | null;
  kudosByMe: boolean;
  mine: boolean;
}

/**
 * Moments shared in the team feed since a time, newest first (the leaders' morning digest shows them).
 * Contract for other modules: keep this signature.
 * Moments without the customer's consent appear only anonymised: title and story with the customer's name and
 * identifiers stripped, no conversation and no customer.
 */
export async function listMoments(ctx: Ctx, p: Principal, q: { since?: Date; limit?: number }): Promise<MomentSummary[]> {
  return feed(ctx, p, q);
}

export async function feed(ctx: Ctx, p: Principal, q: { since?: Date; before?: Date; limit?: number }): Promise<FeedMoment[]> {
  requireCap(p, 'conversations');
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
  const r = await ctx.db.query(
    `SELECT m.id, m.agent_id AS "agentId", m.sharing, u.name AS "agentName", m.created_at AS "createdAt",
            CASE WHEN m.sharing = 'team' THEN m.title ELSE m.anon_title END AS title,
            CASE WHEN m.sharing = 'team' THEN m.story ELSE m.anon_story END AS story,
            CASE WHEN m.sharing = 'team' THEN m.conversation_id END AS "conversationId",
            CASE WHEN m.sharing = 'team' THEN c.number END AS "conversationNumber",
            CASE WHEN m.sharing = 'team' THEN cu.name END AS "customerName",
            m.sharing = 'team' AS consent,
            (SELECT count(*) FROM moment_kudos k WHERE k.moment_id = m.id)::int AS kudos,
            EXISTS (SELECT 1 FROM moment_kudos k WHERE k.moment_id = m.id AND k.user_id = $2) AS "kudosByMe"
       FROM moments m
       JOIN users u ON u.id = m.agent_id
       LEFT JOIN conversations c ON c.id = m.conversation_id
       LEFT JOIN customers cu ON cu.id = c.customer_id
      WHERE m.account_id = $1 AND m.sharing IN ('team', 'anonymised')
        AND (m.sharing = 'anonymised' OR (m.consent_given AND m.consent_withdrawn_at IS NULL))
        AND ($3::timestamptz IS NULL OR m.created_at >= $3) AND ($4::timestamptz IS NULL OR m.created_at < $4)
      ORDER BY m.created_at DESC, m.id DESC LIMIT $5`,
    [p.accountId, p.userId, q.since ?? null, q.before ?? null, limit],
  );
  return r.rows.map((m: any) => ({
    ...m,
    createdAt: new Date(m.createdAt).toISOString(),
    mine: !!p.userId && m.agentId === p.userId,
  }));
}

// ---------------------------------------------------------------------------------------------------------------------
// Moments

export const CONSENT_HOW = ['conversation', 'writing', 'other'] as const;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Strips a customer from a text: their name (whole and each part of two letters or more), their identities (email,
 * phone, chat id, external id), any email address or phone-like number, and conversation numbers (#123).
 */
export function anonymise(text: string, customer: { name: string | null; identities: string[] }): string {
  let out = text;
  const values = [...customer.identities].filter((v) => v && v.length >= 3).sort((a, b) => b.length - a.length);
  for (const v of values) out = out.replace(new RegExp(escapeRe(v), 'giu'), '[…]');
  out = out.replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu, '[…]');
  out = out.replace(/\+?\d[\d ()/.-]{5,}\d/g, '[…]');
  out = out.replace(/#\d+/g, '#…');
  const name = customer.name?.trim();
  if (name) {
    const parts = [name, ...name.split(/[\s,]+/)].filter((x) => x.length >= 2).sort((a, b) => b.length - a.length);
    for (const part of parts)
      out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(part)}(?![\\p{L}\\p{N}])`, 'giu'), '[customer]');
  }
  return out;
}

export interface MomentInput {
  title: string;
  story: string;
  consent: { given: boolean; how?: string; at?: string; note?: string };
  /** team (needs consent), anonymised, or private; default: team with consent, private without. */
  sharing?: 'team' | 'anonymised' | 'private';
}

export interface Moment {
  id: string;
  conversationId: string | null;
  agentId: string;
  agentName: string;
  title: string;
  story: string;
  anonTitle: string;
  anonStory: string;
  consentGiven: boolean;
  consentHow: string | null;
  consentNote: string | null;
  consentAt: string | null;
  consentRecordedBy: string | null;
  consentWithdrawnAt: string | null;
  sharing: 'team' | 'anonymised' | 'private';
  kudos: number;
  createdAt: string;
}

const MOMENT_SELECT = `SELECT m.id, m.conversation_id AS "conversationId", m.agent_id AS "agentId", u.name AS "agentName", m.title, m.story,
    m.anon_title AS "anonTitle", m.anon_story AS "anonStory", m.consent_given AS "consentGiven", m.consent_how AS "consentHow",
    m.consent_note AS "consentNote", m.consent_at AS "consentAt", m.consent_recorded_by AS "consentRecordedBy",
    m.consent_withdrawn_at AS "consentWithdrawnAt", m.sharing,
    (SELECT count(*) FROM moment_kudos k WHERE k.moment_id = m.id)::int AS kudos, m.created_at AS "createdAt"
  FROM moments m JOIN users u ON u.id = m.agent_id`;

async function getMoment(tx: Tx, accountId: string, id: string): Promise<Moment> {
  if (!isUuid(id)) throw notFound('Moment');
  const r = await tx.query<Moment>(`${MOMENT_SELECT} WHERE m.account_id = $1 AND m.id = $2`, [accountId, id]);
  if (!r.rows[0]) throw notFound('Moment');
  return r.rows[0];
}

export async function captureMoment(ctx: Ctx, p: Principal, conversationId: string, input: MomentInput): Promise<Moment> {
  requireCap(p, 'conversations');
  const userId = userOnly(p, 'Capturing a moment');
  const title = (input.title ?? '').trim();
  const story = (input.story ?? '').trim();
  if (!title) throw invalid('title', 'must not be empty');
  if (!story) throw invalid('story', 'must not be empty');
  const c = input.consent;
  if (!c || typeof c.given !== 'boolean') throw invalid('consent.given', 'record whether the customer consented (true or false)');
  const now = ctx.now();
  let consentAt: Date | null = null;
  if (c.given) {
    if (!c.how || !(CONSENT_HOW as readonly string[]).includes(c.how))
      throw invalid('consent.how', `say how consent was given: ${CONSENT_HOW.join(', ')}`);
    consentAt = c.at ? new Date(c.at) : now;
    if (Number.isNaN(consentAt.getTime())) throw invalid('consent.at', 'must be an ISO date-time');
    if (consentAt.getTime() > now.getTime() + 60_000) throw invalid('consent.at', 'must not be in the future');
  }
  const sharing = input.sharing ?? (c.given ? 'team' : 'private');
  if (!['team', 'anonymised', 'private'].includes(sharing)) throw invalid('sharing', 'must be team, anonymised or private');
  if (sharing === 'team' && !c.given)
    throw conflict('consent_required', 'Without the customer’s consent a moment can be shared only anonymised (or kept private)');
  return ctx.db.transaction(async (tx) => {
    const conv = await conversationIn(tx, p.accountId, conversationId);
    const cust = (await tx.query<{ name: string | null; identities: string[] }>(
      `SELECT cu.name, coalesce((SELECT array_agg(ci.value) FROM customer_identities ci WHERE ci.customer_id = cu.id), '{}') AS identities
         FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`,
      [conv.id],
    )).rows[0];
    const r = await tx.query<{ id: string }>(
      `INSERT INTO moments (account_id, conversation_id, agent_id, title, story, anon_title, anon_story, consent_given, consent_how,
                            consent_note, consent_at, consent_recorded_by, sharing, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [p.accountId, conv.id, userId, title, story, anonymise(title, cust), anonymise(story, cust), c.given,
       c.given ? c.how : null, c.note?.trim() || null, consentAt, userId, sharing, now],
    );
    const id = r.rows[0].id;
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'heart.moment_captured', target: { type: 'moment', id }, data: {
        conversationId: conv.id, consent: c.given, consentHow: c.given ? c.how : null, sharing,
      } },
      change: { type: 'feature.changed', feature: 'heart' },
    });
    return getMoment(tx, p.accountId, id);
  });
}

export async function listConversationMoments(ctx: Ctx, p: Principal, conversationId: string): Promise<Moment[]> {
  requireCap(p, 'conversations');
  await conversationIn(ctx.db, p.accountId, conversationId);
  const r = await ctx.db.query<Moment>(`${MOMENT_SELECT} WHERE m.account_id = $1 AND m.conversation_id = $2 ORDER BY m.created_at DESC`, [
    p.accountId, conversationId,
  ]);
  return r.rows;
}

/** The customer withdraws consent: the moment leaves the feed (private), and stays so. */
export async function withdrawConsent(ctx: Ctx, p: Principal, id: string, input: { note?: string } = {}): Promise<Moment> {
  requireCap(p, 'conversations');
  return ctx.db.transaction(async (tx) => {
    const m = await getMoment(tx, p.accountId, id);
    if (m.agentId !== p.userId && !can(p, 'manage'))
      throw forbidden('Only the agent who captured the moment, a supervisor or an admin can record a withdrawal of consent');
    await tx.query(
      `UPDATE moments SET consent_given = false, consent_withdrawn_at = coalesce(consent_withdrawn_at, $2), sharing = 'private',
              consent_note = coalesce($3, consent_note)
        WHERE id = $1`,
      [m.id, ctx.now(), input.note?.trim() || null],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'heart.moment_consent_withdrawn', target: { type: 'moment', id: m.id }, data: { previousSharing: m.sharing, note: input.note ?? null } },
      change: { type: 'feature.changed', feature: 'heart' },
    });
    return getMoment(tx, p.accountId, m.id);
  });
}

export async function giveKudos(ctx: Ctx, p: Principal, id: string): Promise<{ momentId: string; kudos: number }> {
  requireCap(p, 'conversations');
  const userId = userOnly(p, 'Giving kudos');
  return ctx.db.transaction(async (tx) => {
    const m = await getMoment(tx, p.accountId, id);
    const inFeed = m.sharing === 'anonymised' || (m.sharing === 'team' && m.consentGiven && !m.consentWithdrawnAt);
    if (!inFeed) throw conflict('moment_not_shared', 'This moment is not in the team feed');
    if (m.agentId === userId) throw forbidden('You cannot give kudos to your own moment');
    const r = await tx.query(
      `INSERT INTO moment_kudos (moment_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [m.id, userId, ctx.now()],
    );
    if (r.rowCount === 0) throw conflict('kudos_given', 'You have given kudos to this moment already');
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'heart.kudos_given', target: { type: 'moment', id: m.id }, data: { agentId: m.agentId } },
      change: { type: 'feature.changed', feature: 'heart' },
    });
    const n = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM moment_kudos WHERE moment_id = $1', [m.id])).rows[0].n;
    return { momentId: m.id, kudos: n };
  });
}
