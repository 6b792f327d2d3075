/** Probe routes under /api/v1: add, list and run probes; the probe report beside the reported figures. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as svc from './probes.service.js';
import { Probe, ProbeList, ProbeReport, ProbeRun } from './probes.schemas.js';

const probeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  app.post('/probes', {
    schema: {
      tags: ['probes'],
      summary: 'Add a probe: a scheduled mystery contact through email, chat or phone, kept out of customer figures (supervisor, admin)',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        channel: Type.Union(svc.PROBE_CHANNELS.map((c) => Type.Literal(c))),
        target: Type.Optional(Type.String({ maxLength: 320, description: 'email: the support mailbox address; chat, phone: the queue name' })),
        everyMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600, description: 'run every N minutes; unset = only on demand' })),
        waitLimitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 604_800, default: 3600, description: 'unanswered after this long' })),
        fromAddress: Type.Optional(Type.String({ maxLength: 320, description: 'the probe’s own From address (default probe+…@probes.earshot.invalid)' })),
        callerNumber: Type.Optional(Type.String({ maxLength: 40, description: 'the probe’s own caller number' })),
      }, { additionalProperties: false }),
      response: { 201: Probe },
    },
  }, async (req, reply) => reply.code(201).send(await svc.addProbe(ctx, who(req), req.body)));

  app.get('/probes', {
    schema: { tags: ['probes'], summary: 'Probes with their last run (supervisor, leader, admin)', response: { 200: ProbeList } },
  }, async (req) => ({ items: await svc.listProbes(ctx, who(req)) }));

  app.post('/probes/:id/run', {
    schema: { tags: ['probes'], summary: 'Run a probe now; answers the run (status waiting, or failed with the reason) (supervisor, admin)', params: IdParams, response: { 201: ProbeRun } },
  }, async (req, reply) => {
    const p = who(req);
    const probe = await svc.findProbe(ctx, p.accountId, req.params.id);
    return reply.code(201).send(await svc.runProbe(ctx, p, probe));
  });

  app.get('/reports/probes', {
    schema: {
      tags: ['probes'],
      summary: 'Per channel: the waits probes lived until a human answered, beside the reported ASA of the same period (supervisor, leader, admin)',
      querystring: Type.Object({
        from: Type.Optional(Type.String({ description: 'ISO date or date-time (inclusive)' })),
        to: Type.Optional(Type.String({ description: 'ISO date or date-time (exclusive)' })),
      }),
      response: { 200: ProbeReport },
    },
  }, async (req) => svc.probeReport(ctx, who(req), req.query));
};
export default probeRoutes;
