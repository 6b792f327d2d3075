/** Listening API: the anecdote audit (reports), respect-policy flags (supervisors), a message's findings (agents). */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { ANECDOTE_GROUPS, anecdoteReport } from './anecdotes.js';
import { getFindings, listFlags } from './listening.service.js';
import { AnecdoteReport, FlagList, MessageFindings } from './listening.schemas.js';

const listeningRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get('/reports/anecdotes', {
    schema: {
      tags: ['listening'],
      summary: 'Anecdote audit: wait claims held against the waits measured for the same customer, share contradicted, examples (supervisor, leader, admin)',
      querystring: Type.Object({
        from: Type.Optional(Type.String({ description: 'ISO date or date-time (inclusive); default 28 days before to' })),
        to: Type.Optional(Type.String({ description: 'ISO date or date-time (exclusive); default now' })),
        by: Type.Optional(Type.Union(ANECDOTE_GROUPS.map((g) => Type.Literal(g)))),
      }),
      response: { 200: AnecdoteReport },
    },
  }, async (req) => anecdoteReport(ctx, who(req), req.query));

  app.get('/listening/flags', {
    schema: {
      tags: ['listening'],
      summary: 'Messages flagged for the respect policy (abuse toward staff, threats), newest first; nothing is sanctioned automatically (supervisor, admin)',
      querystring: Type.Object({
        from: Type.Optional(Type.String()),
        to: Type.Optional(Type.String()),
        before: Type.Optional(Type.String({ description: 'page: messages before this time' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
      }),
      response: { 200: FlagList },
    },
  }, async (req) => listFlags(ctx, who(req), req.query));

  app.get('/messages/:id/findings', {
    schema: {
      tags: ['listening'],
      summary: 'What an inbound message says: language, wait claim, urgency, abuse vs criticism, threat, sentiment — with evidence spans — and its anecdote check (agents)',
      params: Type.Object({ id: Type.String() }),
      response: { 200: MessageFindings },
    },
  }, async (req) => getFindings(ctx, who(req), req.params.id));
};
export default listeningRoutes;
