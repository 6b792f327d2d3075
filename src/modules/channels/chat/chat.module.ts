/**
 * The chat channel: the embeddable widget (GET /widget.js, and /chat-end.js it loads when a visitor ends a chat: the
 * transcript offer), the visitors' WebSocket and uploads, agent typing, and the
 * grace-period job that records an unanswered visitor who vanished as an abandoned contact. See docs/channels-chat.md.
 */
import type { EarshotModule } from '../../module.js';
import routes from './chat.routes.js';
import { endChat } from './chat.service.js';
import { serveEmbedScript } from './embed.js';

const module: EarshotModule = {
  name: 'chat',
  tables: ['chat_sessions', 'chat_conversations', 'chat_deliveries', 'chat_uploads'],
  routes,
  async pages(app) {
    serveEmbedScript(app, '/widget.js', new URL('./widget.js', import.meta.url));
    serveEmbedScript(app, '/chat-end.js', new URL('./chat-end.js', import.meta.url));
  },
  jobs(runner, ctx) {
    runner.on('chat.grace', async (payload: { conversationId: string; disconnectedAt: string }) => {
      await endChat(ctx, payload.conversationId, 'timeout', payload.disconnectedAt);
    });
  },
};
export default module;
