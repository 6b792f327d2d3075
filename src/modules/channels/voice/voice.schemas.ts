/** Response shapes of the voice routes: the CTI webhook's summary, callbacks, a queue's callback policy. */
import { Type, type Static, } from 'typebox';
import { DateTime, Nullable } from '../../../server/schemas.js';

const closed = { additionalProperties: false } as const;
/** A time: services hand Date objects (from pg) or ISO strings; both go out as an ISO string. */
const Uuid = Type.String({ format: 'uuid' });
const Outcome = Type.Union([Type.Literal('reached'), Type.Literal('no_answer'), Type.Literal('voicemail'), Type.Literal('wrong_number')]);

export const CtiResult = Type.Object(
  {
    received: Type.Integer(),
    added: Type.Integer(),
    duplicates: Type.Integer(),
    callbacksOpened: Type.Array(Uuid, { description: 'callbacks opened for abandoned calls and callback requests' }),
    callbacksClosed: Type.Array(Uuid, { description: 'open callbacks closed because the caller got through' }),
  },
  { ...closed, title: 'CtiResult' },
);

const callbackProps = {
  id: Uuid,
  queueId: Nullable(Uuid),
  queueName: Nullable(Type.String()),
  contactId: Type.String(),
  customerId: Nullable(Uuid),
  phone: Type.String(),
  reason: Type.Union([Type.Literal('abandoned'), Type.Literal('requested')]),
  status: Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('cancelled')]),
  dueAt: DateTime(),
  createdAt: DateTime(),
  attempts: Type.Integer(),
  madeAt: Nullable(DateTime()),
  madeBy: Nullable(Uuid),
  outcome: Nullable(Outcome),
  note: Nullable(Type.String()),
  closedAt: Nullable(DateTime()),
  cancelReason: Nullable(Type.String()),
  breachedAt: Nullable(DateTime()),
  closedBy: Nullable(Type.Union([Type.Literal('callback'), Type.Literal('caller'), Type.Literal('cancelled')])),
  overdue: Type.Boolean(),
};
export const CallbackList = Type.Object(
  { items: Type.Array(Type.Object(callbackProps, { ...closed, title: 'Callback' })) },
  { ...closed, title: 'CallbackList' },
);

const CallbackAttempt = Type.Object(
  { at: DateTime(), userId: Nullable(Uuid), outcome: Outcome, note: Nullable(Type.String()) },
  { ...closed, title: 'CallbackAttempt' },
);
export type CallbackAttempt = Static<typeof CallbackAttempt>;
export const CallbackWithAttempts = Type.Object(
  { ...callbackProps, attemptLog: Type.Array(CallbackAttempt) },
  { ...closed, title: 'CallbackWithAttempts' },
);

export const CallbackPolicy = Type.Object(
  { id: Uuid, name: Type.String(), slaMinutes: Type.Integer(), maxAttempts: Type.Integer() },
  { ...closed, title: 'QueueCallbackPolicy' },
);
