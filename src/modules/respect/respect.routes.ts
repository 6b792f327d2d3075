/** Respect API: measures (propose, approve/reject by a second person, revoke), appeals (decided by a third), report, settings. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import * as svc from './respect.service.js';
import * as S from './respect.schemas.js';

const TAGS = ['respect'];

// `satisfies`, not a type annotation: the plugin keeps its one-parameter signature, which the module contract expects.
const respectRoutes = (async (app) => {
  const ctx = app.ctx;

  app.get('/respect/settings', {
    schema: {
      tags: TAGS,
      summary: 'Respect settings: the cool-off (supervisor) queue and the warning templates per language, with the built-in defaults',
      response: { 200: S.Settings },
    },
  }, async (req) => (await svc.getSettings(ctx, who(req))) as S.Settings);

  app.put('/respect/settings', {
    schema: {
      tags: TAGS,
      summary: 'Change the cool-off queue and the warning templates (en, de, nb) (supervisor, admin)',
      body: S.SettingsBody,
      response: { 200: S.Settings },
    },
  }, async (req) => (await svc.updateSettings(ctx, who(req), req.body)) as S.Settings);

  app.get('/respect/measures', {
    schema: {
      tags: TAGS,
      summary: 'Measures, newest first; filter by status or customer; awaiting=me lists the proposals you may approve (not yours, you not abused)',
      querystring: S.MeasuresQuery,
      response: { 200: S.MeasureList },
    },
  }, async (req) => (await svc.listMeasures(ctx, who(req), req.query)) as S.MeasureList);

  app.post('/respect/measures', {
    schema: {
      tags: TAGS,
      summary: 'Report abuse: propose a measure (a warning is in force at once; beyond a warning it needs reason, evidence and a second person). Evidence that is only criticism is refused (422 criticism_protected)',
      body: S.ProposeBody,
      response: { 201: S.MeasureDetail },
    },
  }, async (req, reply) => reply.code(201).send((await svc.proposeMeasure(ctx, who(req), req.body)) as S.MeasureDetail));

  app.get('/respect/measures/:id', {
    schema: {
      tags: TAGS, summary: 'One measure with its evidence (classified) and appeals', params: S.IdParam, response: { 200: S.MeasureDetail },
    },
  }, async (req) => (await svc.getMeasure(ctx, who(req), req.params.id)) as S.MeasureDetail);

  app.post('/respect/measures/:id/approve', {
    schema: {
      tags: TAGS,
      summary: 'Approve a proposed measure: a second PERSON (supervisor, leader, admin) who is neither the reporter nor abused; tokens are refused',
      params: S.IdParam,
      body: S.Note,
      response: { 200: S.MeasureDetail },
    },
  }, async (req) => (await svc.approveMeasure(ctx, who(req), req.params.id, req.body)) as S.MeasureDetail);

  app.post('/respect/measures/:id/reject', {
    schema: {
      tags: TAGS, summary: 'Reject a proposed measure (the same four-eyes rule as approving)', params: S.IdParam, body: S.Note, response: { 200: S.MeasureDetail },
    },
  }, async (req) => (await svc.rejectMeasure(ctx, who(req), req.params.id, req.body)) as S.MeasureDetail);

  app.post('/respect/measures/:id/revoke', {
    schema: {
      tags: TAGS, summary: 'End an active measure early (supervisor, admin)', params: S.IdParam, body: S.Note, response: { 200: S.MeasureDetail },
    },
  }, async (req) => (await svc.revokeMeasure(ctx, who(req), req.params.id, req.body)) as S.MeasureDetail);

  app.post('/respect/measures/:id/appeals', {
    schema: {
      tags: TAGS,
      summary: "Record an appeal on the customer's behalf (agents)",
      params: S.IdParam,
      body: S.AppealBody,
      response: { 201: S.AppealRecorded },
    },
  }, async (req, reply) => reply.code(201).send((await svc.recordAppeal(ctx, who(req), req.params.id, req.body)) as S.AppealRecorded));

  app.get('/respect/appeals', {
    schema: { tags: TAGS, summary: 'Appeals, newest first (status=open: to decide)', querystring: S.AppealsQuery, response: { 200: S.AppealList } },
  }, async (req) => (await svc.listAppeals(ctx, who(req), req.query)) as S.AppealList);

  app.post('/respect/appeals/:id/decide', {
    schema: {
      tags: TAGS,
      summary: 'Decide an appeal: a THIRD person (not the reporter, not the approver, not abused); overturn lifts the measure at once; the customer is told',
      params: S.IdParam,
      body: S.DecideBody,
      response: { 200: S.MeasureDetail },
    },
  }, async (req) => (await svc.decideAppeal(ctx, who(req), req.params.id, req.body)) as S.MeasureDetail);

  app.get('/respect/report', {
    schema: {
      tags: TAGS,
      summary: 'Measures per reason category and kind, per status and per reporter; proposals refused as criticism; appeals (so retaliation would be visible) (supervisor, leader, admin)',
      querystring: S.ReportQuery,
      response: { 200: S.Report },
    },
  }, async (req) => (await svc.respectReport(ctx, who(req), req.query)) as S.Report);
}) satisfies FastifyPluginAsyncTypebox;
export default respectRoutes;
