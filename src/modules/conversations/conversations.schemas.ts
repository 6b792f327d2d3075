/**
 * What the conversation routes answer, field by field (the SELECTs in conversations.service.ts: CONV_COLS,
 * MESSAGE_COLS, the list's preview columns). Response schemas also serialize: a field missing here is dropped from
 * the answer, so a column added to a SELECT is added here too (the strict response check in the tests fails until it is).
 */
import { Type, type Static, } from 'typebox';
import { Closed, DateTime, Nullable, OneOf } from '../../server/schemas.js';
import { PRIORITIES, SORTS, STATUSES, VIEWS } from './index.js';

const Id = Type.String({ format: 'uuid' });
/** An instant: the service hands over a Date (or a JSON-built string), the answer carries the ISO string. */

/** One of these strings (`type: string` beside `enum`: generated clients type it as a union of strings). */
const Status = OneOf(STATUSES);
const Priority = OneOf(PRIORITIES);
const Channel = OneOf(['email', 'chat', 'web', 'phone', 'api']);
const View = OneOf(VIEWS);
const Sort = OneOf(SORTS);
const SlaMetric = OneOf(['first_reply', 'next_reply', 'resolution']);
const AuthorType = OneOf(['customer', 'agent', 'system']);

const Sla = Type.Object(
  {
    firstReplyDueAt: Nullable(DateTime()),
    nextReplyDueAt: Nullable(DateTime()),
    resolutionDueAt: Nullable(DateTime()),
    firstRepliedAt: Nullable(DateTime()),
    breached: Type.Array(SlaMetric, { description: 'the metrics breached at least once' }),
    breaches: Type.Array(
      Type.Object(
        {
          metric: SlaMetric,
          dueAt: DateTime(),
          breachedAt: DateTime({ description: 'when the target was missed (the due time)' }),
          detectedAt: Nullable(DateTime({ description: 'when the check ran (later if the server was down)' })),
        },
        { ...Closed, title: 'SlaBreach' },
      ),
    ),
  },
  { ...Closed, title: 'ConversationSla' },
);

const Identity = Type.Object(
  { kind: OneOf(['email', 'phone', 'chat', 'external']), value: Type.String() },
  { ...Closed, title: 'CustomerIdentity' },
);
const ConversationCustomer = Type.Object(
  { id: Id, name: Nullable(Type.String()), language: Nullable(Type.String()), identities: Type.Array(Identity) },
  { ...Closed, title: 'ConversationCustomer' },
);

/** The columns every conversation answer has (CONV_COLS). */
const conversationFields = {
  id: Id,
  number: Type.Integer({ minimum: 1 }),
  subject: Type.String(),
  status: Status,
  priority: Priority,
  channel: Channel,
  queueId: Nullable(Id),
  assigneeId: Nullable(Id),
  customerId: Id,
  tags: Type.Array(Type.String()),
  customFields: Type.Record(Type.String(), Type.Unknown()),
  language: Nullable(Type.String()),
  mergedInto: Nullable(Id),
  splitFrom: Nullable(Id),
  automatic: Type.Boolean({ description: 'opened by an automatic message (out-of-office, bounce)' }),
  followUpOf: Nullable(Id),
  sla: Sla,
  threat: Type.Boolean({ description: 'a customer threatened staff in this conversation (listening)' }),
  solvedAt: Nullable(DateTime()),
  lastMessageAt: DateTime(),
  createdAt: DateTime(),
  updatedAt: DateTime(),
  customer: ConversationCustomer,
};

export const MessageAttachment = Type.Object(
  { id: Id, filename: Type.String(), contentType: Type.String(), size: Type.Integer({ minimum: 0 }) },
  { ...Closed, title: 'MessageAttachment' },
);

