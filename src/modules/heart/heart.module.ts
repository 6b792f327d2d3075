/** The heart module (issue 7): see docs/heart.md. */
import type { EarshotModule } from '../module.js';
import heartRoutes from './heart.routes.js';
import { heartDemo } from './heart.demo.js';
import { notifyApprovers } from './goodwill.js';

const module: EarshotModule = {
  name: 'heart',
  tables: ['heart_settings', 'goodwill_budgets', 'goodwill_spends', 'policy_exceptions', 'moments', 'moment_kudos'],
  routes: heartRoutes,
  jobs: (runner, ctx) => {
    runner.on('heart.approval_requested', (payload) => notifyApprovers(ctx, payload as { spendId: string }));
  },
  demo: heartDemo,
};
export default module;

/** What other modules use: the moments feed (the leaders' digest). */
