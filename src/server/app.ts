/**
 * buildApp(): the whole HTTP server without listen(), so tests drive it through app.inject() on a real database.
 */
import { cleanDeep, cleanText } from '../platform/clean-text.js';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { App } from './types.js';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { Db } from '../platform/db.js';
import type { Config } from '../platform/config.js';
import type { Ctx } from '../platform/context.js';
import { JobRunner } from '../platform/jobs.js';
import { registerErrorHandler } from './errors.js';
import { ApiError } from './schemas.js';
import { registerAuth } from './auth.js';
import { registerIdempotency } from './idempotency.js';
import { registerRealtime } from './realtime.js';
import { registerWeb } from './web.js';
import { checkSla } from '../modules/conversations/conversations.service.js';
import { deliverWebhook } from '../modules/webhooks/webhooks.service.js';
import { sendResetLinks } from '../modules/accounts/passwords.service.js';
import accountRoutes from '../modules/accounts/accounts.routes.js';
import conversationRoutes from '../modules/conversations/conversations.routes.js';
import customerRoutes from '../modules/customers/customers.routes.js';
import queueRoutes from '../modules/queues/queues.routes.js';
import macroRoutes from '../modules/macros/macros.routes.js';
import webhookRoutes from '../modules/webhooks/webhooks.routes.js';
import eventRoutes from '../modules/events/events.routes.js';
import auditRoutes from '../modules/audit/audit.routes.js';
import journeyRoutes from '../modules/journeys/journeys.routes.js';
import { CHANNEL_MODULES } from '../modules/channels/index.js';
import { FEATURE_MODULES } from '../modules/features.js';
import { listeningRoutes, registerListeningJobs } from '../modules/listening/index.js';
import { closeProbeSockets, probeRoutes, registerProbeJobs } from '../modules/probes/index.js';
import { VERSION } from '../platform/version.js';

export type { App };

export interface BuildOptions {
  db: Db;
  config: Config;
  /** Overrides the clock (tests). */
  now?: () => Date;
  logger?: boolean;
  /** Where log lines go (tests read them); default stdout. */
  logStream?: NodeJS.WritableStream;
}

