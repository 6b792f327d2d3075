/** Request and response schemas of the heart routes (heart.routes.ts); the shapes heart.service.ts returns. */
import { Type, type Static, type TSchema } from 'typebox';
import { DateTime, Nullable } from '../../server/schemas.js';
import { CONSENT_HOW, KINDS } from './heart.service.js';

/** pg hands timestamps as Date objects; the serializer writes them as ISO strings. */
const Uuid = Type.String({ format: 'uuid' });
const Money = (description: string) => Type.Integer({ description: `${description} (minor units, e.g. cents)` });

export const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'calendar month YYYY-MM in the account time zone' });
const Minor = (description: string) => Type.Integer({ minimum: 0, description: `${description} (minor units, e.g. cents)` });
export const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }));
const Kind = Type.Enum(KINDS);
const SpendStatus = Type.Enum(['pending', 'approved', 'rejected'] as const);
const Sharing = Type.Enum(['team', 'anonymised', 'private'] as const);

// ---------------------------------------------------------------------------------------------------------------------
// Requests

export const SettingsBody = Type.Object({
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })),
  approvalThreshold: Type.Optional(Minor('a spend above this needs approval')),
  defaultAgentBudget: Type.Optional(Minor('monthly budget of an agent without a budget of their own')),
  defaultTeamBudget: Type.Optional(Minor('monthly budget of a team without a budget of its own')),
}, { additionalProperties: false });

export const BudgetBody = Type.Object({
  subjectType: Type.Enum(['user', 'team'] as const),
  subjectId: Type.String({ description: 'user or team id' }),
  month: Month,
  amount: Minor('the budget'),
}, { additionalProperties: false });

export const SpendBody = Type.Object({
  kind: Kind,
  amount: Type.Integer({ minimum: 1, description: 'minor units, e.g. cents' }),
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  teamId: Type.Optional(Type.String({ description: 'whose team budget, when you are in several teams' })),
}, { additionalProperties: false });

export const SpendsQuery = Type.Object({ status: Type.Optional(SpendStatus), month: Type.Optional(Month), limit: Limit });

export const DecisionBody = Type.Object({
  decision: Type.Enum(['approve', 'reject'] as const),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });

export const ExceptionBody = Type.Object({
  policy: Type.String({ maxLength: 500 }),
  action: Type.String({ maxLength: 2000 }),
  reason: Type.String({ maxLength: 4000 }),
  goodwillSpendId: Type.Optional(Type.String()),
}, { additionalProperties: false });

export const MomentBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  story: Type.String({ minLength: 1, maxLength: 10000 }),
  consent: Type.Object({
    given: Type.Boolean(),
    how: Type.Optional(Type.Enum(CONSENT_HOW)),
    at: Type.Optional(Type.String({ description: 'when (ISO date-time); default now' })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  }, { additionalProperties: false }),
  sharing: Type.Optional(Sharing),
}, { additionalProperties: false });

export const FeedQuery = Type.Object({
  since: Type.Optional(Type.String({ description: 'ISO date-time' })),
  before: Type.Optional(Type.String({ description: 'page: moments before this time' })),
  limit: Limit,
});

export const WithdrawBody = Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }));

// ---------------------------------------------------------------------------------------------------------------------
// Answers

export const HeartSettings = Type.Object({
  currency: Type.String({ description: 'ISO 4217 code' }),
  approvalThreshold: Money('a spend above this needs approval'),
  defaultAgentBudget: Money('monthly budget of an agent without a budget of their own'),
  defaultTeamBudget: Money('monthly budget of a team without a budget of its own'),
}, { additionalProperties: false, title: 'HeartSettings' });

export const Budget = Type.Object({
  subjectType: Type.Enum(['user', 'team'] as const),
  subjectId: Uuid,
  name: Type.String(),
  month: Month,
  amount: Money('the budget'),
}, { additionalProperties: false, title: 'GoodwillBudget' });

const standing = {
  budget: Money('the month’s budget (its own or the default)'),
  spent: Money('approved spends'),
  pending: Money('spends awaiting approval'),
  remaining: Money('budget minus approved spends; negative when overspent'),
};

export const HeartReport = Type.Object({
  month: Month,
  currency: Type.String(),
  approvalThreshold: Money('a spend above this needs approval'),
  scope: Type.Enum(['all', 'own'] as const),
  agents: Type.Array(Type.Object({
    userId: Uuid, name: Type.String(), role: Type.String(), ...standing, exceptions: Type.Integer(),
  }, { additionalProperties: false, title: 'HeartAgentStanding' })),
  teams: Type.Array(Type.Object({ teamId: Uuid, name: Type.String(), ...standing }, { additionalProperties: false, title: 'HeartTeamStanding' })),
  kinds: Type.Array(Type.Object({
    kind: Kind, count: Type.Integer({ description: 'approved spends' }), spent: Money('approved'), pending: Money('awaiting approval'),
  }, { additionalProperties: false, title: 'HeartKindTotal' })),
  totals: Type.Object({ spent: Money('approved'), pending: Money('awaiting approval'), exceptions: Type.Integer() }, {
    additionalProperties: false, title: 'HeartTotals',
  }),
}, { additionalProperties: false, title: 'HeartReport' });
export type HeartReport = Static<typeof HeartReport>;

