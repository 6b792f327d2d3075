/**
 * The `earshot` command. Settings come from flags first, then the environment (PORT, EARSHOT_DATA, DATABASE_URL …).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { openDb } from '../platform/db.js';
import { dbOptions, dbTarget, portArg, withDb, type DbFlags } from '../platform/cli-db.js';
import { loadConfig } from '../platform/config.js';
import { migrate } from '../platform/migrate.js';
import { AppError } from '../platform/errors.js';
import { ROLES, systemPrincipal, type Ctx, type Role } from '../platform/context.js';
import { VERSION } from '../platform/version.js';
import * as accounts from '../modules/accounts/index.js';
import { DEMO_ACCOUNT, DEMO_PASSWORD, demoPasswordsInUse, seedDemo } from '../demo/seed.js';
import { registerJourneyCommands } from './journeys.js';
import { registerSimulateCommands } from './simulate.js';
import { MODULES, type ModuleHandle } from '../modules/index.js';
import type { App } from '../server/types.js';

const roleArg = (v: string) => {
  if (!ROLES.includes(v as Role)) throw new InvalidArgumentError(`'${v}' is not a role; use ${ROLES.join(', ')}`);
  return v as Role;
};

type ServeFlags = DbFlags & { port?: number; host?: string; jobs?: boolean; smtpPort?: number; smtpOutbound?: string; allowDemoPasswords?: boolean };

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export const isLoopbackHost = (h: string) => /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(h.trim());

async function serve(flags: ServeFlags, demo: boolean) {
  const { buildApp } = await import('../server/app.js');
  const config = loadConfig(process.env, {
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.host ? { host: flags.host } : {}),
    ...(flags.jobs === false ? { runJobs: false } : {}),
    ...(flags.smtpPort !== undefined ? { smtpPort: flags.smtpPort } : {}),
    ...(flags.smtpOutbound ? { smtpOutboundUrl: flags.smtpOutbound } : {}),
  });
  const target = dbTarget(flags);
  const db = await openDb(target);
  const ctx: Ctx = { db, config, now: () => new Date() };
  const m = await migrate(db);
  let demoNote = '';
  if (demo) {
    const seeded = await seedDemo(ctx);
    demoNote = seeded
      ? `Demo account '${DEMO_ACCOUNT}' created with a few days of history.`
      : `Demo account '${DEMO_ACCOUNT}' found.`;
  }
  // The demo's passwords are published in the README: never reachable from other machines unless the operator says so.
  const beyond = [config.host, ...(config.smtpPort !== undefined ? [config.smtpHost] : [])].filter((h) => !isLoopbackHost(h));
  const allowDemo = flags.allowDemoPasswords || ['1', 'true'].includes(process.env.EARSHOT_ALLOW_DEMO_PASSWORDS ?? '');
  const demoUsers = beyond.length ? await demoPasswordsInUse(ctx) : [];
  if (demoUsers.length && !allowDemo) {
    await db.close();
    throw new Error(
      `refusing to listen on ${[...new Set(beyond)].join(', ')} while demo users sign in with the published demo password ` +
        `(${demoUsers.join(', ')}). Listen on 127.0.0.1 (the default; drop --host/HOST), change their passwords, ` +
        `or start with --allow-demo-passwords (env EARSHOT_ALLOW_DEMO_PASSWORDS=1) if you really mean it.`,
    );
  }
  const app = await buildApp({ db, config });
  if (config.runJobs) await app.jobs.start();
  let closing = false;
  let listeners: Awaited<ReturnType<typeof startModules>> | null = null;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await listeners?.stop();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  listeners = await startModules(app);
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const lines = [
    `Earshot ${VERSION} on http://localhost:${port}  (database: ${db.where}; ${m.applied.length} migration(s) applied)`,
    `API docs: http://localhost:${port}/api/docs`,
    ...listeners.handles.map((h) => h.info),
  ];
  if (demo) lines.push(demoNote, `Sign in as admin@demo.earshot.test with password '${DEMO_PASSWORD}' (agents: see README).`);
  if (demoUsers.length)
    lines.push(`WARNING: listening on ${[...new Set(beyond)].join(', ')} with the published demo passwords (--allow-demo-passwords): anyone who can reach this server can sign in.`);
  else if (!beyond.length) lines.push(`Listening on ${config.host} only (this machine); --host 0.0.0.0 opens HTTP and SMTP to the network.`);
  if (db.kind === 'pglite') lines.push('Embedded database: one process, no fsync. For production set DATABASE_URL to a PostgreSQL server.');
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** Starts every module's listeners (SMTP port, IMAP pollers, AMI client…); `stop` stops them in reverse order. */
async function startModules(app: App) {
  const handles: ModuleHandle[] = [];
  for (const m of MODULES) if (m.start) handles.push(...(await m.start(app)));
  return {
    handles,
    stop: async () => {
      for (const h of [...handles].reverse()) await h.stop().catch((err) => app.log.error({ err: err?.message, listener: h.name }, 'listener stop failed'));
    },
  };
}

