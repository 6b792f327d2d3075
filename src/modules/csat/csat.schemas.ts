/**
 * Request and response schemas of the satisfaction routes and pages (csat.routes.ts, csat.pages.ts); the shapes
 * csat.service.ts returns. The service types its rows loosely (`any`) in places; the routes cast to the types below,
 * the schema being the contract.
 */
import { Type, type Static, } from 'typebox';
import { DateTime, Nullable } from '../../server/schemas.js';

/** pg hands timestamps as Date objects; the serializer writes them as ISO strings. */
const Uuid = Type.String({ format: 'uuid' });
const Score = Type.Integer({ minimum: 1, maximum: 5 });
const Source = Type.Enum(['portal', 'survey', 'chat'], { description: 'where the customer answered' });
const Seconds = (description: string) => Nullable(Type.Number({ description: `${description} (seconds)` }));

// ---------------------------------------------------------------------------------------------------------------------
// Requests

const Question = Type.Union([Type.String({ maxLength: 300 }), Type.Null()]);

export const SettingsBody = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  delayMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10080, description: 'minutes after solved before the survey is sent (default 10)' })),
  reminderDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 29, description: 'days without an answer before the one reminder; 0 = none (default 3)' })),
  expiryDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'days a survey link stays valid (default 30)' })),
  questions: Type.Optional(Type.Object({ en: Type.Optional(Question), de: Type.Optional(Question), nb: Type.Optional(Question) }, { additionalProperties: false })),
}, { additionalProperties: false });

export const Filter = Type.Object({
  from: Type.Optional(Type.String({ description: 'ISO date or date-time (inclusive, answer time); default 30 days before to' })),
  to: Type.Optional(Type.String({ description: 'ISO date or date-time (exclusive); default now' })),
  queue: Type.Optional(Type.String({ description: 'queue id' })),
  channel: Type.Optional(Type.Enum(['email', 'chat', 'web', 'phone', 'api'])),
});

// ---------------------------------------------------------------------------------------------------------------------
// Answers

export const Settings = Type.Object({
  enabled: Type.Boolean(),
  delayMinutes: Type.Integer({ description: 'minutes after solved before the survey goes out' }),
  reminderDays: Type.Integer({ description: 'days without an answer before the one reminder; 0 = none' }),
  expiryDays: Type.Integer({ description: 'days a survey link stays valid' }),
  questions: Type.Object({ en: Type.String(), de: Type.String(), nb: Type.String() }, {
    additionalProperties: false, description: 'the question per language (the account’s own wording, else the default)',
  }),
}, { additionalProperties: false, title: 'CsatSettings' });

const agg = {
  responses: Type.Integer(),
  average: Nullable(Type.Number({ description: 'mean score, two decimals' })),
  csat: Nullable(Type.Number({ description: 'percentage of answers scoring 4 or 5, one decimal' })),
};

export const Report = Type.Object({
  from: DateTime(),
  to: DateTime(),
  ...agg,
  responseRate: Nullable(Type.Number({ description: 'percentage of sent surveys answered, one decimal' })),
  surveys: Type.Object({
    sent: Type.Integer(), email: Type.Integer(), chat: Type.Integer(), noRoute: Type.Integer(), reminded: Type.Integer(), answered: Type.Integer(),
  }, { additionalProperties: false, title: 'CsatSurveyCounts' }),
  distribution: Type.Object({
    1: Type.Integer(), 2: Type.Integer(), 3: Type.Integer(), 4: Type.Integer(), 5: Type.Integer(),
  }, { additionalProperties: false, title: 'CsatDistribution', description: 'answers per score' }),
  bySource: Type.Object({
    portal: Type.Optional(Type.Integer()), survey: Type.Optional(Type.Integer()), chat: Type.Optional(Type.Integer()),
  }, { additionalProperties: false, title: 'CsatCountBySource', description: 'answers per source; a source without answers is left out' }),
  byQueue: Type.Array(Type.Object({ queueId: Nullable(Uuid), queueName: Nullable(Type.String()), ...agg }, {
    additionalProperties: false, title: 'CsatByQueue',
  })),
  byChannel: Type.Array(Type.Object({ channel: Type.String(), ...agg }, { additionalProperties: false, title: 'CsatByChannel' })),
  comments: Type.Array(Type.Object({
    conversationId: Uuid,
    number: Type.Integer(),
    subject: Type.String(),
    channel: Type.String(),
    score: Score,
    comment: Type.String(),
    source: Source,
    at: DateTime(),
  }, { additionalProperties: false, title: 'CsatComment' })),
}, { additionalProperties: false, title: 'CsatReport' });
export type Report = Static<typeof Report>;

