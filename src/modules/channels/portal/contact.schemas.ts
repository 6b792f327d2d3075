/** Response shapes of the web channel's API: the contact form's settings. */
import { Type } from 'typebox';

const closed = { additionalProperties: false } as const;

export const WebSettings = Type.Object(
  {
    topics: Type.Array(
      Type.Object(
        {
          key: Type.String(),
          label: Type.Object({ en: Type.String(), de: Type.Optional(Type.String()), nb: Type.Optional(Type.String()) }, closed),
          queueId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
        },
        { ...closed, title: 'ContactTopic' },
      ),
    ),
    defaultQueueId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  },
  { ...closed, title: 'WebSettings' },
);
