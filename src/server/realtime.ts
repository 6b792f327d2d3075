/**
 * GET /api/v1/realtime (WebSocket): pushes conversation and message changes to signed-in agents of the account.
 * Changes arrive through PostgreSQL LISTEN/NOTIFY, so a change made by any server process on the same database
 * reaches the clients of every process. Messages: {"type":"conversation.updated","conversationId":"…"} … (their shape,
 * documented as the 101 answer: realtime.schemas.ts). A plain GET without the upgrade answers 426.
 *
 * Slow consumers (issue 14 item 17): what waits to be sent to one socket is bounded (config.realtimeMaxBufferBytes).
 * A socket that falls further behind is closed with code 4008 "resync" and nothing more is queued for it; one that
 * does not even read the close is cut off a moment later. Its client reconnects and refetches what it shows, so
 * memory stays bounded and the fan-out to healthy sockets is never held up by the slow ones.
 */
import type { WebSocket } from 'ws';
import { CHANGES_CHANNEL, type Change } from '../platform/changes.js';
import { AppError } from '../platform/errors.js';
import type { App } from './types.js';
import { type RealtimeMessage, RealtimeResponses } from './realtime.schemas.js';

/** Close code for a consumer that fell behind: reconnect and refetch. */
export const RESYNC_CODE = 4008;

export async function registerRealtime(app: App) {
  const clients = new Map<string, Set<WebSocket>>();
  const maxBuffer = app.ctx.config.realtimeMaxBufferBytes;
  const resync = (ws: WebSocket) => {
    ws.close(RESYNC_CODE, 'resync');
    setTimeout(() => ws.terminate(), 2000).unref();
  };
  let stop: (() => Promise<void>) | null = null;

  app.addHook('onReady', async () => {
    stop = await app.ctx.db.listen(CHANGES_CHANNEL, (payload) => {
      let change: Change;
      try {
        change = JSON.parse(payload);
      } catch {
        return;
      }
      const set = clients.get(change.accountId);
      if (!set) return;
      const { accountId: _omit, ...out } = change;
      const msg = JSON.stringify(out);
      for (const ws of set) {
        if (ws.readyState !== 1) continue;
        if (ws.bufferedAmount > maxBuffer) resync(ws);
        else ws.send(msg);
      }
    });
  });
  app.addHook('onClose', async () => {
    for (const set of clients.values()) for (const ws of set) ws.close(1001, 'server shutting down');
    await stop?.();
  });

  // A wsHandler beside a plain handler (rather than `websocket: true`, which hides the route from the OpenAPI document
  // and answers a plain GET with an empty 404): the socket is part of the API, and a plain GET is told to upgrade.
  app.route({
    method: 'GET',
    url: '/api/v1/realtime',
    schema: {
      tags: ['realtime'],
      summary: 'WebSocket of change notifications for the account (conversation.created|updated, message.created, viewers.changed)',
      description: 'Open with a WebSocket upgrade (signed in: session cookie or Bearer token); a plain GET answers 426.',
      response: RealtimeResponses,
    },
    handler: async (_req, reply) => {
      reply.header('upgrade', 'websocket');
      throw new AppError('upgrade_required', 'Open /api/v1/realtime as a WebSocket (Connection: Upgrade, Upgrade: websocket)', 426);
    },
    wsHandler: (socket, req) => {
      // The auth hook refuses before the upgrade; should a request ever get here without a principal, it is closed
      // quietly (a refusal, not an error with a stack trace in the log).
      const p = req.principal;
      if (!p) return socket.close(4401, 'unauthorized');
      let set = clients.get(p.accountId);
      if (!set) {
        set = new Set();
        clients.set(p.accountId, set);
      }
      set.add(socket);
      socket.send(JSON.stringify({ type: 'hello', accountId: p.accountId, userId: p.userId } satisfies RealtimeMessage));
      socket.on('message', (raw) => {
        if (raw.toString() === 'ping') socket.send('{"type":"pong"}');
      });
      socket.on('close', () => {
        set!.delete(socket);
        if (set!.size === 0) clients.delete(p.accountId);
      });
    },
  });
}