const messageFields = {
  id: Id,
  kind: OneOf(['message', 'note']),
  direction: Nullable(OneOf(['inbound', 'outbound'])),
  authorType: AuthorType,
  authorUserId: Nullable(Id),
  authorCustomerId: Nullable(Id),
  automatic: Type.Boolean(),
  text: Type.String(),
  html: Nullable(Type.String()),
  language: Nullable(Type.String()),
  createdAt: DateTime(),
  hasQuoted: Type.Boolean({ description: 'an email whose quoted history was split off (shown on request)' }),
  attachments: Type.Array(MessageAttachment),
};
/** A message inside a conversation. */
export const ConversationMessage = Type.Object(messageFields, { ...Closed, title: 'ConversationMessage' });
/** A message answered on its own (reply, note, customer message): it names its conversation. */
export const Message = Type.Object({ ...messageFields, conversationId: Id }, { ...Closed, title: 'Message' });
export type Message = Static<typeof Message>;

export const Viewer = Type.Object(
  { userId: Id, name: Type.String(), mode: OneOf(['viewing', 'replying']), expiresAt: DateTime() },
  { ...Closed, title: 'Viewer' },
);

/** One conversation with its messages and current viewers. */
export const Conversation = Type.Object(
  { ...conversationFields, messages: Type.Array(ConversationMessage), viewers: Type.Array(Viewer) },
  { ...Closed, title: 'Conversation' },
);
export type Conversation = Static<typeof Conversation>;

/** A row of the inbox list: the conversation with its last message's preview and the names it shows. */
export const ConversationRow = Type.Object(
  {
    ...conversationFields,
    preview: Nullable(Type.String({ description: 'the first 200 characters of the last message' })),
    previewAuthorType: Nullable(AuthorType),
    previewAuthorId: Nullable(Id),
    previewAuthorName: Nullable(Type.String()),
    assigneeName: Nullable(Type.String()),
    queueName: Nullable(Type.String()),
  },
  { ...Closed, title: 'ConversationRow' },
);

export const ConversationPage = Type.Object(
  {
    items: Type.Array(ConversationRow),
    total: Type.Integer({ minimum: 0 }),
    limit: Type.Integer({ minimum: 1 }),
    offset: Type.Integer({ minimum: 0 }),
    view: View,
    sort: Sort,
  },
  { ...Closed, title: 'ConversationPage' },
);
export type ConversationPage = Static<typeof ConversationPage>;

const Count = Type.Integer({ minimum: 0 });
export const ViewCounts = Type.Object(
  {
    views: Type.Object(
      Object.fromEntries(VIEWS.map((v) => [v, Count])) as Record<(typeof VIEWS)[number], typeof Count>,
      { ...Closed, title: 'ViewCountsByView', description: 'mine is 0 for an API token' },
    ),
    queues: Type.Array(Type.Object({ id: Id, name: Type.String(), open: Count }, { ...Closed, title: 'QueueOpenCount' })),
    slaRiskMinutes: Type.Integer({ description: 'how far ahead a due reply counts as at risk' }),
  },
  { ...Closed, title: 'ViewCounts' },
);
export type ViewCounts = Static<typeof ViewCounts>;

export const Viewers = Type.Object(
  { others: Type.Array(Viewer, { description: 'everyone else viewing or replying now' }) },
  { ...Closed, title: 'Viewers' },
);
export type Viewers = Static<typeof Viewers>;

/** A macro's actions as stored (macros.service.ts MacroActions). */
const MacroActions = Type.Object(
  {
    status: Type.Optional(OneOf(['open', 'pending', 'on_hold', 'solved'])),
    priority: Type.Optional(Priority),
    addTags: Type.Optional(Type.Array(Type.String())),
    queueId: Type.Optional(Id),
  },
  { ...Closed, title: 'ConversationMacroActions' },
);

export const MacroPreview = Type.Object(
  {
    macroId: Id,
    kind: OneOf(['reply', 'note']),
    language: Nullable(OneOf(['en', 'de', 'nb'])),
    text: Type.String({ description: 'the macro body with the placeholders filled in for this conversation' }),
    actions: MacroActions,
  },
  { ...Closed, title: 'MacroPreview' },
);

export const MacroApplied = Type.Object(
  { message: Message, conversation: Conversation },
  { ...Closed, title: 'MacroApplied' },
);
export type MacroApplied = Static<typeof MacroApplied>;

export const AttachmentDownload = {
  description: "The attachment's bytes, always as a download (Content-Disposition: attachment), with its own content type",
  content: { 'application/octet-stream': { schema: Type.Unsafe<Uint8Array>(Type.String({ format: 'binary' })) } },
};
