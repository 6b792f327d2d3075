/**
 * Listening (issue 6), the parts the app wires in:
 *   - `listeningRoutes`: fastify plugin, register under /api/v1;
 *   - `registerListeningJobs(runner, ctx)`: the `listening.analyze` job (enqueued by the conversation service for
 *     every inbound customer message);
 *   - `registerAnecdoteCommands(program)`: `earshot report anecdotes --account A [--json]` (adds to an existing
 *     `report` command, or creates it).
 */
import { Command, Option } from 'commander';
import type { Ctx } from '../../platform/context.js';
import { systemPrincipal } from '../../platform/context.js';
import type { JobRunner } from '../../platform/jobs.js';
import * as accounts from '../accounts/accounts.service.js';
import { dbOptions, withDb } from '../../platform/cli-db.js';
import { ANALYZE_JOB, analyzeMessage } from './listening.service.js';
import { ANECDOTE_GROUPS, anecdoteReport, anecdoteText } from './anecdotes.js';

export { default as listeningRoutes } from './listening.routes.js';
export { ANALYZE_JOB } from './listening.service.js';

export function registerListeningJobs(runner: JobRunner, ctx: Ctx) {
  runner.on(ANALYZE_JOB, (payload) => analyzeMessage(ctx, payload));
}

/** The work of `earshot report anecdotes`, callable with an open context (tests). Returns what it prints. */
export async function reportAnecdotes(ctx: Ctx, o: { account: string; from?: string; to?: string; by?: string; json?: boolean }): Promise<string> {
  const a = await accounts.findAccount(ctx, o.account);
  const r = await anecdoteReport(ctx, systemPrincipal(a.id, 'cli'), { from: o.from, to: o.to, by: o.by });
  return o.json ? JSON.stringify(r) + '\n' : anecdoteText(r);
}

export function registerAnecdoteCommands(program: Command) {
  const report = program.commands.find((c) => c.name() === 'report') ?? program.command('report').description('reports');
  dbOptions(
    report
      .command('anecdotes')
      .description('anecdote audit: customers\u2019 wait claims held against the waits measured for them; share contradicted, blind spots, examples')
      .requiredOption('--account <account>', 'account slug or id')
      .option('--from <date>', 'start (ISO date or date-time, inclusive); default 28 days before --to')
      .option('--to <date>', 'end (exclusive); default now')
      .addOption(new Option('--by <group>', 'group by').choices([...ANECDOTE_GROUPS]))
      .option('--json', 'print JSON'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      process.stdout.write(await reportAnecdotes(ctx, o));
    });
  });
}
