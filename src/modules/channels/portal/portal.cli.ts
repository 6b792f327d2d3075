/** `earshot web …`: the contact form's topics (each to a queue) and its default queue. */
import type { Command } from 'commander';
import { systemPrincipal, type Ctx } from '../../../platform/context.js';
import { invalid } from '../../../platform/errors.js';
import { dbOptions, withDb } from '../../../platform/cli-db.js';
import * as accounts from '../../accounts/index.js';
import * as web from './contact.service.js';

/** A queue by name or id; null for 'none'. */
async function queueId(ctx: Ctx, accountId: string, q: string | undefined, field: string): Promise<string | null | undefined> {
  if (q === undefined) return undefined;
  if (q === 'none') return null;
  const r = await ctx.db.query<{ id: string }>('SELECT id FROM queues WHERE account_id = $1 AND (name = $2 OR id::text = $2)', [accountId, q]);
  if (!r.rows[0]) throw invalid(field, `no queue '${q}' in this account`);
  return r.rows[0].id;
}

function print(s: { topics: web.Topic[]; defaultQueueId: string | null }, json: boolean) {
  if (json) return void process.stdout.write(`${JSON.stringify(s)}\n`);
  const lines = s.topics.map((tp) => `${tp.key}\t${tp.label.en}${tp.label.de ? ` | ${tp.label.de}` : ''}${tp.label.nb ? ` | ${tp.label.nb}` : ''}\t${tp.queueId ?? '-'}`);
  process.stdout.write(`${lines.length ? lines.join('\n') : '(no topics)'}\ndefault queue: ${s.defaultQueueId ?? '-'}\n`);
}

export function cli(program: Command) {
  const webCmd = program.command('web').description('the contact form and customer portal (/contact/<account>, /portal/<account>)');
  dbOptions(webCmd.command('topics').description('list the contact form topics').requiredOption('--account <slug>').option('--json', 'print JSON')).action(
    async (o) => {
      await withDb(o, async (ctx) => {
        const a = await accounts.findAccount(ctx, o.account);
        print(await web.getSettings(ctx, systemPrincipal(a.id, 'cli')), !!o.json);
      });
    },
  );
  dbOptions(
    webCmd
      .command('topic-set')
      .description('add or change a topic of the contact form')
      .requiredOption('--account <slug>')
      .requiredOption('--key <key>', 'short id, e.g. billing')
      .requiredOption('--label <text>', 'English label')
      .option('--label-de <text>', 'German label')
      .option('--label-nb <text>', 'Norwegian label')
      .option('--queue <queue>', "queue name or id for its requests, or 'none'"),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const p = systemPrincipal(a.id, 'cli');
      const cur = await web.getSettings(ctx, p);
      const topic: web.Topic = {
        key: o.key,
        label: { en: o.label, ...(o.labelDe ? { de: o.labelDe } : {}), ...(o.labelNb ? { nb: o.labelNb } : {}) },
        queueId: (await queueId(ctx, a.id, o.queue, 'queue')) ?? null,
      };
      const i = cur.topics.findIndex((tp) => tp.key === o.key);
      const topics = i >= 0 ? cur.topics.map((tp, j) => (j === i ? topic : tp)) : [...cur.topics, topic];
      print(await web.updateSettings(ctx, p, { topics }), false);
    });
  });
  dbOptions(webCmd.command('topic-remove').description('remove a topic').requiredOption('--account <slug>').requiredOption('--key <key>')).action(
    async (o) => {
      await withDb(o, async (ctx) => {
        const a = await accounts.findAccount(ctx, o.account);
        const p = systemPrincipal(a.id, 'cli');
        const cur = await web.getSettings(ctx, p);
        if (!cur.topics.some((tp) => tp.key === o.key)) throw invalid('key', `no topic '${o.key}'`);
        print(await web.updateSettings(ctx, p, { topics: cur.topics.filter((tp) => tp.key !== o.key) }), false);
      });
    },
  );
  dbOptions(
    webCmd.command('default-queue <queue>').description("the queue of requests without a topic (name, id or 'none')").requiredOption('--account <slug>'),
  ).action(async (q: string, o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const p = systemPrincipal(a.id, 'cli');
      print(await web.updateSettings(ctx, p, { defaultQueueId: (await queueId(ctx, a.id, q, 'queue')) ?? null }), false);
    });
  });
}
