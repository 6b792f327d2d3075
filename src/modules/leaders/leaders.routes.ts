/** Leaders routes under /api/v1: settings, absences, draws (with replay), items (prepare, answer, hand back), today, digest. */
import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as svc from './leaders.service.js';
import { previewDigest } from './digest.js';

const tags = ['leaders'];

export default async function leadersRoutes(app: App) {
  const ctx = app.ctx;
  app.get('/leaders', {
    schema: { tags, summary: 'Leaders with their settings, absences and this week’s count against the cap (anyone working conversations)' },
  }, async (req) => ({ items: await svc.listLeaders(ctx, who(req)) }));

  app.put('/leaders/:id/settings', {
    schema: {
      tags,
      summary: 'Make a user a leader or change their settings: requests per day, weekly cap, deputy, zone, digest hour, working days, de-duplication, strata (supervisor, admin)',
      params: IdParams,
      body: Type.Object({
        requestsPerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: 'default 2' })),
        weeklyCap: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, description: 'default 8' })),
        deputyId: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'a user who takes over above the cap or while absent' })),
        timezone: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'IANA zone; null = the account’s' })),
        digestHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23, description: 'local hour, default 7' })),
        workingDays: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7, description: 'ISO weekdays, 1 = Monday' })),
        dedupDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, description: 'never the same customer twice within this many days (default 30)' })),
        stratify: Type.Optional(Type.Array(Type.Union(svc.STRATA.map((s) => Type.Literal(s))), { maxItems: 3 })),
      }, { additionalProperties: false }),
    },
  }, async (req) => svc.saveSettings(ctx, who(req), req.params.id, req.body));

  app.post('/leaders/:id/absences', {
    schema: {
      tags,
      summary: 'Record an absence (inclusive local dates); requests go to the deputy meanwhile (supervisor, admin, or the person themself)',
      params: IdParams,
      body: Type.Object({ from: Type.String(), to: Type.String(), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.addAbsence(ctx, who(req), req.params.id, req.body)));

  app.delete('/leaders/:id/absences/:absenceId', {
    schema: {
      tags,
      summary: 'Remove an absence (supervisor, admin, or the person themself)',
      params: Type.Object({ id: Type.String(), absenceId: Type.String() }),
    },
  }, async (req, reply) => {
    await svc.removeAbsence(ctx, who(req), req.params.id, req.params.absenceId);
    return reply.code(204).send();
  });

  app.post('/leaders/draws', {
    schema: {
      tags,
      summary: 'Draw (or replay) the daily sample for one leader or all; idempotent per leader and day (supervisor, admin)',
      body: Type.Object({
        leaderId: Type.Optional(Type.String()),
        date: Type.Optional(Type.String({ description: 'local date, default today in the leader’s zone' })),
        seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'default: a random seed, stored with the draw' })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send({ items: await svc.drawAll(ctx, who(req), req.body ?? {}) }));

  app.get('/leaders/draws/:id', {
    schema: { tags, summary: 'A draw with its seed, candidates and the auditor’s replay (supervisor, leader, admin)', params: IdParams },
  }, async (req) => svc.getDraw(ctx, who(req), req.params.id));

  app.get('/leaders/items', {
    schema: {
      tags,
      summary: 'Sampled requests with their state and follow-through (anyone working conversations)',
      querystring: Type.Object({
        status: Type.Optional(Type.String({ description: 'drawn | prepared | answered | handed_back' })),
        leaderId: Type.Optional(Type.String()),
        conversationId: Type.Optional(Type.String()),
      }),
    },
  }, async (req) => ({ items: await svc.listItems(ctx, who(req), req.query) }));

  app.get('/leaders/items/:id', {
    schema: { tags, summary: 'The preparation view: the request, the conversation’s messages with findings, the customer’s journey and lived waits', params: IdParams },
  }, async (req) => svc.getItem(ctx, who(req), req.params.id));

  app.post('/leaders/items/:id/prepare', {
    schema: {
      tags,
      summary: 'Prepare a request for the leader: summary, proposed answer, notes (a team member, not the leader)',
      params: IdParams,
      body: Type.Object({
        summary: Type.String({ minLength: 1, maxLength: 5000 }),
        proposedAnswer: Type.String({ minLength: 1, maxLength: 50_000 }),
        notes: Type.Optional(Type.String({ maxLength: 5000 })),
      }, { additionalProperties: false }),
    },
  }, async (req) => svc.prepare(ctx, who(req), req.params.id, req.body));

  app.post('/leaders/items/:id/answer', {
    schema: {
      tags,
      summary: 'The leader answers in their own name through the customer’s channel (the leader or deputy it is assigned to)',
      params: IdParams,
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 200_000 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.answer(ctx, who(req), req.params.id, req.body)));

  app.post('/leaders/items/:id/hand-back', {
    schema: {
      tags,
      summary: 'Hand a request back to the team with a reason (the leader or deputy it is assigned to)',
      params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
    },
  }, async (req) => svc.handBack(ctx, who(req), req.params.id, req.body));

  app.get('/leaders/today', {
    schema: { tags, summary: 'The signed-in leader’s prepared requests (with history and journey) and those still being prepared' },
  }, async (req) => svc.today(ctx, who(req)));

  app.get('/leaders/:id/digest', {
    schema: { tags, summary: 'Preview a leader’s morning digest as it would be sent now (the leader, or supervisor/leader/admin with reports)', params: IdParams },
  }, async (req) => previewDigest(ctx, who(req), req.params.id));
}
