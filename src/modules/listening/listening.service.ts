/**
 * Listening to every inbound customer message (issue 6). The conversation service enqueues `listening.analyze` in the
 * transaction that stores a customer's message; the job re-reads the message, analyses it (analyze.ts) and, in one
 * transaction:
 *   - stores the findings with their evidence (once per message: a re-run finds them and does nothing);
 *   - raises the conversation's priority for urgent human circumstances (high; urgent for bereavement, medical and
 *     safety) — never lowers it — with the reason shown as an internal system note and an audit entry;
 *   - flags abuse and threats for the respect policy (a list for supervisors; nothing is sanctioned automatically);
 *   - a threat against staff also raises the priority to urgent (with the reason), marks the conversation (`threat`
 *     in the conversation and list APIs) and notifies the account's supervisors and admins: an email each in their
 *     language through the outbound mail path, and a realtime change (`threat.flagged`);
 *   - records the anecdote check of a wait claim and alerts supervisors when contradicted claims rise (anecdotes.ts).
 */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap, systemPrincipal } from '../../platform/context.js';
import { invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueueEmail } from '../channels/email/index.js';
import { raisePriority } from '../conversations/index.js';
import { recordChange } from '../changes/index.js';
import { publicBaseUrl } from '../../platform/public-url.js';
import { getClassifier, type Analysis, type Classifier, type Span } from './analyze.js';
import { maybeAlert, recordClaim } from './anecdotes.js';
import type { AnecdoteCheck, Finding, RespectFlag } from './listening.schemas.js';

export const ANALYZE_JOB = 'listening.analyze';

type Lang3 = 'en' | 'de' | 'nb';
type Urgency = NonNullable<Analysis['urgency']>;
/** Why the job raised a priority: an urgent circumstance of the customer's, or a threat against staff. */
type RaiseReason = Urgency | 'threat';
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
    threat: { en: 'a threat against staff', de: 'einer Drohung gegen Mitarbeitende', nb: 'en trussel mot ansatte' },
  },
  threatMail: {
    subject: { en: 'Threat against staff in conversation #{n}', de: 'Drohung gegen Mitarbeitende in Konversation #{n}', nb: 'Trussel mot ansatte i samtale #{n}' },
    body: {
      en: 'A customer threatened staff in conversation #{n} ({subject}).\n\nThe words: "{evidence}"\n\nThe conversation is now urgent. Nothing has been sanctioned automatically: read it and decide under the respect policy.\n\nOpen the conversation: {url}\nThreats and abuse flagged for review: {flags}',
      de: 'Eine Kundin oder ein Kunde hat in Konversation #{n} ({subject}) Mitarbeitenden gedroht.\n\nDer Wortlaut: „{evidence}“\n\nDie Konversation ist jetzt dringend. Automatisch wurde nichts sanktioniert: Bitte lesen Sie sie und entscheiden Sie nach der Respekt-Richtlinie.\n\nKonversation öffnen: {url}\nZur Prüfung markierte Drohungen und Beleidigungen: {flags}',
      nb: 'En kunde har truet ansatte i samtale #{n} ({subject}).\n\nOrdene: «{evidence}»\n\nSamtalen haster nå. Ingenting er sanksjonert automatisk: les den og avgjør etter respektreglene.\n\nÅpne samtalen: {url}\nTrusler og sjikane merket for vurdering: {flags}',
    },
  },
  priority: {
    low: { en: 'low', de: 'niedrig', nb: 'lav' },
    normal: { en: 'normal', de: 'normal', nb: 'normal' },
    high: { en: 'high', de: 'hoch', nb: 'høy' },
    urgent: { en: 'urgent', de: 'dringend', nb: 'haster' },
  },
} satisfies Record<string, Record<string, Record<Lang3, string>>>;

/** A threat against staff goes to the top of the queue (its own reason, like an urgent circumstance). */
export const THREAT_PRIORITY: Priority = 'urgent';

export function priorityNote(lang: Lang3, from: Priority, to: Priority, urgency: RaiseReason, evidence: Span | null): string {
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
  number: number;
  subject: string | null;
}

const classifierVersion = (c: Classifier) => String((c as { version?: unknown }).version ?? '1');

