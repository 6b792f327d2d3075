/**
 * Request and response schemas of the leaders routes (leaders.routes.ts); the shapes leaders.service.ts and digest.ts
 * return. The services' TypeScript types are in places wider than what they return (an optional follow-through that is
 * always set, rows typed Record<string, any>); the routes cast to the types below, the schema being the contract.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { DateTime, Nullable } from '../../server/schemas.js';
import { STRATA } from './leaders.service.js';

/** pg hands timestamps as Date objects; the serializer writes them as ISO strings. */
const Uuid = Type.String({ format: 'uuid' });
const LocalDate = Type.String({ format: 'date', description: 'local date YYYY-MM-DD' });
const Seconds = (description: string) => Nullable(Type.Number({ description: `${description} (seconds)` }));

// ---------------------------------------------------------------------------------------------------------------------
// Requests

export const SettingsBody = Type.Object({
  requestsPerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: 'default 2' })),
  weeklyCap: Type.Optional(Type.Integer({ minimum: 0, maximum: 50, description: 'default 8' })),
  deputyId: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'a user who takes over above the cap or while absent' })),
  timezone: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'IANA zone; null = the account’s' })),
  digestHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23, description: 'local hour, default 7' })),
  workingDays: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7, description: 'ISO weekdays, 1 = Monday' })),
  dedupDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, description: 'never the same customer twice within this many days (default 30)' })),
  stratify: Type.Optional(Type.Array(Type.Enum(STRATA), { maxItems: 3 })),
}, { additionalProperties: false });

export const AbsenceBody = Type.Object({
  from: Type.String(), to: Type.String(), note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

export const AbsenceParams = Type.Object({ id: Type.String(), absenceId: Type.String() });

export const DrawBody = Type.Object({
  leaderId: Type.Optional(Type.String()),
  date: Type.Optional(Type.String({ description: 'local date, default today in the leader’s zone' })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'default: a random seed, stored with the draw' })),
}, { additionalProperties: false });

export const ItemsQuery = Type.Object({
  status: Type.Optional(Type.String({ description: 'drawn | prepared | answered | handed_back' })),
  leaderId: Type.Optional(Type.String()),
  conversationId: Type.Optional(Type.String()),
});

export const PrepareBody = Type.Object({
  summary: Type.String({ minLength: 1, maxLength: 5000 }),
  proposedAnswer: Type.String({ minLength: 1, maxLength: 50_000 }),
  notes: Type.Optional(Type.String({ maxLength: 5000 })),
}, { additionalProperties: false });

export const AnswerBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 200_000 }) }, { additionalProperties: false });
export const HandBackBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });

// ---------------------------------------------------------------------------------------------------------------------
// Leaders, absences

const settings = {
  userId: Uuid,
  name: Type.String(),
  email: Type.String(),
  role: Type.String(),
  locale: Type.Enum(['en', 'de', 'nb']),
  requestsPerDay: Type.Integer(),
  weeklyCap: Type.Integer(),
  deputyId: Nullable(Uuid),
  deputyName: Nullable(Type.String()),
  timezone: Type.String({ description: 'the leader’s zone, else the account’s' }),
  ownTimezone: Nullable(Type.String({ description: 'the stored zone; null: the account’s' })),
  digestHour: Type.Integer(),
  workingDays: Type.Array(Type.Integer({ description: 'ISO weekday, 1 = Monday' })),
  dedupDays: Type.Integer(),
  stratify: Type.Array(Type.Enum(STRATA)),
  nextDrawAt: Nullable(DateTime()),
  nextDigestAt: Nullable(DateTime()),
};
export const LeaderSettings = Type.Object(settings, { additionalProperties: false, title: 'LeaderSettings' });

export const Absence = Type.Object({
  id: Uuid, userId: Uuid, from: LocalDate, to: LocalDate, note: Type.String(),
}, { additionalProperties: false, title: 'LeaderAbsence' });

