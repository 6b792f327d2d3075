import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { who } from '../../server/auth.js';
import { IdParams, MessageBody, NullableString, Paging, Uuid, UuidOrNull } from '../../server/schemas.js';
import { PRIORITIES, STATUSES } from './shared.js';
import { createConversation } from './create.js';
import { getAttachment, getConversation } from './read.js';
import { listConversations, SORTS, viewCounts, VIEWS } from './views.js';
import { addCustomerMessage, addNote, reply as replyTo } from './messages.js';
import { assignConversation, changeTags, updateConversation } from './update.js';
import { mergeConversations, splitConversation } from './merge.js';
import { setViewing } from './viewers.js';
import { applyMacro, renderMacroFor } from './macros.js';

const Status = Type.Union(STATUSES.map((s) => Type.Literal(s)));
const Priority = Type.Union(PRIORITIES.map((s) => Type.Literal(s)));
const Channel = Type.Union(['email', 'chat', 'web', 'phone', 'api'].map((s) => Type.Literal(s)));

/**
 * A conversation as the API answers it. The fields the API promises are typed; the rest (dates, sla, customer,
 * messages, viewers, list previews) pass through unchanged (additionalProperties: response schemas also serialize,
 * and must never drop a field).
 */
export const ConversationOut = Type.Unsafe<any>(Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    number: Type.Integer({ minimum: 1 }),
    subject: NullableString,
    status: Status,
    priority: Priority,
    channel: Type.String(),
    queueId: NullableString,
    assigneeId: NullableString,
    customerId: NullableString,
    tags: Type.Array(Type.String()),
    customFields: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: true },
));
const ConversationPage = Type.Unsafe<any>(Type.Object(
  { items: Type.Array(ConversationOut), total: Type.Integer({ minimum: 0 }), limit: Type.Integer(), offset: Type.Integer() },
  { additionalProperties: true },
));

