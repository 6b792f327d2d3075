/** Response shapes of the probe routes (probes.service.ts: PROBE_COLS, RUN_COLS, probeReport). */
import { Type, } from 'typebox';
import { DateTime, Nullable } from '../../server/schemas.js';

const closed = { additionalProperties: false } as const;
const NullableNumber = Nullable(Type.Number());
/** A time: services hand Date objects (from pg) or ISO strings; both go out as an ISO string. */
const Channel = Type.Union([Type.Literal('email'), Type.Literal('chat'), Type.Literal('phone')]);

const runProps = {
  id: Type.String({ format: 'uuid' }),
  probeId: Type.String({ format: 'uuid' }),
  channel: Channel,
  startedAt: DateTime(),
  conversationId: Nullable(Type.String()),
  contactId: Nullable(Type.String()),
  answeredAt: Nullable(DateTime()),
  livedWaitSeconds: NullableNumber,
  waitLimitSeconds: Type.Integer(),
  status: Type.Union([Type.Literal('sending'), Type.Literal('waiting'), Type.Literal('answered'), Type.Literal('unanswered'), Type.Literal('failed')]),
  error: Nullable(Type.String()),
};
export const ProbeRun = Type.Object(runProps, { ...closed, title: 'ProbeRun' });

const probeProps = {
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  channel: Channel,
  target: Nullable(Type.String()),
  customerId: Type.String({ format: 'uuid' }),
  fromAddress: Type.String(),
  callerNumber: Type.String(),
  everyMinutes: Nullable(Type.Integer()),
  waitLimitSeconds: Type.Integer(),
  nextRunAt: Nullable(DateTime()),
  enabled: Type.Boolean(),
};
export const Probe = Type.Object(probeProps, { ...closed, title: 'Probe' });
export const ProbeList = Type.Object(
  { items: Type.Array(Type.Object({ ...probeProps, lastRun: Nullable(ProbeRun) }, { ...closed, title: 'ProbeWithLastRun' })) },
  { ...closed, title: 'ProbeList' },
);

export const ProbeReport = Type.Object(
  {
    period: Type.Object({ from: Nullable(Type.String()), to: Nullable(Type.String()) }, closed),
    channels: Type.Array(
      Type.Object(
        {
          channel: Type.String(),
          probes: Type.Object(
            {
              runs: Type.Integer(),
              answered: Type.Integer(),
              stillWaiting: Type.Integer(),
              unanswered: Type.Integer(),
              failed: Type.Integer(),
              livedWaitSeconds: Type.Object({ p50: NullableNumber, p90: NullableNumber, max: NullableNumber }, closed),
            },
            closed,
          ),
          reported: Type.Object(
            {
              contacts: Type.Integer(),
              answered: Type.Integer(),
              asaSeconds: NullableNumber,
              serviceLevel: NullableNumber,
              thresholdSeconds: Type.Number(),
            },
            closed,
          ),
          customersLived: Type.Object({ p50: NullableNumber, p90: NullableNumber }, closed),
          probeP50OverReportedAsa: NullableNumber,
        },
        { ...closed, title: 'ProbeChannelReport' },
      ),
    ),
    runs: Type.Array(Type.Object({ ...runProps, probe: Type.String() }, { ...closed, title: 'ProbeReportRun' })),
  },
  { ...closed, title: 'ProbeReport' },
);
