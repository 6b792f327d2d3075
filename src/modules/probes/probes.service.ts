/**
 * Probes: scheduled mystery contacts through the real front doors — an email over SMTP to the support mailbox, a chat
 * through the widget's WebSocket protocol, a call through the CTI webhook's ingest — sent as a probe customer, so agents
 * handle them like any customer. Each run records the wait the probe lived until a human answered (the first
 * `contact.answered` of its contact: the first human email reply, the first agent chat message, the call's answer).
 *
 * Probe contacts are kept out of the customer figures: each probe owns a customer row (its From address and caller
 * number); the contact-facts projection marks that customer's contacts `probe` and the waits reports skip them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import WebSocket from 'ws';
import type { Ctx, Principal } from '../../platform/context.js';
import { requireCap, systemPrincipal } from '../../platform/context.js';
import { AppError, conflict, invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import type { Queryable } from '../../platform/db.js';
import { findOrCreateCustomer, normaliseIdentity } from '../customers/index.js';
import { ingestCti } from '../channels/voice/index.js';
import { findRecipient } from '../channels/email/index.js';
import { waitsReport } from '../journeys/index.js';
import { recordChange } from '../changes/index.js';

export const PROBE_DOMAIN = 'probes.earshot.invalid';
export const PROBE_CHANNELS = ['email', 'chat', 'phone'] as const;
export type ProbeChannel = (typeof PROBE_CHANNELS)[number];

export interface Probe {
  id: string;
  name: string;
  channel: ProbeChannel;
  target: string | null;
  customerId: string;
  fromAddress: string;
  callerNumber: string;
  everyMinutes: number | null;
  waitLimitSeconds: number;
  nextRunAt: Date | null;
  enabled: boolean;
}

export interface ProbeRun {
  id: string;
  probeId: string;
  channel: ProbeChannel;
  startedAt: Date;
  conversationId: string | null;
  contactId: string | null;
  answeredAt: Date | null;
  livedWaitSeconds: number | null;
  waitLimitSeconds: number;
  status: 'sending' | 'waiting' | 'answered' | 'unanswered' | 'failed';
  error: string | null;
}

const PROBE_COLS = `id, name, channel, target, customer_id AS "customerId", from_address AS "fromAddress", caller_number AS "callerNumber",
  every_minutes AS "everyMinutes", wait_limit_seconds AS "waitLimitSeconds", next_run_at AS "nextRunAt", enabled`;
const RUN_COLS = `id, probe_id AS "probeId", channel, started_at AS "startedAt", conversation_id AS "conversationId", contact_id AS "contactId",
  answered_at AS "answeredAt", lived_wait_seconds AS "livedWaitSeconds", wait_limit_seconds AS "waitLimitSeconds", status, error`;

/** Where the probes knock: the server's own SMTP listener and HTTP port on loopback unless PROBE_* (config) says otherwise. */
export interface Endpoints {
  smtpHost: string;
  smtpPort?: number;
  httpUrl: string;
}
export function endpoints(ctx: Ctx): Endpoints {
  const c = ctx.config;
  return {
    smtpHost: c.probeSmtpHost,
    smtpPort: c.probeSmtpPort ?? c.smtpPort,
    httpUrl: (c.probeHttpUrl || `http://127.0.0.1:${c.port}`).replace(/\/$/, ''),
  };
}

export interface ProbeInput {
  name?: string;
  channel?: string;
  target?: string;
  everyMinutes?: number;
  waitLimitSeconds?: number;
  fromAddress?: string;
  callerNumber?: string;
}