/** The job handler. Safe to run twice and concurrently (the conversation row is locked; findings are written once). */
export async function analyzeMessage(ctx: Ctx, payload: { messageId: string }): Promise<void> {
  if (!isUuid(payload?.messageId)) return;
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query<MessageRow>(
      `SELECT m.id, m.account_id, m.conversation_id, m.kind, m.direction, m.author_type, m.automatic, m.text, m.created_at,
              coalesce(m.author_customer_id, c.customer_id) AS customer_id, c.queue_id, c.channel, c.priority, c.merged_into,
              c.automatic AS conv_automatic, cu.language AS customer_language, a.locale, a.timezone, c.number, c.subject
         FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN accounts a ON a.id = m.account_id
         LEFT JOIN customers cu ON cu.id = coalesce(m.author_customer_id, c.customer_id)
        WHERE m.id = $1
          FOR UPDATE OF c`,
      [payload.messageId],
    );
    const m = r.rows[0];
    // Only what a customer wrote: not notes, not replies, not robots (out-of-office, bounces).
    if (m?.kind !== 'message' || m.direction !== 'inbound' || m.author_type !== 'customer' || m.automatic || m.conv_automatic) return;
    const seen = await tx.query('SELECT 1 FROM message_findings WHERE message_id = $1', [m.id]);
    if (seen.rows.length) return;

    const classifier = getClassifier();
    const a = classifier.analyze(m.text);
    const now = ctx.now();
    const actions: Record<string, unknown> = {};
    const p = systemPrincipal(m.account_id);

    // Urgent human circumstances and threats against staff: raise, never lower. A threat wins a tie (its reason is the
    // one the note gives).
    const raises: { to: Priority; reason: RaiseReason; evidence: Span | null }[] = [];
    if (a.threat) raises.push({ to: THREAT_PRIORITY, reason: 'threat', evidence: a.threatEvidence });
    if (a.urgency) raises.push({ to: PRIORITY_FOR[a.urgency], reason: a.urgency, evidence: a.urgencyEvidence });
    const raise = raises.sort((x, y) => RANK[y.to] - RANK[x.to])[0];
    if (raise && !m.merged_into && RANK[raise.to] > RANK[m.priority]) {
      const lang = asLang3(m.customer_language) ?? asLang3(a.lang) ?? asLang3(m.locale) ?? 'en';
      // The conversation module writes the raise: its system note, events, audit entry, notices and webhook.
      await raisePriority(ctx, tx, p, m.conversation_id, {
        to: raise.to,
        reason: 'listening',
        details: { ...(raise.reason === 'threat' ? { threat: true } : { urgency: raise.reason }), messageId: m.id },
        evidence: raise.evidence?.text ?? null,
        note: { text: priorityNote(lang, m.priority, raise.to, raise.reason, raise.evidence), language: lang },
      });
      actions.priority = { from: m.priority, to: raise.to };
    }

    await tx.query(
      `INSERT INTO message_findings (message_id, account_id, conversation_id, customer_id, lang, wait_complaint, wait_minutes,
                                     urgency, abuse, threat, sentiment, frustration, confidence, evidence, actions,
                                     classifier, classifier_version, message_at, analysed_at, wait_kind)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (message_id) DO NOTHING`,
      [m.id, m.account_id, m.conversation_id, m.customer_id, a.lang, a.wait.complaint, a.wait.minutes, a.urgency, a.abuse,
       a.threat, a.sentiment, a.frustration, a.confidence,
       JSON.stringify({ wait: a.wait.evidence, waitConfidence: a.wait.confidence, urgency: a.urgencyEvidence, abuse: a.abuseEvidence, threat: a.threatEvidence }),
       JSON.stringify(actions), classifier.name, classifierVersion(classifier), m.created_at, now, a.wait.kind ?? 'queue'],
    );

    if (a.abuse === 'abuse' || a.threat) {
      // For the respect policy: listed for supervisors, never acted on automatically.
      await recordChange(tx, p, now, { audit: { action: 'listening.flagged', target: { type: 'message', id: m.id }, data: { conversationId: m.conversation_id, abuse: a.abuse, threat: a.threat } } });
    }
    if (a.threat && !m.merged_into) await notifyThreat(ctx, tx, m, a.threatEvidence);

    if (a.wait.complaint) {
      const claim = await recordClaim(tx, {
        accountId: m.account_id, messageId: m.id, conversationId: m.conversation_id, customerId: m.customer_id,
        queueId: m.queue_id, channel: m.channel, claimedMinutes: a.wait.minutes, messageAt: m.created_at, timezone: m.timezone, now,
        claim: a.wait.kind ?? 'queue',
      });
      if (claim && (claim.verdict === 'contradicted' || claim.verdict === 'agrees')) await maybeAlert(tx, m.account_id, claim.week, now);
    }
  });
}

