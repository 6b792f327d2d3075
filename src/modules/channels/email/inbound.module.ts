import type { ModulePart } from '../index.js';
import routes from './inbound.routes.js';
import { mailboxCli } from './inbound.cli.js';
import { startSmtpServer } from './smtp.js';

/** The inbound part of the email channel: mailboxes (API, CLI), the SMTP listener (when SMTP_PORT is set). */
const module: ModulePart = {
  routes,
  cli: mailboxCli,
  async start(app) {
    const port = app.ctx.config.smtpPort;
    if (port === undefined) return [];
    const s = await startSmtpServer(app.ctx, { port, log: app.log });
    return [{ name: 'smtp', info: `SMTP on ${s.host}:${s.port}`, stop: s.close }];
  },
};
export default module;
