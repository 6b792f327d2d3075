/**
 * Request and response schemas of the respect routes (respect.routes.ts); the shapes respect.service.ts returns. The
 * service types its rows loosely (Record<string, any>); the routes cast to the types below, the schema being the contract.
 */
import { Type, type Static, } from 'typebox';
import { DateTime, Nullable } from '../../server/schemas.js';
import { MAX_DAYS, MEASURE_KINDS, MEASURE_STATUSES, REASON_CATEGORIES, RESTRICTABLE_CHANNELS } from './respect.service.js';

/** pg hands timestamps as Date objects; the serializer writes them as ISO strings. */
const Uuid = Type.String({ format: 'uuid' });
const Kind = Type.Enum(MEASURE_KINDS);
const Reason = Type.Enum(REASON_CATEGORIES);
const AppealStatus = Type.Enum(['open', 'upheld', 'overturned']);
const Templates = (description: string) => Type.Object({
  en: Type.Optional(Type.String()), de: Type.Optional(Type.String()), nb: Type.Optional(Type.String()),
}, { additionalProperties: false, description });

// ---------------------------------------------------------------------------------------------------------------------
// Requests

export const IdParam = Type.Object({ id: Type.String() });
export const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false });

export const SettingsBody = Type.Object({
  coolOffQueueId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  warningTemplates: Type.Optional(Templates('the warning sent to the customer, per language; empty: the built-in text')),
}, { additionalProperties: false });

export const MeasuresQuery = Type.Object({
  status: Type.Optional(Type.Enum(MEASURE_STATUSES)),
  customerId: Type.Optional(Type.String()),
  awaiting: Type.Optional(Type.Literal('me')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

export const ProposeBody = Type.Object({
  customerId: Type.String(),
  conversationId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  kind: Kind,
  channels: Type.Optional(Type.Array(Type.Enum(RESTRICTABLE_CHANNELS), { maxItems: 4, description: 'restriction: the channels still allowed' })),
  reasonCategory: Reason,
  reasonText: Type.Optional(Type.String({ maxLength: 4000, description: 'internal; never sent to the customer' })),
  messageIds: Type.Optional(Type.Array(Type.String(), { maxItems: 50, description: 'inbound messages of this customer' })),
  publicEvidence: Type.Optional(Type.Array(Type.Object({
    source: Type.Enum(['community', 'public']), ref: Type.Optional(Type.String({ maxLength: 1000 })), text: Type.String({ maxLength: 10_000 }),
  }, { additionalProperties: false }), { maxItems: 20 })),
  abusedUserIds: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
  durationDays: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DAYS })),
}, { additionalProperties: false });

