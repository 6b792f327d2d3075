/**
 * Response shapes of the listening routes: the anecdote audit (anecdotes.ts), respect-policy flags and a message's
 * findings (listening.service.ts, FINDING_COLS). Every object is closed: the serializer drops what is not listed.
 */
import { Type, type Static, } from 'typebox';
import { DateTime, Nullable } from '../../server/schemas.js';

const closed = { additionalProperties: false } as const;
const NullableNumber = Nullable(Type.Number());
/** A time: services hand Date objects (from pg) or ISO strings; both go out as an ISO string. */

const AnecdoteExample = Type.Object(
  {
    messageId: Type.String(),
    conversationId: Type.String(),
    claimedMinutes: NullableNumber,
    measuredContactSeconds: NullableNumber,
    measuredJourneySeconds: NullableNumber,
    measuredResolutionSeconds: Type.Optional(NullableNumber),
    at: DateTime(),
  },
  { ...closed, title: 'AnecdoteExample' },
);
const figureProps = {
  claims: Type.Integer(),
  agrees: Type.Integer(),
  contradicted: Type.Integer(),
  blindSpots: Type.Integer(),
  noFigure: Type.Integer(),
  contradictedShare: Nullable(Type.Number({ description: 'contradicted / (agrees + contradicted)' })),
  blindSpotShare: Nullable(Type.Number({ description: 'blind spots / claims with a stated duration' })),
  examples: Type.Object({ contradicted: Type.Array(AnecdoteExample), blindSpots: Type.Array(AnecdoteExample) }, closed),
};
const AnecdoteFigures = Type.Object(figureProps, { ...closed, title: 'AnecdoteFigures' });

export const AnecdoteReport = Type.Object(
  {
    from: DateTime(),
    to: DateTime(),
    by: Nullable(Type.Union([Type.Literal('queue'), Type.Literal('channel'), Type.Literal('week')])),
    timezone: Type.String(),
    total: AnecdoteFigures,
    groups: Type.Array(Type.Object({ key: Nullable(Type.String()), label: Type.String(), ...figureProps }, { ...closed, title: 'AnecdoteGroup' })),
    delivery: AnecdoteFigures,
    alerts: Type.Array(
      Type.Object(
        { week: Type.String({ format: 'date' }), contradictedShare: Type.Number(), previousShare: NullableNumber, claims: Type.Integer(), at: DateTime() },
        { ...closed, title: 'AnecdoteAlert' },
      ),
    ),
  },
  { ...closed, title: 'AnecdoteReport' },
);

const Span = Type.Object({ start: Type.Integer(), end: Type.Integer(), text: Type.String() }, { ...closed, title: 'EvidenceSpan' });
const findingProps = {
  messageId: Type.String(),
  conversationId: Type.String(),
  customerId: Nullable(Type.String()),
  lang: Type.String(),
  wait: Type.Object(
    { complaint: Type.Boolean(), minutes: NullableNumber, kind: Type.Union([Type.Literal('queue'), Type.Literal('delivery')]) },
    closed,
  ),
  urgency: Nullable(
    Type.Union([Type.Literal('bereavement'), Type.Literal('medical'), Type.Literal('travel'), Type.Literal('deadline'), Type.Literal('safety')]),
  ),
  abuse: Type.Union([Type.Literal('abuse'), Type.Literal('criticism'), Type.Literal('none')]),
  threat: Type.Boolean(),
  sentiment: Type.Union([Type.Literal('neg'), Type.Literal('neu'), Type.Literal('pos')]),
  frustration: Type.Number(),
  confidence: Type.Number(),
  evidence: Type.Object(
    {
      wait: Type.Optional(Nullable(Span)),
      waitConfidence: Type.Optional(Type.Number()),
      urgency: Type.Optional(Nullable(Span)),
      abuse: Type.Optional(Nullable(Span)),
      threat: Type.Optional(Nullable(Span)),
    },
    { ...closed, title: 'FindingEvidence' },
  ),
  flagged: Type.Boolean(),
  actions: Type.Object(
    { priority: Type.Optional(Type.Object({ from: Type.String(), to: Type.String() }, closed)) },
    { ...closed, description: 'what the analysis did because of this message (never repeated on a re-run)' },
  ),
  classifier: Type.String(),
  classifierVersion: Type.String(),
  messageAt: DateTime(),
  analysedAt: DateTime(),
};
const Finding = Type.Object(findingProps, { ...closed, title: 'MessageFinding' });
export type Finding = Static<typeof Finding>;

const RespectFlag = Type.Object({ ...findingProps, conversationNumber: Type.Integer(), text: Type.String() }, { ...closed, title: 'RespectFlag' });
export type RespectFlag = Static<typeof RespectFlag>;
export const FlagList = Type.Object({ items: Type.Array(RespectFlag) }, { ...closed, title: 'RespectFlagList' });

const AnecdoteCheck = Type.Object(
  {
    claim: Type.Union([Type.Literal('queue'), Type.Literal('delivery')]),
    claimedMinutes: NullableNumber,
    measuredContactSeconds: NullableNumber,
    measuredResolutionSeconds: NullableNumber,
    measuredJourneySeconds: NullableNumber,
    measuredContacts: Type.Array(Type.String()),
    verdict: Type.Union([Type.Literal('agrees'), Type.Literal('contradicted'), Type.Literal('blind_spot'), Type.Literal('no_figure')]),
    week: Type.String({ format: 'date' }),
  },
  { ...closed, title: 'AnecdoteCheck' },
);
export type AnecdoteCheck = Static<typeof AnecdoteCheck>;

export const MessageFindings = Type.Object(
  {
    messageId: Type.String(),
    analysed: Type.Boolean(),
    findings: Nullable(Finding),
    anecdote: Nullable(AnecdoteCheck),
  },
  { ...closed, title: 'MessageFindings' },
);
