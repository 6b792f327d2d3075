/**
 * What the customer routes answer (customers.service.ts: CUSTOMER_SELECT, customerTimeline). Response schemas also
 * serialize: a field missing here is dropped from the answer, so a column added to a SELECT is added here too.
 */
import { Type, type Static, } from 'typebox';
import { Closed, DateTime, Nullable, OneOf } from '../../server/schemas.js';
import { IDENTITY_KINDS } from './customers.service.js';

const Id = Type.String({ format: 'uuid' });
/** An instant: the service hands over a Date (or a JSON-built string), the answer carries the ISO string. */
/** One of these strings (`type: string` beside `enum`: generated clients type it as a union of strings). */

const Identity = Type.Object({ kind: OneOf(IDENTITY_KINDS), value: Type.String() }, { ...Closed, title: 'CustomerIdentity' });

export const Customer = Type.Object(
  {
    id: Id,
    name: Nullable(Type.String()),
    language: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    mergedInto: Nullable(Type.String({ format: 'uuid', description: 'the customer this one was merged into' })),
    createdAt: DateTime(),
    identities: Type.Array(Identity),
  },
  { ...Closed, title: 'Customer' },
);
export type Customer = Static<typeof Customer>;

export const CustomerList = Type.Object({ items: Type.Array(Customer) }, { ...Closed, title: 'CustomerList' });

const Seconds = Nullable(Type.Number({ minimum: 0 }));
/**
 * One line of the timeline. Conversations carry conversationId, number, subject and status; calls and other contacts
 * their contactId; callbacks their contactId and callback.
 */
const TimelineItem = Type.Object(
  {
    kind: OneOf(['conversation', 'call', 'callback', 'contact']),
    channel: Type.String(),
    at: DateTime({ description: "first touch (a conversation's creation, a call's dial, a callback's abandon time)" }),
    lastAt: Nullable(DateTime()),
    queue: Nullable(Type.Object({ id: Id, name: Type.String() }, { ...Closed, title: 'TimelineQueue' })),
    livedWaitSeconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
      description: 'docs/metrics.md: first touch until a human answered or the customer gave up; null while waiting',
    }),
    queueWaitSeconds: Seconds,
    outcome: Nullable(Type.String({ description: 'answered, abandoned, closed or waiting (contact facts); null when not projected' })),
    conversationId: Type.Optional(Id),
    number: Type.Optional(Type.Integer({ minimum: 1 })),
    subject: Type.Optional(Type.String()),
    status: Type.Optional(Type.String()),
    contactId: Type.Optional(Type.String()),
    callback: Type.Optional(
      Type.Object(
        {
          id: Id,
          status: OneOf(['open', 'done', 'cancelled']),
          closedBy: Nullable(OneOf(['callback', 'caller', 'cancelled'])),
          dueAt: DateTime(),
          attempts: Type.Integer({ minimum: 0 }),
          outcome: Nullable(OneOf(['reached', 'no_answer', 'voicemail', 'wrong_number'])),
          breached: Type.Boolean(),
          call: Type.String({ description: 'the contact id of the abandoned call' }),
        },
        { ...Closed, title: 'TimelineCallback' },
      ),
    ),
  },
  { ...Closed, title: 'TimelineItem' },
);

export const CustomerTimeline = Type.Object(
  { customerId: Id, items: Type.Array(TimelineItem) },
  { ...Closed, title: 'CustomerTimeline' },
);
export type CustomerTimeline = Static<typeof CustomerTimeline>;
