/** Service with heart under /api/v1/heart: goodwill budgets and spends, exceptions, the report, moments and kudos. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import { invalid } from '../../platform/errors.js';
import * as svc from './heart.service.js';
import * as S from './heart.schemas.js';

// `satisfies`, not a type annotation: the plugin keeps its one-parameter signature, which the module contract expects.
const heartRoutes = (async (app) => {
  const ctx = app.ctx;

  app.get('/heart/settings', {
    schema: {
      tags: ['heart'],
      summary: 'Goodwill settings: currency, approval threshold, default monthly budgets of agents and teams (agents)',
      response: { 200: S.HeartSettings },
    },
  }, async (req) => svc.getSettings(ctx, who(req)));

  app.put('/heart/settings', {
    schema: { tags: ['heart'], summary: 'Change the goodwill settings (supervisor, admin)', body: S.SettingsBody, response: { 200: S.HeartSettings } },
  }, async (req) => svc.updateSettings(ctx, who(req), req.body));

  app.put('/heart/budgets', {
    schema: {
      tags: ['heart'],
      summary: 'Set the goodwill budget of one agent or team for one month (supervisor, admin)',
      body: S.BudgetBody,
      response: { 200: S.Budget },
    },
  }, async (req) => svc.setBudget(ctx, who(req), req.body));

  app.get('/heart/report', {
    schema: {
      tags: ['heart'],
      summary: 'Goodwill of a month per agent and team (budget, spent, pending, remaining), per kind, exceptions; agents see their own',
      querystring: Type.Object({ month: Type.Optional(S.Month) }),
      response: { 200: S.HeartReport },
    },
  }, async (req) => (await svc.report(ctx, who(req), req.query)) as S.HeartReport);

  app.get('/heart/conversations/:id', {
    schema: {
      tags: ['heart'],
      summary: 'A conversation’s heart panel: why listening raised its priority (urgency, evidence, change), its goodwill, exceptions and moments',
      params: IdParams,
      response: { 200: S.ConversationHeart },
    },
  }, async (req) => (await svc.conversationHeart(ctx, who(req), req.params.id)) as S.ConversationHeart);

  app.post('/heart/conversations/:id/spends', {
    schema: {
      tags: ['heart'],
      summary: 'Spend goodwill on a conversation from your own and your team’s budget; pending approval above the threshold or beyond a remaining budget',
      params: IdParams,
      body: S.SpendBody,
      response: { 201: S.Spend },
    },
  }, async (req, reply) => reply.code(201).send(await svc.spendGoodwill(ctx, who(req), req.params.id, req.body)));

  app.get('/heart/spends', {
    schema: {
      tags: ['heart'],
      summary: 'Goodwill spends, newest first: all for supervisors, leaders and admins, your own for agents',
      querystring: S.SpendsQuery,
      response: { 200: S.Items(S.Spend, 'GoodwillSpendList') },
    },
  }, async (req) => ({ items: await svc.listSpends(ctx, who(req), req.query) }));

  app.post('/heart/spends/:id/decision', {
    schema: {
      tags: ['heart'],
      summary: 'Approve or reject a pending goodwill spend; never your own (supervisor, admin)',
      params: IdParams,
      body: S.DecisionBody,
      response: { 200: S.Spend },
    },
  }, async (req) => svc.decideSpend(ctx, who(req), req.params.id, req.body));

  app.post('/heart/conversations/:id/exceptions', {
    schema: {
      tags: ['heart'],
      summary: 'Document an exception to policy on a conversation: which policy, what was done, why (required), optionally its goodwill spend',
      params: IdParams,
      body: S.ExceptionBody,
      response: { 201: S.PolicyException },
    },
  }, async (req, reply) => reply.code(201).send(await svc.recordException(ctx, who(req), req.params.id, req.body)));

  app.get('/heart/exceptions', {
    schema: {
      tags: ['heart'],
      summary: 'Documented exceptions to policy, newest first: all for supervisors, leaders and admins, your own for agents',
      querystring: Type.Object({ month: Type.Optional(S.Month), limit: S.Limit }),
      response: { 200: S.Items(S.PolicyException, 'PolicyExceptionList') },
    },
  }, async (req) => ({ items: await svc.listExceptions(ctx, who(req), req.query) }));

  app.post('/heart/conversations/:id/moments', {
    schema: {
      tags: ['heart'],
      summary: 'Capture a moment worth sharing, with the customer’s consent recorded; without consent only anonymised or private',
      params: IdParams,
      body: S.MomentBody,
      response: { 201: S.Moment },
    },
  }, async (req, reply) => reply.code(201).send((await svc.captureMoment(ctx, who(req), req.params.id, req.body)) as S.Moment));

  app.get('/heart/moments', {
    schema: {
      tags: ['heart'],
      summary: 'The team feed of moments, newest first, with kudos; customer details only with consent',
      querystring: S.FeedQuery,
      response: { 200: S.Items(S.FeedMoment, 'MomentFeed') },
    },
  }, async (req) => {
    const d = (field: string, s?: string) => {
      if (!s) return undefined;
      const t = new Date(s);
      if (Number.isNaN(t.getTime())) throw invalid(field, `not a date-time: '${s}'`);
      return t;
    };
    return { items: (await svc.feed(ctx, who(req), { since: d('since', req.query.since), before: d('before', req.query.before), limit: req.query.limit })) as S.FeedMoment[] };
  });

  app.post('/heart/moments/:id/kudos', {
    schema: {
      tags: ['heart'],
      summary: 'Give kudos to a moment in the feed: once per person, never to your own',
      params: IdParams,
      response: { 201: S.Kudos },
    },
  }, async (req, reply) => reply.code(201).send(await svc.giveKudos(ctx, who(req), req.params.id)));

  app.post('/heart/moments/:id/withdraw-consent', {
    schema: {
      tags: ['heart'],
      summary: 'Record that the customer withdrew consent: the moment leaves the feed (its agent, supervisor, admin)',
      params: IdParams,
      body: S.WithdrawBody,
      response: { 200: S.Moment },
    },
  }, async (req) => (await svc.withdrawConsent(ctx, who(req), req.params.id, req.body ?? {})) as S.Moment);
}) satisfies FastifyPluginAsyncTypebox;
export default heartRoutes;
