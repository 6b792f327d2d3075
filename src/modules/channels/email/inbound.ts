/**
 * Inbound email: one received message (SMTP or IMAP) becomes a message in a conversation, exactly once.
 *
 * Everything happens in ONE transaction: the mailbox and thread lookups, a reopen, the conversation and message with
 * its attachments (through the conversations service, run on this transaction), the `email_messages` row with the raw
 * source, the Message-ID for threading and the contact events. The SMTP listener answers 250 only after it commits.
 * A redelivery of the same (account, Message-ID) returns `duplicate: true` and writes nothing.
 */
import type { Ctx, Tx } from '../../../platform/context.js';
import { systemPrincipal } from '../../../platform/context.js';
import type { Db } from '../../../platform/db.js';
import { AppError, isUuid } from '../../../platform/errors.js';
import { markEmailBounced } from '../../customers/index.js';
import * as conversations from '../../conversations/index.js';
import type { AttachmentInput } from '../../conversations/index.js';
import { findRecipient, type Mailbox } from './mailboxes.service.js';
import { baseSubject, parseEmail, RejectedEmail, subjectTag, type ParsedEmail } from './parse.js';

export type IngestResult =
  | {
      status: 'stored';
      /** '' when the message was kept without a conversation (a bounce about no known conversation; see `note`). */
      conversationId: string;
      messageId: string;
      duplicate: boolean;
      automatic: string | null;
      note?: string;
    }
  | { status: 'rejected'; code: number; reason: string };

export interface IngestInput {
  raw: Buffer;
  rcptTo: string[];
  mailFrom?: string | null;
  source: 'smtp' | 'imap';
  mailboxId?: string;
}

/** Subject matches only reach conversations with activity in the last 14 days. */
const SUBJECT_WINDOW_MS = 14 * 24 * 3600 * 1000;

/** A context whose database is the given transaction: service calls made with it join that transaction. */
function onTx(ctx: Ctx, tx: Tx): Ctx {
  const db: Db = {
    kind: ctx.db.kind,
    where: ctx.db.where,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    listen: ctx.db.listen.bind(ctx.db),
    close: async () => {},
  };
  return { ...ctx, db };
}

interface ConvLite {
  id: string;
  status: string;
  customer_id: string;
  channel: string;
  queue_id: string | null;
  merged_into: string | null;
  subject: string;
}

async function conv(tx: Tx, accountId: string, id: string): Promise<ConvLite | null> {
  // Follow merges to the surviving conversation.
  let cur = id;
  for (let i = 0; i < 10; i++) {
    const r = await tx.query<ConvLite>(
      'SELECT id, status, customer_id, channel, queue_id, merged_into, subject FROM conversations WHERE account_id = $1 AND id = $2',
      [accountId, cur],
    );
    const c = r.rows[0];
    if (!c) return null;
    if (!c.merged_into) return c;
    cur = c.merged_into;
  }
  return null;
}

async function recipientOf(tx: Tx, input: IngestInput, parsed: ParsedEmail) {
  if (input.mailboxId) {
    // IMAP: the mailbox is known; a reply address among the recipients still picks the conversation.
    const mb = isUuid(input.mailboxId)
      ? (await tx.query<Mailbox>(
          `SELECT id, account_id AS "accountId", address, name, queue_id AS "queueId", on_closed AS "onClosed", created_at AS "createdAt"
             FROM mailboxes WHERE id = $1`,
          [input.mailboxId],
        )).rows[0]
      : undefined;
    if (!mb) return null;
    for (const a of [...input.rcptTo, ...parsed.to, ...parsed.cc]) {
      const r = await findRecipient(tx, a);
      if (r?.conversationId && r.mailbox.accountId === mb.accountId) return { mailbox: mb, conversationId: r.conversationId };
    }
    return { mailbox: mb, conversationId: null };
  }
  for (const a of input.rcptTo) {
    const r = await findRecipient(tx, a);
    if (r) return r;
  }
  return null;
}

