/**
 * Listening to every inbound customer message (issue 6). The conversation service enqueues `listening.analyze` in the
 * transaction that stores a customer's message; the job re-reads the message, analyses it (analyze.ts) and, in one
 * transaction:
 *   - stores the findings with their evidence (once per message: a re-run finds them and does nothing);
 *   - raises the conversation's priority for urgent human circumstances (high; urgent for bereavement, medical and
 *     safety) — never lowers it — with the reason shown as an internal system note and an audit entry;
 *   - flags abuse and threats for the respect policy (a list for supervisors; nothing is sanctioned automatically);
 *   - records the anecdote check of a wait claim and alerts supervisors when contradicted claims rise (anecdotes.ts).
 */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap, systemPrincipal } from '../../platform/context.js';
import { invalid, isUuid, notFound } from '../../platform/errors.js';
import { publishChange } from '../../platform/changes.js';
import { audit } from '../audit/audit.service.js';
import { appendEvents } from '../events/events.service.js';
import { emitWebhook } from '../webhooks/webhooks.service.js';
import { getClassifier, type Analysis, type Classifier, type Span } from './analyze.js';
import { maybeAlert, recordClaim } from './anecdotes.js';

export const ANALYZE_JOB = 'listening.analyze';

type Lang3 = 'en' | 'de' | 'nb';
type Urgency = NonNullable<Analysis['urgency']>;
type Priority = 'low' | 'normal' | 'high' | 'urgent';
const RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** Bereavement, illness and danger go to the top; a plane to catch or a deadline goes up one step. */
export const PRIORITY_FOR: Record<Urgency, Priority> = {
  bereavement: 'urgent',
  medical: 'urgent',
  safety: 'urgent',
  travel: 'high',
  deadline: 'high',
};

/** Texts of this module (staff-facing). */
export const TEXTS = {
  urgency: {
    bereavement: { en: 'bereavement', de: 'Trauerfall', nb: 'dødsfall' },
    medical: { en: 'medical circumstances', de: 'gesundheitliche Gründe', nb: 'helsemessige forhold' },
    travel: { en: 'imminent travel', de: 'bevorstehende Reise', nb: 'nært forestående reise' },
    deadline: { en: 'an imminent deadline', de: 'eine nahe Frist', nb: 'en nær frist' },
    safety: { en: 'safety', de: 'Sicherheit', nb: 'sikkerhet' },
  },
  priority: {
    low: { en: 'low', de: 'niedrig', nb: 'lav' },
    normal: { en: 'normal', de: 'normal', nb: 'normal' },
    high: { en: 'high', de: 'hoch', nb: 'høy' },
    urgent: { en: 'urgent', de: 'dringend', nb: 'haster' },
  },
} satisfies Record<string, Record<string, Record<Lang3, string>>>;

export function priorityNote(lang: Lang3, from: Priority, to: Priority, urgency: Urgency, evidence: Span | null): string {
  const label = TEXTS.urgency[urgency][lang];
  const f = TEXTS.priority[from][lang];
  const t = TEXTS.priority[to][lang];
  const ev = evidence ? evidence.text.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
  if (lang === 'de') return `Priorität erhöht: ${f} → ${t}, wegen ${label}${ev ? ` („${ev}“)` : ''}`;
  if (lang === 'nb') return `Prioritet hevet: ${f} → ${t}, på grunn av ${label}${ev ? ` («${ev}»)` : ''}`;
  return `Priority raised: ${f} → ${t}, because of ${label}${ev ? ` ("${ev}")` : ''}`;
}

const asLang3 = (v: string | null | undefined): Lang3 | null => (v === 'en' || v === 'de' || v === 'nb' ? v : null);

interface MessageRow {
  id: string;
  account_id: string;
  conversation_id: string;
  kind: string;
  direction: string | null;
  author_type: string;
  automatic: boolean;
  text: string;
  created_at: Date;
  customer_id: string | null;
  queue_id: string | null;
  channel: string;
  priority: Priority;
  merged_into: string | null;
  conv_automatic: boolean;
  customer_language: string | null;
  locale: string;
  timezone: string;
}

const classifierVersion = (c: Classifier) => String((c as { version?: unknown }).version ?? '1');

