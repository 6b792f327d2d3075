/** The respect module (issue 7): see docs/respect.md. */
import type { EarshotModule } from '../module.js';
import respectRoutes from './respect.routes.js';
import respectPages from './respect.pages.js';
import { EXPIRE_JOB, ROUTE_BANNED_JOB } from './shared.js';
import { expireMeasure, routeBanned } from './decide.js';
import { respectDemo } from './respect.demo.js';

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

/** What other modules use: the measures in force and the channels' checks. */
