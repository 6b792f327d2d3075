/** What the audit route answers (audit.service.ts: listAudit). */
import { Type, type Static, } from 'typebox';
import { Nullable, OneOf } from '../../server/schemas.js';

/** One of these strings (`type: string` beside `enum`: generated clients type it as a union of strings). */

export const AuditEntry = Type.Object(
  {
    id: Type.Integer({ minimum: 1, description: 'page with `before`' }),
    actorType: OneOf(['user', 'token', 'system', 'cli']),
    actorId: Nullable(Type.String({ description: 'the id of the user or API token that acted' })),
    action: Type.String(),
    targetType: Nullable(Type.String()),
    targetId: Nullable(Type.String()),
    targetLabel: Nullable(Type.String({ description: 'the object as people name it (#number, name, address); null when it is gone' })),
    data: Type.Record(Type.String(), Type.Unknown()),
    ip: Nullable(Type.String()),
    at: Type.Unsafe<Date | string>(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false, title: 'AuditEntry' },
);
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditList = Type.Object({ items: Type.Array(AuditEntry) }, { additionalProperties: false, title: 'AuditList' });