/** Finds the conversation a message belongs to: reply token, then In-Reply-To/References, then a guarded subject. */
async function thread(tx: Tx, ctx: Ctx, accountId: string, tokenConv: string | null, e: ParsedEmail): Promise<{ c: ConvLite; by: string } | null> {
  if (tokenConv) {
    const c = await conv(tx, accountId, tokenConv);
    if (c) return { c, by: 'token' };
  }
  const refs = [...new Set([e.inReplyTo, ...[...e.references].reverse()].filter((x): x is string => !!x))];
  if (refs.length) {
    const r = await tx.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM email_message_ids WHERE account_id = $1 AND rfc_message_id = ANY($2)
        ORDER BY array_position($2, rfc_message_id) LIMIT 1`,
      [accountId, refs],
    );
    if (r.rows[0]) {
      const c = await conv(tx, accountId, r.rows[0].conversation_id);
      if (c) return { c, by: 'header' };
    }
  }
  if (!e.from) return null;
  const cust = await tx.query<{ customer_id: string }>(
    `SELECT customer_id FROM customer_identities WHERE account_id = $1 AND kind = 'email' AND value = $2`,
    [accountId, e.from.address],
  );
  const customerId = cust.rows[0]?.customer_id;
  if (!customerId) return null;
  const tag = subjectTag(e.subject);
  if (tag !== null) {
    const r = await tx.query<{ id: string }>('SELECT id FROM conversations WHERE account_id = $1 AND number = $2 AND customer_id = $3', [accountId, tag, customerId]);
    if (r.rows[0]) {
      const c = await conv(tx, accountId, r.rows[0].id);
      if (c) return { c, by: 'tag' };
    }
  }
  const subject = baseSubject(e.subject.replace(/\s*\[#\d+\]\s*/, ' ')).toLowerCase();
  if (subject.length >= 3) {
    const r = await tx.query<{ id: string }>(
      `SELECT id FROM conversations
        WHERE account_id = $1 AND customer_id = $2 AND lower(subject) = $3 AND status <> 'closed' AND merged_into IS NULL
          AND last_message_at >= $4 ORDER BY last_message_at DESC LIMIT 1`,
      [accountId, customerId, subject, new Date(ctx.now().getTime() - SUBJECT_WINDOW_MS)],
    );
    if (r.rows[0]) {
      const c = await conv(tx, accountId, r.rows[0].id);
      if (c) return { c, by: 'subject' };
    }
  }
  return null;
}

const isUnique = (err: any) => err?.code === '23505';

/** Stores one received email; see the file comment. Never throws for a bad message: it answers 'rejected'. */
export async function ingestEmail(ctx: Ctx, input: IngestInput): Promise<IngestResult> {
  let parsed: ParsedEmail;
  try {
    parsed = await parseEmail(input.raw, input.mailFrom);
  } catch (err) {
    if (err instanceof RejectedEmail) return { status: 'rejected', code: err.code, reason: err.reason };
    throw err;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.transaction((tx) => ingestParsed(ctx, tx, input, parsed));
    } catch (err) {
      // A concurrent delivery of the same Message-ID committed first: the next attempt finds it and answers duplicate.
      if (isUnique(err) && attempt < 2) continue;
      if (err instanceof AppError && err.status < 500 && err.code === 'validation')
        return { status: 'rejected', code: 554, reason: err.message };
      throw err;
    }
  }
}

async function ingestParsed(ctx: Ctx, tx: Tx, input: IngestInput, e: ParsedEmail): Promise<IngestResult> {
  const rcpt = await recipientOf(tx, input, e);
  if (!rcpt) return { status: 'rejected', code: 550, reason: `no mailbox here for ${input.rcptTo.join(', ') || 'the recipients'}` };
  const { mailbox } = rcpt;
  const accountId = mailbox.accountId;
  // Deliveries of the same message take turns; the first one stores it, the others find it.
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`email:${accountId}:${e.rfcMessageId}`]);
  const seen = await tx.query<{ conversation_id: string | null; message_id: string | null; auto_kind: string | null }>(
    'SELECT conversation_id, message_id, auto_kind FROM email_messages WHERE account_id = $1 AND rfc_message_id = $2',
    [accountId, e.rfcMessageId],
  );
  if (seen.rows[0]) {
    const s = seen.rows[0];
    return { status: 'stored', conversationId: s.conversation_id ?? '', messageId: s.message_id ?? '', duplicate: true, automatic: s.auto_kind };
  }
  const tctx = onTx(ctx, tx);
  const p = systemPrincipal(accountId);
  const automatic = e.autoKind !== null;
  const text = e.text || (e.attachments.length ? '' : e.html ? '' : '(empty message)');
  const message = {
    text: text || undefined,
    html: e.html ?? undefined,
    attachments: e.attachments.map<AttachmentInput>((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
  if (!message.text && !message.html && !message.attachments.length) message.text = '(empty message)';

  let threadedBy = 'new';
  const record = async (t: Tx, conversationId: string | null, messageId: string | null) => {
    await t.query(
      `INSERT INTO email_messages (account_id, mailbox_id, conversation_id, message_id, source, rfc_message_id, in_reply_to,
                                   "references", from_address, from_name, to_addresses, cc_addresses, rcpt_to, mail_from, subject,
                                   date_header, auto_kind, threaded_by, quoted_text, bounce, raw_size, raw_sha256, raw, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`,
      [accountId, mailbox.id, conversationId, messageId, input.source, e.rfcMessageId, e.inReplyTo, e.references, e.from?.address ?? null,
       e.from?.name ?? null, e.to, e.cc, input.rcptTo.map((r) => r.toLowerCase()), input.mailFrom ?? null, e.subject.slice(0, 1000), e.date,
       e.autoKind, threadedBy, e.quoted, e.bounce ? JSON.stringify(e.bounce) : null, input.raw.length, e.sha256, input.raw, ctx.now()],
    );
    if (conversationId)
      await t.query(
        `INSERT INTO email_message_ids (account_id, rfc_message_id, conversation_id, message_id, direction)
         VALUES ($1, $2, $3, $4, 'inbound') ON CONFLICT (account_id, rfc_message_id) DO NOTHING`,
        [accountId, e.rfcMessageId, conversationId, messageId],
      );
  };
  let ids: { conversationId: string; messageId: string } | null = null;
  const afterWrite = async (t: Tx, w: { conversationId: string; messageId: string; duplicate: boolean }) => {
    ids = w;
    await record(t, w.conversationId, w.messageId);
  };
  const opts = { afterWrite, automatic, eventChannel: 'email' };

  // ---- bounces: mark the address, attach to the conversation of the bounced mail; never a new conversation.
  if (e.autoKind === 'bounce') {
    const b = e.bounce!;
    const failed = b.recipients.filter((r) => r.action === 'failed');
    for (const r of failed)
      await markEmailBounced(tx, accountId, r.address, ctx.now(), [r.status, r.diagnostic].filter(Boolean).join(' ').slice(0, 500) || 'delivery failed');
    let target: ConvLite | null = null;
    if (b.originalMessageId) {
      const r = await tx.query<{ conversation_id: string }>(
        'SELECT conversation_id FROM email_message_ids WHERE account_id = $1 AND rfc_message_id = $2',
        [accountId, b.originalMessageId],
      );
      if (r.rows[0]) target = await conv(tx, accountId, r.rows[0].conversation_id);
    }
    threadedBy = 'bounce';
    if (target && target.status !== 'closed') {
      const summary = failed.length
        ? `Delivery failed: ${failed.map((r) => `${r.address}${r.status ? ` (${r.status}${r.diagnostic ? ` ${r.diagnostic}` : ''})` : ''}`).join(', ')}`
        : `Delivery report: ${e.subject}`;
      await conversations.addCustomerMessage(tctx, p, target.id, { ...message, text: summary }, opts);
      return { status: 'stored', conversationId: ids!.conversationId, messageId: ids!.messageId, duplicate: false, automatic: 'bounce' };
    }
    await record(tx, target?.id ?? null, null);
    return { status: 'stored', conversationId: target?.id ?? '', messageId: '', duplicate: false, automatic: 'bounce', note: 'bounce kept without a conversation message' };
  }

  const found = await thread(tx, ctx, accountId, rcpt.conversationId, e);
  if (found) {
    threadedBy = found.by;
    const c = found.c;
    if (c.status === 'closed') {
      if (automatic) {
        // A robot never reopens anything: keep it on the conversation without a message.
        await record(tx, c.id, null);
        return { status: 'stored', conversationId: c.id, messageId: '', duplicate: false, automatic: e.autoKind, note: 'automatic message to a closed conversation kept without reopening it' };
      }
      if (mailbox.onClosed === 'reopen') {
        threadedBy = 'reopen';
        await conversations.reopenFromChannel(ctx, tx, p, c.id, 'email');
      } else {
        threadedBy = 'follow_up';
        return createNew(tctx, p, mailbox, e, message, opts, () => ids, c.id);
      }
    }
    await conversations.addCustomerMessage(tctx, p, c.id, message, opts);
    return { status: 'stored', conversationId: ids!.conversationId, messageId: ids!.messageId, duplicate: false, automatic: e.autoKind };
  }
  return createNew(tctx, p, mailbox, e, message, opts, () => ids, null);
}

async function createNew(
  tctx: Ctx,
  p: ReturnType<typeof systemPrincipal>,
  mailbox: Mailbox,
  e: ParsedEmail,
  message: conversations.MessageInput,
  opts: conversations.WriteOptions,
  ids: () => { conversationId: string; messageId: string } | null,
  followUpOf: string | null,
): Promise<IngestResult> {
  const subject = baseSubject(e.subject) || e.text.split('\n')[0]?.slice(0, 120) || '(no subject)';
  await conversations.createConversation(
    tctx,
    p,
    {
      customer: { email: e.from!.address, name: e.from!.name ?? undefined },
      channel: 'email',
      subject,
      message,
      queueId: mailbox.queueId ?? undefined,
      tags: e.autoKind ? ['automatic', e.autoKind.replace('_', '-')] : undefined,
    },
    // A robot's message (opts.automatic) starts no reply or resolution clock: the conversation module's rule.
    { ...opts, followUpOf: followUpOf ?? undefined },
  );
  const w = ids()!;
  return { status: 'stored', conversationId: w.conversationId, messageId: w.messageId, duplicate: false, automatic: e.autoKind };
}
