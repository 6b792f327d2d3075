/**
 * A small durable job queue in PostgreSQL. Jobs are enqueued inside the transaction that causes them (so a rolled-back
 * change never sends an email or a webhook), claimed with FOR UPDATE SKIP LOCKED (so several server processes share
 * the work), retried with exponential backoff, and reclaimed when a process died while running one.
 * Handlers get ids in the payload, re-read state and must be safe to run twice.
 *
 * Lanes: every kind runs in its own lane (or a lane named at `on()`), with at most `concurrency` jobs of that lane
 * running at once in this process, so one slow kind (mail to a relay that hangs) can never occupy every slot: the
 * other lanes keep claiming and running. Each job has a deadline: a handler still running after it is abandoned —
 * its AbortSignal fires, the attempt is recorded as failed with a clear error and retried with the usual backoff,
 * and its slot is free again — so the runner never waits forever on one peer.
 *
 * Leases: a claimed job carries its runner's id (`locked_by`) and a lease (`locked_at`) that the runner renews every
 * third of `leaseMs` while the job runs. A job whose lease ran out belongs to a process that died (or stalled) and
 * is reclaimed by any runner within seconds; a runner that finds it lost a lease aborts that attempt, and outcomes
 * are recorded only by the lease holder, so a stalled process never overwrites the work of the one that took over.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db, Queryable } from './db.js';

/** `signal` fires at the job's deadline (and at shutdown): pass it to outbound calls so an abandoned attempt stops. */
export type JobHandler = (payload: any, job: JobRow, signal: AbortSignal) => Promise<void>;
export interface LaneOptions {
  /** Lane name; default: the kind. Kinds sharing a lane share its slots. */
  lane?: string;
  /** Jobs of this lane running at once (default: the runner's concurrency). */
  concurrency?: number;
  /** Deadline of one attempt of this kind in ms (default: the runner's deadline). */
  deadlineMs?: number;
}
export interface RunnerOptions {
  /** Jobs per lane running at once (config.jobConcurrency). */
  concurrency?: number;
  /** One attempt's deadline (config.jobDeadlineMs). */
  deadlineMs?: number;
  /** A running job's lease (config.jobLeaseMs): renewed every third of it; a job whose lease ran out is reclaimed. */
  leaseMs?: number;
}

/** The error recorded for an attempt abandoned at its deadline. */
export class JobDeadlineError extends Error {
  constructor(kind: string, id: number, ms: number) {
    super(`job ${kind} #${id} still running after its deadline of ${ms} ms: attempt abandoned, will be retried`);
    this.name = 'JobDeadlineError';
  }
}
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

/**
 * Drops queued (not yet started) jobs of `kind` whose payload field `key` is one of `values`: a job a module queued and
 * no longer wants, e.g. the demo's history mail. Running and finished jobs are left alone. Returns how many were dropped.
 */
export async function cancelQueuedJobs(tx: Queryable, kind: string, key: string, values: string[]): Promise<number> {
  if (!values.length) return 0;
  const r = await tx.query(`DELETE FROM jobs WHERE kind = $1 AND status = 'queued' AND payload->>$2 = ANY($3::text[])`, [kind, key, values]);
  return r.rowCount ?? 0;
}

/** Backoff after the n-th failed attempt: 10 s, 20 s, 40 s … capped at one hour. */
export const backoffMs = (attempts: number) => Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempts - 1));

export class JobRunner {
  private handlers = new Map<string, { handler: JobHandler; lane: string; deadlineMs: number }>();
  private lanes = new Map<string, { max: number; active: number }>();
  private timer: NodeJS.Timeout | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private running = false;
  private wake = false;
  private stopped = true;
  /** Running attempts (all lanes), for stop() and lease renewal. */
  private inflight = new Map<Promise<void>, { ac: AbortController; jobId: number }>();
  private heartbeat: NodeJS.Timeout | null = null;
  /** This runner's id in `jobs.locked_by`. */
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** Resolvers of runDue loops waiting for a slot or a wake-up. */
  private waiters: (() => void)[] = [];
  private lastReclaim = 0;
  /** Attempts finished so far (any lane), so a drain knows whether to look again. */
  private finished = 0;
  readonly concurrency: number;
  readonly deadlineMs: number;
  readonly leaseMs: number;

