/** Response shapes of the email routes: mailboxes and their settings, an inbound email's details, outbound emails. */
import { Type, type Static, } from 'typebox';
import { DateTime, Nullable } from '../../../server/schemas.js';

const closed = { additionalProperties: false } as const;
/** A time: services hand Date objects (from pg) or ISO strings; both go out as an ISO string. */
const Uuid = Type.String({ format: 'uuid' });

export const Mailbox = Type.Object(
  {
    id: Uuid,
    accountId: Uuid,
    address: Type.String(),
    name: Type.String(),
    queueId: Nullable(Uuid),
    onClosed: Type.Union([Type.Literal('reopen'), Type.Literal('follow_up')], { description: 'what a reply to a closed conversation does' }),
    createdAt: DateTime(),
  },
  { ...closed, title: 'Mailbox' },
);
export const MailboxList = Type.Object({ items: Type.Array(Mailbox) }, { ...closed, title: 'MailboxList' });

export const MailboxSettings = Type.Object(
  { mailboxId: Type.String(), autoAck: Type.Boolean({ description: 'confirm new customer emails automatically' }) },
  { ...closed, title: 'MailboxSettings' },
);

const Bounce = Type.Object(
  {
    recipients: Type.Array(
      Type.Object({ address: Type.String(), action: Type.String(), status: Nullable(Type.String()), diagnostic: Nullable(Type.String()) }, closed),
    ),
    originalMessageId: Nullable(Type.String()),
  },
  { ...closed, title: 'EmailBounce' },
);

export const InboundEmail = Type.Object(
  {
    id: Uuid,
    mailboxId: Nullable(Uuid),
    conversationId: Nullable(Uuid),
    messageId: Nullable(Uuid),
    source: Type.Union([Type.Literal('smtp'), Type.Literal('imap')]),
    rfcMessageId: Type.String(),
    inReplyTo: Nullable(Type.String()),
    references: Type.Array(Type.String()),
    from: Nullable(Type.String()),
    fromName: Nullable(Type.String()),
    to: Type.Array(Type.String()),
    cc: Type.Array(Type.String()),
    subject: Type.String(),
    date: Nullable(DateTime()),
    autoKind: Nullable(Type.Union([Type.Literal('auto_reply'), Type.Literal('bulk'), Type.Literal('list'), Type.Literal('bounce')])),
    threadedBy: Nullable(Type.String()),
    quotedText: Nullable(Type.String()),
    bounce: Nullable(Bounce),
    rawSize: Type.Integer(),
    receivedAt: DateTime(),
  },
  { ...closed, title: 'InboundEmail' },
);
export type InboundEmail = Static<typeof InboundEmail>;

const OutboundEmail = Type.Object(
  {
    id: Uuid,
    kind: Type.Union([Type.Literal('reply'), Type.Literal('system')]),
    messageId: Nullable(Uuid),
    status: Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed')]),
    from: Nullable(Type.String()),
    to: Type.Array(Type.String()),
    subject: Type.String(),
    rfcMessageId: Nullable(Type.String()),
    inReplyTo: Nullable(Type.String()),
    attempts: Type.Integer(),
    lastError: Nullable(Type.String()),
    nextAttemptAt: Nullable(DateTime()),
    createdAt: DateTime(),
    sentAt: Nullable(DateTime()),
  },
  { ...closed, title: 'OutboundEmail' },
);
export type OutboundEmail = Static<typeof OutboundEmail>;
export const OutboundEmailList = Type.Object({ items: Type.Array(OutboundEmail) }, { ...closed, title: 'OutboundEmailList' });
