/**
 * Probes (issue 6): the lead wires `probeRoutes` under /api/v1, `registerProbeJobs(runner, ctx)` into the job runner
 * and `registerProbeCommands(program)` into the CLI.
 */
import type { Ctx } from '../../platform/context.js';
import type { JobRunner } from '../../platform/jobs.js';
import { checkRun, runDueProbe } from './probes.service.js';

export { default as probeRoutes } from './probes.routes.js';
export { registerProbeCommands, probeAdd, probeList, probeRun } from './probes.cli.js';
export { closeProbeSockets } from './probes.service.js';

export function registerProbeJobs(runner: JobRunner, ctx: Ctx) {
  runner.on('probe.due', (payload) => runDueProbe(ctx, payload));
  runner.on('probe.check', (payload) => checkRun(ctx, payload));
}
