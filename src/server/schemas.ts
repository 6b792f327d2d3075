import { Type, type TSchema } from 'typebox';

/**
 * An id in a body or query: a uuid, checked by the schema so an empty string or a typo is a 400 naming the field
 * (never PostgreSQL's `invalid input syntax for type uuid` as a 500). Path ids stay plain strings: a malformed one
 * names nothing that exists and answers 404 like a foreign id.
 */
export const Uuid = (opts: { description?: string } = {}) => Type.String({ format: 'uuid', ...opts });
/**
 * A uuid or null (null clears the reference). One schema with both types, not a union: with the app's type coercion a
 * union would quietly read "" as null.
 */
export const UuidOrNull = (opts: { description?: string } = {}) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'uuid', ...opts });
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

/**
 * Every error answer of the API (src/server/errors.ts is the one place that writes them): a stable code, a message
 * naming the field, the field itself for validation errors, the translated detail, and any further details
 * (e.g. the newest message for newer_messages). Given to every /api/v1 route for 4xx and 5xx (src/server/app.ts).
 * Serialization keeps unknown properties (additionalProperties), so no detail is dropped.
 */
export const ApiError = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'stable, e.g. validation, not_found, forbidden, conflict, internal' }),
        message: Type.String({ description: 'English; for validation errors starts with the field, e.g. "body/queueId: …"' }),
        field: Type.Optional(Type.String({ description: 'the request field that was wrong, e.g. body/queueId or querystring/limit' })),
        detail: Type.Optional(Type.String({ description: 'a short explanation in the caller’s language' })),
        requestId: Type.Optional(Type.String({ description: 'for internal errors: the id in the server log' })),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

/**
 * Building blocks of response schemas (docs/api-contract.md): every object closed and every field typed, because the
 * schema also serializes the answer (an undeclared field would be dropped, a null under a string written as "").
 */
/** The schema or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** An instant: services hand over a Date (or an ISO string built in SQL); the answer carries the ISO string. */
export const DateTime = (opts: { description?: string } = {}) =>
  Type.Unsafe<Date | string>(Type.String({ format: 'date-time', ...opts }));
/** Options for a closed object: `Type.Object({...}, { ...Closed, title: 'Queue' })`. */
export const Closed = { additionalProperties: false } as const;
/** One of these strings (`type: string` beside `enum`: generated clients type it as a union of strings). */
export const OneOf = <T extends string>(values: readonly T[], opts: { description?: string } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts });
