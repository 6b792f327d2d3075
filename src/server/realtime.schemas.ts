/**
 * The messages of the realtime socket (GET /api/v1/realtime). OpenAPI cannot describe a WebSocket's frames, so the
 * route documents them as the body of its 101 answer: every text frame the server sends is one of these, as JSON.
 */
import { Type, type Static } from 'typebox';
import { OneOf } from './schemas.js';
import type { Change } from '../platform/changes.js';

/** Every change type (platform/changes.ts), plus the greeting and the answer to a "ping" frame. */
const TYPES = [
  'hello', 'pong', 'conversation.created', 'conversation.updated', 'message.created', 'viewers.changed', 'customer.updated',
  'chat.typing', 'anecdotes.alert', 'feature.changed', 'threat.flagged',
] as const satisfies readonly (Change['type'] | 'hello' | 'pong')[];
// Fails to compile when platform/changes.ts gains a change type this list does not name.
const everyChangeListed: [Exclude<Change['type'], (typeof TYPES)[number]>] extends [never] ? true : false = true;
void everyChangeListed;

const Id = Type.String({ format: 'uuid' });
/** One of these strings (`type: string` beside `enum`: generated clients type it as a union of strings). */

export const RealtimeMessage = Type.Object(
  {
    type: OneOf(TYPES),
    conversationId: Type.Optional(Id),
    messageId: Type.Optional(Id),
    customerId: Type.Optional(Id),
    from: Type.Optional(OneOf(['agent', 'visitor'], { description: 'chat.typing: who is typing' })),
    on: Type.Optional(Type.Boolean({ description: 'chat.typing: started (true) or stopped (false)' })),
    feature: Type.Optional(Type.String({ description: 'feature.changed: the people workflow whose screens refetch (leaders, heart, respect, community, kb)' })),
    accountId: Type.Optional(Type.String({ format: 'uuid', description: 'hello: the account the socket listens to' })),
    userId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'hello: the signed-in user (null for an API token)' })),
  },
  { additionalProperties: false, title: 'RealtimeMessage' },
);
export type RealtimeMessage = Static<typeof RealtimeMessage>;

export const RealtimeResponses = {
  101: {
    description:
      'Switching Protocols: the socket is open. Every text frame the server sends is one JSON message of this shape: first '
      + '{"type":"hello"}, then change notifications carrying ids only (refetch what you show); a "ping" frame is answered with '
      + '{"type":"pong"}. A socket that falls behind is closed with code 4008 "resync": reconnect and refetch.',
    content: { 'application/json': { schema: RealtimeMessage } },
  },
};
