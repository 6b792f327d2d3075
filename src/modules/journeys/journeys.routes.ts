import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { importParsedEvents, zoneFor } from './import/import.service.js';
import { parseLines } from './import/lines.js';
import { FORMATS, makeParser, textLines, type Format } from './import/parsers.js';
import { GROUP_BY } from './metrics.js';
import * as svc from './journeys.service.js';
import { definitions } from './definitions.js';
import { requireCap } from '../../platform/context.js';
import { Definitions, ImportSummary, JourneyList, LiveWall, Recomputed, WaitsDistribution, WaitsReport } from './journeys.schemas.js';

const journeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  // Imports take the file itself as the request body.
  app.addContentTypeParser(['text/csv', 'text/tab-separated-values', 'application/x-ndjson', 'application/jsonl'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post('/imports/:format', {
    // Lines with NULs or lone surrogates are reported as malformed by the parsers, not cleaned (server/app.ts).
    config: { rawText: true },
    schema: {
      tags: ['journeys'],
      summary: 'Import a call log or event file (body: the file as text); re-importing adds nothing (supervisor, admin)',
      params: Type.Object({ format: Type.Union(FORMATS.map((f) => Type.Literal(f))) }),
      querystring: Type.Object({
        tz: Type.Optional(Type.String({ description: 'IANA time zone of local times in the file; default the account’s' })),
        map: Type.Optional(Type.String({ description: 'csv: column=field,…' })),
        delimiter: Type.Optional(Type.Union([Type.Literal(','), Type.Literal(';'), Type.Literal('tab')], { description: 'csv: field delimiter (default: detected)' })),
      }),
      body: Type.String({ minLength: 1 }),
      response: { 201: ImportSummary },
    },
  }, async (req, reply) => {
    const p = who(req);
    const tz = await zoneFor(ctx, p, req.query.tz);
    const format = req.params.format as Format;
    const parser = makeParser(format, { tz, map: req.query.map, delimiter: req.query.delimiter });
    const summary = await importParsedEvents(ctx, p, parseLines(parser, textLines(req.body), 10_000), { source: format, tz, report: parser.report });
    return reply.code(201).send(summary);
  });

  const waitsQuery = Type.Object({
    from: Type.Optional(Type.String({ description: 'ISO date or date-time (inclusive)' })),
    to: Type.Optional(Type.String({ description: 'ISO date or date-time (exclusive)' })),
    threshold: Type.Optional(Type.Number({ minimum: 0, default: 20, description: 'service-level threshold, seconds' })),
    by: Type.Optional(Type.Union(GROUP_BY.map((g) => Type.Literal(g)))),
    queue: Type.Optional(Type.String({ description: 'queue name or id' })),
    channel: Type.Optional(Type.String()),
    tz: Type.Optional(Type.String({ description: 'time zone for by=hour|day|weekday; default the account’s' })),
    path: Type.Optional(Type.Union([Type.Literal('exact'), Type.Literal('sketch')], { description: 'exact (default) or sketch (dashboards: constant cost, 1 % relative error)' })),
    window: Type.Optional(Type.String({ description: 'journey window for calls and chats: day (default) or a gap between contacts such as 30m, 4h (exact path)' })),
  });
  app.get('/reports/waits', {
    schema: { tags: ['journeys'], summary: 'Reported vs lived waits and journeys (supervisor, leader, admin)', querystring: waitsQuery, response: { 200: WaitsReport } },
  }, async (req) => svc.waitsReport(ctx, who(req), req.query));

  app.get('/reports/waits/distribution', {
    schema: {
      tags: ['journeys'],
      summary: 'Bucket counts of lived contact waits and journey waits, with the reported ASA (supervisor, leader, admin)',
      querystring: Type.Omit(waitsQuery, ['by', 'threshold', 'path']),
      response: { 200: WaitsDistribution },
    },
  }, async (req) => svc.distribution(ctx, who(req), req.query));

  app.get('/reports/live', {
    schema: {
      tags: ['journeys'],
      summary: 'Live queue wall: waiting now per queue, longest lived wait now, agents by presence, open callbacks (supervisor, leader, admin)',
      response: { 200: LiveWall },
    },
  }, async (req) => svc.live(ctx, who(req)));

  app.get('/journeys', {
    schema: {
      tags: ['journeys'],
      summary: 'Customer journeys with their contacts, longest wait first (supervisor, leader, admin)',
      querystring: Type.Object({
        from: Type.Optional(Type.String()),
        to: Type.Optional(Type.String()),
        multiAttempt: Type.Optional(Type.Boolean()),
        neverServed: Type.Optional(Type.Boolean()),
        identity: Type.Optional(Type.String()),
        window: Type.Optional(Type.String({ description: 'day (default) or a gap such as 30m, 4h' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
      }),
      response: { 200: JourneyList },
    },
  }, async (req) => ({ items: await svc.listJourneys(ctx, who(req), req.query) }));

  app.post('/journeys/recompute', {
    schema: { tags: ['journeys'], summary: 'Rebuild contact facts and sketches from the event log after a definition change (supervisor, admin)', response: { 200: Recomputed } },
  }, async (req) => svc.recompute(ctx, who(req)));

  app.get('/definitions', {
    schema: {
      tags: ['journeys'],
      summary: 'The metric definitions: the current version, what each version changed, what each figure means (supervisor, leader, admin)',
      response: { 200: Definitions },
    },
  }, async (req) => {
    requireCap(who(req), 'reports');
    return definitions();
  });
};
export default journeyRoutes;
