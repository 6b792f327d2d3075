/**
 * The chat channel: the embeddable widget (GET /widget.js), the visitors' WebSocket and uploads, agent typing, and the
 * grace-period job that records an unanswered visitor who vanished as an abandoned contact. See docs/channels-chat.md.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { App } from '../../../server/app.js';
import type { Ctx } from '../../../platform/context.js';
import type { JobRunner } from '../../../platform/jobs.js';
import chatRoutes from './chat.routes.js';
import { endChat } from './chat.service.js';

export const routes = chatRoutes;

/** The widget's source, beside this module (in dist/ `npm run build` copies it there: scripts/copy-assets.mjs). */
function widgetSource(): string {
  const path = fileURLToPath(new URL('./widget.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`chat widget ${path} is missing; run npm run build (it copies src assets into dist)`);
  return readFileSync(path, 'utf8');
}

export async function pages(app: App) {
  const js = widgetSource();
  const etag = `"${(await import('node:crypto')).createHash('sha256').update(js).digest('hex').slice(0, 20)}"`;
  app.get('/widget.js', { schema: { hide: true }, config: { auth: false } }, async (req, reply) => {
    // The widget runs on the customer's pages: another origin must be allowed to load it as a script.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('access-control-allow-origin', '*');
    reply.header('cache-control', 'public, max-age=300');
    reply.header('etag', etag);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/javascript; charset=utf-8').send(js);
  });
}

export function jobs(runner: JobRunner, ctx: Ctx) {
  runner.on('chat.grace', async (payload: { conversationId: string; disconnectedAt: string }) => {
    await endChat(ctx, payload.conversationId, 'timeout', payload.disconnectedAt);
  });
}
