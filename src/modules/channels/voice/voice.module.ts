/**
 * The voice channel: live phone events from Asterisk (AMI client, live queue_log follower) and other telephony systems
 * (CTI webhook), mapped to the contact-event vocabulary; callbacks for abandoned calls. See docs/channels-voice.md.
 */
import type { Command } from 'commander';
import type { App } from '../../../server/types.js';
import { systemPrincipal } from '../../../platform/context.js';
import type { EarshotModule, ModuleHandle } from '../../module.js';
import { findAccount } from '../../accounts/index.js';
import { dbOptions, withDb } from '../../../platform/cli-db.js';
import { AmiClient, parseAmiUrl } from './ami.js';
import { checkCallbackSla, listCallbacks } from './callbacks.js';
import { followOnce, newFollower, QueueLogFollower } from './queue-log-follow.js';
import voiceRoutes from './voice.routes.js';
import { voiceLabel } from './texts.js';
import type { Locale } from '../../../platform/i18n.js';

async function start(app: App): Promise<ModuleHandle[]> {
  const { ctx } = app;
  const out: ModuleHandle[] = [];
  if (ctx.config.amiUrl) {
    const target = parseAmiUrl(ctx.config.amiUrl);
    const account = await findAccount(ctx, target.account);
    const client = new AmiClient(ctx, { accountId: account.id, target, log: app.log as any });
    client.start();
    out.push({ name: 'ami', info: `AMI client to ${client.where} for account ${account.slug}`, stop: () => client.stop() });
  }
  if (ctx.config.queueLogFollow) {
    if (!ctx.config.queueLogAccount) throw new Error('QUEUE_LOG_FOLLOW needs QUEUE_LOG_ACCOUNT: the account (slug) the calls belong to');
    const account = await findAccount(ctx, ctx.config.queueLogAccount);
    const f = new QueueLogFollower(ctx, account.id, ctx.config.queueLogFollow, app.log as any);
    f.start();
    out.push({ name: 'queue-log', info: `Following queue_log ${ctx.config.queueLogFollow} for account ${account.slug}`, stop: () => f.stop() });
  }
  return out;
}

function cli(program: Command) {
  const voice = program.command('voice').description('phone events: follow a queue_log once, list callbacks');
  dbOptions(
    voice
      .command('follow-once <file>')
      .description('read what is new in a live queue_log (same checkpoint as QUEUE_LOG_FOLLOW), then exit; for cron')
      .requiredOption('--account <slug>', 'account the calls belong to'),
  ).action(async (file: string, o: any) => {
    await withDb(o, async (ctx) => {
      const a = await findAccount(ctx, o.account);
      const r = await followOnce(ctx, newFollower(a.id, file));
      process.stdout.write(`${r.lines} lines read, ${r.added} events added, ${r.callbacksOpened} callbacks opened${r.rotated ? ' (file was rotated)' : ''}${r.malformed ? `, ${r.malformed} malformed lines` : ''}\n`);
    });
  });
  dbOptions(
    voice
      .command('callbacks')
      .description('list callbacks owed to callers, earliest due first')
      .requiredOption('--account <slug>', 'account')
      .option('--status <status>', 'open, done, cancelled or all', 'open')
      .option('--queue <name>', 'only this queue')
      .option('--lang <lang>', 'labels in en, de or nb', 'en')
      .option('--json', 'JSON lines'),
  ).action(async (o: any) => {
    await withDb(o, async (ctx) => {
      const a = await findAccount(ctx, o.account);
      const items = await listCallbacks(ctx, systemPrincipal(a.id, 'cli'), { status: o.status, queue: o.queue });
      const lang: Locale = ['de', 'nb'].includes(o.lang) ? o.lang : 'en';
      for (const c of items) {
        if (o.json) {
          process.stdout.write(`${JSON.stringify(c)}\n`);
          continue;
        }
        const status = voiceLabel(`callback.${c.status}`, lang) + (c.overdue ? ` (${voiceLabel('callback.overdue', lang)})` : '');
        const attempts = `${c.attempts}${c.outcome ? ` ${voiceLabel(`outcome.${c.outcome}`, lang)}` : ''}`;
        const cols = [c.dueAt.toISOString(), status, c.phone, c.queueName ?? '-', voiceLabel(`reason.${c.reason}`, lang), attempts, c.id];
        process.stdout.write(`${cols.join('  ')}\n`);
      }
      if (!items.length && !o.json) process.stderr.write('No callbacks.\n');
    });
  });
}

const module: EarshotModule = {
  name: 'voice',
  tables: ['callbacks', 'callback_attempts', 'voice_follow_checkpoints'],
  routes: voiceRoutes,
  jobs(runner, ctx) {
    runner.on('callback.sla', (payload) => checkCallbackSla(ctx, payload));
  },
  start,
  cli,
};
export default module;
