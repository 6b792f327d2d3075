/** The answers of GET /api/health: 200 when the database answers, 503 when it does not. */
import { Type } from 'typebox';

const Database = Type.Union([Type.Literal('pglite'), Type.Literal('postgres')], { description: 'the database in use' });
export const HealthOk = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  database: Database,
  dbLatencyMs: Type.Integer({ description: 'how long SELECT 1 took' }),
}, { additionalProperties: false, title: 'Health' });
export const HealthUnavailable = Type.Object({
  status: Type.Literal('unavailable'),
  version: Type.String(),
  database: Database,
}, { additionalProperties: false, title: 'HealthUnavailable' });
