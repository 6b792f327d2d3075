/**
 * Request and response schemas of the macro routes. The response schemas list every field the service returns:
 * Fastify serializes with them, so a field left out here is dropped.
 */
import { Type } from 'typebox';
import { Locale, Uuid, DateTime } from '../../server/schemas.js';

const closed = { additionalProperties: false } as const;
/**
 * A date-time in an answer. The services hand over Date objects, which the serializer writes as ISO strings; the
 * OpenAPI document (and so the web app's types) says string.
 */

export const MacroActions = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('pending'), Type.Literal('on_hold'), Type.Literal('solved')])),
  priority: Type.Optional(Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')])),
  addTags: Type.Optional(Type.Array(Type.String())),
  queueId: Type.Optional(Uuid()),
}, { ...closed, title: 'MacroActions' });
const Kind = Type.Union([Type.Literal('reply'), Type.Literal('note')]);
const Language = Type.Union([Locale, Type.Null()], { description: 'the language the macro is written in (en, de, nb); null: any' });

export const MacroBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }), kind: Type.Optional(Kind), body: Type.String({ minLength: 1 }),
  language: Type.Optional(Language), actions: Type.Optional(MacroActions),
}, closed);
export const MacroPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), kind: Type.Optional(Kind), body: Type.Optional(Type.String({ minLength: 1 })),
  language: Type.Optional(Language), actions: Type.Optional(MacroActions),
}, closed);

export const Macro = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  kind: Kind,
  body: Type.String({ description: 'the text with {{placeholders}}' }),
  language: Language,
  actions: MacroActions,
  createdAt: DateTime(),
  updatedAt: DateTime(),
}, { ...closed, title: 'Macro' });
export const MacroList = Type.Object({
  items: Type.Array(Macro),
  placeholders: Type.Array(Type.String(), { description: 'the placeholders a macro may use' }),
}, { ...closed, title: 'MacroList' });
