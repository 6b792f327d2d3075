/**
 * The chat channel: the embeddable widget (GET /widget.js, and /chat-end.js it loads when a visitor ends a chat: the
 * transcript offer), the visitors' WebSocket and uploads, agent typing, and the
 * grace-period job that records an unanswered visitor who vanished as an abandoned contact. See docs/channels-chat.md.
 */
import type { App } from '../../../server/types.js';
import type { Ctx } from '../../../platform/context.js';
import type { JobRunner } from '../../../platform/jobs.js';
import chatRoutes from './chat.routes.js';
import { endChat } from './chat.service.js';
import { serveEmbedScript } from './embed.js';

export const routes = chatRoutes;

export async function pages(app: App) {
  serveEmbedScript(app, '/widget.js', new URL('./widget.js', import.meta.url));
  serveEmbedScript(app, '/chat-end.js', new URL('./chat-end.js', import.meta.url));
}

export function jobs(runner: JobRunner, ctx: Ctx) {
  runner.on('chat.grace', async (payload: { conversationId: string; disconnectedAt: string }) => {
    await endChat(ctx, payload.conversationId, 'timeout', payload.disconnectedAt);
  });
}
