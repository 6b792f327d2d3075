/** `earshot mailbox add|list`: the addresses that receive email. */
import { Command, Option } from 'commander';
import { systemPrincipal } from '../../../platform/context.js';
import * as accounts from '../../accounts/accounts.service.js';
import { dbOptions, withDb } from '../../../cli/db.js';
import * as svc from './mailboxes.service.js';

export function mailboxCli(program: Command) {
  const mailbox = program.command('mailbox').description('addresses that receive email (SMTP listener, IMAP)');
  dbOptions(
    mailbox
      .command('add')
      .description('add a mailbox to an account; prints its id')
      .requiredOption('--account <account>', 'account slug or id')
      .requiredOption('--address <address>', 'email address, e.g. support@acme.test')
      .option('--queue <queue>', 'queue (name or id) new conversations go to')
      .option('--name <name>', 'display name')
      .addOption(new Option('--on-closed <what>', 'a reply to a closed conversation').choices(['reopen', 'follow-up']).default('reopen')),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const m = await svc.createMailbox(ctx, systemPrincipal(a.id, 'cli'), { address: o.address, name: o.name, queueId: o.queue, onClosed: o.onClosed });
      process.stdout.write(`${m.id}\n`);
      process.stderr.write(`Mailbox ${m.address} added to '${a.slug}'${m.queueId ? ` (queue ${o.queue})` : ''}; replies to closed conversations ${m.onClosed === 'reopen' ? 'reopen them' : 'open a follow-up'}.\n`);
    });
  });
  dbOptions(
    mailbox
      .command('list')
      .description("list an account's mailboxes")
      .requiredOption('--account <account>', 'account slug or id')
      .option('--json', 'one JSON document'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const items = await svc.listMailboxes(ctx, systemPrincipal(a.id, 'cli'));
      if (o.json) process.stdout.write(JSON.stringify(items) + '\n');
      else if (!items.length) process.stderr.write(`No mailboxes in '${a.slug}'. Add one with: earshot mailbox add --account ${a.slug} --address support@example.com\n`);
      else for (const m of items) process.stdout.write(`${m.address}\t${m.name || '-'}\t${m.queueId ?? '-'}\t${m.onClosed}\t${m.id}\n`);
    });
  });
}
