/** The respect module (issue 7): see docs/respect.md. */
import type { EarshotModule } from '../module.js';
import respectRoutes from './respect.routes.js';
import respectPages from './respect.pages.js';
import { EXPIRE_JOB, ROUTE_BANNED_JOB, expireMeasure, routeBanned } from './respect.service.js';
import { respectDemo } from './demo.js';

export { activeMeasures, refuseIfBlocked } from './respect.service.js';

const module: EarshotModule = {
  name: 'respect',
  tables: ['respect_settings', 'respect_measures', 'respect_appeals', 'respect_refusals', 'respect_routed'],
  routes: respectRoutes,
  pages: respectPages,
  jobs: (runner, ctx) => {
    runner.on(EXPIRE_JOB, (payload) => expireMeasure(ctx, payload));
    runner.on(ROUTE_BANNED_JOB, (payload) => routeBanned(ctx, payload));
  },
  demo: respectDemo,
};
export default module;