export default async function conversationRoutes(app: App) {
  const ctx = app.ctx;
  const tags = ['conversations'];

  app.post('/conversations', {
    schema: {
      tags,
      summary: 'Create a conversation from a customer message',
      body: Type.Object({
        customer: Type.Object({
          email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
          name: Type.Optional(Type.String({ maxLength: 200 })),
          phone: Type.Optional(Type.String({ maxLength: 40 })),
          externalId: Type.Optional(Type.String({ maxLength: 200 })),
          chatVisitorId: Type.Optional(Type.String({ maxLength: 200 })),
          language: Type.Optional(Type.String({ maxLength: 10 })),
        }, { additionalProperties: false }),
        channel: Channel,
        subject: Type.Optional(Type.String({ maxLength: 1000 })),
        message: Type.Object(MessageBody, { additionalProperties: false }),
        queueId: Type.Optional(Uuid()),
        priority: Type.Optional(Priority),
        tags: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
        customFields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        assigneeId: Type.Optional(Uuid()),
      }, { additionalProperties: false }),
      response: { 201: ConversationOut },
    },
  }, async (req, reply) => reply.code(201).send(await createConversation(ctx, who(req), req.body)));

  app.get('/conversations', {
    schema: {
      tags,
      summary: 'List and search conversations (paged)',
      querystring: Type.Object({
        view: Type.Optional(Type.Union(VIEWS.map((v) => Type.Literal(v)), {
          description: 'inbox view: all (default), open, mine, unassigned, sla_at_risk (first/next reply due within the hour or overdue), waiting (pending)',
        })),
        sort: Type.Optional(Type.Union(SORTS.map((v) => Type.Literal(v)), {
          description: 'activity (newest first, default), oldest, due (soonest reply due first; default for sla_at_risk), priority, number',
        })),
        status: Type.Optional(Type.String({ description: 'one or several, comma-separated' })),
        queue: Type.Optional(Type.String()),
        assignee: Type.Optional(Type.String({ description: "user id, 'me' or 'none'" })),
        customer: Type.Optional(Type.String()),
        tag: Type.Optional(Type.String()),
        channel: Type.Optional(Type.String()),
        priority: Type.Optional(Type.String()),
        q: Type.Optional(Type.String({ maxLength: 500, description: 'full-text search (English, German, Norwegian)' })),
        number: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'the conversation with this number' })),
        ...Paging,
      }),
      response: { 200: ConversationPage },
    },
  }, async (req) => listConversations(ctx, who(req), { ...req.query, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));

  app.get('/conversations/counts', {
    schema: { tags, summary: 'How many conversations each inbox view holds, and the open ones per queue' },
  }, async (req) => viewCounts(ctx, who(req)));

  app.get('/conversations/:id', { schema: { tags, summary: 'One conversation with its messages and viewers', params: IdParams, response: { 200: ConversationOut } } }, async (req) =>
    getConversation(ctx, who(req), req.params.id));

  app.patch('/conversations/:id', {
    schema: {
      tags,
      summary: 'Change status, priority, queue, assignee, tags, custom fields or subject',
      params: IdParams,
      body: Type.Object({
        status: Type.Optional(Status),
        priority: Type.Optional(Priority),
        queueId: Type.Optional(UuidOrNull()),
        assigneeId: Type.Optional(UuidOrNull()),
        tags: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
        customFields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        subject: Type.Optional(Type.String({ maxLength: 1000 })),
      }, { additionalProperties: false }),
      response: { 200: ConversationOut },
    },
  }, async (req) => updateConversation(ctx, who(req), req.params.id, req.body));

  app.post('/conversations/:id/replies', {
    schema: {
      tags,
      summary: 'Reply to the customer',
      description: 'Pass lastSeenMessageId to be told (409 newer_messages) when the customer or a colleague wrote meanwhile.',
      params: IdParams,
      body: Type.Object({
        ...MessageBody,
        status: Type.Optional(Status),
        automatic: Type.Optional(Type.Boolean({ description: 'sent by a bot; never counts as a human answer' })),
        lastSeenMessageId: Type.Optional(Type.String()),
        force: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await replyTo(ctx, who(req), req.params.id, req.body)));

  app.post('/conversations/:id/notes', {
    schema: { tags, summary: 'Add an internal note', params: IdParams, body: Type.Object(MessageBody, { additionalProperties: false }) },
  }, async (req, reply) => reply.code(201).send(await addNote(ctx, who(req), req.params.id, req.body)));

  app.post('/conversations/:id/messages', {
    schema: {
      tags,
      summary: "Add the customer's follow-up message (integrations); reopens a solved conversation",
      params: IdParams,
      body: Type.Object(MessageBody, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await addCustomerMessage(ctx, who(req), req.params.id, req.body)));

  app.post('/conversations/:id/assign', {
    schema: {
      tags,
      summary: 'Assign to a user, unassign (null), or assign automatically by round robin or load',
      params: IdParams,
      body: Type.Object({
        assigneeId: Type.Optional(UuidOrNull()),
        auto: Type.Optional(Type.Boolean()),
        mode: Type.Optional(Type.Union([Type.Literal('round_robin'), Type.Literal('load')])),
      }, { additionalProperties: false }),
      response: { 200: ConversationOut },
    },
  }, async (req) => assignConversation(ctx, who(req), req.params.id, req.body));

  app.post('/conversations/:id/tags', {
    schema: {
      tags,
      summary: 'Add and remove tags',
      params: IdParams,
      body: Type.Object({ add: Type.Optional(Type.Array(Type.String())), remove: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false }),
    },
  }, async (req) => changeTags(ctx, who(req), req.params.id, req.body));

  app.post('/conversations/:id/merge', {
    schema: {
      tags,
      summary: 'Merge this conversation into another one',
      params: IdParams,
      body: Type.Object({ into: Type.String() }, { additionalProperties: false }),
    },
  }, async (req) => mergeConversations(ctx, who(req), req.params.id, req.body.into));

  app.post('/conversations/:id/split', {
    schema: {
      tags,
      summary: 'Move some messages into a new conversation',
      params: IdParams,
      body: Type.Object({ messageIds: Type.Array(Type.String(), { minItems: 1 }), subject: Type.Optional(Type.String()) }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await splitConversation(ctx, who(req), req.params.id, req.body)));

  app.post('/conversations/:id/viewing', {
    schema: {
      tags,
      summary: 'Collision detection: I am viewing or replying (renew every 20 s), or I left; lists the others',
      params: IdParams,
      body: Type.Object({ mode: Type.Union([Type.Literal('viewing'), Type.Literal('replying'), Type.Literal('left')]) }, { additionalProperties: false }),
    },
  }, async (req) => setViewing(ctx, who(req), req.params.id, req.body.mode));

  app.get('/conversations/:id/macros/:macroId', {
    schema: {
      tags,
      summary: 'Preview a macro rendered for this conversation',
      params: Type.Object({ id: Type.String(), macroId: Type.String() }),
    },
  }, async (req) => {
    const r = await renderMacroFor(ctx, who(req), req.params.id, req.params.macroId);
    return { macroId: r.macro.id, kind: r.macro.kind, language: r.macro.language, text: r.text, actions: r.macro.actions };
  });

  app.post('/conversations/:id/macros/:macroId', {
    schema: {
      tags,
      summary: 'Apply a macro: post its reply or note and carry out its actions',
      params: Type.Object({ id: Type.String(), macroId: Type.String() }),
    },
  }, async (req, reply) => reply.code(201).send(await applyMacro(ctx, who(req), req.params.id, req.params.macroId)));

  app.get('/attachments/:id', { schema: { tags, summary: 'Download an attachment', params: IdParams } }, async (req, reply) => {
    const a = await getAttachment(ctx, who(req), req.params.id);
    // Always a download, never rendered in our origin: an uploaded HTML file cannot run script here.
    reply.header('content-type', a.content_type);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`);
    reply.header('content-security-policy', "default-src 'none'; sandbox");
    return reply.send(Buffer.from(a.content));
  });
}
