/**
 * Test harness for the listening module: helpers.ts `setup()`, plus the listening routes and job when app.ts does not
 * wire them yet (a second app on the same database, recording route hits like helpers.ts does). Once app.ts registers
 * `listeningRoutes` and `registerListeningJobs`, this returns the plain `setup()` environment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setup, type TestEnv } from './helpers.js';
import { buildApp } from '../src/server/app.js';
import { listeningRoutes, registerListeningJobs, ANALYZE_JOB } from '../src/modules/listening/index.js';

const HIT_DIR = join(process.cwd(), '.tmp', 'route-hits');
const hasJob = (env: TestEnv) => (env.app.jobs as any).handlers?.has?.(ANALYZE_JOB) === true;

export async function setupListening(): Promise<TestEnv> {
  const env = await setup();
  const routes: string[] = (env.app as any)[Symbol.for('earshot.routes')] ?? [];
  if (routes.includes('GET /api/v1/listening/flags')) {
    if (!hasJob(env)) registerListeningJobs(env.app.jobs, env.app.ctx);
    return env;
  }
  const app = await buildApp({ db: env.db, config: env.config, logger: false, now: () => env.clock.now ?? new Date() });
  await app.register(listeningRoutes, { prefix: '/api/v1' });
  registerListeningJobs(app.jobs, app.ctx);
  const hits = new Set<string>();
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.url) hits.add(`${req.method} ${req.routeOptions.url}`);
  });
  await app.ready();
  const closeFirst = env.close.bind(env);
  return {
    ...env,
    app,
    ctx: app.ctx,
    async req(method, url, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const token = opts.token === undefined ? env.tokens.admin : opts.token;
      if (token) headers.authorization = `Bearer ${token}`;
      if (opts.cookie) headers.cookie = opts.cookie;
      const res = await app.inject({ method: method as any, url, headers, ...(opts.body !== undefined ? { payload: opts.body as any } : {}) });
      let json: any = null;
      try {
        json = res.body ? JSON.parse(res.body) : null;
      } catch {}
      return { status: res.statusCode, json, headers: res.headers, body: res.body };
    },
    async close() {
      mkdirSync(HIT_DIR, { recursive: true });
      writeFileSync(join(HIT_DIR, `${process.pid}-${randomBytes(3).toString('hex')}.json`), JSON.stringify([...hits]));
      await app.close();
      await closeFirst();
    },
  };
}
