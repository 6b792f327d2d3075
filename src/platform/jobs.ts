/**
 * A small durable job queue in PostgreSQL. Jobs are enqueued inside the transaction that causes them (so a rolled-back
 * change never sends an email or a webhook), claimed with FOR UPDATE SKIP LOCKED (so several server processes share
 * the work), retried with exponential backoff, and reclaimed when a process died while running one.
 * Handlers get ids in the payload, re-read state and must be safe to run twice.
 */
import type { Db, Queryable } from './db.js';

export type JobHandler = (payload: any, job: JobRow) => Promise<void>;
export interface JobRow {
  id: number;
  kind: string;
  payload: any;
  attempts: number;
  max_attempts: number;
}

export const JOBS_CHANNEL = 'earshot_jobs';

export async function enqueue(
  tx: Queryable,
  kind: string,
  payload: Record<string, unknown>,
  opts: { runAt?: Date; maxAttempts?: number } = {},
): Promise<number> {
  const r = await tx.query<{ id: number }>(
    `INSERT INTO jobs (kind, payload, run_at, max_attempts) VALUES ($1, $2, coalesce($3, now()), $4) RETURNING id`,
    [kind, JSON.stringify(payload), opts.runAt ?? null, opts.maxAttempts ?? 8],
  );
  // Wakes idle workers at commit; a job due later is picked up by the poll.
  if (!opts.runAt) await tx.query(`SELECT pg_notify($1, '')`, [JOBS_CHANNEL]);
  return r.rows[0].id;
}

/** Backoff after the n-th failed attempt: 10 s, 20 s, 40 s … capped at one hour. */
export const backoffMs = (attempts: number) => Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempts - 1));

export class JobRunner {
  private handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private running = false;
  private wake = false;
  private stopped = true;

  constructor(
    private db: Db,
    private log: { error: (o: object, msg: string) => void } = console as any,
    private staleAfterMs = 5 * 60_000,
  ) {}

  on(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
    return this;
  }

  /** Claims and runs every job due at `now`; returns how many ran. Tests call this directly with a chosen time. */
  async runDue(now: Date = new Date(), limit = 1000): Promise<number> {
    let count = 0;
    await this.db.query(
      `UPDATE jobs SET status = 'queued', locked_at = NULL WHERE status = 'running' AND locked_at < $1`,
      [new Date(now.getTime() - this.staleAfterMs)],
    );
    while (count < limit) {
      const r = await this.db.query<JobRow>(
        `UPDATE jobs SET status = 'running', locked_at = now(), attempts = attempts + 1
         WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $1 AND kind = ANY($2)
                     ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING id, kind, payload, attempts, max_attempts`,
        [now, [...this.handlers.keys()]],
      );
      const job = r.rows[0];
      if (!job) break;
      count++;
      const handler = this.handlers.get(job.kind)!;
      try {
        await handler(job.payload, job);
        await this.db.query(`UPDATE jobs SET status = 'done', finished_at = now(), last_error = NULL WHERE id = $1`, [job.id]);
      } catch (err: any) {
        const final = job.attempts >= job.max_attempts;
        const message = String(err?.message ?? err).slice(0, 2000);
        await this.db.query(
          `UPDATE jobs SET status = $2, last_error = $3, locked_at = NULL, run_at = $4,
             finished_at = CASE WHEN $2 = 'failed' THEN now() END WHERE id = $1`,
          [job.id, final ? 'failed' : 'queued', message, new Date(now.getTime() + backoffMs(job.attempts))],
        );
        if (final) this.log.error({ jobId: job.id, kind: job.kind, err: message }, 'job failed for good');
      }
    }
    return count;
  }

  /** Runs in the background: on NOTIFY and every pollMs. */
  async start(pollMs = 1000) {
    this.stopped = false;
    this.stopListening = await this.db.listen(JOBS_CHANNEL, () => this.kick());
    const loop = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(loop, pollMs);
    };
    loop();
  }

  private kick() {
    if (this.stopped) return;
    if (this.running) {
      this.wake = true;
      return;
    }
    this.running = true;
    void (async () => {
      try {
        do {
          this.wake = false;
          await this.runDue();
        } while (this.wake && !this.stopped);
      } catch (err: any) {
        if (!this.stopped) this.log.error({ err: err?.message }, 'job runner error');
      } finally {
        this.running = false;
      }
    })();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.stopListening?.();
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }
}