export const Leader = Type.Object({
  ...settings,
  today: LocalDate,
  week: Type.String({ format: 'date', description: 'Monday of this week' }),
  weekCount: Type.Integer({ description: 'requests assigned this week (against the weekly cap)' }),
  absentToday: Type.Boolean(),
  absences: Type.Array(Type.Object({ id: Uuid, from: LocalDate, to: LocalDate, note: Type.String() }, {
    additionalProperties: false, title: 'LeaderAbsenceAhead',
  })),
}, { additionalProperties: false, title: 'Leader' });
export type Leader = Static<typeof Leader>;

// ---------------------------------------------------------------------------------------------------------------------
// Items

const Satisfaction = Type.Object({
  score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Nullable(Type.String()), at: DateTime(),
}, { additionalProperties: false, title: 'LeaderSatisfaction' });

const FollowThrough = Type.Object({
  customerReplied: Type.Boolean(),
  customerRepliedAt: Nullable(DateTime()),
  conversationStatus: Type.String(),
  satisfaction: Nullable(Satisfaction),
  timeToAnswerSeconds: Type.Integer({ description: 'from the draw to the leader’s answer' }),
}, { additionalProperties: false, title: 'LeaderFollowThrough' });

const item = {
  id: Uuid,
  drawId: Uuid,
  leaderId: Uuid,
  leaderName: Type.String(),
  assigneeId: Uuid,
  assigneeName: Type.String(),
  reason: Nullable(Type.Enum(['cap', 'absence'], { description: 'why the deputy has it' })),
  conversationId: Uuid,
  conversationNumber: Type.Integer(),
  subject: Type.String(),
  channel: Type.String(),
  conversationStatus: Type.String(),
  customerId: Uuid,
  customerName: Nullable(Type.String()),
  day: LocalDate,
  status: Type.Enum(['drawn', 'prepared', 'answered', 'handed_back']),
  summary: Nullable(Type.String()),
  proposedAnswer: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  preparedBy: Nullable(Uuid),
  preparedByName: Nullable(Type.String()),
  preparedAt: Nullable(DateTime()),
  answerMessageId: Nullable(Uuid),
  answeredAt: Nullable(DateTime()),
  handBackReason: Nullable(Type.String()),
  handedBackAt: Nullable(DateTime()),
  drawnAt: DateTime(),
  followThrough: Nullable(FollowThrough),
};
export const Item = Type.Object(item, { additionalProperties: false, title: 'LeaderItem' });
export type Item = Static<typeof Item>;

const Findings = Type.Object({
  lang: Type.String(),
  urgency: Nullable(Type.String()),
  abuse: Type.String({ description: 'abuse, criticism or none' }),
  threat: Type.Boolean(),
  waitComplaint: Type.Boolean(),
  waitMinutes: Nullable(Type.Number()),
  sentiment: Type.String({ description: 'neg, neu or pos' }),
}, { additionalProperties: false, title: 'LeaderMessageFindings' });

const ItemMessage = Type.Object({
  id: Uuid,
  kind: Type.String({ description: 'message or note' }),
  direction: Nullable(Type.String({ description: 'inbound or outbound; null for notes' })),
  authorType: Type.String(),
  authorName: Nullable(Type.String()),
  text: Type.String(),
  language: Nullable(Type.String()),
  createdAt: DateTime(),
  findings: Nullable(Findings),
}, { additionalProperties: false, title: 'LeaderItemMessage' });

