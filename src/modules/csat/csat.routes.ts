/** Satisfaction API under /api/v1: settings (admin), report and points (reports), one conversation's survey state (agents). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as svc from './csat.service.js';
import * as S from './csat.schemas.js';

// `satisfies`, not a type annotation: the plugin keeps its one-parameter signature, which the module contract expects.
const csatRoutes = (async (app) => {
  const ctx = app.ctx;

  app.get('/csat/settings', {
    schema: {
      tags: ['csat'],
      summary: 'Satisfaction survey settings: enabled, delay after solved, reminder days, link expiry, question per language (admin)',
      response: { 200: S.Settings },
    },
  }, async (req) => svc.getSettings(ctx, who(req)));

  app.put('/csat/settings', {
    schema: {
      tags: ['csat'],
      summary: 'Change the satisfaction survey settings; a question set to null or empty falls back to the default wording (admin)',
      body: S.SettingsBody,
      response: { 200: S.Settings },
    },
  }, async (req) => svc.updateSettings(ctx, who(req), req.body));

  app.get('/csat/report', {
    schema: {
      tags: ['csat'],
      summary: 'Satisfaction: responses, response rate, average, CSAT (% of 4–5), per queue and channel, latest comments (supervisor, leader, admin)',
      querystring: S.Filter,
      response: { 200: S.Report },
    },
  }, async (req) => (await svc.report(ctx, who(req), req.query)) as S.Report);

  app.get('/csat/points', {
    schema: {
      tags: ['csat'],
      summary: "Satisfaction against waits: per answer the lived wait of the customer's journey, the reported queue wait and the score; averages by lived-wait bucket (supervisor, leader, admin)",
      querystring: S.Filter,
      response: { 200: S.Points },
    },
  }, async (req) => (await svc.points(ctx, who(req), req.query)) as S.Points);

  app.get('/conversations/:id/csat', {
    schema: {
      tags: ['csat'],
      summary: "A conversation's satisfaction survey (route, sent, reminded, expiry) and the customer's answer (agents)",
      params: IdParams,
      response: { 200: S.ConversationState },
    },
  }, async (req) => (await svc.conversationState(ctx, who(req), req.params.id)) as S.ConversationState);
}) satisfies FastifyPluginAsyncTypebox;
export default csatRoutes;
