import { Type } from 'typebox';
import type { App } from '../../server/types.js';
import { who } from '../../server/auth.js';
import { IdParams, Items, Locale, MacroOut, Uuid } from '../../server/schemas.js';
import * as svc from './macros.service.js';

const Actions = Type.Object({
  status: Type.Optional(Type.Union(['open', 'pending', 'on_hold', 'solved'].map((s) => Type.Literal(s)))),
  priority: Type.Optional(Type.Union(['low', 'normal', 'high', 'urgent'].map((s) => Type.Literal(s)))),
  addTags: Type.Optional(Type.Array(Type.String())),
  queueId: Type.Optional(Uuid()),
}, { additionalProperties: false });
const Kind = Type.Union([Type.Literal('reply'), Type.Literal('note')]);
const Language = Type.Union([Locale, Type.Null()], { description: 'the language the macro is written in (en, de, nb); null: any' });

export default async function macroRoutes(app: App) {
  const ctx = app.ctx;
  const tags = ['macros'];
  app.get('/macros', { schema: { tags, response: { 200: Items(MacroOut, { placeholders: Type.Array(Type.String()) }) }, summary: 'Macros; placeholders: ' + svc.PLACEHOLDERS.join(', ') } }, async (req) => ({
    items: await svc.listMacros(ctx, who(req)),
    placeholders: svc.PLACEHOLDERS,
  }));
  app.post('/macros', {
    schema: {
      tags,
      response: { 201: MacroOut }, summary: 'Create a macro (supervisor, admin)',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 200 }), kind: Type.Optional(Kind), body: Type.String({ minLength: 1 }),
        language: Type.Optional(Language), actions: Type.Optional(Actions),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.code(201).send(await svc.createMacro(ctx, who(req), req.body as any)));
  app.patch('/macros/:id', {
    schema: {
      tags,
      response: { 200: MacroOut }, summary: 'Change a macro (supervisor, admin)',
      params: IdParams,
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), kind: Type.Optional(Kind), body: Type.Optional(Type.String({ minLength: 1 })),
        language: Type.Optional(Language), actions: Type.Optional(Actions),
      }, { additionalProperties: false }),
    },
  }, async (req) => svc.updateMacro(ctx, who(req), req.params.id, req.body as any));
  app.delete('/macros/:id', { schema: { tags, summary: 'Delete a macro (supervisor, admin)', params: IdParams } }, async (req, reply) => {
    await svc.deleteMacro(ctx, who(req), req.params.id);
    return reply.code(204).send();
  });
}
