/**
 * The Fastify instance type every route and page plugin is written against, and what the server adds to Fastify's
 * types (app.ctx, app.jobs, req.principal, route config `auth`). Types only, from Fastify and src/platform/: plugins
 * import this file, never src/server/app.ts, so app.ts imports them and nothing imports app.ts back.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Ctx, Principal } from '../platform/context.js';
import type { JobRunner } from '../platform/jobs.js';

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyInstance {
    ctx: Ctx;
    jobs: JobRunner;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** false: the route answers without signing in (health, login, docs). */
    auth?: boolean;
  }
}
