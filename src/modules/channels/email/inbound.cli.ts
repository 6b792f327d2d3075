/** `earshot mailbox add|list`: the addresses that receive email; `earshot domain claim|release|list`: whose domains. */
import { type Command, Option } from 'commander';
import { systemPrincipal } from '../../../platform/context.js';
import * as accounts from '../../accounts/index.js';
import { dbOptions, withDb } from '../../../platform/cli-db.js';
import * as svc from './mailboxes.service.js';
import * as domains from './domains.service.js';

export function mailboxCli(program: Command) {
  domainCli(program);
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
      if (o.json) process.stdout.write(`${JSON.stringify(items)}\n`);
      else if (!items.length) process.stderr.write(`No mailboxes in '${a.slug}'. Add one with: earshot mailbox add --account ${a.slug} --address support@example.com\n`);
      else for (const m of items) process.stdout.write(`${m.address}\t${m.name || '-'}\t${m.queueId ?? '-'}\t${m.onClosed}\t${m.id}\n`);
    });
  });
}

/**
 * The instance operator's say over mail domains: a domain belongs to one account, which alone may have mailboxes in it.
 * Running this command on the server is the verification (docs/hardening.md).
 */
function domainCli(program: Command) {
  const domain = program.command('domain').description('mail domains: which account may have mailboxes in a domain');
  dbOptions(
    domain
      .command('claim')
      .description('give a mail domain to an account (refused while another account holds it)')
      .requiredOption('--account <account>', 'account slug or id')
      .requiredOption('--domain <domain>', 'e.g. acme.example'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const d = await domains.claimDomain(ctx, a.id, o.domain);
      process.stderr.write(`${d.domain} belongs to '${a.slug}': its admins may add mailboxes in it.\n`);
    });
  });
  dbOptions(
    domain
      .command('release')
      .description("take a mail domain from its account; its mailboxes stay but receive nothing until it is claimed again")
      .requiredOption('--domain <domain>', 'e.g. acme.example'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const done = await domains.releaseDomain(ctx, o.domain);
      process.stderr.write(done ? `${o.domain} released.\n` : `${o.domain} was not claimed.\n`);
    });
  });
  dbOptions(
    domain
      .command('list')
      .description('claimed mail domains and their accounts')
      .option('--account <account>', 'only this account (slug or id)')
      .option('--json', 'one JSON document'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = o.account ? await accounts.findAccount(ctx, o.account) : null;
      const items = await domains.listDomains(ctx, a?.id);
      if (o.json) process.stdout.write(`${JSON.stringify(items)}\n`);
      else for (const d of items) process.stdout.write(`${d.domain}\t${d.accountSlug}\t${d.claimedBy}\n`);
    });
  });
}
