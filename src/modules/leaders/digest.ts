/**
 * The leader's morning digest (issue 7): verbatim customer messages of the last day with their language and findings,
 * today's requests, reported vs lived figures (last day and week), the anecdote-audit disagreements and the team's
 * moments, in the leader's language (users.locale). Sent by the `leaders.digest` job at the leader's local digest hour
 * on working days, skipped while absent; previewed by GET /leaders/:id/digest.
 */
import { DateTime } from 'luxon';
import type { Ctx, Principal } from '../../platform/context.js';
import { can, systemPrincipal } from '../../platform/context.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { esc } from '../channels/portal/index.js';
import { publicBaseUrl } from '../../platform/public-url.js';
import { enqueueEmail } from '../channels/email/index.js';
import { waitsReport } from '../journeys/index.js';
import { anecdoteReport } from '../listening/index.js';
import { listMoments, type MomentSummary } from '../heart/index.js';
import { DIGEST_JOB, listItemsForDigest, localDay, nextLocal, settingsOf, type LeaderSettings } from './leaders.service.js';
import { recordChange } from '../changes/index.js';

type L = 'en' | 'de' | 'nb';
const T: Record<string, Record<L, string>> = {
  subject: { en: 'Your morning digest', de: 'Ihr Morgenbericht', nb: 'Morgenrapporten din' },
  hello: { en: 'Good morning', de: 'Guten Morgen', nb: 'God morgen' },
  voices: { en: 'Customers in their own words (last 24 hours)', de: 'Kundinnen und Kunden im Wortlaut (letzte 24 Stunden)', nb: 'Kundene med egne ord (siste døgn)' },
  noVoices: { en: 'No customer messages in the last 24 hours.', de: 'Keine Kundennachrichten in den letzten 24 Stunden.', nb: 'Ingen kundemeldinger siste døgn.' },
  requests: { en: 'Your requests today', de: 'Ihre Anfragen heute', nb: 'Henvendelsene dine i dag' },
  ready: { en: 'prepared and ready to answer', de: 'vorbereitet und bereit zur Antwort', nb: 'forberedt og klare til svar' },
  preparing: { en: 'still being prepared by the team', de: 'werden vom Team noch vorbereitet', nb: 'forberedes fortsatt av teamet' },
  figures: { en: 'Reported vs lived', de: 'Berichtet vs. erlebt', nb: 'Rapportert mot opplevd' },
  lastDay: { en: 'Last day', de: 'Letzter Tag', nb: 'Siste døgn' },
  lastWeek: { en: 'Last 7 days', de: 'Letzte 7 Tage', nb: 'Siste 7 dager' },
  asa: { en: 'Reported average speed of answer', de: 'Berichtete mittlere Antwortzeit (ASA)', nb: 'Rapportert gjennomsnittlig svartid (ASA)' },
  lived: { en: 'Lived wait (median / 90th percentile)', de: 'Erlebte Wartezeit (Median / 90. Perzentil)', nb: 'Opplevd ventetid (median / 90. persentil)' },
  journey: { en: 'Journey wait, 90th percentile', de: 'Wartezeit über die ganze Reise, 90. Perzentil', nb: 'Ventetid over hele reisen, 90. persentil' },
  abandon: { en: 'Abandonment (as the dashboard shows it)', de: 'Abbruchquote (wie im Dashboard)', nb: 'Avbruddsrate (som i dashbordet)' },
  contacts: { en: 'Contacts', de: 'Kontakte', nb: 'Kontakter' },
  anecdotes: { en: 'Where customers and our figures disagree (last 7 days)', de: 'Wo Kundschaft und Zahlen sich widersprechen (letzte 7 Tage)', nb: 'Der kundene og tallene våre er uenige (siste 7 dager)' },
  contradicted: { en: 'wait claims contradicted by what we measured', de: 'Aussagen zur Wartezeit, denen unsere Messung widerspricht', nb: 'påstander om ventetid som målingene våre motsier' },
  claimed: { en: 'said', de: 'sagte', nb: 'sa' },
  measured: { en: 'measured', de: 'gemessen', nb: 'målt' },
  noAnecdotes: { en: 'No disagreements.', de: 'Keine Widersprüche.', nb: 'Ingen uenigheter.' },
  moments: { en: 'Moments from the team', de: 'Momente aus dem Team', nb: 'Øyeblikk fra teamet' },
  noMoments: { en: 'No moments shared since yesterday.', de: 'Seit gestern keine Momente geteilt.', nb: 'Ingen øyeblikk delt siden i går.' },
  language: { en: 'language', de: 'Sprache', nb: 'språk' },
  urgency: { en: 'urgent', de: 'dringend', nb: 'haster' },
  abuse: { en: 'abuse', de: 'Beleidigung', nb: 'sjikane' },
  threat: { en: 'THREAT AGAINST STAFF', de: 'DROHUNG GEGEN MITARBEITENDE', nb: 'TRUSSEL MOT ANSATTE' },
  deliveryWait: { en: 'waited for a delivery or refund', de: 'Wartezeit auf Lieferung oder Erstattung', nb: 'ventet på levering eller refusjon' },
  criticism: { en: 'criticism', de: 'Kritik', nb: 'kritikk' },
  waitClaim: { en: 'wait claim', de: 'Wartezeit-Aussage', nb: 'påstand om ventetid' },
  minutes: { en: 'min', de: 'Min.', nb: 'min' },
  open: { en: 'Open Earshot', de: 'In Earshot öffnen', nb: 'Åpne Earshot' },
};