export async function addProbe(ctx: Ctx, p: Principal, input: ProbeInput): Promise<Probe> {
  requireCap(p, 'manage');
  const name = input.name?.trim();
  if (!name || name.length > 100) throw invalid('name', 'required, at most 100 characters');
  if (!PROBE_CHANNELS.includes(input.channel as ProbeChannel)) throw invalid('channel', `must be one of ${PROBE_CHANNELS.join(', ')}`);
  const channel = input.channel as ProbeChannel;
  const target = input.target?.trim() || null;
  if (channel === 'email' && !target) throw invalid('target', 'an email probe needs the support mailbox address to write to');
  if (channel === 'email') normaliseIdentity('email', target!);
  const every = input.everyMinutes ?? null;
  if (every !== null && (!Number.isInteger(every) || every < 1 || every > 525_600)) throw invalid('everyMinutes', 'a whole number of minutes from 1 to 525600');
  const limit = input.waitLimitSeconds ?? 3600;
  if (!Number.isInteger(limit) || limit < 1 || limit > 604_800) throw invalid('waitLimitSeconds', 'a whole number of seconds from 1 to 604800');
  const id = randomUUID();
  const from = normaliseIdentity('email', input.fromAddress?.trim() || `probe+${id.slice(0, 8)}@${PROBE_DOMAIN}`);
  // A number nobody else calls from: +99 is not an assigned country code.
  const caller = normaliseIdentity('phone', input.callerNumber?.trim() || `+99${randomBytes(5).readUIntBE(0, 5) % 10 ** 10}`.padEnd(13, '0'));
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const dup = await tx.query('SELECT 1 FROM probes WHERE account_id = $1 AND name = $2', [p.accountId, name]);
    if (dup.rows.length) throw conflict('probe_exists', `a probe named '${name}' exists already`);
    if (channel === 'email') await requireOwnMailbox(tx, p.accountId, target!);
    const c = await findOrCreateCustomer(tx, p.accountId, { name: `Probe ${name}`, email: from, phone: caller });
    if (!c.created) {
      const other = await tx.query('SELECT 1 FROM probes WHERE account_id = $1 AND customer_id = $2', [p.accountId, c.id]);
      if (!other.rows.length)
        throw conflict('probe_identity_taken', `${from} or ${caller} belongs to a real customer: a probe needs an address and number of its own`);
    }
    const next = every ? new Date(now.getTime() + every * 60_000) : null;
    const r = await tx.query<Probe>(
      `INSERT INTO probes (id, account_id, name, channel, target, customer_id, from_address, caller_number, every_minutes, wait_limit_seconds, next_run_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${PROBE_COLS}`,
      [id, p.accountId, name, channel, target, c.id, from, caller, every, limit, next],
    );
    if (next) await enqueue(tx, 'probe.due', { probeId: id, at: next.toISOString() }, { runAt: next });
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'probe.created', target: { type: 'probe', id }, data: { name, channel, everyMinutes: every } },
    });
    return r.rows[0];
  });
}

export async function listProbes(ctx: Ctx, p: Principal) {
  requireCap(p, 'reports');
  await refreshRuns(ctx.db, p.accountId, ctx.now());
  const r = await ctx.db.query<Probe & { lastRun: ProbeRun | null }>(
    `SELECT ${PROBE_COLS},
            (SELECT row_to_json(x) FROM (SELECT ${RUN_COLS} FROM probe_runs r WHERE r.probe_id = p.id ORDER BY started_at DESC LIMIT 1) x) AS "lastRun"
       FROM probes p WHERE p.account_id = $1 ORDER BY p.name`,
    [p.accountId],
  );
  return r.rows;
}

export async function findProbe(ctx: Ctx, accountId: string, idOrName: string): Promise<Probe> {
  const r = await ctx.db.query<Probe>(
    `SELECT ${PROBE_COLS} FROM probes WHERE account_id = $1 AND (name = $2 OR ($3::uuid IS NOT NULL AND id = $3::uuid))`,
    [accountId, idOrName, isUuid(idOrName) ? idOrName : null],
  );
  if (!r.rows[0]) throw notFound('Probe');
  return r.rows[0];
}

/** Chat probes keep their visitor socket open until answered or their limit (a closed socket would count as leaving). */
const heldSockets = new Map<string, { ws: WebSocket; timer: NodeJS.Timeout }>();
/** Closes the chat probe socket held for one run, if this process holds it. */
export function release(runId: string) {
  const h = heldSockets.get(runId);
  if (!h) return;
  heldSockets.delete(runId);
  clearTimeout(h.timer);
  h.ws.close();
}
/** Closes every chat probe socket this process holds (server stop, tests). */
export function closeProbeSockets() {
  for (const id of [...heldSockets.keys()]) release(id);
}

const SUBJECT = 'Question about my order';
const TEXT = 'Hello, I have a question about my order. Could someone get back to me, please?';

