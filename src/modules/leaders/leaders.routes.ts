/** Leaders routes under /api/v1: settings, absences, draws (with replay), items (prepare, answer, hand back), today, digest. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as svc from './leaders.service.js';
import { previewDigest } from './digest.js';
import * as S from './leaders.schemas.js';

const tags = ['leaders'];

// `satisfies`, not a type annotation: the plugin keeps its one-parameter signature, which the module contract expects.
const leadersRoutes = (async (app) => {
  const ctx = app.ctx;
  app.get('/leaders', {
    schema: {
      tags,
      summary: 'Leaders with their settings, absences and this week’s count against the cap (anyone working conversations)',
      response: { 200: S.Items(S.Leader, 'LeaderList') },
    },
  }, async (req) => ({ items: (await svc.listLeaders(ctx, who(req))) as S.Leader[] }));

  app.put('/leaders/:id/settings', {
    schema: {
      tags,
      summary: 'Make a user a leader or change their settings: requests per day, weekly cap, deputy, zone, digest hour, working days, de-duplication, strata (supervisor, admin)',
      params: IdParams,
      body: S.SettingsBody,
      response: { 200: S.LeaderSettings },
    },
  }, async (req) => svc.saveSettings(ctx, who(req), req.params.id, req.body));

  app.post('/leaders/:id/absences', {
    schema: {
      tags,
      summary: 'Record an absence (inclusive local dates); requests go to the deputy meanwhile (supervisor, admin, or the person themself)',
      params: IdParams,
      body: S.AbsenceBody,
      response: { 201: S.Absence },
    },
  }, async (req, reply) => reply.code(201).send(await svc.addAbsence(ctx, who(req), req.params.id, req.body)));

  app.delete('/leaders/:id/absences/:absenceId', {
    schema: {
      tags,
      summary: 'Remove an absence (supervisor, admin, or the person themself)',
      params: S.AbsenceParams,
      response: { 204: Type.Null({ description: 'removed' }) },
    },
  }, async (req, reply) => {
    await svc.removeAbsence(ctx, who(req), req.params.id, req.params.absenceId);
    return reply.code(204).send(null);
  });

  app.post('/leaders/draws', {
    schema: {
      tags,
      summary: 'Draw (or replay) the daily sample for one leader or all; idempotent per leader and day (supervisor, admin)',
      body: S.DrawBody,
      response: { 201: S.Draws },
    },
  }, async (req, reply) => reply.code(201).send({ items: await svc.drawAll(ctx, who(req), req.body ?? {}) } as S.Draws));

  app.get('/leaders/draws/:id', {
    schema: {
      tags,
      summary: 'A draw with its seed, candidates and the auditor’s replay (supervisor, leader, admin)',
      params: IdParams,
      response: { 200: S.DrawReplay },
    },
  }, async (req) => (await svc.getDraw(ctx, who(req), req.params.id)) as S.DrawReplay);

  app.get('/leaders/items', {
    schema: {
      tags,
      summary: 'Sampled requests with their state and follow-through (anyone working conversations)',
      querystring: S.ItemsQuery,
      response: { 200: S.Items(S.Item, 'LeaderItemList') },
    },
  }, async (req) => ({ items: (await svc.listItems(ctx, who(req), req.query)) as S.Item[] }));

  app.get('/leaders/items/:id', {
    schema: {
      tags,
      summary: 'The preparation view: the request, the conversation’s messages with findings, the customer’s journey and lived waits',
      params: IdParams,
      response: { 200: S.ItemDetail },
    },
  }, async (req) => (await svc.getItem(ctx, who(req), req.params.id)) as S.ItemDetail);

  app.post('/leaders/items/:id/prepare', {
    schema: {
      tags,
      summary: 'Prepare a request for the leader: summary, proposed answer, notes (a team member, not the leader)',
      params: IdParams,
      body: S.PrepareBody,
      response: { 200: S.Item },
    },
  }, async (req) => (await svc.prepare(ctx, who(req), req.params.id, req.body)) as S.Item);

  app.post('/leaders/items/:id/answer', {
    schema: {
      tags,
      summary: 'The leader answers in their own name through the customer’s channel (the leader or deputy it is assigned to)',
      params: IdParams,
      body: S.AnswerBody,
      response: { 201: S.Answered },
    },
  }, async (req, reply) => reply.code(201).send((await svc.answer(ctx, who(req), req.params.id, req.body)) as S.Answered));

  app.post('/leaders/items/:id/hand-back', {
    schema: {
      tags,
      summary: 'Hand a request back to the team with a reason (the leader or deputy it is assigned to)',
      params: IdParams,
      body: S.HandBackBody,
      response: { 200: S.Item },
    },
  }, async (req) => (await svc.handBack(ctx, who(req), req.params.id, req.body)) as S.Item);

  app.get('/leaders/today', {
    schema: {
      tags,
      summary: 'The signed-in leader’s prepared requests (with history and journey) and those still being prepared',
      response: { 200: S.Today },
    },
  }, async (req) => (await svc.today(ctx, who(req))) as S.Today);

  app.get('/leaders/:id/digest', {
    schema: {
      tags,
      summary: 'Preview a leader’s morning digest as it would be sent now (the leader, or supervisor/leader/admin with reports)',
      params: IdParams,
      response: { 200: S.Digest },
    },
  }, async (req) => (await previewDigest(ctx, who(req), req.params.id)) as S.Digest);
}) satisfies FastifyPluginAsyncTypebox;
export default leadersRoutes;
