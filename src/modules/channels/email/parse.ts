/**
 * The pure part of inbound email: MIME parsing (mailparser), robot and loop detection, delivery reports (DSN),
 * quoted-history splitting and subject normalising. No database here, so it is easy to test on its own.
 */
import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail, type AddressObject } from 'mailparser';
import { cleanDeep } from '../../../platform/clean-text.js';

export type AutoKind = 'auto_reply' | 'bulk' | 'list' | 'bounce';

export interface BounceInfo {
  /** Per failed recipient: address, action, status (5.1.1), diagnostic. */
  recipients: { address: string; action: string; status: string | null; diagnostic: string | null }[];
  /** Message-ID of the mail that bounced, when the report carries it. */
  originalMessageId: string | null;
}

export interface ParsedEmail {
  rfcMessageId: string;
  /** True when the Message-ID was synthesised from the raw source's SHA-256. */
  syntheticId: boolean;
  sha256: string;
  from: { address: string; name: string | null } | null;
  to: string[];
  cc: string[];
  subject: string;
  date: Date | null;
  inReplyTo: string | null;
  references: string[];
  /** The new part of the text (quoted history removed). */
  text: string;
  /** The quoted history ("On … wrote:", "> …"), kept for the agent to expand. */
  quoted: string | null;
  /** The HTML body, unsanitised (the conversations service sanitises before storing). */
  html: string | null;
  attachments: { filename: string; contentType: string; content: Buffer; inline: boolean }[];
  autoKind: AutoKind | null;
  bounce: BounceInfo | null;
}

export class RejectedEmail extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const MAX_HEADER_BYTES = 1024 * 1024;

/** A first look at the raw bytes: a message must start with a header section. */
function checkRaw(raw: Buffer) {
  if (raw.length === 0) throw new RejectedEmail(554, 'empty message');
  let end = raw.indexOf('\r\n\r\n');
  if (end < 0) end = raw.indexOf('\n\n');
  const head = raw.subarray(0, end < 0 ? Math.min(raw.length, MAX_HEADER_BYTES) : Math.min(end, MAX_HEADER_BYTES)).toString('latin1');
  if (head.includes('\0')) throw new RejectedEmail(554, 'binary data in the message header (not an RFC 5322 message)');
  const firstLine = head.split(/\r?\n/, 1)[0];
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(firstLine) && !/^From /.test(firstLine))
    throw new RejectedEmail(554, 'the message does not start with a header (not an RFC 5322 message)');
  if (end < 0 && raw.length > MAX_HEADER_BYTES) throw new RejectedEmail(554, 'header section larger than 1 MiB');
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : [])
    .flatMap((o) => o.value)
    .flatMap((v) => (v.group ? v.group : [v]))
    .map((v) => (v.address ?? '').trim().toLowerCase())
    .filter((x) => /^[^@\s]+@[^@\s]+$/.test(x));

/** Raw header values (unfolded) by lower-case name. */
function headerMap(p: ParsedMail): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const h of p.headerLines ?? []) {
    const v = h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    const list = m.get(h.key) ?? [];
    list.push(v);
    m.set(h.key, list);
  }
  return m;
}

const ID = /<[^<>\s]{1,900}>/g;
const ids = (v: string | string[] | undefined | null): string[] => (Array.isArray(v) ? v.join(' ') : v ?? '').match(ID) ?? [];

// Subjects of out-of-office and other automatic replies in English, German and Norwegian.
const AUTO_SUBJECT = new RegExp(
  [
    'out of (the )?office', 'auto(matic)?[ -]?reply', 'autoresponse', 'auto-response', 'away from (the )?office', 'on vacation', 'on holiday',
    'abwesenheitsnotiz', 'abwesenheit', 'automatische antwort', 'automatische rückantwort', 'nicht im büro', 'außer haus', 'urlaubsbedingt',
    'automatisk svar', 'fravær', 'fraværsmelding', 'ikke på kontoret', 'ferie(melding)?:',
  ].join('|'),
  'iu',
);
const BOUNCE_SUBJECT = /undeliver|delivery status notification|delivery failure|mail delivery failed|returned mail|failure notice|non[- ]?remis|unzustellbar|nicht zustellbar|kunne ikke leveres|ikke levert/iu;
const DAEMON = /^(mailer-daemon|postmaster)@/i;

