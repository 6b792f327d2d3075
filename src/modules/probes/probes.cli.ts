/** `earshot probe add|list|run`: mystery contacts through the real front doors, run from the command line. */
import { InvalidArgumentError, type Command } from 'commander';
import { systemPrincipal } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import * as accounts from '../accounts/index.js';
import { dbOptions, withDb } from '../../platform/cli-db.js';
import * as svc from './probes.service.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`'${v}' is not a whole number`);
  return n;
};

import type { Ctx } from '../../platform/context.js';

export interface AddOptions { account: string; name: string; channel: string; target?: string; every?: number; limit?: number; from?: string; caller?: string; json?: boolean }
export interface RunOptions { account: string; channel?: string; name?: string; waitForAnswer?: number; json?: boolean }

/** `earshot probe add`: the text (or JSON line) it prints. */
export async function probeAdd(ctx: Ctx, o: AddOptions): Promise<string> {
  const a = await accounts.findAccount(ctx, o.account);
  const p = await svc.addProbe(ctx, systemPrincipal(a.id, 'cli'), {
    name: o.name, channel: o.channel, target: o.target, everyMinutes: o.every, waitLimitSeconds: o.limit, fromAddress: o.from, callerNumber: o.caller,
  });
  return o.json ? `${JSON.stringify(p)}\n` : `Probe ${p.name} (${p.channel}) added as ${p.fromAddress} / ${p.callerNumber}${p.everyMinutes ? `, every ${p.everyMinutes} min` : ''}.\n`;
}

/** `earshot probe list`. */
export async function probeList(ctx: Ctx, o: { account: string; json?: boolean }): Promise<string> {
  const a = await accounts.findAccount(ctx, o.account);
  const list = await svc.listProbes(ctx, systemPrincipal(a.id, 'cli'));
  if (o.json) return `${JSON.stringify(list)}\n`;
  return list
    .map((p) => `${p.name}\t${p.channel}\t${p.target ?? '-'}\t${p.everyMinutes ? `every ${p.everyMinutes} min` : 'on demand'}\t${p.lastRun ? `${p.lastRun.status}${p.lastRun.livedWaitSeconds !== null ? ` ${Math.round(p.lastRun.livedWaitSeconds)} s` : ''}` : 'never run'}\n`)
    .join('');
}

/** `earshot probe run`: runs one probe now, waits up to --wait-for-answer seconds, prints the lived wait or "still waiting". */
export async function probeRun(ctx: Ctx, o: RunOptions): Promise<{ text: string; run: svc.ProbeRun }> {
  const a = await accounts.findAccount(ctx, o.account);
  const p = systemPrincipal(a.id, 'cli');
  let probe: svc.Probe;
  if (o.name) probe = await svc.findProbe(ctx, a.id, o.name);
  else {
    const all = (await svc.listProbes(ctx, p)).filter((x) => x.enabled && (!o.channel || x.channel === o.channel));
    if (!all[0]) throw new AppError('no_probe', `no probe${o.channel ? ` for ${o.channel}` : ''} in ${o.account}: add one with earshot probe add`);
    probe = all[0];
  }
  let run = await svc.runProbe(ctx, p, probe);
  const until = Date.now() + (o.waitForAnswer ?? 0) * 1000;
  while (run.status === 'waiting' && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    run = await svc.runStatus(ctx, a.id, run.id);
  }
  // A chat probe's visitor leaves with the command (unanswered by then, the chat counts it abandoned after its grace time).
  svc.release(run.id);
  let text: string;
  if (o.json) text = `${JSON.stringify(run)}\n`;
  else if (run.status === 'answered') text = `${probe.name} (${probe.channel}): answered by a human after ${Math.round(run.livedWaitSeconds!)} s lived wait.\n`;
  else if (run.status === 'waiting' || run.status === 'sending')
    text = `${probe.name} (${probe.channel}): still waiting after ${Math.round((ctx.now().getTime() - new Date(run.startedAt).getTime()) / 1000)} s (run ${run.id}).\n`;
  else text = `${probe.name} (${probe.channel}): ${run.status}${run.error ? `: ${run.error}` : ''}.\n`;
  return { text, run };
}

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
    .action((o) => withDb(o, async (ctx) => void process.stdout.write(await probeAdd(ctx, o))));

  dbOptions(probe.command('list').description('list probes with their last run')
    .requiredOption('--account <slug>', 'account slug or id')
    .option('--json', 'JSON output'))
    .action((o) => withDb(o, async (ctx) => void process.stdout.write(await probeList(ctx, o))));

  dbOptions(probe.command('run').description('run one probe now and print the wait it lived until a human answered')
    .requiredOption('--account <slug>', 'account slug or id')
    .option('--channel <channel>', 'email, chat or phone: the first probe of that channel')
    .option('--name <name>', 'the probe to run')
    .option('--wait-for-answer <seconds>', 'wait this long for a human answer (default 0: report and return)', int, 0)
    .option('--json', 'JSON output'))
    .action((o) =>
      withDb(o, async (ctx) => {
        const { text, run } = await probeRun(ctx, o);
        process.stdout.write(text);
        if (run.status === 'failed') process.exitCode = 1;
      }));
}
