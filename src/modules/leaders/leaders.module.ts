/**
 * The leaders module (issue 7): routes under /api/v1/leaders, the `leaders.draw` and
 * `leaders.digest` jobs (self-scheduling per leader), `earshot leaders draw|list`, and the demo leader's sample.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Ctx } from '../../platform/context.js';
import { systemPrincipal } from '../../platform/context.js';
import type { EarshotModule } from '../module.js';
import * as accounts from '../accounts/index.js';
import { dbOptions, withDb } from '../../platform/cli-db.js';
import leadersRoutes from './leaders.routes.js';
import * as svc from './leaders.service.js';
import { runDigestJob } from './digest.js';
import { seedLeadersDemo } from './leaders.demo.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`'${v}' is not a whole number`);
  return n;
};

/** `earshot leaders draw`: what it prints. */
export async function leadersDraw(ctx: Ctx, o: { account: string; date?: string; seed?: number; leader?: string; json?: boolean }): Promise<string> {
  const a = await accounts.findAccount(ctx, o.account);
  const p = systemPrincipal(a.id, 'cli');
  let leaderId: string | undefined;
  if (o.leader) {
    const u = await ctx.db.query<{ id: string }>('SELECT id FROM users WHERE account_id = $1 AND (lower(email) = lower($2) OR id::text = $2)', [a.id, o.leader]);
    if (!u.rows[0]) throw new InvalidArgumentError(`no user '${o.leader}' in ${o.account}`);
    leaderId = u.rows[0].id;
  }
  const draws = await svc.drawAll(ctx, p, { leaderId, date: o.date, seed: o.seed });
  if (o.json) return `${JSON.stringify(draws)}\n`;
  return draws
    .map((d) => {
      const head = `${d.day} leader ${d.items[0]?.leaderName ?? d.leaderId}: seed ${d.seed}, ${d.candidateCount} candidates (sha256 ${d.candidatesHash.slice(0, 12)}), ${d.picks.length} picked${d.existing ? ' (drawn before)' : ''}${d.note ? ` – ${d.note}` : ''}\n`;
      const items = d.items.map((i) => `  #${i.conversationNumber} ${i.subject} → ${i.assigneeName}${i.reason ? ` (${i.reason})` : ''} [${i.status}]\n`).join('');
      const un = d.unassigned.map((u) => `  ${u.conversationId} unassigned: ${u.reason}, deputy ${u.deputy}\n`).join('');
      return head + items + un;
    })
    .join('');
}

/** `earshot leaders list`. */
export async function leadersList(ctx: Ctx, o: { account: string; status?: string; json?: boolean }): Promise<string> {
  const a = await accounts.findAccount(ctx, o.account);
  const items = await svc.listItems(ctx, systemPrincipal(a.id, 'cli'), { status: o.status });
  if (o.json) return `${JSON.stringify(items)}\n`;
  if (!items.length) return 'No sampled requests.\n';
  return items
    .map((i) => `${i.day}\t#${i.conversationNumber}\t${i.status}\t${i.assigneeName}${i.reason ? ` (${i.reason} for ${i.leaderName})` : ''}\t${i.subject}${i.followThrough ? `\tcustomer replied: ${i.followThrough.customerReplied ? 'yes' : 'no'}, now ${i.followThrough.conversationStatus}` : ''}\n`)
    .join('');
}

const module: EarshotModule = {
  name: 'leaders',
  tables: ['leader_settings', 'leader_absences', 'leader_draws', 'leader_items', 'leader_digests'],
  routes: leadersRoutes,
  jobs: (runner, ctx) => {
    runner.on(svc.DRAW_JOB, (payload) => svc.runDrawJob(ctx, payload));
    runner.on(svc.DIGEST_JOB, (payload) => runDigestJob(ctx, payload));
  },
  cli: (program: Command) => {
    const l = program.command('leaders').description('leaders within earshot: the daily sample of real requests for leaders');
    dbOptions(l.command('draw').description('draw (or show) the daily sample for every leader of an account, or one')
      .requiredOption('--account <slug>', 'account slug or id')
      .option('--date <date>', 'local date (default: today in each leader’s zone)')
      .option('--seed <n>', 'seed of the random draw (default: random, stored with the draw)', int)
      .option('--leader <email>', 'only this leader')
      .option('--json', 'JSON output'))
      .action((o) => withDb(o, async (ctx) => void process.stdout.write(await leadersDraw(ctx, o))));
    dbOptions(l.command('list').description('list sampled requests with their state and follow-through')
      .requiredOption('--account <slug>', 'account slug or id')
      .option('--status <status>', 'drawn, prepared, answered or handed_back')
      .option('--json', 'JSON output'))
      .action((o) => withDb(o, async (ctx) => void process.stdout.write(await leadersList(ctx, o))));
  },
  demo: seedLeadersDemo,
};
export default module;