/** The customer's journey (customers' timeline): keys other than the listed nullable ones are left out when empty. */
const JourneyEntry = Type.Object({
  kind: Type.Enum(['conversation', 'call', 'callback', 'contact']),
  channel: Type.String(),
  at: DateTime(),
  lastAt: Nullable(DateTime()),
  queue: Nullable(Type.Object({ id: Uuid, name: Type.String() }, { additionalProperties: false, title: 'LeaderJourneyQueue' })),
  livedWaitSeconds: Seconds('first touch until a human answered or the customer gave up; null while waiting'),
  queueWaitSeconds: Seconds('reported queue wait'),
  outcome: Nullable(Type.String()),
  conversationId: Type.Optional(Uuid),
  number: Type.Optional(Type.Integer()),
  subject: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  contactId: Type.Optional(Type.String()),
  callback: Type.Optional(Type.Object({
    id: Uuid,
    status: Type.String(),
    closedBy: Nullable(Type.String()),
    dueAt: DateTime(),
    attempts: Type.Integer(),
    outcome: Nullable(Type.String()),
    breached: Type.Boolean(),
    call: Type.String({ description: 'the call’s contact id' }),
  }, { additionalProperties: false, title: 'LeaderJourneyCallback' })),
}, { additionalProperties: false, title: 'LeaderJourneyEntry' });

export const ItemDetail = Type.Object({
  ...item,
  messages: Type.Array(ItemMessage),
  journey: Type.Array(JourneyEntry),
}, { additionalProperties: false, title: 'LeaderItemDetail' });
export type ItemDetail = Static<typeof ItemDetail>;

/** The leader's reply as the conversations API shows a message. */
const Message = Type.Object({
  id: Uuid,
  conversationId: Uuid,
  kind: Type.String(),
  direction: Nullable(Type.String()),
  authorType: Type.String(),
  authorUserId: Nullable(Uuid),
  authorCustomerId: Nullable(Uuid),
  automatic: Type.Boolean(),
  text: Type.String(),
  html: Nullable(Type.String()),
  language: Nullable(Type.String()),
  createdAt: DateTime(),
  hasQuoted: Type.Boolean(),
  attachments: Type.Array(Type.Object({
    id: Uuid, filename: Type.String(), contentType: Type.String(), size: Type.Integer(),
  }, { additionalProperties: false, title: 'LeaderAnswerAttachment' })),
}, { additionalProperties: false, title: 'LeaderAnswerMessage' });

export const Answered = Type.Object({ item: Item, message: Message }, { additionalProperties: false, title: 'LeaderAnswered' });
export type Answered = Static<typeof Answered>;

export const Today = Type.Object({
  prepared: Type.Array(ItemDetail),
  beingPrepared: Type.Array(Type.Object({
    id: Uuid, conversationNumber: Type.Integer(), subject: Type.String(), channel: Type.String(), day: LocalDate,
  }, { additionalProperties: false, title: 'LeaderItemBeingPrepared' })),
  answered: Type.Array(Item),
  week: Type.Object({
    week: Type.String({ format: 'date', description: 'Monday of this week' }),
    count: Type.Integer(),
    cap: Nullable(Type.Integer()),
  }, { additionalProperties: false, title: 'LeaderWeek' }),
}, { additionalProperties: false, title: 'LeaderToday' });
export type Today = Static<typeof Today>;

// ---------------------------------------------------------------------------------------------------------------------
// Draws

const draw = {
  id: Uuid,
  leaderId: Uuid,
  day: LocalDate,
  seed: Type.Integer(),
  requested: Type.Integer(),
  stratify: Type.Array(Type.String()),
  candidateCount: Type.Integer(),
  candidatesHash: Type.String(),
  picks: Type.Array(Uuid),
  unassigned: Type.Array(Type.Object({
    conversationId: Uuid,
    reason: Type.Enum(['cap', 'absence']),
    deputy: Type.Enum(['none', 'cap', 'absence'], { description: 'why the deputy did not take it either' }),
  }, { additionalProperties: false, title: 'LeaderUnassignedPick' })),
  note: Nullable(Type.Enum(['not_working_day', 'no_candidates'], { description: 'why nothing was drawn' })),
  items: Type.Array(Item),
  existing: Type.Optional(Type.Boolean({ description: 'true: the draw of this leader and day existed already' })),
};
export const Draw = Type.Object(draw, { additionalProperties: false, title: 'LeaderDraw' });
export const Draws = Type.Object({ items: Type.Array(Draw) }, { additionalProperties: false, title: 'LeaderDrawList' });
export type Draws = Static<typeof Draws>;

