import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { IdParams, MessageBody, Paging, Uuid, UuidOrNull } from '../../server/schemas.js';
import * as svc from './index.js';
import {
  AttachmentDownload, Conversation, ConversationPage, MacroApplied, MacroPreview, Message, ViewCounts, Viewers,
} from './conversations.schemas.js';

const Status = Type.Union(svc.STATUSES.map((s) => Type.Literal(s)));
const Priority = Type.Union(svc.PRIORITIES.map((s) => Type.Literal(s)));
const Channel = Type.Union(['email', 'chat', 'web', 'phone', 'api'].map((s) => Type.Literal(s)));

const conversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      response: { 201: Conversation },
    },
  }, async (req, reply) => reply.code(201).send((await svc.createConversation(ctx, who(req), req.body)) as Conversation));

  app.get('/conversations', {
    schema: {
      tags,
      summary: 'List and search conversations (paged)',
      querystring: Type.Object({
        view: Type.Optional(Type.Union(svc.VIEWS.map((v) => Type.Literal(v)), {
          description: 'inbox view: all (default), open, mine, unassigned, sla_at_risk (first/next reply due within the hour or overdue), waiting (pending)',
        })),
        sort: Type.Optional(Type.Union(svc.SORTS.map((v) => Type.Literal(v)), {
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
  }, async (req) => svc.listConversations(ctx, who(req), { ...req.query, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }) as Promise<ConversationPage>);

  app.get('/conversations/counts', {
    schema: { tags, summary: 'How many conversations each inbox view holds, and the open ones per queue', response: { 200: ViewCounts } },
  }, async (req) => svc.viewCounts(ctx, who(req)) as Promise<ViewCounts>);

  app.get('/conversations/:id', { schema: { tags, summary: 'One conversation with its messages and viewers', params: IdParams, response: { 200: Conversation } } }, async (req) =>
    svc.getConversation(ctx, who(req), req.params.id) as Promise<Conversation>);

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
      response: { 200: Conversation },
    },
  }, async (req) => svc.updateConversation(ctx, who(req), req.params.id, req.body) as Promise<Conversation>);

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
      response: { 201: Message },
    },
  }, async (req, reply) => reply.code(201).send((await svc.reply(ctx, who(req), req.params.id, req.body)) as Message));

  app.post('/conversations/:id/notes', {
    schema: {
      tags,
      summary: 'Add an internal note',
      params: IdParams,
      body: Type.Object(MessageBody, { additionalProperties: false }),
      response: { 201: Message },
    },
  }, async (req, reply) => reply.code(201).send((await svc.addNote(ctx, who(req), req.params.id, req.body)) as Message));

  app.post('/conversations/:id/messages', {
    schema: {
      tags,
      summary: "Add the customer's follow-up message (integrations); reopens a solved conversation",
      params: IdParams,
      body: Type.Object(MessageBody, { additionalProperties: false }),
      response: { 201: Message },
    },
  }, async (req, reply) => reply.code(201).send((await svc.addCustomerMessage(ctx, who(req), req.params.id, req.body)) as Message));

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
      response: { 200: Conversation },
    },
  }, async (req) => svc.assignConversation(ctx, who(req), req.params.id, req.body) as Promise<Conversation>);

  app.post('/conversations/:id/tags', {
    schema: {
      tags,
      summary: 'Add and remove tags',
      params: IdParams,
      body: Type.Object({ add: Type.Optional(Type.Array(Type.String())), remove: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false }),
      response: { 200: Conversation },
    },
  }, async (req) => svc.changeTags(ctx, who(req), req.params.id, req.body) as Promise<Conversation>);

  app.post('/conversations/:id/merge', {
    schema: {
      tags,
      summary: 'Merge this conversation into another one',
      params: IdParams,
      body: Type.Object({ into: Type.String() }, { additionalProperties: false }),
      response: { 200: Conversation },
    },
  }, async (req) => svc.mergeConversations(ctx, who(req), req.params.id, req.body.into) as Promise<Conversation>);

  app.post('/conversations/:id/split', {
    schema: {
      tags,
      summary: 'Move some messages into a new conversation',
      params: IdParams,
      body: Type.Object({ messageIds: Type.Array(Type.String(), { minItems: 1 }), subject: Type.Optional(Type.String()) }, { additionalProperties: false }),
      response: { 201: Conversation },
    },
  }, async (req, reply) => reply.code(201).send((await svc.splitConversation(ctx, who(req), req.params.id, req.body)) as Conversation));

  app.post('/conversations/:id/viewing', {
    schema: {
      tags,
      summary: 'Collision detection: I am viewing or replying (renew every 20 s), or I left; lists the others',
      params: IdParams,
      body: Type.Object({ mode: Type.Union([Type.Literal('viewing'), Type.Literal('replying'), Type.Literal('left')]) }, { additionalProperties: false }),
      response: { 200: Viewers },
    },
  }, async (req) => svc.setViewing(ctx, who(req), req.params.id, req.body.mode) as Promise<Viewers>);

  app.get('/conversations/:id/macros/:macroId', {
    schema: {
      tags,
      summary: 'Preview a macro rendered for this conversation',
      params: Type.Object({ id: Type.String(), macroId: Type.String() }),
      response: { 200: MacroPreview },
    },
  }, async (req) => {
    const r = await svc.renderMacroFor(ctx, who(req), req.params.id, req.params.macroId);
    return { macroId: r.macro.id, kind: r.macro.kind, language: r.macro.language, text: r.text, actions: r.macro.actions };
  });

  app.post('/conversations/:id/macros/:macroId', {
    schema: {
      tags,
      summary: 'Apply a macro: post its reply or note and carry out its actions',
      params: Type.Object({ id: Type.String(), macroId: Type.String() }),
      response: { 201: MacroApplied },
    },
  }, async (req, reply) => reply.code(201).send((await svc.applyMacro(ctx, who(req), req.params.id, req.params.macroId)) as MacroApplied));

  app.get('/attachments/:id', {
    schema: { tags, summary: 'Download an attachment', params: IdParams, response: { 200: AttachmentDownload } },
  }, async (req, reply) => {
    const a = await svc.getAttachment(ctx, who(req), req.params.id);
    // Always a download, never rendered in our origin: an uploaded HTML file cannot run script here.
    reply.header('content-type', a.content_type);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`);
    reply.header('content-security-policy', "default-src 'none'; sandbox");
    return reply.send(Buffer.from(a.content));
  });
};
export default conversationRoutes;
