/**
 * Request and response schemas of the queue and SLA policy routes. The response schemas list every field the services
 * return: Fastify serializes with them, so a field left out here is dropped.
 */
import { Type, } from 'typebox';
import { UuidOrNull, DateTime, Nullable } from '../../server/schemas.js';

const Id = Type.String({ format: 'uuid' });
/**
 * A date-time in an answer. The services hand over Date objects, which the serializer writes as ISO strings; the
 * OpenAPI document (and so the web app's types) says string.
 */
const closed = { additionalProperties: false } as const;

const Span = Type.Tuple([Type.String(), Type.String()], { description: '[open, close] as HH:MM, e.g. ["09:00","17:00"]' });
/** As a request takes it: the weekdays are checked by the service (platform/business-hours.ts). */
const BusinessHoursIn = Type.Object({
  week: Type.Record(Type.String(), Type.Array(Span)),
  holidays: Type.Optional(Type.Array(Type.String())),
}, { description: '{"week":{"mon":[["09:00","17:00"]]},"holidays":["2026-12-24"]}' });
const Day = Type.Optional(Type.Array(Span));
/** As stored: a missing weekday is closed; holidays are closed dates (YYYY-MM-DD in the queue's zone). */
export const BusinessHours = Type.Object({
  week: Type.Object({ mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day }, { ...closed, title: 'BusinessWeek' }),
  holidays: Type.Optional(Type.Array(Type.String())),
}, { ...closed, title: 'BusinessHours' });

export const Assignment = Type.Union([Type.Literal('manual'), Type.Literal('round_robin'), Type.Literal('load')]);
const QueueFields = {
  timezone: Type.Optional(Type.String()),
  businessHours: Type.Optional(Type.Union([BusinessHoursIn, Type.Null()])),
  teamId: Type.Optional(UuidOrNull()),
  assignment: Type.Optional(Assignment),
  slaPolicyId: Type.Optional(UuidOrNull()),
};
export const QueueBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), ...QueueFields }, closed);
export const QueuePatch = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...QueueFields }, closed);

export const Queue = Type.Object({
  id: Id,
  name: Type.String(),
  timezone: Type.String(),
  businessHours: Nullable(BusinessHours),
  teamId: Nullable(Id),
  assignment: Assignment,
  slaPolicyId: Nullable(Id),
  callbackSlaMinutes: Type.Integer({ description: 'callback policy (PATCH /queues/{id}/callback-policy): minutes to call back' }),
  callbackMaxAttempts: Type.Integer({ description: 'callback policy: attempts before giving up' }),
  createdAt: DateTime(),
}, { ...closed, title: 'Queue' });
export const QueueList = Type.Object({ items: Type.Array(Queue) }, { ...closed, title: 'QueueList' });

const Minutes = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]);
export const SlaPolicyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  firstReplyMinutes: Type.Optional(Minutes),
  nextReplyMinutes: Type.Optional(Minutes),
  resolutionMinutes: Type.Optional(Minutes),
  businessHours: Type.Optional(Type.Boolean({ description: 'count only the queue’s business hours (default true)' })),
}, closed);
export const SlaPolicy = Type.Object({
  id: Id,
  name: Type.String(),
  firstReplyMinutes: Nullable(Type.Integer()),
  nextReplyMinutes: Nullable(Type.Integer()),
  resolutionMinutes: Nullable(Type.Integer()),
  businessHours: Type.Boolean({ description: 'counts only the queue’s business hours' }),
}, { ...closed, title: 'SlaPolicy' });
export const SlaPolicyList = Type.Object({ items: Type.Array(SlaPolicy) }, { ...closed, title: 'SlaPolicyList' });