export const Points = Type.Object({
  from: DateTime(),
  to: DateTime(),
  points: Type.Array(Type.Object({
    conversationId: Uuid,
    number: Type.Integer(),
    channel: Type.String(),
    queueId: Nullable(Uuid),
    score: Score,
    at: DateTime(),
    livedWaitSeconds: Seconds('lived wait of the customer’s journey'),
    queueWaitSeconds: Seconds('reported queue wait of the conversation’s own contact'),
    journeys: Type.Array(Type.Object({
      startAt: DateTime(),
      waitSeconds: Seconds('first touch until a human answered; null when never answered'),
      attempts: Type.Integer(),
      channel: Type.String({ description: 'channel of the journey’s last contact' }),
      contactIds: Type.Array(Type.String()),
    }, { additionalProperties: false, title: 'CsatPointJourney' })),
  }, { additionalProperties: false, title: 'CsatPoint' })),
  buckets: Type.Array(Type.Object({
    key: Type.String(),
    from: Type.Integer({ description: 'lived wait from (seconds, inclusive)' }),
    to: Nullable(Type.Integer({ description: 'lived wait to (seconds, exclusive); null: no upper end' })),
    ...agg,
  }, { additionalProperties: false, title: 'CsatWaitBucket' })),
  unknownWait: Type.Object(agg, { additionalProperties: false, title: 'CsatAggregate', description: 'answers whose lived wait is unknown' }),
}, { additionalProperties: false, title: 'CsatPoints' });
export type Points = Static<typeof Points>;

export const ConversationState = Type.Object({
  conversationId: Uuid,
  survey: Nullable(Type.Object({
    route: Type.Enum(['email', 'chat', 'no_route']),
    language: Type.Enum(['en', 'de', 'nb']),
    sentAt: DateTime(),
    remindedAt: Nullable(DateTime()),
    expiresAt: DateTime(),
    question: Type.String(),
  }, { additionalProperties: false, title: 'CsatSurveySent', description: 'null until sent' })),
  answer: Nullable(Type.Object({ score: Score, comment: Nullable(Type.String()), source: Source, at: DateTime() }, {
    additionalProperties: false, title: 'CsatAnswer', description: 'null until answered',
  })),
}, { additionalProperties: false, title: 'CsatConversationState' });
export type ConversationState = Static<typeof ConversationState>;

// ---------------------------------------------------------------------------------------------------------------------
// The survey page

export const PageParams = Type.Object({ token: Type.String({ description: 'the signed token from the survey link' }) });
export const PageQuery = Type.Object({
  lang: Type.Optional(Type.String({ description: 'en, de or nb; default the survey’s language' })),
  score: Type.Optional(Type.String({ description: 'GET: the score picked in the email, preselected (1–5); never recorded by GET' })),
});
/** Form fields; all optional, since a missing score or a too long comment answers the form with the problem on it. */
export const PageForm = Type.Optional(Type.Object({
  score: Type.Optional(Type.String()),
  comment: Type.Optional(Type.String()),
  lang: Type.Optional(Type.String()),
}));
export const Page = { content: { 'text/html': { schema: Type.String({ description: 'the survey form in the customer’s language' }) } } };
