import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Db, Queryable } from './db.js';
import { AppError } from './errors.js';

/** migrations/ sits at the package root, both from src/ (tsx) and from dist/ (built). */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

export interface MigrationResult {
  applied: string[];
  total: number;
}

/**
 * Applies the committed SQL migrations in order. Each one runs in its own transaction together with its
 * schema_migrations row, so a failing migration is rolled back as a whole while the ones before it stay applied and
 * recorded; the next run resumes at the failed one. Each transaction takes an advisory lock and checks the record
 * again under it, so several server processes starting at once on one PostgreSQL apply each migration exactly once.
 * A changed migration that was already applied is refused (checksums), because the database would no longer match the
 * files; nothing after it runs.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort();
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const checksums = async (q: Queryable, version?: string) =>
    new Map(
      (
        await q.query<{ version: string; checksum: string }>(
          `SELECT version, checksum FROM schema_migrations${version ? ' WHERE version = $1' : ''}`,
          version ? [version] : [],
        )
      ).rows.map((r) => [r.version, r.checksum]),
    );
  const unchanged = (file: string, prior: string, sum: string) => {
    if (prior !== sum)
      throw new AppError('migration_changed', `Migration ${file} was changed after it was applied; add a new migration instead`, 500);
  };
  // Read once without the lock: on an up-to-date database (every start) that is all there is to do.
  const done = await checksums(db);
  const applied: string[] = [];
  for (const file of files) {
    const sql = readFileSync(join(dir, file), 'utf8');
    const sum = createHash('sha256').update(sql).digest('hex');
    const version = file.replace(/\.sql$/, '');
    const prior = done.get(version);
    if (prior) {
      unchanged(file, prior, sum);
      continue;
    }
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7428001)');
      // Another process may have applied it while this one waited for the lock.
      const now = (await checksums(tx, version)).get(version);
      if (now) return unchanged(file, now, sum);
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [version, sum]);
      applied.push(version);
    });
  }
  return { applied, total: files.length };
}