/** Runs one probe now: sends it through its front door and records the run as waiting. */
export async function runProbe(ctx: Ctx, p: Principal, probe: Probe, ends: Endpoints = endpoints(ctx)): Promise<ProbeRun> {
  requireCap(p, 'manage');
  const runId = randomUUID();
  const startedAt = ctx.now();
  const ref = probe.channel === 'email' ? `<probe-${runId}@${PROBE_DOMAIN}>` : probe.channel === 'phone' ? `cti:probe-${runId}` : runId;
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO probe_runs (id, probe_id, account_id, channel, started_at, ref, wait_limit_seconds, contact_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [runId, probe.id, p.accountId, probe.channel, startedAt, ref, probe.waitLimitSeconds, probe.channel === 'phone' ? ref : null],
    );
    await enqueue(tx, 'probe.check', { runId }, { runAt: new Date(startedAt.getTime() + probe.waitLimitSeconds * 1000) });
  });
  try {
    let conversationId: string | null = null;
    if (probe.channel === 'email') conversationId = await sendEmail(ctx, p.accountId, probe, runId, ref, ends);
    else if (probe.channel === 'chat') conversationId = await openChat(ctx, p.accountId, probe, runId, ends);
    else await placeCall(ctx, p.accountId, probe, runId, startedAt);
    await ctx.db.query(`UPDATE probe_runs SET status = 'waiting', conversation_id = $2::uuid, contact_id = coalesce(contact_id, $3::text) WHERE id = $1`, [runId, conversationId, conversationId]);
  } catch (err: any) {
    release(runId);
    const msg = String(err?.message ?? err).slice(0, 500);
    await ctx.db.query(`UPDATE probe_runs SET status = 'failed', error = $2 WHERE id = $1`, [runId, msg]);
  }
  return getRun(ctx, p.accountId, runId);
}

/**
 * An email probe writes only to a mailbox of its own account (checked when it is added and before every run: the
 * mailbox may have gone since). Another account's address and an unknown one get the same answer.
 */
async function requireOwnMailbox(tx: Queryable, accountId: string, target: string) {
  const r = await findRecipient(tx, target);
  if (!r || r.mailbox.accountId !== accountId) throw invalid('target', `${target} is not a mailbox of this account`);
}

async function sendEmail(ctx: Ctx, accountId: string, probe: Probe, runId: string, messageId: string, ends: Endpoints): Promise<string> {
  if (!ends.smtpPort) throw new AppError('probe_no_smtp', 'no SMTP listener to send to (set SMTP_PORT or PROBE_SMTP_PORT)');
  await requireOwnMailbox(ctx.db, accountId, probe.target!);
  const t = nodemailer.createTransport({ host: ends.smtpHost, port: ends.smtpPort, secure: false, ignoreTLS: true, connectionTimeout: 10_000 } as any);
  try {
    await t.sendMail({ from: probe.fromAddress, to: probe.target!, subject: SUBJECT, text: TEXT, messageId, headers: { 'X-Earshot-Probe': runId } });
  } finally {
    t.close();
  }
  // 250 is answered after the commit, so the stored message is there now.
  const r = await ctx.db.query<{ conversation_id: string }>(
    `SELECT conversation_id FROM email_messages WHERE account_id = $1 AND rfc_message_id IN ($2, $3) AND conversation_id IS NOT NULL LIMIT 1`,
    [accountId, messageId, messageId.slice(1, -1)],
  );
  if (!r.rows[0]) throw new AppError('probe_not_stored', `the probe email was accepted but not stored for this account (is ${probe.target} a mailbox of it?)`);
  return r.rows[0].conversation_id;
}

