/**
 * The strict response check every test app runs (test/helpers.ts setup()): each JSON answer is checked, before
 * Fastify serializes it, against the success schema its route declares — with every object treated as closed. The
 * serializer would otherwise hide a gap: it silently drops a property the schema does not declare and turns a null
 * under a non-nullable string into "". A mismatch fails the request (500) and prints route, status and what differs,
 * so any test that calls a route proves its schema complete. An object declared open (additionalProperties: true)
 * stays open here; test/api-contract.test.ts refuses those where the shape is known. Routes without a schema for the status are left to
 * test/api-contract.test.ts, which requires one for every route.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyReply, FastifyRequest } from 'fastify';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);

/** A copy of the schema in which every object with declared properties allows no others. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v);
  const s = schema as Record<string, unknown>;
  if (s.properties && s.additionalProperties === undefined && !s.patternProperties) out.additionalProperties = false;
  return out;
}

const compiled = new WeakMap<object, ValidateFunction>();

/** The success schema the route declares for this status: exact code, then 2xx, then default. */
function schemaFor(req: FastifyRequest, status: number): object | null {
  const response = (req.routeOptions.schema as { response?: Record<string, any> } | undefined)?.response;
  if (!response) return null;
  const entry = response[String(status)] ?? response[`${String(status)[0]}xx`] ?? response.default;
  if (!entry) return null;
  return entry.content ? (entry.content['application/json']?.schema ?? null) : entry;
}

export async function checkResponse(req: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if (reply.statusCode >= 400 || payload === null || typeof payload !== 'object' || Buffer.isBuffer(payload)) return payload;
  const schema = schemaFor(req, reply.statusCode);
  if (!schema) return payload;
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(closed(schema) as object);
    compiled.set(schema, validate);
  }
  const json = JSON.parse(JSON.stringify(payload));
  if (!validate(json)) {
    const where = `${req.method} ${req.routeOptions.url} → ${reply.statusCode}`;
    const what = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${e.params.additionalProperty}'` : ''}`);
    console.error(`response check: ${where} does not match its declared schema:\n  ${what.join('\n  ')}`);
    throw new Error(`response check: ${where}: ${what.join('; ')}`);
  }
  return payload;
}
