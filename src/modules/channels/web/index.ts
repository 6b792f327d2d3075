/**
 * The web channel: a public contact form (/contact/:account, and POST /api/v1/public/contact/:account for sites with
 * their own form) and the customer portal (/portal/:account) with magic-link sign-in. See docs/channels-web.md.
 */
import type { JobRunner } from '../../../platform/jobs.js';
import type { Ctx } from '../../../platform/context.js';
import { sendLink } from './portal.service.js';

export { default as routes } from './routes.js';
export { default as pages } from './pages.js';
export { cli } from './cli.js';

export function jobs(runner: JobRunner, ctx: Ctx) {
  runner.on('web.portal_link', (payload) => sendLink(ctx, payload));
}
