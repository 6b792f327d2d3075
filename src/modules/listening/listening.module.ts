/**
 * Listening (issue 6): every inbound customer message analysed (language, urgency, threats, wait claims) by the
 * `listening.analyze` job (enqueued by the conversation service); the anecdote audit (customers' wait claims held
 * against the waits measured for them); `earshot listen …` and `earshot report anecdotes --account A [--json]` (adds to
 * an existing `report` command, or creates it).
 */
import type { EarshotModule } from '../module.js';
import { type Command, Option } from 'commander';
import type { Ctx } from '../../platform/context.js';
import { systemPrincipal } from '../../platform/context.js';
import * as accounts from '../accounts/index.js';
import { dbOptions, withDb } from '../../platform/cli-db.js';
import { ANALYZE_JOB, analyzeMessage } from './listening.service.js';
import { ANECDOTE_GROUPS, anecdoteReport, anecdoteText } from './anecdotes.js';
import routes from './listening.routes.js';
import { registerListeningCommands } from './listening.cli.js';

/** The work of `earshot report anecdotes`, callable with an open context (tests). Returns what it prints. */
export async function reportAnecdotes(ctx: Ctx, o: { account: string; from?: string; to?: string; by?: string; json?: boolean }): Promise<string> {
  const a = await accounts.findAccount(ctx, o.account);
  const r = await anecdoteReport(ctx, systemPrincipal(a.id, 'cli'), { from: o.from, to: o.to, by: o.by });
  return o.json ? `${JSON.stringify(r)}\n` : anecdoteText(r);
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

const module: EarshotModule = {
  name: 'listening',
  tables: ['message_findings', 'anecdote_checks', 'anecdote_alerts'],
  routes,
  jobs(runner, ctx) {
    runner.on(ANALYZE_JOB, (payload) => analyzeMessage(ctx, payload));
  },
  cli(program) {
    registerAnecdoteCommands(program);
    registerListeningCommands(program);
  },
};
export default module;
