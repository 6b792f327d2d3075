/**
 * The web app (web/, built by Vite into dist/web): its files at `/`, and index.html for every other GET that asks for
 * HTML outside /api, so the app's own routes (/inbox, /conversations/…) survive a reload. Hashed assets are cached
 * for a year; index.html is revalidated every time, so a new build reaches browsers at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { App } from './types.js';
import { DOCS_ANSWERS, FileAnswer, Html, NotBuilt, Svg } from './pages.schemas.js';

/** dist/web at the package root, from src/server (tsx) and from dist/server (built) alike. */
export const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

/**
 * The routes a plugin registers in this context answer files (or `answers[path below prefix]`). The schema object is
 * changed in place: the app's own onRoute hook (app.ts), which runs first, has already kept a reference to it.
 */
const describeFiles = (prefix: string, answers: Record<string, Record<string, unknown>> = {}) => (r: RouteOptions) => {
  const response = answers[r.url.slice(prefix.length)] ?? FileAnswer;
  if (!r.schema) r.schema = { response };
  else r.schema.response ??= response;
};

/** The API documentation at /api/docs: the page, its files, and the OpenAPI document as JSON and YAML. */
export async function registerDocs(app: App) {
  await app.register(async (docs) => {
    docs.addHook('onRoute', describeFiles('/api/docs', DOCS_ANSWERS));
    await docs.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { deepLinking: true } });
  });
}

export async function registerWeb(app: App) {
  const index = join(WEB_DIR, 'index.html');
  if (!existsSync(index)) {
    app.get('/', { schema: { hide: true, response: { 200: NotBuilt } }, config: { auth: false } }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('The Earshot web app is not built. Run `npm run build` (npm install does it), then restart.'));
    return null;
  }
  // In its own context, so the hook that describes the files it serves sees only them.
  await app.register(async (files) => {
    files.addHook('onRoute', describeFiles(''));
    await files.register(fastifyStatic, {
      root: WEB_DIR,
      prefix: '/',
      wildcard: false,
      index: false,
      // .br/.gz written at build time (scripts/compress-web.mjs) for browsers that accept them.
      preCompressed: true,
      setHeaders: (reply, path) => {
        reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  });
  // Browsers ask for /favicon.ico on pages that name no icon (and some always do): answer with the SVG icon, not a 404.
  const favicon = join(WEB_DIR, 'favicon.svg');
  if (existsSync(favicon)) {
    const svg = readFileSync(favicon);
    app.get('/favicon.ico', { schema: { hide: true, response: { 200: Svg } }, config: { auth: false } }, async (_req, reply) =>
      reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(svg));
  }
  const html = readFileSync(index, 'utf8');
  const sendIndex = (reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  app.get('/', { schema: { hide: true, response: { 200: Html } }, config: { auth: false } }, async (_req, reply) => sendIndex(reply));
  /** For the not-found handler: an app route the browser navigated to. */
  return (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && !/\.\w+$/.test(path) && String(req.headers.accept ?? '').includes('text/html')) {
      sendIndex(reply);
      return true;
    }
    return false;
  };
}
