/**
 * Response shapes of the journeys routes (reports, journeys, imports, definitions): what metrics.ts, live.ts,
 * journeys.service.ts and import.service.ts return. Every object is closed: the serializer drops what is not listed.
 */
import { Type, } from 'typebox';
import { DateTime, Nullable } from '../../server/schemas.js';

const closed = { additionalProperties: false } as const;
const NullableNumber = Nullable(Type.Number());
/** A time: services hand Date objects (from pg) or ISO strings; both go out as an ISO string. */
const Lang3 = Type.Object({ en: Type.String(), de: Type.String(), nb: Type.String() }, closed);

const Stats = Type.Object({ mean: NullableNumber, p50: NullableNumber, p90: NullableNumber }, { ...closed, title: 'WaitStats' });
const Stats99 = Type.Object(
  { mean: NullableNumber, p50: NullableNumber, p90: NullableNumber, p99: NullableNumber },
  { ...closed, title: 'WaitStats99' },
);
const Period = Type.Object({ from: Nullable(Type.String()), to: Nullable(Type.String()) }, { ...closed, title: 'ReportPeriod' });

const figureProps = {
  contacts: Type.Integer(),
  answered: Type.Integer(),
  queued: Type.Integer(),
  abandonedInQueue: Type.Integer(),
  waiting: Type.Integer(),
  reported: Type.Object(
    { asaSeconds: NullableNumber, serviceLevel: NullableNumber, thresholdSeconds: Type.Number(), abandonRate: NullableNumber },
    closed,
  ),
  lived: Type.Object({ contactWaitSeconds: Stats99 }, closed),
  journeys: Type.Object(
    {
      answered: Type.Integer(),
      neverServed: Type.Integer(),
      stillWaiting: Type.Integer(),
      multiAttempt: Type.Integer(),
      waitSeconds: Stats99,
      multiAttemptWaitSeconds: Stats,
      repeatContactRate: NullableNumber,
      firstContactResolution: NullableNumber,
      survival: Type.Object(
        {
          medianSeconds: NullableNumber,
          points: Type.Array(Type.Object({ seconds: Type.Number(), stillWaiting: Type.Number() }, closed)),
        },
        closed,
      ),
    },
    closed,
  ),
  gap: Type.Object({ livedP90OverReportedAsa: NullableNumber, multiAttemptP50OverReportedAsa: NullableNumber }, closed),
};

export const WaitsGroup = Type.Object(
  { key: Type.String(), label: Type.String(), ...figureProps },
  { ...closed, title: 'WaitsGroup' },
);

export const WaitsReport = Type.Object(
  {
    definitions: Type.Integer({ description: 'the definition version the figures follow (GET /definitions)' }),
    path: Type.Union([Type.Literal('exact'), Type.Literal('sketch')]),
    journeyWindow: Type.Union([Type.Literal('day'), Type.Object({ gapSeconds: Type.Number() }, closed)], {
      description: "'day' (calls and chats: the local calendar day; written channels: the thread) or the gap between contacts",
    }),
    period: Period,
    ...figureProps,
    groups: Type.Optional(Type.Array(WaitsGroup, { description: 'with ?by=' })),
  },
  { ...closed, title: 'WaitsReport', description: 'see docs/metrics.md and `earshot report waits --json`' },
);

const Histogram = Type.Object(
  {
    counts: Type.Array(Type.Integer(), { description: 'counts[i]: waits w with edges[i] ≤ w < edges[i + 1] (the last: w ≥ edges[last])' }),
    total: Type.Integer(),
  },
  { ...closed, title: 'WaitHistogram' },
);

export const WaitsDistribution = Type.Object(
  {
    edges: Type.Array(Type.Number(), { description: 'bucket lower bounds, seconds' }),
    contactWaits: Histogram,
    journeyWaits: Histogram,
    multiAttemptJourneyWaits: Histogram,
    reported: Type.Object({ asaSeconds: NullableNumber }, closed),
    period: Period,
  },
  { ...closed, title: 'WaitsDistribution' },
);

