import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { IdParams } from '../../server/schemas.js';
import * as S from './macros.schemas.js';
import * as svc from './macros.service.js';

const macroRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  const tags = ['macros'];
  app.get('/macros', { schema: { tags, response: { 200: S.MacroList }, summary: `Macros; placeholders: ${svc.PLACEHOLDERS.join(', ')}` } }, async (req) => ({
    items: await svc.listMacros(ctx, who(req)),
    placeholders: [...svc.PLACEHOLDERS],
  }));
  app.post('/macros', {
    schema: {
      tags,
      response: { 201: S.Macro }, summary: 'Create a macro (supervisor, admin)',
      body: S.MacroBody,
    },
  }, async (req, reply) => reply.code(201).send(await svc.createMacro(ctx, who(req), req.body as Parameters<typeof svc.createMacro>[2])));
  app.patch('/macros/:id', {
    schema: {
      tags,
      response: { 200: S.Macro }, summary: 'Change a macro (supervisor, admin)',
      params: IdParams,
      body: S.MacroPatch,
    },
  }, async (req) => svc.updateMacro(ctx, who(req), req.params.id, req.body as Parameters<typeof svc.updateMacro>[3]));
  app.delete('/macros/:id', { schema: { tags, summary: 'Delete a macro (supervisor, admin)', params: IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    await svc.deleteMacro(ctx, who(req), req.params.id);
    return reply.code(204).send(null);
  });
};
export default macroRoutes;
