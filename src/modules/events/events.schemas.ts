/** What the contact event routes answer (events.service.ts: EVENT_COLS, ingestEvents). */
import { Type, type Static, } from 'typebox';
import { Closed, DateTime, Nullable } from '../../server/schemas.js';

const Id = Type.String({ format: 'uuid' });
/** An instant: the service hands over a Date, the answer carries the ISO string. */

export const ContactEvent = Type.Object(
  {
    id: Type.Integer({ minimum: 1, description: 'the position in the log; page with `after`' }),
    contactId: Type.String(),
    type: Type.String(),
    channel: Type.String(),
    occurredAt: DateTime(),
    recordedAt: DateTime(),
    conversationId: Nullable(Id),
    customerId: Nullable(Id),
    identity: Nullable(Type.String()),
    queueId: Nullable(Id),
    agentId: Nullable(Id),
    source: Type.String({ description: "who wrote it: 'earshot', 'api' or an importer" }),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { ...Closed, title: 'ContactEvent' },
);
export type ContactEvent = Static<typeof ContactEvent>;

export const ContactEventList = Type.Object({ items: Type.Array(ContactEvent) }, { ...Closed, title: 'ContactEventList' });

export const IngestResult = Type.Object(
  {
    received: Type.Integer({ minimum: 0 }),
    added: Type.Integer({ minimum: 0 }),
    duplicates: Type.Integer({ minimum: 0, description: 'events whose dedupeKey was stored already (nothing added)' }),
  },
  { ...Closed, title: 'ContactEventIngest' },
);