  constructor(
    private db: Db,
    private log: { error: (o: object, msg: string) => void; warn?: (o: object, msg: string) => void } = console as any,
    opts: RunnerOptions = {},
  ) {
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.deadlineMs = Math.max(1, opts.deadlineMs ?? 5 * 60_000);
    this.leaseMs = Math.max(300, opts.leaseMs ?? 15_000);
  }

  on(kind: string, handler: JobHandler, opts: LaneOptions = {}) {
    const lane = opts.lane ?? kind;
    this.handlers.set(kind, { handler, lane, deadlineMs: opts.deadlineMs ?? this.deadlineMs });
    const l = this.lanes.get(lane);
    const max = Math.max(1, opts.concurrency ?? l?.max ?? this.concurrency);
    if (l) l.max = max;
    else this.lanes.set(lane, { max, active: 0 });
    return this;
  }

  /** Jobs of a lane running now in this process (tests, status). */
  activeIn(lane: string): number {
    return this.lanes.get(lane)?.active ?? 0;
  }

  /** Kinds whose lane has a free slot. */
  private claimableKinds(): string[] {
    const out: string[] = [];
    for (const [kind, h] of this.handlers) {
      const l = this.lanes.get(h.lane)!;
      if (l.active < l.max) out.push(kind);
    }
    return out;
  }

  /** Running jobs whose lease ran out (by the database's clock, which every process shares) are queued again. */
  private async reclaimStale() {
    this.lastReclaim = Date.now();
    await this.db.query(
      `UPDATE jobs SET status = 'queued', locked_at = NULL, locked_by = NULL
        WHERE status = 'running' AND locked_at < now() - make_interval(secs => $1)`,
      [this.leaseMs / 1000],
    );
  }

  /** Renews the leases of this runner's running jobs; an attempt whose lease was lost is aborted. */
  private async renewLeases() {
    const mine = new Map([...this.inflight.values()].map((v) => [v.jobId, v.ac]));
    if (!mine.size) return;
    let kept: Set<number>;
    try {
      const r = await this.db.query<{ id: number }>(
        `UPDATE jobs SET locked_at = now() WHERE id = ANY($1) AND status = 'running' AND locked_by = $2 RETURNING id`,
        [[...mine.keys()], this.id],
      );
      kept = new Set(r.rows.map((x) => Number(x.id)));
    } catch (err: any) {
      // The database is unreachable: nobody else can reclaim either; try again at the next beat.
      if (!this.stopped) this.log.warn?.({ err: err?.message }, 'job leases not renewed');
      return;
    }
    for (const [id, ac] of mine) {
      if (kept.has(id) || ac.signal.aborted) continue;
      // Finished between the snapshot and the update, or reclaimed by another process after a stall.
      if ([...this.inflight.values()].some((v) => v.jobId === id)) ac.abort(new Error(`job #${id}: lease lost (reclaimed by another process)`));
    }
  }

