/** Respect API: measures (propose, approve/reject by a second person, revoke), appeals (decided by a third), report, settings. */
import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { who } from '../../server/auth.js';
import * as svc from './respect.service.js';

const Any = (description: string) => Type.Object({}, { additionalProperties: true, description });
const lit = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false });
const IdParam = Type.Object({ id: Type.String() });
const TAGS = ['respect'];

export default async function respectRoutes(app: App) {
  const ctx = app.ctx;

  app.get('/respect/settings', {
    schema: { tags: TAGS, summary: 'Respect settings: the cool-off (supervisor) queue and the warning templates per language, with the built-in defaults', response: { 200: Any('coolOffQueueId, warningTemplates, defaultWarningTemplates') } },
  }, async (req) => svc.getSettings(ctx, who(req)));

  app.put('/respect/settings', {
    schema: {
      tags: TAGS, summary: 'Change the cool-off queue and the warning templates (en, de, nb) (supervisor, admin)',
      body: Type.Object({
        coolOffQueueId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        warningTemplates: Type.Optional(Type.Object({ en: Type.Optional(Type.String()), de: Type.Optional(Type.String()), nb: Type.Optional(Type.String()) }, { additionalProperties: false })),
      }, { additionalProperties: false }),
      response: { 200: Any('the settings') },
    },
  }, async (req) => svc.updateSettings(ctx, who(req), req.body));

  app.get('/respect/measures', {
    schema: {
      tags: TAGS, summary: "Measures, newest first; filter by status or customer; awaiting=me lists the proposals you may approve (not yours, you not abused)",
      querystring: Type.Object({
        status: Type.Optional(lit(svc.MEASURE_STATUSES)),
        customerId: Type.Optional(Type.String()),
        awaiting: Type.Optional(Type.Literal('me')),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Any('a measure with its classified evidence')) }) },
    },
  }, async (req) => svc.listMeasures(ctx, who(req), req.query));

  app.post('/respect/measures', {
    schema: {
      tags: TAGS,
      summary: 'Report abuse: propose a measure (a warning is in force at once; beyond a warning it needs reason, evidence and a second person). Evidence that is only criticism is refused (422 criticism_protected)',
      body: Type.Object({
        customerId: Type.String(),
        conversationId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        kind: lit(svc.MEASURE_KINDS),
        channels: Type.Optional(Type.Array(lit(svc.RESTRICTABLE_CHANNELS), { maxItems: 4, description: 'restriction: the channels still allowed' })),
        reasonCategory: lit(svc.REASON_CATEGORIES),
        reasonText: Type.Optional(Type.String({ maxLength: 4000, description: 'internal; never sent to the customer' })),
        messageIds: Type.Optional(Type.Array(Type.String(), { maxItems: 50, description: "inbound messages of this customer" })),
        publicEvidence: Type.Optional(Type.Array(Type.Object({
          source: lit(['community', 'public']), ref: Type.Optional(Type.String({ maxLength: 1000 })), text: Type.String({ maxLength: 10_000 }),
        }, { additionalProperties: false }), { maxItems: 20 })),
        abusedUserIds: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
        durationDays: Type.Optional(Type.Integer({ minimum: 1, maximum: svc.MAX_DAYS })),
      }, { additionalProperties: false }),
      response: { 201: Any('the measure') },
    },
  }, async (req, reply) => reply.code(201).send(await svc.proposeMeasure(ctx, who(req), req.body as svc.ProposeInput)));

  app.get('/respect/measures/:id', {
    schema: { tags: TAGS, summary: 'One measure with its evidence (classified) and appeals', params: IdParam, response: { 200: Any('the measure') } },
  }, async (req) => svc.getMeasure(ctx, who(req), req.params.id));

  app.post('/respect/measures/:id/approve', {
    schema: { tags: TAGS, summary: 'Approve a proposed measure: a second PERSON (supervisor, leader, admin) who is neither the reporter nor abused; tokens are refused', params: IdParam, body: Note, response: { 200: Any('the measure, now active') } },
  }, async (req) => svc.approveMeasure(ctx, who(req), req.params.id, req.body));

  app.post('/respect/measures/:id/reject', {
    schema: { tags: TAGS, summary: 'Reject a proposed measure (the same four-eyes rule as approving)', params: IdParam, body: Note, response: { 200: Any('the measure') } },
  }, async (req) => svc.rejectMeasure(ctx, who(req), req.params.id, req.body));

  app.post('/respect/measures/:id/revoke', {
    schema: { tags: TAGS, summary: 'End an active measure early (supervisor, admin)', params: IdParam, body: Note, response: { 200: Any('the measure') } },
  }, async (req) => svc.revokeMeasure(ctx, who(req), req.params.id, req.body));

  app.post('/respect/measures/:id/appeals', {
    schema: {
      tags: TAGS, summary: "Record an appeal on the customer's behalf (agents)", params: IdParam,
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
      response: { 201: Any('the appeal id and the measure') },
    },
  }, async (req, reply) => reply.code(201).send(await svc.recordAppeal(ctx, who(req), req.params.id, req.body)));

  app.get('/respect/appeals', {
    schema: { tags: TAGS, summary: 'Appeals, newest first (status=open: to decide)', querystring: Type.Object({ status: Type.Optional(lit(['open', 'upheld', 'overturned'])) }), response: { 200: Type.Object({ items: Type.Array(Any('an appeal with its measure')) }) } },
  }, async (req) => svc.listAppeals(ctx, who(req), req.query));

  app.post('/respect/appeals/:id/decide', {
    schema: {
      tags: TAGS, summary: 'Decide an appeal: a THIRD person (not the reporter, not the approver, not abused); overturn lifts the measure at once; the customer is told',
      params: IdParam,
      body: Type.Object({ outcome: lit(['uphold', 'overturn']), note: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false }),
      response: { 200: Any('the measure') },
    },
  }, async (req) => svc.decideAppeal(ctx, who(req), req.params.id, req.body as any));

  app.get('/respect/report', {
    schema: {
      tags: TAGS, summary: 'Measures per reason category and kind, per status and per reporter; proposals refused as criticism; appeals (so retaliation would be visible) (supervisor, leader, admin)',
      querystring: Type.Object({ from: Type.Optional(Type.String()), to: Type.Optional(Type.String()) }),
      response: { 200: Any('byReasonAndKind, byStatus, byReporter, refusedAsCriticism, refusedByReason, appeals') },
    },
  }, async (req) => svc.respectReport(ctx, who(req), req.query));
}