async function openChat(ctx: Ctx, accountId: string, probe: Probe, runId: string, ends: Endpoints): Promise<string> {
  const a = await ctx.db.query<{ slug: string }>('SELECT slug FROM accounts WHERE id = $1', [accountId]);
  const ws = new WebSocket(`${ends.httpUrl.replace(/^http/, 'ws')}/api/v1/chat/socket`);
  const frames: any[] = [];
  let wake: (() => void) | null = null;
  ws.on('message', (raw) => {
    try {
      frames.push(JSON.parse(raw.toString()));
    } catch {}
    wake?.();
  });
  ws.on('error', () => wake?.());
  const next = async (pred: (f: any) => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const i = frames.findIndex(pred);
      if (i >= 0) return frames.splice(i, 1)[0];
      const err = frames.find((f) => f.type === 'error');
      if (err) throw new AppError('probe_chat_refused', `the chat refused the probe: ${err.code} ${err.message}`);
      if (Date.now() > deadline || ws.readyState > 1) throw new AppError('probe_chat_timeout', `no ${what} from the chat socket`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, 200);
        wake = () => {
          clearTimeout(t);
          res();
        };
      });
    }
  };
  try {
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
    });
    ws.send(JSON.stringify({ type: 'hello', account: a.rows[0].slug, ...(probe.target ? { queue: probe.target } : {}) }));
    await next((f) => f.type === 'welcome', 'welcome');
    ws.send(JSON.stringify({ type: 'start', name: `Probe ${probe.name}`, email: probe.fromAddress, clientId: `probe-${runId}`, text: TEXT, ...(probe.target ? { queue: probe.target } : {}) }));
    const ack = await next((f) => f.type === 'ack', 'ack');
    const timer = setTimeout(() => release(runId), probe.waitLimitSeconds * 1000);
    timer.unref();
    heldSockets.set(runId, { ws, timer });
    // The first agent message ends the hold (the answer itself is read from the contact events).
    ws.on('message', (raw) => {
      try {
        const f = JSON.parse(raw.toString());
        if (f.type === 'message' && f.from === 'agent') setTimeout(() => release(runId), 1000).unref();
      } catch {}
    });
    return ack.conversationId as string;
  } catch (err) {
    ws.close();
    throw err;
  }
}

async function placeCall(ctx: Ctx, accountId: string, probe: Probe, runId: string, at: Date) {
  const base = { callId: `probe-${runId}`, at: at.toISOString(), from: probe.callerNumber, ...(probe.target ? { queue: probe.target } : {}) };
  await ingestCti(ctx, systemPrincipal(accountId), [
    { ...base, type: 'call.started' },
    { ...base, type: 'queue.entered' },
  ]);
}

async function getRun(ctx: Ctx, accountId: string, id: string): Promise<ProbeRun> {
  const r = await ctx.db.query<ProbeRun>(`SELECT ${RUN_COLS} FROM probe_runs WHERE account_id = $1 AND id = $2`, [accountId, id]);
  if (!r.rows[0]) throw notFound('Probe run');
  return r.rows[0];
}

/** Reads one run after bringing the account's open runs up to date. */
export async function runStatus(ctx: Ctx, accountId: string, id: string): Promise<ProbeRun> {
  await refreshRuns(ctx.db, accountId, ctx.now());
  return getRun(ctx, accountId, id);
}

/**
 * Brings open runs up to date: answered when their contact has a human answer within the limit (lived wait = answer −
 * the moment the probe knocked), unanswered once the limit has passed. Safe to run any number of times.
 */
export async function refreshRuns(db: Queryable, accountId: string, now: Date): Promise<void> {
  const answered = await db.query<{ id: string }>(
    `UPDATE probe_runs r SET status = 'answered', answered_at = a.at, lived_wait_seconds = greatest(0, extract(epoch FROM a.at - r.started_at))
       FROM (SELECT r2.id, min(e.occurred_at) AS at
               FROM probe_runs r2
               JOIN contact_events e ON e.account_id = r2.account_id AND e.type = 'contact.answered'
                AND (e.conversation_id = r2.conversation_id OR e.contact_id = r2.contact_id)
              WHERE r2.account_id = $1 AND r2.status = 'waiting' GROUP BY r2.id) a
      WHERE r.id = a.id AND a.at <= r.started_at + make_interval(secs => r.wait_limit_seconds)
      RETURNING r.id`,
    [accountId],
  );
  for (const r of answered.rows) release(r.id);
  const late = await db.query<{ id: string }>(
    `UPDATE probe_runs SET status = 'unanswered'
      WHERE account_id = $1 AND status IN ('waiting', 'sending') AND started_at + make_interval(secs => wait_limit_seconds) <= $2
      RETURNING id`,
    [accountId, now],
  );
  for (const r of late.rows) release(r.id);
}

export interface ProbeReportInput {
  from?: string;
  to?: string;
}

/**
 * Per channel: the probes' lived waits beside the reported figures of the customers' contacts for the same period
 * (the waits report, which leaves the probes out).
 */