  private beat() {
    if (this.heartbeat || !this.inflight.size) return;
    this.heartbeat = setInterval(() => {
      if (!this.inflight.size) {
        clearInterval(this.heartbeat!);
        this.heartbeat = null;
        return;
      }
      void this.renewLeases();
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref?.();
  }

  /**
   * Claims and runs every job due at `now` (default: the clock at each claim), lanes side by side, each within its
   * slots; returns when nothing due is left and nothing runs, with how many ran. Jobs that running jobs enqueue
   * (due by then) run in the same call. Tests call this directly with a chosen time.
   */
  runDue(now?: Date, limit = 1000): Promise<number> {
    return this.drain(now, limit, false);
  }

  private async drain(now: Date | undefined, limit: number, background: boolean): Promise<number> {
    const at = () => now ?? new Date();
    await this.reclaimStale();
    let count = 0;
    const mine = new Set<Promise<void>>();
    for (;;) {
      if (Date.now() - this.lastReclaim > this.leaseMs / 3) await this.reclaimStale();
      // A job that finished while a claim was under way may have enqueued work that claim could not see yet.
      let finishedBeforeClaim = this.finished;
      while (count < limit && !(background && this.stopped)) {
        const kinds = this.claimableKinds();
        if (!kinds.length) break;
        finishedBeforeClaim = this.finished;
        const r = await this.db.query<JobRow>(
          `UPDATE jobs SET status = 'running', locked_at = now(), locked_by = $3, attempts = attempts + 1
           WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $1 AND kind = ANY($2)
                       ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
           RETURNING id, kind, payload, attempts, max_attempts`,
          [at(), kinds, this.id],
        );
        const job = r.rows[0];
        if (!job) break;
        count++;
        const p = this.execute(job, now);
        mine.add(p);
        void p.finally(() => {
          mine.delete(p);
          this.poke();
        });
      }
      if (!mine.size) {
        if (this.finished !== finishedBeforeClaim && count < limit && !(background && this.stopped)) continue;
        break;
      }
      // Wait until one of ours finishes (a slot is free, it may have enqueued more) or a wake-up (NOTIFY, poll).
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return count;
  }

  private poke() {
    const w = this.waiters.splice(0);
    for (const f of w) f();
  }

  /** Runs one claimed job within its lane slot and deadline, and records the outcome. Never throws. */
  private execute(job: JobRow, now: Date | undefined): Promise<void> {
    const h = this.handlers.get(job.kind)!;
    const lane = this.lanes.get(h.lane)!;
    lane.active++;
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const p = (async () => {
      try {
        // Settles at the deadline, or when stop() aborts the attempt.
        const deadline = new Promise<never>((_, reject) => {
          ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true });
          timer = setTimeout(() => ac.abort(new JobDeadlineError(job.kind, job.id, h.deadlineMs)), h.deadlineMs);
        });
        deadline.catch(() => {});
        const run = Promise.resolve().then(() => h.handler(job.payload, job, ac.signal));
        // An abandoned attempt may still settle later: its outcome is no longer ours to record.
        run.catch(() => {});
        await Promise.race([run, deadline]);
        // Only the lease holder records the outcome (a stalled process whose job was taken over does not).
        await this.db.query(
          `UPDATE jobs SET status = 'done', finished_at = now(), last_error = NULL, locked_by = NULL
            WHERE id = $1 AND locked_by = $2 AND status = 'running'`,
          [job.id, this.id],
        );
      } catch (err: any) {
        const final = job.attempts >= job.max_attempts;
        const message = String(err?.message ?? err).slice(0, 2000);
        const base = now ?? new Date();
        try {
          await this.db.query(
            `UPDATE jobs SET status = $2, last_error = $3, locked_at = NULL, locked_by = NULL, run_at = $4,
               finished_at = CASE WHEN $2 = 'failed' THEN now() END WHERE id = $1 AND locked_by = $5 AND status = 'running'`,
            [job.id, final ? 'failed' : 'queued', message, new Date(base.getTime() + backoffMs(job.attempts)), this.id],
          );
        } catch (e: any) {
          // The database went away (shutdown): the row stays 'running' and is reclaimed later.
          if (!this.stopped) this.log.error({ jobId: job.id, kind: job.kind, err: e?.message }, 'job outcome not recorded');
        }
        if (final) this.log.error({ jobId: job.id, kind: job.kind, err: message }, 'job failed for good');
        else if (err instanceof JobDeadlineError) this.log.warn?.({ jobId: job.id, kind: job.kind, err: message }, 'job abandoned at its deadline');
      } finally {
        clearTimeout(timer);
        lane.active--;
        this.finished++;
      }
    })();
    this.inflight.set(p, { ac, jobId: Number(job.id) });
    this.beat();
    void p.finally(() => this.inflight.delete(p));
    return p;
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
      // The loop may be waiting for a slot while other lanes have due jobs: let it claim again.
      this.wake = true;
      this.poke();
      return;
    }
    this.running = true;
    void (async () => {
      try {
        do {
          this.wake = false;
          await this.drain(undefined, 1000, true);
        } while (this.wake && !this.stopped);
      } catch (err: any) {
        if (!this.stopped) this.log.error({ err: err?.message }, 'job runner error');
      } finally {
        this.running = false;
      }
    })();
  }

  /**
   * Stops claiming; waits up to `graceMs` for running jobs, then aborts the rest (their signals fire; a row left
   * 'running' is reclaimed by the next process).
   */
  async stop(graceMs = 10_000) {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.stopListening?.();
    this.stopListening = null;
    const end = Date.now() + graceMs;
    while (this.inflight.size && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    for (const { ac } of this.inflight.values()) ac.abort(new Error('server shutting down'));
    this.poke();
    while (this.running && Date.now() < end + 1000) await new Promise((r) => setTimeout(r, 10));
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