export function buildCli() {
  const program = new Command('earshot')
    .description('Earshot: help desk and contact centre that measures what customers actually live through')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str.startsWith('error:') ? `earshot: ${str}` : str) });

  dbOptions(
    program
      .command('serve')
      .description('run the server')
      .addOption(new Option('--port <port>', 'HTTP port; env PORT, default 3000').argParser(portArg))
      .option('--host <host>', 'address HTTP and SMTP bind; env HOST, default 127.0.0.1 (this machine only); 0.0.0.0 for all')
      .option('--allow-demo-passwords', 'listen beyond loopback even while demo users have the published password (env EARSHOT_ALLOW_DEMO_PASSWORDS=1)')
      .option('--no-jobs', 'do not run background jobs in this process (env EARSHOT_JOBS=0)')
      .addOption(new Option('--smtp-port <port>', 'accept inbound email by SMTP on this port; env SMTP_PORT').argParser(portArg))
      .option('--smtp-outbound <url>', 'relay for outgoing email, e.g. smtp://127.0.0.1:25; env SMTP_OUTBOUND_URL'),
  ).action((o) => serve(o, false));

  dbOptions(
    program
      .command('demo')
      .description('run the server with the demo account (created on first start)')
      .addOption(new Option('--port <port>', 'HTTP port; env PORT, default 3000').argParser(portArg))
      .option('--host <host>', 'address HTTP and SMTP bind; env HOST, default 127.0.0.1 (this machine only); 0.0.0.0 for all')
      .option('--allow-demo-passwords', 'listen beyond loopback with the published demo passwords (env EARSHOT_ALLOW_DEMO_PASSWORDS=1)')
      .addOption(new Option('--smtp-port <port>', 'accept inbound email by SMTP on this port; env SMTP_PORT').argParser(portArg))
      .option('--smtp-outbound <url>', 'relay for outgoing email, e.g. smtp://127.0.0.1:25; env SMTP_OUTBOUND_URL'),
  ).action((o) => serve(o, true));

  dbOptions(program.command('migrate').description('apply database migrations and exit')).action(async (o) => {
    await withDb(o, async (_ctx, db) => {
      const m = await migrate(db);
      process.stderr.write(`Database ${db.where} is up to date (${m.total} migrations).\n`);
    });
  });

  const account = program.command('account').description('manage accounts');
  dbOptions(
    account
      .command('create <name>')
      .description('create an account (tenant); prints its slug')
      .option('--slug <slug>', 'short name used in URLs and --account (default: from the name)')
      .option('--timezone <tz>', 'IANA time zone, e.g. Europe/Berlin', 'UTC')
      .addOption(new Option('--locale <locale>', 'default language').choices(['en', 'de', 'nb']).default('en')),
  ).action(async (name: string, o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.createAccount(ctx, { name, slug: o.slug, timezone: o.timezone, locale: o.locale });
      process.stdout.write(`${a.slug}\n`);
      process.stderr.write(`Account '${a.name}' created (id ${a.id}).\n`);
    });
  });

  const user = program.command('user').description('manage users');
  dbOptions(
    user
      .command('add')
      .description('add a user to an account')
      .requiredOption('--account <account>', 'account slug or id')
      .requiredOption('--email <email>', 'sign-in email')
      .requiredOption('--name <name>', 'display name')
      .addOption(new Option('--role <role>', `one of ${ROLES.join(', ')}`).argParser(roleArg).makeOptionMandatory())
      .option('--password <password>', 'at least 10 characters; env EARSHOT_PASSWORD; generated and printed when missing (unless --invite)')
      .option('--invite', 'no password: email the user an invitation link to choose one (sent by `earshot serve`\'s job runner)')
      .addOption(new Option('--locale <locale>', 'language of the user interface').choices(['en', 'de', 'nb'])),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      let password: string | undefined = o.password ?? (o.invite ? undefined : process.env.EARSHOT_PASSWORD);
      if (o.invite && password) throw new Error('--invite and --password exclude each other: an invited user chooses the password');
      let generated = false;
      if (!password && !o.invite) {
        const { randomToken } = await import('../platform/password.js');
        password = randomToken(12);
        generated = true;
      }
      const u = await accounts.addUser(ctx, systemPrincipal(a.id, 'cli'), { email: o.email, name: o.name, role: o.role, password, locale: o.locale, invite: !!o.invite });
      process.stdout.write(`${u.id}\n`);
      const how = generated ? ` Password: ${password}` : o.invite ? ` Invitation emailed (the link works until ${new Date(u.invitedUntil!).toISOString()}; it leaves through SMTP_OUTBOUND_URL when \`earshot serve\` runs).` : '';
      process.stderr.write(`User ${u.email} (${u.role}) added to '${a.slug}'.${how}\n`);
    });
  });

  const token = program.command('token').description('manage API tokens');
  dbOptions(
    token
      .command('create')
      .description('create an API token; prints only the token on stdout')
      .requiredOption('--account <account>', 'account slug or id')
      .addOption(new Option('--role <role>', `one of ${ROLES.join(', ')}`).argParser(roleArg).makeOptionMandatory())
      .option('--name <name>', 'what the token is for'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const t = await accounts.createToken(ctx, systemPrincipal(a.id, 'cli'), { role: o.role, name: o.name });
      process.stdout.write(`${t.token}\n`);
    });
  });

  registerSimulateCommands(program);
  registerJourneyCommands(program);
  for (const m of MODULES) m.cli?.(program);
  return program;
}

export async function main(argv = process.argv) {
  const program = buildCli();
  try {
    await program.parseAsync(argv);
  } catch (err: any) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    const msg = err instanceof AppError ? err.message : err?.code === 'EADDRINUSE' ? `Port is in use already: ${err.message}` : err?.message ?? String(err);
    process.stderr.write(`earshot: error: ${msg}\n`);
    process.exitCode = 1;
  }
}

