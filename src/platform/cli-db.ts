/**
 * Shared pieces of the CLI commands that open the database: the `--data` / `--database-url` options and `withDb`
 * (open, migrate, run, close). In src/platform/ because module CLIs (`cli(program)` in a module's index.ts) use them
 * as well as src/cli/, and modules never import src/cli/.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { openDb, type Db } from './db.js';
import { loadConfig, type Config } from './config.js';
import { migrate } from './migrate.js';
import { AppError } from './errors.js';
import type { Ctx } from './context.js';

export interface DbFlags {
  data?: string;
  databaseUrl?: string;
}

/** --data wins, then DATABASE_URL (or --database-url), then EARSHOT_DATA, then ./earshot-data. */
export function dbTarget(flags: DbFlags, env = process.env): { databaseUrl?: string; dataDir?: string } {
  if (flags.data) return { dataDir: flags.data };
  const url = flags.databaseUrl ?? env.DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new AppError('bad_database_url', 'DATABASE_URL must start with postgres:// or postgresql://');
    return { databaseUrl: url };
  }
  return { dataDir: env.EARSHOT_DATA || './earshot-data' };
}

export async function withDb<T>(flags: DbFlags, fn: (ctx: Ctx, db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDb(dbTarget(flags));
  try {
    await migrate(db);
    return await fn({ db, config, now: () => new Date() }, db, config);
  } finally {
    await db.close();
  }
}

export const dbOptions = (cmd: Command) =>
  cmd
    .option('--data <dir>', 'embedded database folder (PGlite); env EARSHOT_DATA, default ./earshot-data')
    .option('--database-url <url>', 'PostgreSQL server instead of the embedded database; env DATABASE_URL');


/** commander parser for a port number (0 = any free port, for the HTTP and SMTP listeners). */
export const portArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`'${v}' is not a port number (0–65535)`);
  return n;
};
