/**
 * Probes (issue 6): scheduled mystery contacts (email, chat, phone) that measure the wait a customer would live
 * through, kept out of customer figures. `earshot probe add|list|run`.
 */
import type { EarshotModule } from '../module.js';
import routes from './probes.routes.js';
import { registerProbeCommands } from './probes.cli.js';
import { checkRun, closeProbeSockets, runDueProbe } from './probes.service.js';

const module: EarshotModule = {
  name: 'probes',
  tables: ['probes', 'probe_runs'],
  routes,
  jobs(runner, ctx) {
    runner.on('probe.due', (payload) => runDueProbe(ctx, payload));
    runner.on('probe.check', (payload) => checkRun(ctx, payload));
  },
  close: closeProbeSockets,
  cli: registerProbeCommands,
};
export default module;
