/** Service with heart under /api/v1/heart: goodwill budgets and spends, exceptions, the report, moments and kudos. */
import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import { invalid } from '../../platform/errors.js';
import * as svc from './heart.service.js';

const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'calendar month YYYY-MM in the account time zone' });
const Minor = (description: string) => Type.Integer({ minimum: 0, description: `${description} (minor units, e.g. cents)` });
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }));

export default async function heartRoutes(app: App) {
  const ctx = app.ctx;

  app.get('/heart/settings', {
    schema: { tags: ['heart'], summary: 'Goodwill settings: currency, approval threshold, default monthly budgets of agents and teams (agents)' },
  }, async (req) => svc.getSettings(ctx, who(req)));

  app.put('/heart/settings', {
    schema: {
      tags: ['heart'],
      summary: 'Change the goodwill settings (supervisor, admin)',
      body: Type.Object({
        currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
        approvalThreshold: Type.Optional(Minor('a spend above this needs approval')),
        defaultAgentBudget: Type.Optional(Minor('monthly budget of an agent without a budget of their own')),
        defaultTeamBudget: Type.Optional(Minor('monthly budget of a team without a budget of its own')),
      }, { additionalProperties: false }),
    },
  }, async (req) => svc.updateSettings(ctx, who(req), req.body));

  app.put('/heart/budgets', {
    schema: {
      tags: ['heart'],
      summary: 'Set the goodwill budget of one agent or team for one month (supervisor, admin)',
      body: Type.Object({
        subjectType: Type.Union([Type.Literal('user'), Type.Literal('team')]),
        subjectId: Type.String({ description: 'user or team id' }),
        month: Month,
        amount: Minor('the budget'),
      }, { additionalProperties: false }),
    },
  }, async (req) => svc.setBudget(ctx, who(req), req.body));

  app.get('/heart/report', {
    schema: {
      tags: ['heart'],
      summary: 'Goodwill of a month per agent and team (budget, spent, pending, remaining), per kind, exceptions; agents see their own',
      querystring: Type.Object({ month: Type.Optional(Month) }),
    },
  }, async (req) => svc.report(ctx, who(req), req.query));

  app.get('/heart/conversations/:id', {
    schema: {
      tags: ['heart'],
      summary: 'A conversation’s heart panel: why listening raised its priority (urgency, evidence, change), its goodwill, exceptions and moments',
      params: IdParams,
    },
  }, async (req) => svc.conversationHeart(ctx, who(req), req.params.id));

  app.post('/heart/conversations/:id/spends', {
    schema: {
      tags: ['heart'],
      summary: 'Spend goodwill on a conversation from your own and your team’s budget; pending approval above the threshold or beyond a remaining budget',
      params: IdParams,
      body: Type.Object({
        kind: Type.Union(svc.KINDS.map((k) => Type.Literal(k))),
        amount: Type.Integer({ minimum: 1, description: 'minor units, e.g. cents' }),
        description: Type.String({ minLength: 1, maxLength: 2000 }),
        teamId: Type.Optional(Type.String({ description: 'whose team budget, when you are in several teams' })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.spendGoodwill(ctx, who(req), req.params.id, req.body)));

  app.get('/heart/spends', {
    schema: {
      tags: ['heart'],
      summary: 'Goodwill spends, newest first: all for supervisors, leaders and admins, your own for agents',
      querystring: Type.Object({
        status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])),
        month: Type.Optional(Month),
        limit: Limit,
      }),
    },
  }, async (req) => ({ items: await svc.listSpends(ctx, who(req), req.query) }));

  app.post('/heart/spends/:id/decision', {
    schema: {
      tags: ['heart'],
      summary: 'Approve or reject a pending goodwill spend; never your own (supervisor, admin)',
      params: IdParams,
      body: Type.Object({
        decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
    },
  }, async (req) => svc.decideSpend(ctx, who(req), req.params.id, req.body));

  app.post('/heart/conversations/:id/exceptions', {
    schema: {
      tags: ['heart'],
      summary: 'Document an exception to policy on a conversation: which policy, what was done, why (required), optionally its goodwill spend',
      params: IdParams,
      body: Type.Object({
        policy: Type.String({ maxLength: 500 }),
        action: Type.String({ maxLength: 2000 }),
        reason: Type.String({ maxLength: 4000 }),
        goodwillSpendId: Type.Optional(Type.String()),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.recordException(ctx, who(req), req.params.id, req.body)));

  app.get('/heart/exceptions', {
    schema: {
      tags: ['heart'],
      summary: 'Documented exceptions to policy, newest first: all for supervisors, leaders and admins, your own for agents',
      querystring: Type.Object({ month: Type.Optional(Month), limit: Limit }),
    },
  }, async (req) => ({ items: await svc.listExceptions(ctx, who(req), req.query) }));

  app.post('/heart/conversations/:id/moments', {
    schema: {
      tags: ['heart'],
      summary: 'Capture a moment worth sharing, with the customer’s consent recorded; without consent only anonymised or private',
      params: IdParams,
      body: Type.Object({
        title: Type.String({ minLength: 1, maxLength: 200 }),
        story: Type.String({ minLength: 1, maxLength: 10000 }),
        consent: Type.Object({
          given: Type.Boolean(),
          how: Type.Optional(Type.Union(svc.CONSENT_HOW.map((h) => Type.Literal(h)))),
          at: Type.Optional(Type.String({ description: 'when (ISO date-time); default now' })),
          note: Type.Optional(Type.String({ maxLength: 1000 })),
        }, { additionalProperties: false }),
        sharing: Type.Optional(Type.Union([Type.Literal('team'), Type.Literal('anonymised'), Type.Literal('private')])),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.captureMoment(ctx, who(req), req.params.id, req.body)));

  app.get('/heart/moments', {
    schema: {
      tags: ['heart'],
      summary: 'The team feed of moments, newest first, with kudos; customer details only with consent',
      querystring: Type.Object({
        since: Type.Optional(Type.String({ description: 'ISO date-time' })),
        before: Type.Optional(Type.String({ description: 'page: moments before this time' })),
        limit: Limit,
      }),
    },
  }, async (req) => {
    const d = (field: string, s?: string) => {
      if (!s) return undefined;
      const t = new Date(s);
      if (Number.isNaN(t.getTime())) throw invalid(field, `not a date-time: '${s}'`);
      return t;
    };
    return { items: await svc.feed(ctx, who(req), { since: d('since', req.query.since), before: d('before', req.query.before), limit: req.query.limit }) };
  });

  app.post('/heart/moments/:id/kudos', {
    schema: { tags: ['heart'], summary: 'Give kudos to a moment in the feed: once per person, never to your own', params: IdParams },
  }, async (req, reply) => reply.code(201).send(await svc.giveKudos(ctx, who(req), req.params.id)));

  app.post('/heart/moments/:id/withdraw-consent', {
    schema: {
      tags: ['heart'],
      summary: 'Record that the customer withdrew consent: the moment leaves the feed (its agent, supervisor, admin)',
      params: IdParams,
      body: Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false })),
    },
  }, async (req) => svc.withdrawConsent(ctx, who(req), req.params.id, req.body ?? {}));
}
