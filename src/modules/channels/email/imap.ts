/**
 * IMAP: reads existing mailboxes (imapflow) into Earshot, by IDLE or by polling.
 *
 * Checkpoint: (uidvalidity, last_uid) per source. A sync fetches the UIDs above last_uid in order, hands each message
 * to ingestEmail (source 'imap'), and moves last_uid past it only after ingestEmail committed — a restart refetches at
 * most the message it was working on, which the Message-ID de-duplication of ingest stores once. When the server's
 * UIDVALIDITY changes (the folder was recreated), the old UIDs mean nothing: the checkpoint starts over at 0 and the
 * de-duplication keeps the messages already stored from being stored twice.
 *
 * IDLE: one connection per source, `mailboxOpen` and an explicit `idle()` without a mailbox lock (with a lock held,
 * imapflow does not IDLE); an EXISTS during IDLE breaks it and a sync runs. Poll mode (or a server without IDLE):
 * a fresh connection every `config.imapPollMs`. Errors are recorded on the source and retried with backoff (5 s
 * doubling to 5 min). Passwords are never logged: imapflow's own logger is off and errors are recorded by message.
 *
 * Timeouts (config): connect, greeting, socket silence (imapflow probes a quiet IDLE with NOOP and gives up when that
 * gets no answer) and one sync's deadline, after which the connection is closed and the sync fails with that error; a
 * server that accepts and never speaks costs one greeting timeout, not a stuck poller. Progress is per message, so a
 * sync cut short keeps what it stored.
 */
import { ImapFlow } from 'imapflow';
import type { Ctx } from '../../../platform/context.js';
import { ingestEmail } from './inbound.js';
import { acknowledgeIngested } from './outbound-ack.js';

interface SourceRow {
  id: string;
  account_id: string;
  mailbox_id: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password: string;
  folder: string;
  mode: 'idle' | 'poll';
  uidvalidity: number | null;
  last_uid: number;
  enabled: boolean;
}

export interface SyncResult {
  /** Messages handed to ingest in this sync. */
  fetched: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** True when the folder's UIDVALIDITY changed and the checkpoint started over. */
  uidValidityReset: boolean;
  lastUid: number;
}

type Log = { info?: (o: object, m: string) => void; warn?: (o: object, m: string) => void; error: (o: object, m: string) => void };

async function loadSource(ctx: Ctx, id: string): Promise<SourceRow> {
  const r = await ctx.db.query<SourceRow>('SELECT * FROM imap_sources WHERE id = $1', [id]);
  if (!r.rows[0]) throw new Error(`IMAP source ${id} not found`);
  return r.rows[0];
}

function client(ctx: Ctx, s: SourceRow): ImapFlow {
  const cfg = ctx.config;
  return new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: { user: s.username, pass: s.password },
    logger: false,
    disableAutoIdle: true,
    // IDLE is renewed before the socket timeout would probe it.
    maxIdleTime: Math.max(1000, Math.min(5 * 60_000, Math.floor(cfg.imapSocketTimeoutMs / 2))),
    connectionTimeout: cfg.imapConnectTimeoutMs,
    greetingTimeout: cfg.imapGreetingTimeoutMs,
    socketTimeout: cfg.imapSocketTimeoutMs,
    emitLogs: false,
  } as any);
}

/** Message of a sync cut at IMAP_SYNC_DEADLINE_MS. */
const deadlineText = (ms: number) => `sync took longer than ${ms} ms (IMAP_SYNC_DEADLINE_MS): connection closed, retried`;

/**
 * Runs `fn` on an open client within IMAP_SYNC_DEADLINE_MS: at the deadline the connection is closed, which fails
 * whatever command waits, and the error says which limit cut it.
 */
async function withinDeadline<T>(ctx: Ctx, c: ImapFlow, fn: () => Promise<T>): Promise<T> {
  const ms = ctx.config.imapSyncDeadlineMs;
  let expired = false;
  const t = setTimeout(() => {
    expired = true;
    c.close();
  }, ms);
  try {
    return await fn();
  } catch (err) {
    if (expired) throw new Error(deadlineText(ms), { cause: err });
    throw err;
  } finally {
    clearTimeout(t);
  }
}

