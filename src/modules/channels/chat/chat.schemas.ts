/** Schemas of the chat routes: a visitor's upload (request and answer); the WebSocket's frames are in docs/channels-chat.md. */
import { Type } from 'typebox';

const closed = { additionalProperties: false } as const;

/** The widget sends JSON as text/plain (no CORS preflight) or as JSON; the fields are checked by the service. */
export const UploadBody = {
  content: {
    'application/json': {
      schema: Type.Object(
        {
          visitorToken: Type.Optional(Type.String()),
          filename: Type.Optional(Type.String({ description: 'required, ≤ 255 characters' })),
          contentType: Type.Optional(Type.String({ description: 'default application/octet-stream' })),
          data: Type.Optional(Type.String({ description: 'the file as base64, ≤ 5 MiB decoded (required)' })),
        },
        { title: 'ChatUploadBody' },
      ),
    },
    'text/plain': { schema: Type.String({ description: 'the same JSON object, as text' }) },
  },
};

export const Upload = Type.Object(
  { id: Type.String({ format: 'uuid' }), filename: Type.String(), contentType: Type.String(), size: Type.Integer() },
  { ...closed, title: 'ChatUpload' },
);

export const SocketUpgrade = { 101: Type.Null({ description: 'switching protocols: the WebSocket is open' }) };
