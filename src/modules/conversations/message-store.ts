/** Internal: checking and storing a message with its attachments (every message of the module is written here). */
import { createHash } from 'node:crypto';
import type { Principal, Tx } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { sanitize, htmlToText } from '../../platform/sanitize.js';
import type { NewEvent } from '../events/index.js';
import { recordChange } from '../changes/index.js';
import type { AttachmentInput, MessageInput } from './shared.js';

export function checkClientId(m: MessageInput, field = 'clientId') {
  if (m.clientId !== undefined && !/^[\w.:-]{1,100}$/.test(m.clientId)) throw invalid(field, 'letters, digits, . _ : - only, 1–100 characters');
}

/** The message already stored under this client id in the (locked) conversation, if any. */
export async function byClientId(tx: Tx, conversationId: string, clientId: string | undefined): Promise<string | null> {
  if (!clientId) return null;
  const r = await tx.query<{ id: string }>('SELECT id FROM messages WHERE conversation_id = $1 AND client_id = $2', [conversationId, clientId]);
  return r.rows[0]?.id ?? null;
}

export function messageBody(m: MessageInput, field = 'message') {
  checkClientId(m);
  const html = m.html ? sanitize(m.html) : null;
  const text = (m.text ?? (html ? htmlToText(html) : '')).trim();
  if (!text && !m.attachments?.length) throw invalid(`${field}/text`, 'a message needs text, html or an attachment');
  return { text, html };
}

export async function insertMessage(
  tx: Tx,
  accountId: string,
  conversationId: string,
  m: {
    kind: 'message' | 'note';
    direction: 'inbound' | 'outbound' | null;
    authorType: 'customer' | 'agent' | 'system';
    authorUserId?: string | null;
    authorCustomerId?: string | null;
    automatic?: boolean;
    text: string;
    html: string | null;
    language: string | null;
    at: Date;
    attachments?: AttachmentInput[];
    clientId?: string | null;
  },
): Promise<string> {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO messages (account_id, conversation_id, kind, direction, author_type, author_user_id, author_customer_id,
                           automatic, text, html, language, created_at, client_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [accountId, conversationId, m.kind, m.direction, m.authorType, m.authorUserId ?? null, m.authorCustomerId ?? null,
     m.automatic ?? false, m.text, m.html, m.language, m.at, m.clientId ?? null],
  );
  const id = r.rows[0].id;
  for (const [i, a] of (m.attachments ?? []).entries()) {
    if (!a.filename?.trim()) throw invalid(`attachments/${i}/filename`, 'must not be empty');
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(a.contentType ?? '')) throw invalid(`attachments/${i}/contentType`, `not a media type: '${a.contentType}'`);
    if (!a.content && !/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentBase64 ?? '')) throw invalid(`attachments/${i}/contentBase64`, 'not base64');
    const bytes = a.content ?? Buffer.from(a.contentBase64 ?? '', 'base64');
    await tx.query(
      `INSERT INTO attachments (account_id, message_id, filename, content_type, size, sha256, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [accountId, id, a.filename.trim().slice(0, 255), a.contentType, bytes.length, createHash('sha256').update(bytes).digest('hex'), bytes],
    );
  }
  return id;
}


/** The ending of a new message: its events, the realtime notice and the `message.created` webhook. */
export function messageEnding(
  tx: Tx,
  p: Principal,
  at: Date,
  events: NewEvent[],
  m: { conversationId: string; messageId: string; kind: 'reply' | 'customer' | 'note' },
) {
  return recordChange(tx, p, at, {
    events,
    change: { type: 'message.created', conversationId: m.conversationId, messageId: m.messageId },
    webhook: { event: 'message.created', data: m },
  });
}
