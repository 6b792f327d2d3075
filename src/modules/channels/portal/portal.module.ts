/**
 * The web channel: a public contact form (/contact/:account, and POST /api/v1/public/contact/:account for sites with
 * their own form) and the customer portal (/portal/:account) with magic-link sign-in. See docs/channels-portal.md.
 */
import type { EarshotModule } from '../../module.js';
import routes from './contact.routes.js';
import pages from './portal.pages.js';
import { cli } from './portal.cli.js';
import { sendLink } from './portal.service.js';

const module: EarshotModule = {
  name: 'portal',
  tables: ['web_settings', 'portal_links', 'portal_sessions', 'contact_acks'],
  routes,
  pages,
  jobs(runner, ctx) {
    runner.on('web.portal_link', (payload) => sendLink(ctx, payload));
  },
  cli,
};
export default module;