/** The job handler. Safe to run twice and concurrently (the conversation row is locked; findings are written once). */
export async function analyzeMessage(ctx: Ctx, payload: { messageId: string }): Promise<void> {
  if (!isUuid(payload?.messageId)) return;
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query<MessageRow>(
      `SELECT m.id, m.account_id, m.conversation_id, m.kind, m.direction, m.author_type, m.automatic, m.text, m.created_at,
              coalesce(m.author_customer_id, c.customer_id) AS customer_id, c.queue_id, c.channel, c.priority, c.merged_into,
              c.automatic AS conv_automatic, cu.language AS customer_language, a.locale, a.timezone
         FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN accounts a ON a.id = m.account_id
         LEFT JOIN customers cu ON cu.id = coalesce(m.author_customer_id, c.customer_id)
        WHERE m.id = $1
          FOR UPDATE OF c`,
      [payload.messageId],
    );
    const m = r.rows[0];
    // Only what a customer wrote: not notes, not replies, not robots (out-of-office, bounces).
    if (!m || m.kind !== 'message' || m.direction !== 'inbound' || m.author_type !== 'customer' || m.automatic || m.conv_automatic) return;
    const seen = await tx.query('SELECT 1 FROM message_findings WHERE message_id = $1', [m.id]);
    if (seen.rows.length) return;

    const classifier = getClassifier();
    const a = classifier.analyze(m.text);
    const now = ctx.now();
    const actions: Record<string, unknown> = {};
    const p = systemPrincipal(m.account_id);

    // Urgent human circumstances: raise, never lower.
    if (a.urgency && !m.merged_into) {
      const to = PRIORITY_FOR[a.urgency];
      if (RANK[to] > RANK[m.priority]) {
        await raisePriority(tx, p, m, to, a.urgency, a.urgencyEvidence, asLang3(m.customer_language) ?? asLang3(a.lang) ?? asLang3(m.locale) ?? 'en', now);
        actions.priority = { from: m.priority, to };
      }
    }

    await tx.query(
      `INSERT INTO message_findings (message_id, account_id, conversation_id, customer_id, lang, wait_complaint, wait_minutes,
                                     urgency, abuse, threat, sentiment, frustration, confidence, evidence, actions,
                                     classifier, classifier_version, message_at, analysed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (message_id) DO NOTHING`,
      [m.id, m.account_id, m.conversation_id, m.customer_id, a.lang, a.wait.complaint, a.wait.minutes, a.urgency, a.abuse,
       a.threat, a.sentiment, a.frustration, a.confidence,
       JSON.stringify({ wait: a.wait.evidence, waitConfidence: a.wait.confidence, urgency: a.urgencyEvidence, abuse: a.abuseEvidence, threat: a.threatEvidence }),
       JSON.stringify(actions), classifier.name, classifierVersion(classifier), m.created_at, now],
    );

    if (a.abuse === 'abuse' || a.threat) {
      // For the respect policy: listed for supervisors, never acted on automatically.
      await audit(tx, p, 'listening.flagged', { type: 'message', id: m.id }, { conversationId: m.conversation_id, abuse: a.abuse, threat: a.threat });
    }

    if (a.wait.complaint) {
      const claim = await recordClaim(tx, {
        accountId: m.account_id, messageId: m.id, conversationId: m.conversation_id, customerId: m.customer_id,
        queueId: m.queue_id, channel: m.channel, claimedMinutes: a.wait.minutes, messageAt: m.created_at, timezone: m.timezone, now,
      });
      if (claim && (claim.verdict === 'contradicted' || claim.verdict === 'agrees')) await maybeAlert(tx, m.account_id, claim.week, now);
    }
  });
}