export async function probeReport(ctx: Ctx, p: Principal, input: ProbeReportInput) {
  requireCap(p, 'reports');
  await refreshRuns(ctx.db, p.accountId, ctx.now());
  const overall = await waitsReport(ctx, p, { from: input.from, to: input.to });
  const from = overall.period.from ?? '-infinity';
  const to = overall.period.to ?? 'infinity';
  const r = await ctx.db.query<any>(
    `SELECT channel, count(*)::int AS runs,
            count(*) FILTER (WHERE status = 'answered')::int AS answered,
            count(*) FILTER (WHERE status IN ('waiting', 'sending'))::int AS waiting,
            count(*) FILTER (WHERE status = 'unanswered')::int AS unanswered,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY lived_wait_seconds) FILTER (WHERE status = 'answered') AS p,
            max(lived_wait_seconds) FILTER (WHERE status = 'answered') AS max
       FROM probe_runs WHERE account_id = $1 AND started_at >= $2 AND started_at < $3
      GROUP BY channel ORDER BY channel`,
    [p.accountId, from, to],
  );
  const r3 = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(Number(x) * 1000) / 1000);
  const channels = [];
  for (const row of r.rows) {
    const w = await waitsReport(ctx, p, { from: input.from, to: input.to, channel: row.channel });
    const p50 = r3(row.p?.[0]);
    channels.push({
      channel: row.channel,
      probes: {
        runs: row.runs, answered: row.answered, stillWaiting: row.waiting, unanswered: row.unanswered, failed: row.failed,
        livedWaitSeconds: { p50, p90: r3(row.p?.[1]), max: r3(row.max) },
      },
      reported: {
        contacts: w.contacts, answered: w.answered, asaSeconds: w.reported.asaSeconds, serviceLevel: w.reported.serviceLevel,
        thresholdSeconds: w.reported.thresholdSeconds,
      },
      customersLived: { p50: w.lived.contactWaitSeconds.p50, p90: w.lived.contactWaitSeconds.p90 },
      probeP50OverReportedAsa: p50 !== null && w.reported.asaSeconds ? Math.round((p50 / w.reported.asaSeconds) * 1e6) / 1e6 : null,
    });
  }
  const runs = await ctx.db.query<ProbeRun & { probe: string }>(
    `SELECT ${RUN_COLS}, (SELECT name FROM probes p WHERE p.id = r.probe_id) AS probe
       FROM probe_runs r
      WHERE r.account_id = $1 AND r.started_at >= $2 AND r.started_at < $3 ORDER BY r.started_at DESC LIMIT 200`,
    [p.accountId, from, to],
  );
  return { period: overall.period, channels, runs: runs.rows };
}

/** Job 'probe.due': runs a scheduled probe once per due time (a second run of the same job finds it claimed). */
export async function runDueProbe(ctx: Ctx, payload: { probeId: string; at: string }) {
  const probe = await ctx.db.transaction(async (tx) => {
    const r = await tx.query<Probe & { account_id: string }>(
      `UPDATE probes SET next_run_at = CASE WHEN $2::timestamptz + make_interval(mins => every_minutes) > $3::timestamptz
                                            THEN $2::timestamptz + make_interval(mins => every_minutes)
                                            ELSE $3::timestamptz + make_interval(mins => every_minutes) END
        WHERE id = $1 AND enabled AND every_minutes IS NOT NULL AND next_run_at = $2::timestamptz
        RETURNING ${PROBE_COLS}, account_id`,
      [payload.probeId, payload.at, ctx.now()],
    );
    const row = r.rows[0];
    if (row?.nextRunAt) await enqueue(tx, 'probe.due', { probeId: row.id, at: new Date(row.nextRunAt).toISOString() }, { runAt: new Date(row.nextRunAt) });
    return row;
  });
  if (probe) await runProbe(ctx, systemPrincipal(probe.account_id), probe);
}

/** Job 'probe.check': at a run's limit, marks it unanswered unless a human answered in time. */
export async function checkRun(ctx: Ctx, payload: { runId: string }) {
  const r = await ctx.db.query<{ account_id: string }>('SELECT account_id FROM probe_runs WHERE id = $1', [payload.runId]);
  if (r.rows[0]) await refreshRuns(ctx.db, r.rows[0].account_id, ctx.now());
}
