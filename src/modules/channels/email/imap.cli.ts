/** `earshot imap add|list|poll`: existing mailboxes read over IMAP. */
import { type Command, Option } from 'commander';
import * as accounts from '../../accounts/index.js';
import { dbOptions, portArg, withDb } from '../../../platform/cli-db.js';
import { AppError } from '../../../platform/errors.js';
import { addImapSource, listImapSources } from './imap.service.js';
import { pollImapOnce } from './imap.js';

export function imapCli(program: Command) {
  const imap = program.command('imap').description('read existing mailboxes over IMAP (IDLE or polling) into an Earshot mailbox');
  dbOptions(
    imap
      .command('add')
      .description('add (or update) an IMAP source for a mailbox; the server polls it while running; prints its id')
      .requiredOption('--account <account>', 'account slug or id')
      .requiredOption('--mailbox <address>', 'the Earshot mailbox the mail belongs to (earshot mailbox add)')
      .requiredOption('--host <host>', 'IMAP server')
      .addOption(new Option('--port <port>', 'IMAP port (default 993 with --secure, else 143)').argParser(portArg))
      .requiredOption('--user <user>', 'IMAP user name')
      .requiredOption('--password-env <VAR>', 'name of the environment variable holding the password (never on the command line)')
      .option('--secure', 'TLS from the start (imaps, port 993)')
      .option('--folder <folder>', 'folder to read', 'INBOX')
      .addOption(new Option('--mode <mode>', 'IDLE (push) or polling every IMAP_POLL_MS').choices(['idle', 'poll']).default('idle')),
  ).action(async (o) => {
    const password = process.env[o.passwordEnv];
    if (!password) throw new AppError('validation', `--password-env: the environment variable ${o.passwordEnv} is not set or empty`);
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const s = await addImapSource(ctx, a.id, {
        mailbox: o.mailbox, host: o.host, port: o.port, secure: !!o.secure, username: o.user, password, folder: o.folder, mode: o.mode,
      });
      process.stdout.write(`${s.id}\n`);
      process.stderr.write(`IMAP ${s.username}@${s.host}:${s.port}/${s.folder} (${s.secure ? 'TLS' : 'plain/STARTTLS'}, ${s.mode}) feeds ${s.mailbox}; 'earshot serve' reads it.\n`);
    });
  });
  dbOptions(
    imap
      .command('list')
      .description("list an account's IMAP sources with their checkpoint and last error (never the password)")
      .requiredOption('--account <account>', 'account slug or id')
      .option('--json', 'one JSON document'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const items = await listImapSources(ctx, a.id);
      if (o.json) process.stdout.write(`${JSON.stringify(items)}\n`);
      else if (!items.length) process.stderr.write(`No IMAP sources in '${a.slug}'. Add one with: earshot imap add --account ${a.slug} --mailbox … --host … --user … --password-env VAR\n`);
      else
        for (const s of items)
          process.stdout.write(
            `${s.mailbox}\t${s.username}@${s.host}:${s.port}/${s.folder}\t${s.mode}\tuid ${s.lastUid}\t${s.lastError ? `error: ${s.lastError}` : 'ok'}\t${s.id}\n`,
          );
    });
  });
  dbOptions(
    imap
      .command('poll')
      .description("fetch new mail of an account's IMAP sources once, now")
      .requiredOption('--account <account>', 'account slug or id'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      for (const s of await listImapSources(ctx, a.id)) {
        try {
          const r = await pollImapOnce(ctx, s.id);
          process.stderr.write(`${s.mailbox} ← ${s.host}/${s.folder}: ${r.stored} stored, ${r.duplicates} already there, ${r.rejected} rejected${r.uidValidityReset ? ' (UIDVALIDITY changed: checkpoint reset)' : ''}.\n`);
        } catch (err: any) {
          process.exitCode = 1;
          process.stderr.write(`${err.message}\n`);
        }
      }
    });
  });
}
