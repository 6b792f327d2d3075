/** Community routes under /api/v1 for agents: moderation, verifying and promoting answers, the overview. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as svc from './community.service.js';
import { HeldList, Overview, PostStatus, Promoted, Question, Verified } from './community.schemas.js';

const communityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get('/community/overview', {
    schema: { tags: ['community'], summary: 'Community work for agents: held count, unanswered questions, answers to verify and to promote, top helpers', response: { 200: Overview } },
  }, async (req) => svc.overview(ctx, who(req)));

  app.get('/community/held', {
    schema: { tags: ['community'], summary: 'Posts held for a moderator (abuse or threats found by the analyser), oldest first', response: { 200: HeldList } },
  }, async (req) => ({ items: await svc.heldPosts(ctx, who(req)) }));

  app.get('/community/questions/:id', {
    schema: { tags: ['community'], summary: 'A question with all its answers (held and removed included) for agents', params: IdParams, response: { 200: Question } },
  }, async (req) => svc.getQuestion(ctx.db, who(req).accountId, req.params.id, { all: true }));

  app.post('/community/posts/:id/approve', {
    schema: { tags: ['community'], summary: 'Show a held post (audited)', params: IdParams, response: { 200: PostStatus } },
  }, async (req) => svc.approve(ctx, who(req), req.params.id));

  app.post('/community/posts/:id/remove', {
    schema: {
      tags: ['community'],
      summary: 'Remove a post with a reason (audited). Refused with 409 criticism_protected for posts classified as criticism',
      params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: PostStatus },
    },
  }, async (req) => svc.remove(ctx, who(req), req.params.id, req.body.reason));

  app.post('/community/answers/:id/verify', {
    schema: { tags: ['community'], summary: 'Mark an answer as verified by you (badge on the page; 10 points for its author)', params: IdParams, response: { 200: Verified } },
  }, async (req) => svc.verify(ctx, who(req), req.params.id));

  app.post('/community/answers/:id/promote', {
    schema: { tags: ['community'], summary: 'Turn a verified answer into a draft knowledge-base article (question as title, answer as body, in its language)', params: IdParams, response: { 201: Promoted } },
  }, async (req, reply) => reply.code(201).send(await svc.promote(ctx, who(req), req.params.id)));
};
export default communityRoutes;
