/** Satisfaction API under /api/v1: settings (admin), report and points (reports), one conversation's survey state (agents). */
import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as svc from './csat.service.js';

const Any = (description: string) => Type.Object({}, { additionalProperties: true, description });
const Filter = Type.Object({
  from: Type.Optional(Type.String({ description: 'ISO date or date-time (inclusive, answer time); default 30 days before to' })),
  to: Type.Optional(Type.String({ description: 'ISO date or date-time (exclusive); default now' })),
  queue: Type.Optional(Type.String({ description: 'queue id' })),
  channel: Type.Optional(Type.Union(['email', 'chat', 'web', 'phone', 'api'].map((c) => Type.Literal(c)))),
});
const Question = Type.Union([Type.String({ maxLength: 300 }), Type.Null()]);

export default async function csatRoutes(app: App) {
  const ctx = app.ctx;

  app.get('/csat/settings', {
    schema: { tags: ['csat'], summary: 'Satisfaction survey settings: enabled, delay after solved, reminder days, link expiry, question per language (admin)' },
  }, async (req) => svc.getSettings(ctx, who(req)));

  app.put('/csat/settings', {
    schema: {
      tags: ['csat'],
      summary: 'Change the satisfaction survey settings; a question set to null or empty falls back to the default wording (admin)',
      body: Type.Object({
        enabled: Type.Optional(Type.Boolean()),
        delayMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10080, description: 'minutes after solved before the survey is sent (default 10)' })),
        reminderDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 29, description: 'days without an answer before the one reminder; 0 = none (default 3)' })),
        expiryDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'days a survey link stays valid (default 30)' })),
        questions: Type.Optional(Type.Object({ en: Type.Optional(Question), de: Type.Optional(Question), nb: Type.Optional(Question) }, { additionalProperties: false })),
      }, { additionalProperties: false }),
    },
  }, async (req) => svc.updateSettings(ctx, who(req), req.body));

  app.get('/csat/report', {
    schema: {
      tags: ['csat'],
      summary: 'Satisfaction: responses, response rate, average, CSAT (% of 4–5), per queue and channel, latest comments (supervisor, leader, admin)',
      querystring: Filter,
      response: { 200: Any('responses, average, csat, responseRate, surveys, distribution, bySource, byQueue, byChannel, comments') },
    },
  }, async (req) => svc.report(ctx, who(req), req.query));

  app.get('/csat/points', {
    schema: {
      tags: ['csat'],
      summary: "Satisfaction against waits: per answer the lived wait of the customer's journey, the reported queue wait and the score; averages by lived-wait bucket (supervisor, leader, admin)",
      querystring: Filter,
      response: { 200: Any('points [{conversationId, score, livedWaitSeconds, queueWaitSeconds, journeys}], buckets, unknownWait') },
    },
  }, async (req) => svc.points(ctx, who(req), req.query));

  app.get('/conversations/:id/csat', {
    schema: {
      tags: ['csat'],
      summary: "A conversation's satisfaction survey (route, sent, reminded, expiry) and the customer's answer (agents)",
      params: IdParams,
      response: { 200: Any('conversationId, survey (null until sent), answer (null until answered)') },
    },
  }, async (req) => svc.conversationState(ctx, who(req), req.params.id));
}
