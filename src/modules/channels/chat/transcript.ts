/**
 * The chat transcript by email (issue 13): when a visitor ends a chat they may ask for the conversation by email.
 * Written in the transaction that ends the chat, in the conversation's language, with the times in the account's
 * time zone. Only what the visitor saw: messages (agents as the service, without their names), never internal notes.
 */
import type { Tx } from '../../../platform/context.js';
import { invalid } from '../../../platform/errors.js';
import { textsOf, type Locale } from '../../../platform/i18n.js';
import { enqueueEmail } from '../email/index.js';

const T = {
  subject: { en: 'Your chat with {account} on {date}', de: 'Ihr Chat mit {account} vom {date}', nb: 'Chatten din med {account} {date}' },
  intro: {
    en: 'Hello{name},\n\nhere is the transcript of your chat with us (times in {zone}).',
    de: 'Hallo{name},\n\nhier ist das Protokoll Ihres Chats mit uns (Uhrzeiten in {zone}).',
    nb: 'Hei{name},\n\nher er utskriften av chatten din med oss (klokkeslett i {zone}).',
  },
  you: { en: 'You', de: 'Sie', nb: 'Du' },
  agent: { en: 'Customer service', de: 'Kundenservice', nb: 'Kundeservice' },
  file: { en: 'file', de: 'Datei', nb: 'fil' },
  outro: {
    en: 'To continue, simply reply to this email or start a new chat on our website.',
    de: 'Wenn Sie weitermachen möchten, antworten Sie einfach auf diese E-Mail oder starten Sie einen neuen Chat auf unserer Website.',
    nb: 'Vil du fortsette, kan du svare på denne e-posten eller starte en ny chat på nettstedet vårt.',
  },
  thanks: { en: 'Thank you, {account}', de: 'Vielen Dank, {account}', nb: 'Takk, {account}' },
} satisfies Record<string, Record<Locale, string>>;
const tt = textsOf(T);

const EMAIL = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/;

/** The address the visitor typed, checked: a 400 naming the field `email` when it is not one address. */
export function transcriptAddress(v: unknown): string {
  if (typeof v !== 'string' || v.trim().length > 320 || !EMAIL.test(v.trim())) throw invalid('email', 'give one email address for the transcript, like name@example.com');
  return v.trim().toLowerCase();
}

const asLocale = (l: string | null | undefined): Locale | null =>
  !l ? null : /^de/i.test(l) ? 'de' : /^(nb|no|nn)/i.test(l) ? 'nb' : /^en/i.test(l) ? 'en' : null;

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Queues the transcript mail of a chat to `to` (inside the caller's transaction); returns the outbound email id. */
export async function enqueueTranscript(tx: Tx, conversationId: string, to: string): Promise<string> {
  const c = (await tx.query<{ account_id: string; account_name: string; timezone: string; account_locale: string; language: string | null; customer_language: string | null; customer_name: string | null }>(
    `SELECT c.account_id, a.name AS account_name, a.timezone, a.locale AS account_locale, c.language,
            cu.language AS customer_language, cu.name AS customer_name
       FROM conversations c JOIN accounts a ON a.id = c.account_id JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`,
    [conversationId],
  )).rows[0];
  const l: Locale = asLocale(c.language) ?? asLocale(c.customer_language) ?? asLocale(c.account_locale) ?? 'en';
  const msgs = (await tx.query<{ direction: string; text: string | null; created_at: Date; files: string[] | null }>(
    `SELECT m.direction, m.text, m.created_at,
            (SELECT array_agg(a.filename ORDER BY a.created_at) FROM attachments a WHERE a.message_id = m.id) AS files
       FROM messages m
      WHERE m.conversation_id = $1 AND m.kind = 'message' ORDER BY m.created_at, m.id`,
    [conversationId],
  )).rows;
  const tag = l === 'nb' ? 'nb-NO' : l === 'de' ? 'de-DE' : 'en-GB';
  let zone = c.timezone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const time = new Intl.DateTimeFormat(tag, { timeZone: zone, hour: '2-digit', minute: '2-digit' });
  const date = new Intl.DateTimeFormat(tag, { timeZone: zone, dateStyle: 'long' }).format(msgs[0] ? new Date(msgs[0].created_at) : new Date());
  const lines = msgs.map((m) => {
    // Agents appear as the service, as in the widget (which shows no staff names either).
    const who = tt(l, m.direction === 'inbound' ? 'you' : 'agent');
    const files = (m.files ?? []).map((f) => `[${tt(l, 'file')}: ${f}]`);
    return { at: time.format(new Date(m.created_at)), who, text: [m.text ?? '', ...files].filter(Boolean).join('\n') };
  });
  const vars = { account: c.account_name, date, zone, name: c.customer_name ? ` ${c.customer_name}` : '' };
  const text = [
    tt(l, 'intro', vars),
    '',
    ...lines.map((x) => `[${x.at}] ${x.who}: ${x.text}`),
    '',
    tt(l, 'outro'),
    '',
    tt(l, 'thanks', vars),
  ].join('\n');
  const html =
    tt(l, 'intro', vars).split('\n\n').map((p) => `<p>${esc(p)}</p>`).join('') +
    `<table>${lines.map((x) => `<tr><td style="vertical-align:top;color:#555">${esc(x.at)}</td><td style="vertical-align:top"><strong>${esc(x.who)}</strong></td><td style="white-space:pre-wrap">${esc(x.text)}</td></tr>`).join('')}</table>` +
    `<p>${esc(tt(l, 'outro'))}</p><p>${esc(tt(l, 'thanks', vars))}</p>`;
  return enqueueEmail(tx, { accountId: c.account_id, kind: 'system', to: [to], conversationId, subject: tt(l, 'subject', vars), text, html });
}