const fill = (tpl: string, v: Record<string, string | number>) => tpl.replace(/\{(\w+)\}/g, (_, k) => String(v[k] ?? ''));

/**
 * A threat against staff: each active supervisor and admin of the account gets an email in their language (through
 * the outbound mail path, committed with the findings), and open screens get a realtime change.
 */
async function notifyThreat(ctx: Ctx, tx: Tx, m: MessageRow, evidence: Span | null) {
  const users = (await tx.query<{ email: string; locale: string }>(
    `SELECT email, locale FROM users WHERE account_id = $1 AND role IN ('supervisor', 'admin') AND disabled_at IS NULL ORDER BY email`,
    [m.account_id],
  )).rows;
  const base = publicBaseUrl(ctx.config);
  const v = {
    n: m.number, subject: (m.subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) || '–',
    evidence: (evidence?.text ?? m.text).replace(/\s+/g, ' ').trim().slice(0, 300),
    url: `${base}/conversations/${m.conversation_id}`, flags: `${base}/respect`,
  };
  for (const u of users) {
    const lang = asLang3(u.locale) ?? 'en';
    await enqueueEmail(tx, {
      // Not attached to the conversation: an internal mail, not part of the customer's thread (its emails list).
      accountId: m.account_id, kind: 'system', to: [u.email],
      subject: fill(TEXTS.threatMail.subject[lang], v), text: fill(TEXTS.threatMail.body[lang], v), headers: { 'Auto-Submitted': 'auto-generated' },
    });
  }
  await recordChange(tx, systemPrincipal(m.account_id), ctx.now(), { change: { type: 'threat.flagged', conversationId: m.conversation_id, messageId: m.id } });
}

// ---------------------------------------------------------------- reads

const FINDING_COLS = `f.message_id AS "messageId", f.conversation_id AS "conversationId", f.customer_id AS "customerId", f.lang,
  json_build_object('complaint', f.wait_complaint, 'minutes', f.wait_minutes, 'kind', f.wait_kind) AS wait, f.urgency, f.abuse, f.threat,
  f.sentiment, f.frustration, f.confidence, f.evidence, f.flagged, f.actions, f.classifier,
  f.classifier_version AS "classifierVersion", f.message_at AS "messageAt", f.analysed_at AS "analysedAt"`;

/** An inbound message's findings with their evidence, and its anecdote check (agents). */
export async function getFindings(ctx: Ctx, p: Principal, messageId: string) {
  requireCap(p, 'conversations');
  if (!isUuid(messageId)) throw notFound('Message');
  const m = await ctx.db.query<{ id: string; text: string }>('SELECT id, text FROM messages WHERE account_id = $1 AND id = $2', [p.accountId, messageId]);
  if (!m.rows[0]) throw notFound('Message');
  const f = await ctx.db.query<Finding>(`SELECT ${FINDING_COLS} FROM message_findings f WHERE f.account_id = $1 AND f.message_id = $2`, [p.accountId, messageId]);
  const c = await ctx.db.query<AnecdoteCheck>(
    `SELECT claim, claimed_minutes AS "claimedMinutes", measured_contact_seconds AS "measuredContactSeconds",
            measured_resolution_seconds AS "measuredResolutionSeconds",
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
  const r = await ctx.db.query<RespectFlag>(
    `SELECT ${FINDING_COLS}, c.number AS "conversationNumber", m.text
       FROM message_findings f JOIN conversations c ON c.id = f.conversation_id JOIN messages m ON m.id = f.message_id
      WHERE f.account_id = $1 AND f.flagged AND ($2::timestamptz IS NULL OR f.message_at >= $2)
        AND ($3::timestamptz IS NULL OR f.message_at < $3) AND ($4::timestamptz IS NULL OR f.message_at < $4)
      ORDER BY f.message_at DESC, f.message_id LIMIT $5`,
    [p.accountId, at('from', q.from), at('to', q.to), at('before', q.before), q.limit ?? 50],
  );
  return { items: r.rows };
}