export interface DigestVoice {
  messageId: string;
  conversationId: string;
  text: string;
  lang: string | null;
  channel: string;
  at: string;
  findings: { urgency: string | null; abuse: string | null; threat: boolean; waitComplaint: boolean; waitMinutes: number | null; waitKind: 'queue' | 'delivery' } | null;
}
export interface DigestFigures {
  contacts: number;
  asaSeconds: number | null;
  livedP50Seconds: number | null;
  livedP90Seconds: number | null;
  journeyP90Seconds: number | null;
  abandonRate: number | null;
}
export interface Digest {
  leaderId: string;
  locale: L;
  day: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  voices: DigestVoice[];
  requests: { prepared: number; beingPrepared: number; subjects: string[] };
  figures: { day: DigestFigures; week: DigestFigures };
  anecdotes: { contradicted: number; claims: number; examples: { text: string; claimedMinutes: number | null; measuredSeconds: number | null }[] };
  moments: MomentSummary[];
  /** Sections that could not be filled (a module not built or a report failing), so the reader knows. */
}

const fmtDur = (s: number | null, l: L) => {
  if (s === null || s === undefined) return '–';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} ${T.minutes[l]}`;
  return `${(s / 3600).toFixed(1)} h`;
};
const fmtPct = (v: number | null) => (v === null || v === undefined ? '–' : `${Math.round(v * 1000) / 10} %`);

export async function buildDigest(ctx: Ctx, s: LeaderSettings, accountId: string, at: Date): Promise<Digest> {
  const sys = systemPrincipal(accountId);
  const l = s.locale;
  const day = localDay(at, s.timezone);
  const dayAgo = new Date(at.getTime() - 86_400_000);
  const weekAgo = new Date(at.getTime() - 7 * 86_400_000);
  const v = await ctx.db.query<any>(
    `SELECT m.id AS "messageId", m.conversation_id AS "conversationId", left(m.text, 600) AS text, coalesce(f.lang, m.language) AS lang,
            c.channel, m.created_at AS at,
            CASE WHEN f.message_id IS NOT NULL THEN json_build_object('urgency', f.urgency, 'abuse', f.abuse, 'threat', f.threat,
                 'waitComplaint', f.wait_complaint, 'waitMinutes', f.wait_minutes, 'waitKind', f.wait_kind) END AS findings
       FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN message_findings f ON f.message_id = m.id
      WHERE m.account_id = $1 AND m.kind = 'message' AND m.author_type = 'customer' AND NOT m.automatic AND NOT c.automatic
        AND m.created_at >= $2 AND m.created_at < $3 AND length(trim(m.text)) > 0
        AND NOT EXISTS (SELECT 1 FROM probes pr WHERE pr.account_id = c.account_id AND pr.customer_id = c.customer_id)
      ORDER BY md5(m.id::text || $4) LIMIT 5`,
    [accountId, dayAgo, at, day],
  );
  const voices: DigestVoice[] = v.rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  const items = await listItemsForDigest(ctx.db, accountId, s.userId);
  const open = items.filter((i) => i.assigneeId === s.userId && (i.status === 'prepared' || i.status === 'drawn'));
  const requests = {
    prepared: open.filter((i) => i.status === 'prepared').length,
    beingPrepared: open.filter((i) => i.status === 'drawn').length,
    subjects: open.map((i) => `#${i.conversationNumber} ${i.subject}`),
  };
  const fig = async (from: Date): Promise<DigestFigures> => {
    const r = await waitsReport(ctx, sys, { from: from.toISOString(), to: at.toISOString() });
    return {
      contacts: r.contacts,
      asaSeconds: r.reported.asaSeconds,
      livedP50Seconds: r.lived.contactWaitSeconds.p50,
      livedP90Seconds: r.lived.contactWaitSeconds.p90,
      journeyP90Seconds: r.journeys.waitSeconds.p90,
      abandonRate: r.reported.abandonRate,
    };
  };
  const figures = { day: await fig(dayAgo), week: await fig(weekAgo) };
  let anecdotes: Digest['anecdotes'];
  {
    const a = await anecdoteReport(ctx, sys, { from: weekAgo.toISOString(), to: at.toISOString() });
    const ex = a.total.examples.contradicted.slice(0, 3);
    const texts = ex.length
      ? await ctx.db.query<{ id: string; text: string }>('SELECT id, left(text, 300) AS text FROM messages WHERE id = ANY($1::uuid[])', [ex.map((e) => e.messageId)])
      : { rows: [] };
    anecdotes = {
      contradicted: a.total.contradicted,
      claims: a.total.claims,
      examples: ex.map((e) => ({
        text: texts.rows.find((t) => t.id === e.messageId)?.text ?? '',
        claimedMinutes: e.claimedMinutes,
        measuredSeconds: e.measuredContactSeconds ?? e.measuredJourneySeconds,
      })),
    };
  }
  const moments: MomentSummary[] = await listMoments(ctx, sys, { since: dayAgo, limit: 5 });

  const findingTags = (f: DigestVoice['findings']) => {
    if (!f) return [];
    const t: string[] = [];
    // A threat is named as one, first; abuse only when there is abuse besides.
    if (f.threat) t.push(T.threat[l]);
    if (f.urgency) t.push(`${T.urgency[l]}: ${f.urgency}`);
    if (f.abuse === 'abuse') t.push(T.abuse[l]);
    if (f.abuse === 'criticism') t.push(T.criticism[l]);
    const claim = f.waitKind === 'delivery' ? T.deliveryWait[l] : T.waitClaim[l];
    if (f.waitComplaint) t.push(f.waitMinutes ? `${claim} (${fmtDur(f.waitMinutes * 60, l)})` : claim);
    return t;
  };
  const figRows = (f: DigestFigures) => [
    [T.contacts[l], String(f.contacts)],
    [T.asa[l], fmtDur(f.asaSeconds, l)],
    [T.lived[l], `${fmtDur(f.livedP50Seconds, l)} / ${fmtDur(f.livedP90Seconds, l)}`],
    [T.journey[l], fmtDur(f.journeyP90Seconds, l)],
    [T.abandon[l], fmtPct(f.abandonRate)],
  ];
  const dateLabel = DateTime.fromISO(day).setLocale(l === 'nb' ? 'nb' : l).toLocaleString(DateTime.DATE_FULL);
  const subject = `${T.subject[l]} – ${dateLabel}`;

  const text: string[] = [`${T.hello[l]}, ${s.name}`, ''];
  text.push(`== ${T.requests[l]} ==`, `${requests.prepared} ${T.ready[l]}; ${requests.beingPrepared} ${T.preparing[l]}`);
  for (const x of requests.subjects) text.push(`  - ${x}`);
  text.push('', `== ${T.voices[l]} ==`);
  if (!voices.length) text.push(T.noVoices[l]);
  for (const x of voices) {
    const tags = findingTags(x.findings);
    text.push(`"${x.text.replace(/\s+/g, ' ').trim()}"`, `   (${T.language[l]}: ${x.lang ?? '?'}, ${x.channel}${tags.length ? `; ${tags.join(', ')}` : ''})`);
  }
  text.push('', `== ${T.figures[l]} ==`);
  for (const [label, f] of [[T.lastDay[l], figures.day], [T.lastWeek[l], figures.week]] as const) {
    text.push(`${label}:`);
    for (const [k, val] of figRows(f)) text.push(`  ${k}: ${val}`);
  }
  text.push('', `== ${T.anecdotes[l]} ==`);
  if (!anecdotes.contradicted) text.push(T.noAnecdotes[l]);
  else {
    text.push(`${anecdotes.contradicted} / ${anecdotes.claims} ${T.contradicted[l]}`);
    for (const e of anecdotes.examples)
      text.push(`  "${e.text.replace(/\s+/g, ' ').trim()}" – ${T.claimed[l]} ${e.claimedMinutes ?? '?'} ${T.minutes[l]}, ${T.measured[l]} ${fmtDur(e.measuredSeconds, l)}`);
  }
  text.push('', `== ${T.moments[l]} ==`);
  if (!moments.length) text.push(T.noMoments[l]);
  for (const m of moments) text.push(`  * ${m.title}${m.agentName ? ` (${m.agentName})` : ''}: ${m.story.slice(0, 300)}`);
  const link = `${publicBaseUrl(ctx.config)}/leaders`;
  text.push('', `${T.open[l]}: ${link}`);

  const h: string[] = [`<!doctype html><html lang="${l}"><body style="font-family:sans-serif;max-width:40em">`, `<h1>${esc(T.hello[l])}, ${esc(s.name)}</h1>`];
  h.push(`<h2>${esc(T.requests[l])}</h2><p>${requests.prepared} ${esc(T.ready[l])}; ${requests.beingPrepared} ${esc(T.preparing[l])}</p>`);
  if (requests.subjects.length) h.push(`<ul>${requests.subjects.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
  h.push(`<h2>${esc(T.voices[l])}</h2>`);
  if (!voices.length) h.push(`<p>${esc(T.noVoices[l])}</p>`);
  for (const x of voices) {
    const tags = findingTags(x.findings);
    h.push(`<blockquote lang="${esc(x.lang ?? '')}">${esc(x.text)}</blockquote><p><small>${esc(T.language[l])}: ${esc(x.lang ?? '?')}, ${esc(x.channel)}${tags.length ? `; ${esc(tags.join(', '))}` : ''}</small></p>`);
  }
  h.push(`<h2>${esc(T.figures[l])}</h2><table border="1" cellpadding="4" style="border-collapse:collapse"><thead><tr><th scope="col"></th><th scope="col">${esc(T.lastDay[l])}</th><th scope="col">${esc(T.lastWeek[l])}</th></tr></thead><tbody>`);
  const d = figRows(figures.day), w = figRows(figures.week);
  for (let i = 0; i < d.length; i++) h.push(`<tr><th scope="row">${esc(d[i][0])}</th><td>${esc(d[i][1])}</td><td>${esc(w[i][1])}</td></tr>`);
  h.push('</tbody></table>', `<h2>${esc(T.anecdotes[l])}</h2>`);
  if (!anecdotes.contradicted) h.push(`<p>${esc(T.noAnecdotes[l])}</p>`);
  else {
    h.push(`<p>${anecdotes.contradicted} / ${anecdotes.claims} ${esc(T.contradicted[l])}</p><ul>`);
    for (const e of anecdotes.examples)
      h.push(`<li>“${esc(e.text)}” – ${esc(T.claimed[l])} ${e.claimedMinutes ?? '?'} ${esc(T.minutes[l])}, ${esc(T.measured[l])} ${esc(fmtDur(e.measuredSeconds, l))}</li>`);
    h.push('</ul>');
  }
  h.push(`<h2>${esc(T.moments[l])}</h2>`);
  if (!moments.length) h.push(`<p>${esc(T.noMoments[l])}</p>`);
  else h.push(`<ul>${moments.map((m) => `<li><strong>${esc(m.title)}</strong>${m.agentName ? ` (${esc(m.agentName)})` : ''}: ${esc(m.story.slice(0, 300))}</li>`).join('')}</ul>`);
  h.push(`<p><a href="${esc(link)}">${esc(T.open[l])}</a></p></body></html>`);

  return {
    leaderId: s.userId, locale: l, day, to: s.email, subject, text: text.join('\n'), html: h.join('\n'),
    voices, requests, figures, anecdotes, moments,
  };
}

/** The preview for the screen: the leader themself, or anyone with reports. */
export async function previewDigest(ctx: Ctx, p: Principal, leaderId: string): Promise<Digest> {
  if (!(can(p, 'reports') || (p.userId && p.userId === leaderId))) throw forbidden('Only the leader or people with reports see a digest');
  const s = await settingsOf(ctx.db, p.accountId, leaderId);
  if (!s) throw notFound('Leader (a user with leader settings)');
  return buildDigest(ctx, s, p.accountId, ctx.now());
}

/** `leaders.digest`: sends the digest when its time is the scheduled one (not while absent; once a day), then schedules the next. */
export async function runDigestJob(ctx: Ctx, payload: { leaderId: string; at: string }) {
  const r = await ctx.db.query<{ account_id: string; next_digest_at: Date | null }>('SELECT account_id, next_digest_at FROM leader_settings WHERE user_id = $1', [payload.leaderId]);
  const row = r.rows[0];
  if (!row?.next_digest_at || new Date(row.next_digest_at).toISOString() !== payload.at) return;
  const at = new Date(payload.at);
  const s = (await settingsOf(ctx.db, row.account_id, payload.leaderId))!;
  const day = localDay(at, s.timezone);
  const absent = await ctx.db.query('SELECT 1 FROM leader_absences WHERE user_id = $1 AND from_date <= $2::date AND to_date >= $2::date', [s.userId, day]);
  const digest = absent.rows.length ? null : await buildDigest(ctx, s, row.account_id, at);
  await ctx.db.transaction(async (tx) => {
    if (digest) {
      const ins = await tx.query('INSERT INTO leader_digests (leader_id, day, account_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1', [s.userId, day, row.account_id]);
      if (ins.rows.length) {
        const id = await enqueueEmail(tx, { accountId: row.account_id, kind: 'system', to: [s.email], subject: digest.subject, text: digest.text, html: digest.html });
        await tx.query('UPDATE leader_digests SET outbound_email_id = $3 WHERE leader_id = $1 AND day = $2', [s.userId, day, id]);
        await recordChange(tx, systemPrincipal(row.account_id), ctx.now(), {
          audit: { action: 'leader.digest_sent', target: { type: 'user', id: s.userId }, data: { day, outboundEmailId: id, locale: s.locale } },
        });
      }
    }
    const next = nextLocal(at, s.timezone, s.digestHour, s.workingDays);
    const u = await tx.query('UPDATE leader_settings SET next_digest_at = $2 WHERE user_id = $1 AND next_digest_at = $3 RETURNING 1', [s.userId, next, at]);
    if (u.rows.length && next) await enqueue(tx, DIGEST_JOB, { leaderId: s.userId, at: next.toISOString() }, { runAt: next });
  });
}