export function classify(p: ParsedMail, h: Map<string, string[]>, mailFrom: string | null | undefined, from: string | null): { kind: AutoKind | null; isReport: boolean } {
  const first = (k: string) => h.get(k)?.[0]?.toLowerCase() ?? null;
  const ct = p.headers.get('content-type') as any;
  const isReport = ct?.value === 'multipart/report' && String(ct?.params?.['report-type'] ?? '').toLowerCase() === 'delivery-status';
  const hasDsnPart = p.attachments.some((a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status');
  const subject = p.subject ?? '';
  const nullSender = mailFrom === '' || mailFrom === '<>';
  if (isReport || hasDsnPart) return { kind: 'bounce', isReport: true };
  if ((from && DAEMON.test(from)) || (mailFrom && DAEMON.test(mailFrom))) return { kind: 'bounce', isReport: false };
  if (nullSender && BOUNCE_SUBJECT.test(subject)) return { kind: 'bounce', isReport: false };
  const auto = first('auto-submitted');
  if (auto && !/^no\b/.test(auto)) return { kind: 'auto_reply', isReport: false };
  if (h.has('x-autoreply') || h.has('x-autorespond') || h.has('x-auto-response-suppress') || h.has('x-autogenerated')) return { kind: 'auto_reply', isReport: false };
  if (AUTO_SUBJECT.test(subject)) return { kind: 'auto_reply', isReport: false };
  const prec = first('precedence');
  if (h.has('list-id') || h.has('list-unsubscribe') || prec === 'list') return { kind: 'list', isReport: false };
  if (prec === 'bulk' || prec === 'junk') return { kind: 'bulk', isReport: false };
  if (nullSender) return { kind: 'auto_reply', isReport: false };
  return { kind: null, isReport: false };
}

/** Final-Recipient / Action / Status of a message/delivery-status part (RFC 3464). */
export function parseDeliveryStatus(body: string): BounceInfo['recipients'] {
  const out: BounceInfo['recipients'] = [];
  const blocks = body.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').split(/\n\s*\n/);
  for (const b of blocks) {
    const f: Record<string, string> = {};
    for (const line of b.split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) f[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const rcpt = f['final-recipient'] ?? f['original-recipient'];
    if (!rcpt) continue;
    const address = rcpt.replace(/^[\w-]+\s*;\s*/, '').replace(/^<|>$/g, '').trim().toLowerCase();
    out.push({ address, action: (f.action ?? 'failed').toLowerCase(), status: f.status ?? null, diagnostic: f['diagnostic-code']?.replace(/^[\w-]+\s*;\s*/, '').slice(0, 500) ?? null });
  }
  return out;
}

function bounceInfo(p: ParsedMail, isReport: boolean): BounceInfo {
  let recipients: BounceInfo['recipients'] = [];
  let originalMessageId: string | null = null;
  for (const a of p.attachments) {
    if (a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status') recipients.push(...parseDeliveryStatus(a.content.toString('utf8')));
    if (!originalMessageId && (a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers' || a.contentType === 'message/rfc822-headers')) {
      const m = /^message-id:\s*(<[^<>\s]+>)/im.exec(a.content.toString('utf8').split(/\r?\n\r?\n/, 1)[0]);
      if (m) originalMessageId = m[1];
    }
  }
  const text = p.text ?? '';
  if (!originalMessageId) originalMessageId = /^\s*message-id:\s*(<[^<>\s]+>)/im.exec(text)?.[1] ?? null;
  // mailparser reads a message/delivery-status part as text: its fields end up in the text body.
  if (!recipients.length) recipients.push(...parseDeliveryStatus(text));
  if (!recipients.length && !isReport) {
    // Old-style text bounces (Exim "Mail delivery failed", qmail): the failed addresses stand alone on a line, before
    // the copy of the original message.
    const head = text.split(/^-{3,}.*(original message|copy of the message|returned message).*$/im)[0];
    const seen = new Set<string>();
    for (const m of head.matchAll(/^\s*<?([^\s<>@]+@[^\s<>@]+\.[a-z]{2,})>?:?\s*$/gim)) {
      const address = m[1].toLowerCase();
      if (!seen.has(address) && !DAEMON.test(address)) {
        seen.add(address);
        recipients.push({ address, action: 'failed', status: /\b(5\.\d{1,3}\.\d{1,3})\b/.exec(head)?.[1] ?? null, diagnostic: null });
      }
    }
  }
  recipients = recipients.filter((r) => /^[^@\s]+@[^@\s]+$/.test(r.address));
  return { recipients, originalMessageId };
}

const QUOTE_HEAD: RegExp[] = [
  /^On\b.{0,300}\bwrote:\s*$/,
  /^Am\b.{0,300}\bschrieb\b.{0,300}:\s*$/,
  /^Den\b.{0,300}\bskrev\b.{0,300}:\s*$/,
  /^.{0,200}\bskrev\b.{0,200}(følgende)?:\s*$/,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Originalnachricht|Opprinnelig melding|Original melding|Forwarded message|Weitergeleitete Nachricht|Videresendt melding)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
];
const OUTLOOK_HEAD = /^\*?(From|Von|Fra):\*?\s.+$/;
const OUTLOOK_NEXT = /^\*?(Sent|Gesendet|Sendt|Date|Datum|Dato|To|An|Til):\*?\s/;

/** Splits a plain-text body into the new part and the quoted history (attribution line onwards, or '>' lines). */
export function splitQuoted(text: string): { text: string; quoted: string | null } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cut = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    // Gmail wraps a long attribution: "On Mon, 3 Mar 2025 at 10:00, Anna <a@b.c>" / "wrote:".
    const joined = i + 1 < lines.length ? `${l} ${lines[i + 1].trim()}` : l;
    if (QUOTE_HEAD.some((re) => re.test(l))) {
      cut = i;
      break;
    }
    if (/^(On|Am|Den)\b/.test(l) && QUOTE_HEAD.slice(0, 3).some((re) => re.test(joined))) {
      cut = i;
      break;
    }
    if (OUTLOOK_HEAD.test(l) && i + 1 < lines.length && OUTLOOK_NEXT.test(lines[i + 1].trim())) {
      cut = i;
      break;
    }
    if (l.startsWith('>')) {
      // A block of quoted lines with nothing new after it (top-posting); inline answers between quotes stay whole.
      const rest = lines.slice(i).filter((x) => x.trim() !== '');
      if (rest.every((x) => x.trim().startsWith('>') || /^--\s*$/.test(x))) {
        cut = i;
        break;
      }
    }
  }
  if (cut < 0) return { text: text.trim(), quoted: null };
  const head = lines.slice(0, cut).join('\n').trim();
  const quoted = lines.slice(cut).join('\n').trim();
  if (!head) return { text: text.trim(), quoted: null };
  return { text: head, quoted: quoted || null };
}

/** A subject without reply and forward prefixes in English, German and Norwegian (Re:, AW:, SV:, Fwd:, WG:, VS:, Antw:). */
export function baseSubject(s: string): string {
  let v = s.replace(/\s+/g, ' ').trim();
  for (;;) {
    const n = v.replace(/^(re|aw|sv|fw|fwd|wg|vs|antw|tr|ref)(\[\d+\]|\(\d+\))?\s*:\s*/i, '').replace(/^\[(ext|extern|external|ekstern)\]\s*/i, '').trim();
    if (n === v) return v;
    v = n;
  }
}

/** `[#123]` in a subject: the conversation number the customer quoted. */
export function subjectTag(s: string): number | null {
  const m = /\[#(\d{1,9})\]/.exec(s);
  return m ? Number(m[1]) : null;
}

/**
 * Broken MIME (a multipart without a boundary, say) can leave mailparser with no text at all; the text after the
 * header section, without boundary lines and part headers, is then better than nothing.
 */
function salvageBody(raw: Buffer): string {
  const s = raw.toString('utf8');
  const i = s.search(/\r?\n\r?\n/);
  if (i < 0) return '';
  return s
    .slice(i)
    .split(/\r?\n/)
    .filter((l) => !/^--\S*\s*$/.test(l) && !/^Content-[\w-]+:/i.test(l))
    .join('\n')
    .replace(/\uFFFD/g, '')
    .trim()
    .slice(0, 1_000_000);
}

const MEDIA = /^[\w.+-]+\/[\w.+-]+$/;

export async function parseEmail(raw: Buffer, mailFrom?: string | null): Promise<ParsedEmail> {
  checkRaw(raw);
  let p: ParsedMail;
  try {
    p = (await (simpleParser as any)(raw, { skipTextToHtml: true, maxHtmlLengthToParse: 5 * 1024 * 1024 })) as ParsedMail;
  } catch (err: any) {
    throw new RejectedEmail(554, `unreadable MIME structure: ${String(err?.message ?? err).slice(0, 200)}`);
  }
  const h = headerMap(p);
  if (h.size === 0) throw new RejectedEmail(554, 'the message has no headers');
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const fromAddr = addresses(p.from)[0] ?? null;
  const fromName = p.from?.value?.[0]?.name?.trim() || null;
  const envFrom = mailFrom ? mailFrom.trim().toLowerCase().replace(/^<|>$/g, '') : null;
  const sender = fromAddr ?? (envFrom && /^[^@\s]+@[^@\s]+$/.test(envFrom) ? envFrom : null);
  const { kind, isReport } = classify(p, h, mailFrom, sender);
  if (!sender && kind !== 'bounce') throw new RejectedEmail(554, 'no sender: the message has neither a From address nor an envelope sender');
  const declared = ids(p.messageId)[0] ?? null;
  const rfcMessageId = declared ?? `<${sha256}@earshot.invalid>`;
  let bodyText = p.text ?? '';
  if (!bodyText.trim() && !(typeof p.html === 'string' && p.html.trim()) && !p.attachments.length) bodyText = salvageBody(raw);
  const split = splitQuoted(bodyText);
  const attachments = p.attachments
    .filter((a) => !(kind === 'bounce' && /^(message\/(delivery-status|global-delivery-status|rfc822-headers)|text\/rfc822-headers)$/.test(a.contentType)))
    .map((a, i) => ({
      filename: (a.filename?.trim() || `attachment-${i + 1}${a.contentType === 'message/rfc822' ? '.eml' : ''}`).replace(/[/\\\0]/g, '_'),
      contentType: MEDIA.test(a.contentType ?? '') ? a.contentType.toLowerCase() : 'application/octet-stream',
      content: a.content,
      inline: !!a.related,
    }));
  // Decoded text may hold NULs (a base64 part, an encoded word) or lone surrogates (UTF-16 parts): cleaned here, in
  // the one place every inbound mail passes; the raw source keeps the original bytes.
  return cleanDeep<ParsedEmail>({
    rfcMessageId,
    syntheticId: !declared,
    sha256,
    from: sender ? { address: sender, name: fromName } : null,
    to: addresses(p.to),
    cc: addresses(p.cc),
    subject: (p.subject ?? '').replace(/[\r\n]+/g, ' ').trim(),
    date: p.date && !Number.isNaN(p.date.getTime()) ? p.date : null,
    inReplyTo: ids(p.inReplyTo)[0] ?? null,
    references: ids(p.references).slice(-100),
    text: split.text,
    quoted: split.quoted,
    html: typeof p.html === 'string' && p.html.trim() ? p.html : null,
    attachments,
    autoKind: kind,
    bounce: kind === 'bounce' ? bounceInfo(p, isReport) : null,
  });
}