/** Secrets and personal data that must never reach a log line. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'body.password',
  '*.password',
  '*.token',
  '*.secret',
];

export async function buildApp(opts: BuildOptions): Promise<App> {
  const { db, config } = opts;
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' }, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    ajv: { customOptions: { allErrors: false, removeAdditional: false, coerceTypes: 'array' } },
    schemaController: { compilersFactory: { buildValidator: validators() } },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ctx: Ctx = { db, config, now: opts.now ?? (() => new Date()) };
  app.decorate('ctx', ctx);
  const jobs = new JobRunner(db, app.log as any, { concurrency: config.jobConcurrency, deadlineMs: config.jobDeadlineMs, leaseMs: config.jobLeaseMs })
    .on('sla.check', (payload) => checkSla(ctx, payload))
    .on('webhook.deliver', (payload, job, signal) => deliverWebhook(ctx, payload, job.attempts, job.max_attempts, signal))
    .on('auth.password_reset', (payload) => sendResetLinks(ctx, payload));
  for (const m of Object.values(CHANNEL_MODULES)) m.jobs?.(jobs, ctx);
  for (const m of Object.values(FEATURE_MODULES)) m.jobs?.(jobs, ctx);
  registerListeningJobs(jobs, ctx);
  registerProbeJobs(jobs, ctx);
  app.decorate('jobs', jobs);
  app.decorateRequest('principal', null);

  // The route table, for the test that checks every route is documented and tested.
  // (and the schemas each declares, for the test that every route has a response schema: test/api-contract.test.ts).
  const routeTable: string[] = [];
  const routeSchemas = new Map<string, unknown>();
  (app as any)[Symbol.for('earshot.routes')] = routeTable;
  (app as any)[Symbol.for('earshot.route-schemas')] = routeSchemas;
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routeTable.push(`${m} ${r.url}`);
    // A route that answers without signing in is documented as such (the role × tenant matrix test reads this).
    if (r.config?.auth === false && r.schema && !r.schema.security) r.schema = { ...r.schema, security: [] };
    // Every API route documents (and the fuzz suite checks) its error answers with the one shared schema.
    if (r.url.startsWith('/api/v1/')) {
      const response = (r.schema?.response ?? {}) as Record<string, unknown>;
      r.schema = { ...(r.schema ?? {}), response: { '4xx': ApiError, '5xx': ApiError, ...response } };
    }
    for (const m of [r.method].flat()) if (m !== 'HEAD') routeSchemas.set(`${m} ${r.url}`, r.schema ?? null);
  });
  // NUL bytes and lone surrogates in what a client sent (bodies, queries, route parameters) are cleaned here, for
  // every route, before validation (platform/clean-text.ts). A route that takes a file as text and reports such lines
  // itself (imports) opts out with `config: { rawText: true }`.
  app.addHook('preValidation', async (req) => {
    if (req.query && typeof req.query === 'object') cleanDeep(req.query);
    if (req.params && typeof req.params === 'object') cleanDeep(req.params);
    if (req.body === undefined || req.body === null) return;
    if (typeof req.body === 'string') {
      if (!(req.routeOptions.config as { rawText?: boolean } | undefined)?.rawText) req.body = cleanText(req.body);
    } else if (typeof req.body === 'object') cleanDeep(req.body);
  });
  let appRoute: Awaited<ReturnType<typeof registerWeb>> = null;
  registerErrorHandler(app, () => appRoute);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // Installs on a plain-http LAN address would have every asset upgraded to https and fail to load.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Earshot API',
        version: VERSION,
        description:
          'Help desk and contact centre API. Authenticate with `Authorization: Bearer es_…` (create tokens with `earshot token create`) or the session cookie from `POST /api/v1/auth/login`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'earshot_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { deepLinking: true } });
  registerAuth(app);
  registerIdempotency(app);

  app.get('/api/health', {
    config: { auth: false, rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } },
    schema: { tags: ['system'], summary: 'Liveness and database check', security: [] },
  }, async (_req, reply) => {
    const t = Date.now();
    try {
      await db.query('SELECT 1');
      return { status: 'ok', version: VERSION, database: db.kind, dbLatencyMs: Date.now() - t };
    } catch {
      return reply.code(503).send({ status: 'unavailable', version: VERSION, database: db.kind });
    }
  });

  await app.register(
    async (api) => {
      await api.register(accountRoutes);
      await api.register(conversationRoutes);
      await api.register(customerRoutes);
      await api.register(queueRoutes);
      await api.register(macroRoutes);
      await api.register(webhookRoutes);
      await api.register(eventRoutes);
      await api.register(auditRoutes);
      await api.register(journeyRoutes);
      for (const m of Object.values(CHANNEL_MODULES)) if (m.routes) await api.register(m.routes);
      await api.register(listeningRoutes);
      await api.register(probeRoutes);
      for (const m of Object.values(FEATURE_MODULES)) if (m.routes) await api.register(m.routes);
    },
    { prefix: '/api/v1' },
  );
  await registerRealtime(app);
  for (const m of Object.values(CHANNEL_MODULES)) if (m.pages) await app.register(m.pages);
  for (const m of Object.values(FEATURE_MODULES)) if (m.pages) await app.register(m.pages);
  appRoute = await registerWeb(app);

  app.addHook('onClose', async () => {
    closeProbeSockets();
    await jobs.stop();
  });
  return app as App;
}

/**
 * Validators: query strings, path parameters and headers only carry text, so they are coerced to the schema's types
 * ("5" → 5, a single value → an array). JSON bodies carry their own types and are not coerced: coercion turned a
 * body's `null` into "" (so null could not clear a field: "unknown queue ") and accepted 5 where a name was due.
 * Two checks JSON Schema cannot express run after each validator: a coerced number must be finite and exact
 * ("1e309" reads as Infinity, which Ajv lets through `maximum`), and a body may nest at most MAX_BODY_DEPTH levels.
 */
export const MAX_BODY_DEPTH = 64;
function validators(): any {
  const factory = AjvCompiler() as any;
  return (externalSchemas: any, options: any) => {
    const coerced = factory(externalSchemas, options);
    const strict = factory(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } });
    return (route: { httpPart?: string }) => {
      const body = route.httpPart === 'body';
      const fn = (body ? strict : coerced)(route);
      const check = (data: unknown) => (body ? tooDeep(data) : inexactNumber(data));
      const v: any = (data: unknown) => {
        if (!fn(data)) {
          v.errors = fn.errors;
          return false;
        }
        const bad = check(data);
        v.errors = bad ? [bad] : null;
        return !bad;
      };
      return v;
    };
  };
}

/** The first top-level property holding a number that is not finite or not exact (beyond 2^53), as an Ajv error. */
function inexactNumber(data: unknown) {
  if (!data || typeof data !== 'object') return null;
  for (const [k, x] of Object.entries(data))
    for (const n of [x].flat())
      if (typeof n === 'number' && (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER))
        return { instancePath: `/${k}`, keyword: 'maximum', params: {}, message: `must be a finite number between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}` };
  return null;
}

/** The top-level property under which a body nests deeper than MAX_BODY_DEPTH, as an Ajv error (iterative: no stack). */
function tooDeep(data: unknown) {
  if (!data || typeof data !== 'object') return null;
  for (const [k, x] of Object.entries(data)) {
    const stack: Array<[unknown, number]> = [[x, 2]];
    while (stack.length) {
      const [v, d] = stack.pop()!;
      if (!v || typeof v !== 'object') continue;
      if (d > MAX_BODY_DEPTH)
        return { instancePath: `/${k}`, keyword: 'maxDepth', params: {}, message: `nests deeper than ${MAX_BODY_DEPTH} levels` };
      for (const c of Object.values(v)) if (c && typeof c === 'object') stack.push([c, d + 1]);
    }
  }
  return null;
}
