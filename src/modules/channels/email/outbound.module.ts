import type { ModulePart } from '../index.js';
import routes from './outbound.routes.js';
import { sendOutboundEmail, closeTransports, safeUrl } from './outbound-send.js';
import { startImapPollers } from './imap.js';
import { imapCli } from './imap.cli.js';

/** The outbound part of the email channel: the `email.send` job, delivery status, IMAP pollers and their CLI. */
const module: ModulePart = {
  routes,
  jobs(runner, ctx) {
    runner.on('email.send', (payload, job, signal) => sendOutboundEmail(ctx, payload, job, signal));
  },
  async start(app) {
    const url = app.ctx.config.smtpOutboundUrl;
    const pollers = await startImapPollers(app.ctx, app.log as any);
    return [
      ...pollers.map((p) => ({ name: `imap:${p.sourceId}`, info: p.label, stop: p.stop })),
      {
        name: 'smtp-outbound',
        info: url ? `Outgoing email through ${safeUrl(url)}` : 'Outgoing email waits: SMTP_OUTBOUND_URL is not set',
        stop: async () => closeTransports(),
      },
    ];
  },
  cli: imapCli,
};
export default module;
