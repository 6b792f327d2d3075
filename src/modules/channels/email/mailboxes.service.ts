/**
 * Mailboxes: the addresses that receive email for an account. The SMTP listener finds the account of a message by its
 * recipient: a mailbox address, or a reply address reply+<conversation reply_token>@<a domain of the account's
 * mailboxes>. Addresses are lower-case and unique across all accounts, and their domain belongs to the account
 * (domains.service.ts): an address in another account's domain neither is accepted nor receives mail.
 */
import type { Ctx, Principal, Tx } from '../../../platform/context.js';
import { requireCap } from '../../../platform/context.js';
import { conflict, invalid, isUuid, notFound } from '../../../platform/errors.js';
import { audit } from '../../audit/index.js';
import { requireOwnDomain } from './domains.service.js';

export const ON_CLOSED = ['reopen', 'follow_up'] as const;
export type OnClosed = (typeof ON_CLOSED)[number];

export interface Mailbox {
  id: string;
  accountId: string;
  address: string;
  name: string;
  queueId: string | null;
  onClosed: OnClosed;
  createdAt: Date;
}

const COLS = `id, account_id AS "accountId", address, name, queue_id AS "queueId", on_closed AS "onClosed", created_at AS "createdAt"`;

const M_COLS = `m.id, m.account_id AS "accountId", m.address, m.name, m.queue_id AS "queueId", m.on_closed AS "onClosed", m.created_at AS "createdAt"`;

const ADDRESS = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export function normaliseAddress(a: string, field = 'address'): string {
  const v = a.trim().toLowerCase();
  if (v.length > 254 || !ADDRESS.test(v)) throw invalid(field, `'${a}' is not an email address`);
  if (/^reply\+/.test(v)) throw invalid(field, "addresses starting with 'reply+' are the conversations' reply addresses");
  return v;
}

/**
 * The domain of a mailbox's address. Replies to a conversation go out from the mailbox with the reply address
 * `reply+<conversations.reply_token>@<this domain>`; inbound accepts that address for any domain of the account's
 * mailboxes.
 */
export function mailboxDomainAddress(mailbox: Pick<Mailbox, 'address'>): string {
  return mailbox.address.slice(mailbox.address.lastIndexOf('@') + 1);
}

/** The reply address of a conversation on a mailbox. */
export function replyAddress(mailbox: Pick<Mailbox, 'address'>, replyToken: string): string {
  return `reply+${replyToken}@${mailboxDomainAddress(mailbox)}`;
}

function onClosedOf(v: string | undefined): OnClosed | undefined {
  if (v === undefined) return undefined;
  const n = v.replace('-', '_');
  if (!(ON_CLOSED as readonly string[]).includes(n)) throw invalid('onClosed', `must be reopen or follow_up, got '${v}'`);
  return n as OnClosed;
}

async function checkQueue(tx: Tx, accountId: string, queue: string | null | undefined): Promise<string | null> {
  if (!queue) return null;
  // An id, or a queue name (the CLI takes names).
  const r = await tx.query<{ id: string }>(
    'SELECT id FROM queues WHERE account_id = $1 AND (id = $2::uuid OR ($2::uuid IS NULL AND lower(name) = lower($3))) LIMIT 1',
    [accountId, isUuid(queue) ? queue : null, queue],
  );
  if (!r.rows[0]) throw invalid('queueId', `unknown queue '${queue}'`);
  return r.rows[0].id;
}

export async function listMailboxes(ctx: Ctx, p: Principal): Promise<Mailbox[]> {
  requireCap(p, 'manage');
  const r = await ctx.db.query<Mailbox>(`SELECT ${COLS} FROM mailboxes WHERE account_id = $1 ORDER BY address`, [p.accountId]);
  return r.rows;
}

export async function getMailbox(ctx: Ctx, p: Principal, id: string): Promise<Mailbox> {
  requireCap(p, 'manage');
  if (!isUuid(id)) throw notFound('Mailbox');
  const r = await ctx.db.query<Mailbox>(`SELECT ${COLS} FROM mailboxes WHERE account_id = $1 AND id = $2`, [p.accountId, id]);
  if (!r.rows[0]) throw notFound('Mailbox');
  return r.rows[0];
}

export interface MailboxInput {
  address: string;
  name?: string;
  queueId?: string | null;
  onClosed?: string;
}

function isUniqueViolation(err: any) {
  return err?.code === '23505';
}

