/**
 * Schemas of what the server itself serves outside /api/v1: the health check, the web app (index.html, its built
 * files), and the API documentation (@fastify/swagger-ui). Files registered by plugins get theirs from an onRoute hook
 * in the plugin's own context (src/server/web.ts).
 */
import { Type } from 'typebox';

const closed = { additionalProperties: false } as const;

export const Health = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String(),
    database: Type.String({ description: 'pglite or postgres' }),
    dbLatencyMs: Type.Integer({ description: 'a SELECT 1 round trip' }),
  },
  { ...closed, title: 'Health' },
);
export const Unavailable = Type.Object(
  { status: Type.Literal('unavailable'), version: Type.String(), database: Type.String() },
  { ...closed, title: 'HealthUnavailable', description: 'the database does not answer' },
);

const text = (type: string, description: string) => ({ content: { [type]: { schema: Type.String({ description }) } } });
export const Html = text('text/html', 'an HTML page');
export const NotBuilt = text('text/plain', 'the web app is not built: how to build it');
export const Svg = { content: { 'image/svg+xml': { schema: Type.Unsafe<Buffer>(Type.String({ format: 'binary', description: 'the icon' })) } } };
const NotModified = Type.Null({ description: 'not modified (If-None-Match or If-Modified-Since matched)' });
/** A built file (JS, CSS, fonts, images …): its content type from its name. */
export const FileAnswer = {
  200: { content: { '*/*': { schema: Type.String({ format: 'binary', description: 'the file; its content type from its name' }) } } },
  304: NotModified,
};

/** The OpenAPI document; its parts are as OpenAPI 3.1 defines them. */
const OpenApiDocument = Type.Object(
  {
    openapi: Type.String(),
    info: Type.Record(Type.String(), Type.Unknown()),
    paths: Type.Record(Type.String(), Type.Unknown()),
    components: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    security: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    servers: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    tags: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    externalDocs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    webhooks: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { ...closed, title: 'OpenApiDocument' },
);

/** The answers of @fastify/swagger-ui's routes, by path below its prefix. */
export const DOCS_ANSWERS: Record<string, Record<string, unknown>> = {
  '': { 200: Html },
  '/': { 200: Html },
  '/json': { 200: OpenApiDocument },
  '/yaml': { 200: text('application/x-yaml', 'the OpenAPI document as YAML') },
  '/static/index.html': { 302: Type.Null({ description: 'redirect to the documentation page' }) },
  '/static/swagger-initializer.js': { 200: text('application/javascript', 'the documentation page’s settings') },
};