/** An error message fit for the source row and logs: never the password. */
function errorText(err: any, s: Pick<SourceRow, 'password'>, cfg?: Ctx['config']): string {
  let m = String(err?.responseText || err?.message || err);
  if (err?.authenticationFailed) m = `authentication failed for this user (${m})`;
  else if (cfg && err?.code === 'GREETING_TIMEOUT') m = `the server sent no greeting within ${cfg.imapGreetingTimeoutMs} ms (IMAP_GREETING_TIMEOUT_MS)`;
  else if (cfg && err?.code === 'CONNECT_TIMEOUT') m = `could not connect within ${cfg.imapConnectTimeoutMs} ms (IMAP_CONNECT_TIMEOUT_MS)`;
  else if (cfg && err?.code === 'ETIMEOUT') m = `the server went silent for ${cfg.imapSocketTimeoutMs} ms (IMAP_SOCKET_TIMEOUT_MS)`;
  if (s.password) m = m.split(s.password).join('***');
  return m.slice(0, 1000);
}

/** One sync of an open connection: see the file comment. */
async function syncOpen(ctx: Ctx, s: SourceRow, c: ImapFlow, log?: Log): Promise<SyncResult> {
  const mb = c.mailbox;
  if (!mb) throw new Error(`folder ${s.folder} is not open`);
  const uidValidity = Number(mb.uidValidity);
  const cur = await loadSource(ctx, s.id);
  let last = Number(cur.last_uid);
  let reset = false;
  if (cur.uidvalidity === null || Number(cur.uidvalidity) !== uidValidity) {
    reset = cur.uidvalidity !== null;
    if (reset) last = 0;
    await ctx.db.query('UPDATE imap_sources SET uidvalidity = $2, last_uid = $3 WHERE id = $1', [s.id, uidValidity, last]);
  }
  const res: SyncResult = { fetched: 0, stored: 0, duplicates: 0, rejected: 0, uidValidityReset: reset, lastUid: last };
  if (mb.exists === 0) return res;
  // "n:*" matches the highest message even when its UID is below n, hence the filter.
  const found = (await c.search({ uid: `${last + 1}:*` }, { uid: true })) || [];
  const uids = [...new Set(found)].filter((u) => u > last).sort((a, b) => a - b);
  for (let i = 0; i < uids.length; i += 20) {
    const chunk = uids.slice(i, i + 20);
    const msgs: { uid: number; source: Buffer }[] = [];
    for await (const m of c.fetch(chunk.join(','), { uid: true, source: true }, { uid: true }))
      if (m.source) msgs.push({ uid: m.uid, source: m.source });
    msgs.sort((a, b) => a.uid - b.uid);
    for (const m of msgs) {
      const r = await ingestEmail(ctx, { raw: m.source, rcptTo: [], source: 'imap', mailboxId: s.mailbox_id });
      res.fetched++;
      if (r.status === 'rejected') {
        // A message ingest will never take (it says why); moving on keeps one bad message from blocking the folder.
        res.rejected++;
        log?.warn?.({ source: s.id, uid: m.uid, code: r.code, reason: r.reason }, 'IMAP message rejected');
      } else if (r.duplicate) res.duplicates++;
      else {
        res.stored++;
        await acknowledgeIngested(ctx, r, s.account_id, log);
      }
      await ctx.db.query('UPDATE imap_sources SET last_uid = greatest(last_uid, $2) WHERE id = $1 AND uidvalidity = $3', [s.id, m.uid, uidValidity]);
      res.lastUid = Math.max(res.lastUid, m.uid);
    }
  }
  return res;
}

async function recordOk(ctx: Ctx, id: string) {
  await ctx.db.query('UPDATE imap_sources SET last_polled_at = $2, last_error = NULL WHERE id = $1', [id, ctx.now()]);
}
async function recordError(ctx: Ctx, id: string, message: string) {
  await ctx.db.query('UPDATE imap_sources SET last_polled_at = $2, last_error = $3 WHERE id = $1', [id, ctx.now(), message]).catch(() => {});
}