export const AppealBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false });
export const AppealsQuery = Type.Object({ status: Type.Optional(AppealStatus) });
export const DecideBody = Type.Object({
  outcome: Type.Enum(['uphold', 'overturn']), note: Type.Optional(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });
export const ReportQuery = Type.Object({ from: Type.Optional(Type.String()), to: Type.Optional(Type.String()) });

// ---------------------------------------------------------------------------------------------------------------------
// Answers

export const Settings = Type.Object({
  coolOffQueueId: Nullable(Uuid),
  warningTemplates: Templates('the account’s own warning texts'),
  defaultWarningTemplates: Type.Object({ en: Type.String(), de: Type.String(), nb: Type.String() }, {
    additionalProperties: false, description: 'the built-in warning texts',
  }),
}, { additionalProperties: false, title: 'RespectSettings' });
export type Settings = Static<typeof Settings>;

const Evidence = Type.Object({
  source: Type.Enum(['message', 'community', 'public']),
  messageId: Type.Optional(Uuid),
  ref: Type.Optional(Type.String({ description: 'where public text was found' })),
  text: Type.String(),
  abuse: Type.Enum(['abuse', 'criticism', 'none'], { description: 'what the classifier says' }),
  threat: Type.Boolean(),
  by: Type.Enum(['findings', 'analyze'], { description: 'the stored listening finding, or classified when proposed' }),
}, { additionalProperties: false, title: 'RespectEvidence' });

const measure = {
  id: Uuid,
  customerId: Uuid,
  customerName: Nullable(Type.String()),
  conversationId: Nullable(Uuid),
  conversationNumber: Nullable(Type.Integer()),
  kind: Kind,
  channels: Nullable(Type.Array(Type.String(), { description: 'restriction: the channels still allowed; null otherwise' })),
  reasonCategory: Reason,
  reasonText: Type.String({ description: 'internal; never sent to the customer' }),
  evidence: Type.Array(Evidence),
  abusedUserIds: Type.Array(Uuid),
  reporterId: Uuid,
  reporterName: Nullable(Type.String()),
  status: Type.Enum(MEASURE_STATUSES),
  durationDays: Type.Integer(),
  until: Nullable(DateTime()),
  decidedBy: Nullable(Uuid),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(DateTime()),
  decisionNote: Nullable(Type.String()),
  endedBy: Nullable(Uuid),
  endedAt: Nullable(DateTime()),
  createdAt: DateTime(),
  openAppeals: Type.Integer(),
};
export const Measure = Type.Object(measure, { additionalProperties: false, title: 'RespectMeasure' });
export const MeasureList = Type.Object({ items: Type.Array(Measure) }, { additionalProperties: false, title: 'RespectMeasureList' });
export type MeasureList = Static<typeof MeasureList>;

export const MeasureDetail = Type.Object({
  ...measure,
  appeals: Type.Array(Type.Object({
    id: Uuid,
    text: Type.String(),
    source: Type.Enum(['customer', 'agent']),
    recordedBy: Nullable(Uuid),
    status: AppealStatus,
    decidedBy: Nullable(Uuid),
    decidedAt: Nullable(DateTime()),
    decisionNote: Nullable(Type.String()),
    createdAt: DateTime(),
  }, { additionalProperties: false, title: 'RespectMeasureAppeal' })),
}, { additionalProperties: false, title: 'RespectMeasureDetail' });
export type MeasureDetail = Static<typeof MeasureDetail>;

export const AppealRecorded = Type.Object({ appealId: Uuid, measure: MeasureDetail }, { additionalProperties: false, title: 'RespectAppealRecorded' });
export type AppealRecorded = Static<typeof AppealRecorded>;

export const Appeal = Type.Object({
  id: Uuid,
  measureId: Uuid,
  text: Type.String(),
  source: Type.Enum(['customer', 'agent']),
  status: AppealStatus,
  createdAt: DateTime(),
  decidedBy: Nullable(Uuid),
  decidedAt: Nullable(DateTime()),
  decisionNote: Nullable(Type.String()),
  kind: Kind,
  reasonCategory: Reason,
  customerId: Uuid,
  customerName: Nullable(Type.String()),
  reporterId: Uuid,
  approvedBy: Nullable(Uuid),
  abusedUserIds: Type.Array(Uuid),
  until: Nullable(DateTime()),
}, { additionalProperties: false, title: 'RespectAppeal' });
export const AppealList = Type.Object({ items: Type.Array(Appeal) }, { additionalProperties: false, title: 'RespectAppealList' });
export type AppealList = Static<typeof AppealList>;

export const Report = Type.Object({
  from: DateTime(),
  to: DateTime(),
  byReasonAndKind: Type.Array(Type.Object({ reasonCategory: Reason, kind: Kind, n: Type.Integer() }, {
    additionalProperties: false, title: 'RespectCountByReasonAndKind',
  })),
  byStatus: Type.Array(Type.Object({ status: Type.Enum(MEASURE_STATUSES), n: Type.Integer() }, {
    additionalProperties: false, title: 'RespectCountByStatus',
  })),
  byReporter: Type.Array(Type.Object({ reporterId: Uuid, name: Nullable(Type.String()), n: Type.Integer() }, {
    additionalProperties: false, title: 'RespectCountByReporter',
  })),
  refusedAsCriticism: Type.Integer({ description: 'proposals refused because their evidence was only criticism' }),
  refusedByReason: Type.Array(Type.Object({ reasonCategory: Reason, n: Type.Integer() }, {
    additionalProperties: false, title: 'RespectRefusalsByReason',
  })),
  appeals: Type.Object({ open: Type.Integer(), upheld: Type.Integer(), overturned: Type.Integer() }, {
    additionalProperties: false, title: 'RespectAppealCounts',
  }),
}, { additionalProperties: false, title: 'RespectReport' });
export type Report = Static<typeof Report>;
