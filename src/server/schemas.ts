import { Type } from 'typebox';

export const IdParams = Type.Object({ id: Type.String({ description: 'uuid' }) });
export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};
export const Role = Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('leader'), Type.Literal('admin')]);
export const Locale = Type.Union([Type.Literal('en'), Type.Literal('de'), Type.Literal('nb')]);
export const Attachment = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    contentType: Type.String({ minLength: 3, maxLength: 255 }),
    contentBase64: Type.String(),
  },
  { additionalProperties: false },
);
export const MessageBody = {
  text: Type.Optional(Type.String({ maxLength: 200_000 })),
  html: Type.Optional(Type.String({ maxLength: 1_000_000 })),
  attachments: Type.Optional(Type.Array(Attachment, { maxItems: 20 })),
  clientId: Type.Optional(
    Type.String({ pattern: '^[\\w.:-]{1,100}$', description: 'Your id for this message: sending it again stores it once' }),
  ),
};