/** Connects, syncs the source's folder once and disconnects (poll mode, tests, `earshot imap poll`). */
export async function pollImapOnce(ctx: Ctx, sourceId: string, log?: Log): Promise<SyncResult> {
  const s = await loadSource(ctx, sourceId);
  const c = client(ctx, s);
  c.on('error', () => {});
  try {
    const r = await withinDeadline(ctx, c, async () => {
      await c.connect();
      await c.mailboxOpen(s.folder, { readOnly: true });
      return syncOpen(ctx, s, c, log);
    });
    await recordOk(ctx, s.id);
    return r;
  } catch (err) {
    const message = errorText(err, s, ctx.config);
    await recordError(ctx, s.id, message);
    throw new Error(`IMAP ${s.username}@${s.host}:${s.port}/${s.folder}: ${message}`);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

export interface ImapPoller {
  sourceId: string;
  /** Resolves after the next completed sync (tests wait for it). */
  synced(): Promise<SyncResult>;
  stop(): Promise<void>;
}

const sleep = (ms: number, signal: { stopped: boolean; wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.wake = () => {
      clearTimeout(t);
      resolve();
    };
  });

/**
 * Runs one source until stopped: IDLE mode keeps a connection open and syncs on every EXISTS; poll mode syncs every
 * `pollMs`. Connection failures are recorded and retried with backoff.
 */
export function startImapPoller(ctx: Ctx, sourceId: string, opts: { pollMs?: number; log?: Log } = {}): ImapPoller {
  const pollMs = opts.pollMs ?? ctx.config.imapPollMs;
  const log = opts.log;
  const state: { stopped: boolean; wake?: () => void; client?: ImapFlow } = { stopped: false };
  let waiters: { resolve: (r: SyncResult) => void }[] = [];
  const notify = (r: SyncResult) => {
    const w = waiters;
    waiters = [];
    for (const x of w) x.resolve(r);
  };
  let backoff = 5_000;

  async function idleSession(s: SourceRow) {
    const c = client(ctx, s);
    state.client = c;
    let dirty = true;
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.on('error', (err: any) => log?.warn?.({ source: s.id, err: errorText(err, s, ctx.config) }, 'IMAP connection error'));
    c.on('exists', () => {
      dirty = true;
      // Any command breaks IDLE; the loop below then syncs.
      c.noop().catch(() => {});
    });
    try {
      await withinDeadline(ctx, c, async () => {
        await c.connect();
        await c.mailboxOpen(s.folder, { readOnly: true });
      });
      backoff = 5_000;
      while (!state.stopped && c.usable) {
        if (dirty) {
          dirty = false;
          const r = await withinDeadline(ctx, c, () => syncOpen(ctx, s, c, log));
          await recordOk(ctx, s.id);
          notify(r);
          continue;
        }
        // Explicit IDLE without a mailbox lock (DESIGN gotcha); returns when broken by EXISTS, stop or maxIdleTime.
        await Promise.race([c.idle(), closed]);
      }
      if (!state.stopped && !c.usable) throw new Error('connection closed by the server');
    } finally {
      state.client = undefined;
      await c.logout().catch(() => c.close());
    }
  }

  const loop = (async () => {
    while (!state.stopped) {
      let s: SourceRow;
      try {
        s = await loadSource(ctx, sourceId);
      } catch (err: any) {
        log?.error({ source: sourceId, err: err?.message }, 'IMAP source unavailable');
        await sleep(backoff, state);
        continue;
      }
      if (!s.enabled) return;
      try {
        if (s.mode === 'idle') await idleSession(s);
        else {
          notify(await pollImapOnce(ctx, s.id, log));
          backoff = 5_000;
          if (!state.stopped) await sleep(pollMs, state);
        }
      } catch (err: any) {
        if (state.stopped) break;
        const message = errorText(err, s, ctx.config);
        await recordError(ctx, s.id, message);
        log?.warn?.({ source: s.id, err: message, retryInMs: backoff }, 'IMAP sync failed; retrying');
        await sleep(backoff, state);
        backoff = Math.min(backoff * 2, 5 * 60_000);
      }
    }
  })();

  return {
    sourceId,
    synced: () => new Promise((resolve) => waiters.push({ resolve })),
    async stop() {
      state.stopped = true;
      state.wake?.();
      const c = state.client;
      if (c) await c.logout().catch(() => c.close());
      await loop.catch(() => {});
    },
  };
}

/** Starts a poller for every enabled source (all accounts); `label` names it for the start banner. */
export async function startImapPollers(ctx: Ctx, log?: Log): Promise<(ImapPoller & { label: string })[]> {
  const r = await ctx.db.query<{ id: string; label: string }>(
    `SELECT s.id, 'IMAP ' || s.username || '@' || s.host || ':' || s.port || '/' || s.folder || ' → ' || m.address || ' (' || s.mode || ')' AS label
       FROM imap_sources s JOIN mailboxes m ON m.id = s.mailbox_id WHERE s.enabled ORDER BY s.created_at`,
  );
  return r.rows.map((x) => ({ ...startImapPoller(ctx, x.id, { log }), label: x.label }));
}
