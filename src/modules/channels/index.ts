/**
 * The channels (issue 4): email (SMTP in, IMAP, SMTP out), chat (widget over WebSocket), web (contact form and customer
 * portal) and voice (Asterisk AMI, live queue_log, CTI webhook, callbacks). Each channel module exports
 *   - `routes`: a fastify plugin registered under /api/v1 (its public routes set `config: { auth: false }`),
 *   - `pages`: an optional plugin registered at the root (widget.js, portal and form pages),
 *   - `jobs(runner, ctx)`: registers its job handlers,
 *   - `start(app)`: starts its listeners when the server runs (SMTP port, IMAP pollers, AMI client) and returns a stop,
 *   - `cli(program)`: adds its `earshot` subcommands (e.g. `earshot mailbox add`); use withDb/dbOptions from src/platform/cli-db.ts.
 * Every channel writes the contact events of docs/metrics.md, so lived waits cover all of them.
 */
import type { App } from '../../server/types.js';
import type { ChannelModule } from './module.js';
import * as email from './email/index.js';
import * as chat from './chat/index.js';
import * as web from './web/index.js';
import * as voice from './voice/index.js';

export type { ChannelHandle, ChannelModule } from './module.js';
import type { ChannelHandle } from './module.js';

export const CHANNEL_MODULES: Record<string, ChannelModule> = { email, chat, web, voice };

/** Starts every channel's listeners; the returned function stops them (in reverse order). */
export async function startChannels(app: App): Promise<{ handles: ChannelHandle[]; stop: () => Promise<void> }> {
  const handles: ChannelHandle[] = [];
  for (const m of Object.values(CHANNEL_MODULES)) if (m.start) handles.push(...(await m.start(app)));
  return {
    handles,
    stop: async () => {
      for (const h of [...handles].reverse()) await h.stop().catch((err) => app.log.error({ err: err?.message, channel: h.name }, 'channel stop failed'));
    },
  };
}
