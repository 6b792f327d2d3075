/** `earshot probe add|list|run`: mystery contacts through the real front doors, run from the command line. */
import { InvalidArgumentError, type Command } from 'commander';
import { systemPrincipal } from '../../platform/context.js';
import * as accounts from '../accounts/accounts.service.js';
import { dbOptions, withDb } from '../../cli/db.js';
import * as svc from './probes.service.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`'${v}' is not a whole number`);
  return n;
};

export function registerProbeCommands(program: Command) {
  const probe = program.command('probe').description('probes: scheduled mystery contacts (email, chat, phone) kept out of customer figures');

  dbOptions(probe.command('add').description('add a probe')
    .requiredOption('--account <slug>', 'account slug or id')
    .requiredOption('--name <name>', 'a name for the probe')
    .requiredOption('--channel <channel>', 'email, chat or phone')
    .option('--target <target>', 'email: the support mailbox address; chat, phone: the queue name')
    .option('--every <minutes>', 'run every N minutes (default: only on demand)', int)
    .option('--limit <seconds>', 'unanswered after this many seconds (default 3600)', int)
    .option('--from <address>', 'the probe’s own From address')
    .option('--caller <number>', 'the probe’s own caller number')
    .option('--json', 'JSON output'))
    .action(async (o) => {
      await withDb(o, async (ctx) => {
        const a = await accounts.findAccount(ctx, o.account);
        const p = await svc.addProbe(ctx, systemPrincipal(a.id, 'cli'), {
          name: o.name, channel: o.channel, target: o.target, everyMinutes: o.every, waitLimitSeconds: o.limit, fromAddress: o.from, callerNumber: o.caller,
        });
        process.stdout.write(o.json ? JSON.stringify(p) + '\n' : `Probe ${p.name} (${p.channel}) added as ${p.fromAddress} / ${p.callerNumber}${p.everyMinutes ? `, every ${p.everyMinutes} min` : ''}.\n`);
      });
    });

  dbOptions(probe.command('list').description('list probes with their last run')
    .requiredOption('--account <slug>', 'account slug or id')
    .option('--json', 'JSON output'))
    .action(async (o) => {
      await withDb(o, async (ctx) => {
        const a = await accounts.findAccount(ctx, o.account);
        const list = await svc.listProbes(ctx, systemPrincipal(a.id, 'cli'));
        if (o.json) return void process.stdout.write(JSON.stringify(list) + '\n');
        for (const p of list)
          process.stdout.write(`${p.name}\t${p.channel}\t${p.target ?? '-'}\t${p.everyMinutes ? `every ${p.everyMinutes} min` : 'on demand'}\t${p.lastRun ? `${p.lastRun.status}${p.lastRun.livedWaitSeconds !== null ? ` ${Math.round(p.lastRun.livedWaitSeconds)} s` : ''}` : 'never run'}\n`);
      });
    });

  dbOptions(probe.command('run').description('run one probe now and print the wait it lived until a human answered')
    .requiredOption('--account <slug>', 'account slug or id')
    .option('--channel <channel>', 'email, chat or phone: the first probe of that channel')
    .option('--name <name>', 'the probe to run')
    .option('--wait-for-answer <seconds>', 'wait this long for a human answer (default 0: report and return)', int, 0)
    .option('--json', 'JSON output'))
    .action(async (o) => {
      await withDb(o, async (ctx) => {
        const a = await accounts.findAccount(ctx, o.account);
        const p = systemPrincipal(a.id, 'cli');
        let probe: svc.Probe;
        if (o.name) probe = await svc.findProbe(ctx, a.id, o.name);
        else {
          const all = (await svc.listProbes(ctx, p)).filter((x) => x.enabled && (!o.channel || x.channel === o.channel));
          if (!all[0]) throw new InvalidArgumentError(`no probe${o.channel ? ` for ${o.channel}` : ''} in ${o.account}: add one with earshot probe add`);
          probe = all[0];
        }
        let run = await svc.runProbe(ctx, p, probe);
        const until = Date.now() + o.waitForAnswer * 1000;
        while (run.status === 'waiting' && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 1000));
          run = await svc.runStatus(ctx, a.id, run.id);
        }
        svc.closeProbeSockets();
        if (o.json) process.stdout.write(JSON.stringify(run) + '\n');
        else if (run.status === 'answered') process.stdout.write(`${probe.name} (${probe.channel}): answered by a human after ${Math.round(run.livedWaitSeconds!)} s lived wait.\n`);
        else if (run.status === 'waiting' || run.status === 'sending')
          process.stdout.write(`${probe.name} (${probe.channel}): still waiting after ${Math.round((ctx.now().getTime() - new Date(run.startedAt).getTime()) / 1000)} s (run ${run.id}).\n`);
        else process.stdout.write(`${probe.name} (${probe.channel}): ${run.status}${run.error ? `: ${run.error}` : ''}.\n`);
        if (run.status === 'failed') process.exitCode = 1;
      });
    });
}
