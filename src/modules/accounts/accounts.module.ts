/** Accounts: tenants, users, teams, sign-in (sessions, API tokens), invitations and password resets. */
import type { EarshotModule } from '../module.js';
import routes from './accounts.routes.js';
import { sendResetLinks } from './passwords.service.js';

const module: EarshotModule = {
  name: 'accounts',
  tables: ['accounts', 'users', 'teams', 'team_members', 'api_tokens', 'sessions', 'password_tokens', 'login_throttle'],
  routes,
  jobs(runner, ctx) {
    runner.on('auth.password_reset', (payload) => sendResetLinks(ctx, payload));
  },
};
export default module;