export async function createMailbox(ctx: Ctx, p: Principal, input: MailboxInput): Promise<Mailbox> {
  requireCap(p, 'admin');
  const address = normaliseAddress(input.address);
  const onClosed = onClosedOf(input.onClosed) ?? 'reopen';
  try {
    return await ctx.db.transaction(async (tx) => {
      await requireOwnDomain(tx, p.accountId, address);
      const queueId = await checkQueue(tx, p.accountId, input.queueId);
      const r = await tx.query<Mailbox>(
        `INSERT INTO mailboxes (account_id, address, name, queue_id, on_closed) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLS}`,
        [p.accountId, address, (input.name ?? '').trim().slice(0, 200), queueId, onClosed],
      );
      await audit(tx, p, 'mailbox.created', { type: 'mailbox', id: r.rows[0].id }, { address });
      return r.rows[0];
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('mailbox_exists', `The address ${address} is already a mailbox`);
    throw err;
  }
}

export async function updateMailbox(ctx: Ctx, p: Principal, id: string, patch: Partial<MailboxInput>): Promise<Mailbox> {
  requireCap(p, 'admin');
  await getMailbox(ctx, p, id);
  const address = patch.address !== undefined ? normaliseAddress(patch.address) : null;
  const onClosed = onClosedOf(patch.onClosed) ?? null;
  try {
    return await ctx.db.transaction(async (tx) => {
      if (address) await requireOwnDomain(tx, p.accountId, address);
      const queueId = patch.queueId ? await checkQueue(tx, p.accountId, patch.queueId) : null;
      const r = await tx.query<Mailbox>(
        `UPDATE mailboxes SET address = coalesce($3, address), name = coalesce($4, name),
                queue_id = CASE WHEN $5 THEN $6::uuid ELSE queue_id END, on_closed = coalesce($7, on_closed)
          WHERE account_id = $1 AND id = $2 RETURNING ${COLS}`,
        [p.accountId, id, address, patch.name?.trim().slice(0, 200) ?? null, patch.queueId !== undefined, queueId, onClosed],
      );
      await audit(tx, p, 'mailbox.updated', { type: 'mailbox', id }, { ...patch });
      return r.rows[0];
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('mailbox_exists', `The address ${address} is already a mailbox`);
    throw err;
  }
}

export async function deleteMailbox(ctx: Ctx, p: Principal, id: string): Promise<void> {
  requireCap(p, 'admin');
  const m = await getMailbox(ctx, p, id);
  await ctx.db.transaction(async (tx) => {
    await tx.query('DELETE FROM mailboxes WHERE account_id = $1 AND id = $2', [p.accountId, id]);
    await audit(tx, p, 'mailbox.deleted', { type: 'mailbox', id }, { address: m.address });
  });
}

export interface Recipient {
  mailbox: Mailbox;
  /** Set when the recipient was a conversation's reply address. */
  conversationId: string | null;
}

/** SQL: the mailbox (alias `m`) is not in a domain another account holds; such a mailbox neither receives nor sends. */
export const OWN_DOMAIN = (m: string) =>
  `NOT EXISTS (SELECT 1 FROM mail_domains d WHERE d.domain = split_part(${m}.address, '@', 2) AND d.account_id <> ${m}.account_id)`;

const REPLY = /^reply\+([a-z0-9]{8,64})@(.+)$/;

/**
 * The mailbox a recipient address belongs to, or null (then the SMTP listener answers 550). A reply address
 * reply+<token>@<domain> belongs to the account of that conversation when <domain> is a domain of one of its
 * mailboxes; support+anything@acme.test is support@acme.test.
 */
export async function findRecipient(tx: Tx, rcpt: string): Promise<Recipient | null> {
  const a = rcpt.trim().toLowerCase().replace(/^<|>$/g, '');
  const reply = REPLY.exec(a);
  if (reply) {
    const r = await tx.query<Mailbox & { conversationId: string }>(
      `SELECT ${M_COLS}, c.id AS "conversationId"
         FROM conversations c JOIN mailboxes m ON m.account_id = c.account_id AND split_part(m.address, '@', 2) = $2
        WHERE c.reply_token = $1 AND ${OWN_DOMAIN('m')} ORDER BY m.created_at LIMIT 1`,
      [reply[1], reply[2]],
    );
    if (!r.rows[0]) return null;
    const { conversationId, ...mailbox } = r.rows[0];
    return { mailbox, conversationId };
  }
  const plain = a.replace(/\+[^@]*@/, '@');
  const r = await tx.query<Mailbox>(`SELECT ${COLS} FROM mailboxes m WHERE (address = $1 OR address = $2) AND ${OWN_DOMAIN('m')} ORDER BY address = $1 DESC LIMIT 1`, [a, plain]);
  return r.rows[0] ? { mailbox: r.rows[0], conversationId: null } : null;
}