export const DrawReplay = Type.Object({
  ...draw,
  candidates: Type.Array(Type.Object({ id: Uuid, stratum: Type.String() }, { additionalProperties: false, title: 'LeaderDrawCandidate' })),
  replay: Type.Object({
    picks: Type.Array(Uuid), hashMatches: Type.Boolean(), picksMatch: Type.Boolean(),
  }, { additionalProperties: false, title: 'LeaderDrawReplayResult' }),
}, { additionalProperties: false, title: 'LeaderDrawWithReplay' });
export type DrawReplay = Static<typeof DrawReplay>;

// ---------------------------------------------------------------------------------------------------------------------
// The morning digest

const Figures = Type.Object({
  contacts: Type.Integer(),
  asaSeconds: Seconds('reported average speed of answer'),
  livedP50Seconds: Seconds('lived wait, median'),
  livedP90Seconds: Seconds('lived wait, 90th percentile'),
  journeyP90Seconds: Seconds('journey wait, 90th percentile'),
  abandonRate: Nullable(Type.Number()),
}, { additionalProperties: false, title: 'DigestFigures' });

/** A moment of the team feed as the heart module lists it for the digest. */
const DigestMoment = Type.Object({
  id: Uuid,
  agentId: Uuid,
  agentName: Type.String(),
  sharing: Type.Enum(['team', 'anonymised']),
  title: Type.String(),
  story: Type.String(),
  conversationId: Nullable(Uuid),
  conversationNumber: Nullable(Type.Integer()),
  customerName: Nullable(Type.String()),
  consent: Type.Boolean(),
  kudos: Type.Integer(),
  kudosByMe: Type.Boolean(),
  mine: Type.Boolean(),
  createdAt: DateTime(),
}, { additionalProperties: false, title: 'DigestMoment' });

export const Digest = Type.Object({
  leaderId: Uuid,
  locale: Type.Enum(['en', 'de', 'nb']),
  day: LocalDate,
  to: Type.String({ description: 'the leader’s email address' }),
  subject: Type.String(),
  text: Type.String(),
  html: Type.String(),
  voices: Type.Array(Type.Object({
    messageId: Uuid,
    conversationId: Uuid,
    text: Type.String(),
    lang: Nullable(Type.String()),
    channel: Type.String(),
    at: DateTime(),
    findings: Nullable(Type.Object({
      urgency: Nullable(Type.String()),
      abuse: Nullable(Type.String()),
      threat: Type.Boolean(),
      waitComplaint: Type.Boolean(),
      waitMinutes: Nullable(Type.Number()),
      waitKind: Type.Enum(['queue', 'delivery']),
    }, { additionalProperties: false, title: 'DigestVoiceFindings' })),
  }, { additionalProperties: false, title: 'DigestVoice' })),
  requests: Type.Object({
    prepared: Type.Integer(), beingPrepared: Type.Integer(), subjects: Type.Array(Type.String()),
  }, { additionalProperties: false, title: 'DigestRequests' }),
  figures: Type.Object({ day: Figures, week: Figures }, { additionalProperties: false, title: 'DigestFigurePair' }),
  anecdotes: Type.Object({
    contradicted: Type.Integer(),
    claims: Type.Integer(),
    examples: Type.Array(Type.Object({
      text: Type.String(), claimedMinutes: Nullable(Type.Number()), measuredSeconds: Seconds('measured wait'),
    }, { additionalProperties: false, title: 'DigestAnecdote' })),
  }, { additionalProperties: false, title: 'DigestAnecdotes' }),
  moments: Type.Array(DigestMoment),
}, { additionalProperties: false, title: 'LeaderDigest' });
export type Digest = Static<typeof Digest>;

export const Items = <T extends TSchema>(item: T, title: string) => Type.Object({ items: Type.Array(item) }, { additionalProperties: false, title });
