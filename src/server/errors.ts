/** The one place where errors become HTTP answers: stable codes, the field that was wrong, never a stack trace. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';
import { translate } from '../platform/i18n.js';

export function registerErrorHandler(
  app: FastifyInstance<any, any, any, any, any>,
  /** Answers a browser's navigation to a web-app route (index.html); returns false for anything else. */
  appRoute: () => ((req: FastifyRequest, reply: FastifyReply) => boolean) | null = () => null,
) {
  app.setErrorHandler((err: FastifyError & { validation?: any[]; validationContext?: string }, req, reply) => {
    const lang = req.headers['accept-language'];
    if (err.validation) {
      const v = err.validation[0] ?? {};
      const path = (v.instancePath || '').replace(/^\//, '');
      const missing = v.params?.missingProperty ? `${path ? `${path}/` : ''}${v.params.missingProperty}` : path;
      const extra = v.params?.additionalProperty ? `${path ? `${path}/` : ''}${v.params.additionalProperty}` : null;
      const field = `${err.validationContext ?? 'body'}${extra ? `/${extra}` : missing ? `/${missing}` : ''}`;
      const message = extra
        ? 'is not a known field'
        : v.params?.missingProperty
          ? 'is required'
          : v.keyword === 'format' && v.params?.format === 'uuid'
            ? `${JSON.stringify(fieldValue(req, err.validationContext, path))} is not a valid id (a uuid); leave the field out or send null for none`
            : v.message ?? 'is invalid';
      return reply.code(400).send({
        error: { code: 'validation', message: `${field}: ${message}`, field, detail: translate(lang, 'validation') },
      });
    }
    if (err instanceof AppError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.details ?? {}), detail: translate(lang, err.code) } });
    }
    const status = err.statusCode ?? 500;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413)
      return reply.code(413).send({ error: { code: 'too_large', message: `Request body is larger than ${app.initialConfig.bodyLimit} bytes` } });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415)
      return reply.code(415).send({ error: { code: 'unsupported_media_type', message: 'Send JSON with Content-Type: application/json' } });
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.name === 'SyntaxError' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
      return reply.code(400).send({ error: { code: 'bad_json', message: 'The body is not valid JSON' } });
    if (status === 429) return reply.code(429).send({ error: { code: 'rate_limited', message: err.message, detail: translate(lang, 'rate_limited') } });
    if (status >= 400 && status < 500) return reply.code(status).send({ error: { code: 'bad_request', message: err.message } });
    // A value PostgreSQL could not read as its column's type (invalid_text_representation, e.g. an empty or malformed
    // uuid a schema let through): the client's mistake, so a 400 naming the request field that held it.
    if ((err as any).code === '22P02') {
      const m = /invalid input syntax for type (\w+): "(.*)"$/s.exec(err.message);
      const value = m?.[2] ?? null;
      const field = value === null ? undefined : findField(req, value);
      const what = m?.[1] === 'uuid' ? 'a valid id (a uuid)' : `a valid ${m?.[1] ?? 'value'}`;
      return reply.code(400).send({
        error: {
          code: 'validation',
          message: `${field ? `${field}: ` : ''}${value === null ? 'a value' : JSON.stringify(value)} is not ${what}`,
          ...(field ? { field } : {}),
          detail: translate(lang, 'validation'),
        },
      });
    }
    // A number beyond its column (numeric_value_out_of_range), e.g. a conversation number past 2^31 a schema let through.
    if ((err as any).code === '22003') {
      const m = /value "(.*)" is out of range/s.exec(err.message);
      const field = m ? findField(req, m[1]!) : undefined;
      return reply.code(400).send({
        error: {
          code: 'validation',
          message: `${field ? `${field}: ` : ''}${m ? JSON.stringify(m[1]) : 'a number'} is out of range`,
          ...(field ? { field } : {}),
          detail: translate(lang, 'validation'),
        },
      });
    }
    if ((err as any).code === '23505')
      return reply.code(409).send({ error: { code: 'conflict', message: 'A record with these values exists already' } });
    req.log.error({ err: { message: err.message, code: err.code, stack: err.stack } }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on our side; it was logged', requestId: req.id } });
  });
  app.setNotFoundHandler((req, reply) => {
    if (appRoute()?.(req, reply)) return;
    reply.code(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
  });
}

/** The value at a validation error's path (e.g. body + "businessHours/week") in the request. */
function fieldValue(req: FastifyRequest, context: string | undefined, path: string): unknown {
  let v: any = context === 'querystring' ? req.query : context === 'params' ? req.params : req.body;
  for (const k of path.split('/').filter(Boolean)) v = v?.[k];
  return v;
}

/** The first request field (params, querystring, body; nested) whose value (or number as text) is `value`, as "body/teamId", or undefined. */
function findField(req: FastifyRequest, value: string): string | undefined {
  const walk = (v: unknown, path: string, depth: number): string | undefined => {
    if (v === value || (typeof v === 'number' && String(v) === value)) return path;
    if (!v || typeof v !== 'object' || depth > 5) return undefined;
    for (const [k, x] of Object.entries(v)) {
      const hit = walk(x, `${path}/${k}`, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  };
  return walk(req.params, 'params', 0) ?? walk(req.query, 'querystring', 0) ?? walk(req.body, 'body', 0);
}