async function raisePriority(tx: Tx, p: Principal, m: MessageRow, to: Priority, urgency: Urgency, evidence: Span | null, lang: Lang3, now: Date) {
  await tx.query('UPDATE conversations SET priority = $2, updated_at = $3 WHERE id = $1', [m.conversation_id, to, now]);
  const text = priorityNote(lang, m.priority, to, urgency, evidence);
  const note = await tx.query<{ id: string }>(
    `INSERT INTO messages (account_id, conversation_id, kind, direction, author_type, text, language, created_at)
     VALUES ($1, $2, 'note', NULL, 'system', $3, $4, $5) RETURNING id`,
    [m.account_id, m.conversation_id, text, lang, now],
  );
  const base = { accountId: m.account_id, contactId: m.conversation_id, channel: m.channel, occurredAt: now, conversationId: m.conversation_id,
    customerId: m.customer_id, queueId: m.queue_id, agentId: null };
  await appendEvents(tx, [
    { ...base, type: 'conversation.priority_changed', data: { from: m.priority, to, reason: 'listening', urgency, messageId: m.id } },
    { ...base, type: 'note.added', data: { messageId: note.rows[0].id, system: true } },
  ]);
  await audit(tx, p, 'conversation.priority_raised', { type: 'conversation', id: m.conversation_id },
    { from: m.priority, to, urgency, messageId: m.id, evidence: evidence?.text ?? null });
  await publishChange(tx, { accountId: m.account_id, type: 'conversation.updated', conversationId: m.conversation_id });
  await publishChange(tx, { accountId: m.account_id, type: 'message.created', conversationId: m.conversation_id, messageId: note.rows[0].id });
  await emitWebhook(tx, m.account_id, 'conversation.updated',
    { conversationId: m.conversation_id, changes: { priority: to }, reason: 'listening', urgency, messageId: m.id }, now);
}

// ---------------------------------------------------------------- reads

const FINDING_COLS = `f.message_id AS "messageId", f.conversation_id AS "conversationId", f.customer_id AS "customerId", f.lang,
  json_build_object('complaint', f.wait_complaint, 'minutes', f.wait_minutes) AS wait, f.urgency, f.abuse, f.threat,
  f.sentiment, f.frustration, f.confidence, f.evidence, f.flagged, f.actions, f.classifier,
  f.classifier_version AS "classifierVersion", f.message_at AS "messageAt", f.analysed_at AS "analysedAt"`;

/** An inbound message's findings with their evidence, and its anecdote check (agents). */
export async function getFindings(ctx: Ctx, p: Principal, messageId: string) {
  requireCap(p, 'conversations');
  if (!isUuid(messageId)) throw notFound('Message');
  const m = await ctx.db.query<{ id: string; text: string }>('SELECT id, text FROM messages WHERE account_id = $1 AND id = $2', [p.accountId, messageId]);
  if (!m.rows[0]) throw notFound('Message');
  const f = await ctx.db.query(`SELECT ${FINDING_COLS} FROM message_findings f WHERE f.account_id = $1 AND f.message_id = $2`, [p.accountId, messageId]);
  const c = await ctx.db.query(
    `SELECT claimed_minutes AS "claimedMinutes", measured_contact_seconds AS "measuredContactSeconds",
            measured_journey_seconds AS "measuredJourneySeconds", measured_contacts AS "measuredContacts", verdict,
            to_char(week, 'YYYY-MM-DD') AS week
       FROM anecdote_checks WHERE account_id = $1 AND message_id = $2`,
    [p.accountId, messageId],
  );
  return { messageId, analysed: f.rows.length > 0, findings: f.rows[0] ?? null, anecdote: c.rows[0] ?? null };
}

/** Abuse and threat findings for the respect policy, newest first (supervisors). */
export async function listFlags(ctx: Ctx, p: Principal, q: { from?: string; to?: string; limit?: number; before?: string }) {
  requireCap(p, 'manage');
  const at = (field: string, v?: string) => {
    if (v === undefined) return null;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw invalid(field, `'${v}' is not an ISO date or date-time`);
    return d;
  };
  const r = await ctx.db.query(
    `SELECT ${FINDING_COLS}, c.number AS "conversationNumber", m.text
       FROM message_findings f JOIN conversations c ON c.id = f.conversation_id JOIN messages m ON m.id = f.message_id
      WHERE f.account_id = $1 AND f.flagged AND ($2::timestamptz IS NULL OR f.message_at >= $2)
        AND ($3::timestamptz IS NULL OR f.message_at < $3) AND ($4::timestamptz IS NULL OR f.message_at < $4)
      ORDER BY f.message_at DESC, f.message_id LIMIT $5`,
    [p.accountId, at('from', q.from), at('to', q.to), at('before', q.before), q.limit ?? 50],
  );
  return { items: r.rows };
}