export const Spend = Type.Object({
  id: Uuid,
  conversationId: Uuid,
  conversationNumber: Type.Integer(),
  spenderId: Uuid,
  spenderName: Type.String(),
  teamId: Nullable(Uuid),
  teamName: Nullable(Type.String()),
  kind: Kind,
  amount: Money('the spend'),
  currency: Type.String(),
  description: Type.String(),
  month: Month,
  status: SpendStatus,
  approvalReasons: Type.Array(Type.String({ description: 'above_threshold, agent_budget or team_budget' })),
  decidedBy: Nullable(Uuid),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(DateTime()),
  decisionNote: Nullable(Type.String()),
  createdAt: DateTime(),
}, { additionalProperties: false, title: 'GoodwillSpend' });

export const PolicyException = Type.Object({
  id: Uuid,
  conversationId: Uuid,
  conversationNumber: Type.Integer(),
  policy: Type.String(),
  action: Type.String(),
  reason: Type.String(),
  goodwillSpendId: Nullable(Uuid),
  createdBy: Uuid,
  createdByName: Type.String(),
  month: Month,
  createdAt: DateTime(),
}, { additionalProperties: false, title: 'PolicyException' });

export const Moment = Type.Object({
  id: Uuid,
  conversationId: Nullable(Uuid),
  agentId: Uuid,
  agentName: Type.String(),
  title: Type.String(),
  story: Type.String(),
  anonTitle: Type.String({ description: 'the title with the customer stripped, shown when shared anonymised' }),
  anonStory: Type.String(),
  consentGiven: Type.Boolean(),
  consentHow: Nullable(Type.Enum(CONSENT_HOW)),
  consentNote: Nullable(Type.String()),
  consentAt: Nullable(DateTime()),
  consentRecordedBy: Nullable(Uuid),
  consentWithdrawnAt: Nullable(DateTime()),
  sharing: Sharing,
  kudos: Type.Integer(),
  createdAt: DateTime(),
}, { additionalProperties: false, title: 'Moment' });
export type Moment = Static<typeof Moment>;

export const FeedMoment = Type.Object({
  id: Uuid,
  agentId: Uuid,
  agentName: Type.String(),
  sharing: Type.Enum(['team', 'anonymised'] as const),
  title: Type.String(),
  story: Type.String(),
  conversationId: Nullable(Uuid),
  conversationNumber: Nullable(Type.Integer()),
  customerName: Nullable(Type.String({ description: 'only with the customer’s consent' })),
  consent: Type.Boolean(),
  kudos: Type.Integer(),
  kudosByMe: Type.Boolean(),
  mine: Type.Boolean(),
  createdAt: DateTime(),
}, { additionalProperties: false, title: 'FeedMoment' });
export type FeedMoment = Static<typeof FeedMoment>;

export const Kudos = Type.Object({ momentId: Uuid, kudos: Type.Integer({ description: 'kudos the moment has now' }) }, {
  additionalProperties: false, title: 'Kudos',
});

export const UrgencyReason = Type.Object({
  messageId: Uuid,
  urgency: Type.String({ description: "what listening found: bereavement, medical, travel, deadline, safety, or 'threat'" }),
  evidence: Nullable(Type.String({ description: 'the words in the message' })),
  priority: Nullable(Type.Object({ from: Type.String(), to: Type.String() }, { additionalProperties: false, title: 'PriorityChange' })),
  messageAt: DateTime(),
}, { additionalProperties: false, title: 'UrgencyReason' });

export const ConversationHeart = Type.Object({
  conversationId: Uuid,
  priority: Type.String(),
  currency: Type.String(),
  approvalThreshold: Money('a spend above this needs approval'),
  urgency: Type.Array(UrgencyReason),
  spends: Type.Array(Spend),
  exceptions: Type.Array(PolicyException),
  moments: Type.Array(Moment),
}, { additionalProperties: false, title: 'ConversationHeart' });
export type ConversationHeart = Static<typeof ConversationHeart>;

/**
 * The service's TypeScript types are in places wider than what it returns (a plain string where only 'all' or 'own'
 * occurs, a nullable agent name from an inner join); the routes cast to these schema types, the schema being the contract.
 */
export const Items = <T extends TSchema>(item: T, title: string) =>
  Type.Object({ items: Type.Array(item) }, { additionalProperties: false, title });