const Presence = Type.Union([Type.Literal('available'), Type.Literal('busy'), Type.Literal('away'), Type.Literal('offline')]);
const LiveAgent = Type.Object({ id: Type.String(), name: Type.String(), presence: Presence }, { ...closed, title: 'LiveAgent' });
const AgentsByPresence = Type.Object(
  { available: Type.Array(LiveAgent), busy: Type.Array(LiveAgent), away: Type.Array(LiveAgent), offline: Type.Array(LiveAgent) },
  { ...closed, title: 'AgentsByPresence' },
);
const LiveQueue = Type.Object(
  {
    id: Nullable(Type.String({ description: 'null: contacts without a queue' })),
    name: Nullable(Type.String()),
    waiting: Type.Object({ total: Type.Integer(), byChannel: Type.Record(Type.String(), Type.Integer()) }, closed),
    longestWaitSeconds: NullableNumber,
    oldestWaitingSince: Nullable(DateTime()),
    agents: AgentsByPresence,
    callbacks: Type.Object({ open: Type.Integer(), overdue: Type.Integer() }, closed),
  },
  { ...closed, title: 'LiveQueue' },
);
export const LiveWall = Type.Object(
  {
    now: DateTime(),
    since: DateTime(),
    totals: Type.Object(
      { waiting: Type.Integer(), longestWaitSeconds: NullableNumber, callbacksOpen: Type.Integer(), callbacksOverdue: Type.Integer() },
      closed,
    ),
    agents: AgentsByPresence,
    queues: Type.Array(LiveQueue),
  },
  { ...closed, title: 'LiveWall' },
);

const JourneyContact = Type.Object(
  {
    contactId: Type.String(),
    channel: Type.String(),
    queue: Nullable(Type.String()),
    firstTouchAt: DateTime(),
    queueEnteredAt: Nullable(DateTime()),
    answeredAt: Nullable(DateTime()),
    abandonedAt: Nullable(DateTime()),
    outcome: Type.Union([Type.Literal('answered'), Type.Literal('abandoned'), Type.Literal('closed'), Type.Literal('waiting')]),
    queued: Type.Boolean(),
    queueWaitSeconds: NullableNumber,
    livedWaitSeconds: NullableNumber,
    conversationId: Nullable(Type.String()),
  },
  { ...closed, title: 'JourneyContact' },
);
export const Journey = Type.Object(
  {
    customer: Type.Union([
      Type.Object({ customerId: Type.String(), name: Nullable(Type.String()) }, closed),
      Type.Object({ identity: Type.String() }, closed),
    ]),
    window: Type.String(),
    startedAt: DateTime(),
    answeredAt: Nullable(DateTime()),
    attempts: Type.Integer(),
    outcome: Type.Union([Type.Literal('answered'), Type.Literal('waiting'), Type.Literal('never_served')]),
    waitSeconds: NullableNumber,
    spanSeconds: Type.Number(),
    contacts: Type.Array(JourneyContact),
  },
  { ...closed, title: 'Journey' },
);
export const JourneyList = Type.Object({ items: Type.Array(Journey) }, { ...closed, title: 'JourneyList' });

const LineProblem = Type.Object(
  { line: Type.Integer(), reason: Type.String(), text: Type.Optional(Type.String()) },
  { ...closed, title: 'ImportLineProblem' },
);
export const ImportSummary = Type.Object(
  {
    source: Type.String(),
    received: Type.Integer(),
    added: Type.Integer(),
    duplicates: Type.Integer(),
    contacts: Type.Integer(),
    queuesCreated: Type.Array(Type.String()),
    seconds: Type.Number(),
    report: Type.Optional(
      Type.Object(
        {
          lines: Type.Integer(),
          events: Type.Integer(),
          contacts: Type.Integer(),
          malformed: Type.Array(LineProblem),
          malformedCount: Type.Integer(),
          warnings: Type.Array(LineProblem),
          warningCount: Type.Integer(),
          unknown: Type.Record(Type.String(), Type.Integer()),
          skipped: Type.Record(Type.String(), Type.Integer()),
        },
        { ...closed, title: 'ImportReport' },
      ),
    ),
  },
  { ...closed, title: 'ImportSummary' },
);

export const Recomputed = Type.Object(
  { contacts: Type.Integer({ description: 'contact facts rebuilt' }), days: Type.Integer({ description: 'days of sketches rebuilt' }) },
  { ...closed, title: 'Recomputed' },
);

export const Definitions = Type.Object(
  {
    current: Type.Integer(),
    versions: Type.Array(Type.Object({ version: Type.Integer(), changes: Lang3, current: Type.Boolean() }, closed)),
    figures: Type.Array(Type.Object({ key: Type.String(), name: Lang3, definition: Lang3 }, closed)),
    recompute: Type.String({ description: 'the route that applies a new version to stored facts' }),
  },
  { ...closed, title: 'MetricDefinitions' },
);
