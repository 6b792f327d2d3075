import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { who } from '../../server/auth.js';
import { requireCap } from '../../platform/context.js';
import { listAudit } from './audit.service.js';
import { type AuditEntry, AuditList } from './audit.schemas.js';

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit', {
    schema: {
      tags: ['audit'],
      summary: 'The audit log, newest first (admin); page with `before`, filter by `action` and `actor`; `targetLabel` names the object (#number, name, address) or is null when it is gone',
      querystring: Type.Object({
        before: Type.Optional(Type.Integer({ minimum: 1 })),
        action: Type.Optional(Type.String()),
        actor: Type.Optional(Type.String({ description: 'the id of the user or API token that acted' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
      }),
      response: { 200: AuditList },
    },
  }, async (req) => {
    const p = who(req);
    requireCap(p, 'admin');
    const items = await listAudit(app.ctx, p, { before: req.query.before, action: req.query.action, actor: req.query.actor, limit: req.query.limit ?? 100 });
    return { items: items as AuditEntry[] };
  });
};
export default auditRoutes;
