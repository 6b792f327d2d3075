/**
 * Outgoing webhooks, signed with HMAC-SHA256. A delivery row and its job are written in the transaction of the change,
 * so a change is announced exactly when it is committed; the job retries with backoff until the receiver answers 2xx.
 *
 * Signature header: `Earshot-Signature: t=<unix seconds>,v1=<hex hmac_sha256(secret, "<t>.<raw body>")>`.
 * Targets on this machine or private networks are refused unless the operator allows them (guard.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { randomToken } from '../../platform/password.js';
import { audit } from '../audit/index.js';
import { checkLiteral, guardedLookup, isLocalName, refusal, TargetRefused, targetPolicy, type TargetPolicy } from './guard.js';

export const WEBHOOK_EVENTS = ['conversation.created', 'conversation.updated', 'message.created', 'sla.breached', 'anecdotes.alert'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export function sign(secret: string, timestamp: number, body: string) {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): checks a signature header and its age. */
export function verifySignature(secret: string, header: string, body: string, nowSec = Math.floor(Date.now() / 1000), toleranceSec = 300) {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!t || Math.abs(nowSec - t) > toleranceSec) return false;
  const expected = Buffer.from(sign(secret, t, body).split('v1=')[1], 'hex');
  const got = Buffer.from(parts.v1 ?? '', 'hex');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/**
 * One POST to a receiver, over a socket to an address the policy allows (guard.ts): a literal address is checked
 * here, a name at its lookup, and the socket connects to the address that was checked. Redirects are not followed.
 * Resolves with the status; the answer's body is read and dropped.
 */
function post(url: string, headers: Record<string, string>, body: string, policy: TargetPolicy, signal: AbortSignal): Promise<number> {
  const u = new URL(url);
  const literal = checkLiteral(u.hostname, policy);
  if (literal) return Promise.reject(new TargetRefused(`refused: ${literal}`));
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      {
        method: 'POST',
        hostname,
        port: u.port || undefined,
        path: u.pathname + u.search,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(policy),
        agent: false,
        signal,
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function checkUrl(url: string, config: Ctx['config']) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid('url', `not a URL: '${url}'`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalid('url', 'must be http or https');
  if (u.username || u.password) throw invalid('url', 'must not carry credentials; the signature authenticates Earshot');
  // Early word for what delivery would refuse anyway (names are checked on their address at every delivery).
  const policy = targetPolicy(config);
  const why = isLocalName(u.hostname) ? refusal('127.0.0.1', policy) && `${u.hostname} is this machine (allow it with WEBHOOK_ALLOW_PRIVATE=1)` : checkLiteral(u.hostname, policy);
  if (why) throw invalid('url', why);
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: Date;
}
const WEBHOOK_COLS = `id, url, events, active, created_at AS "createdAt"`;

export interface WebhookDelivery {
  id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export async function createWebhook(ctx: Ctx, p: Principal, input: { url: string; events: string[]; secret?: string }) {
  requireCap(p, 'admin');
  checkUrl(input.url, ctx.config);
  if (!input.events?.length) throw invalid('events', 'name at least one event');
  for (const e of input.events)
    if (!(WEBHOOK_EVENTS as readonly string[]).includes(e)) throw invalid('events', `unknown event '${e}' (known: ${WEBHOOK_EVENTS.join(', ')})`);
  const secret = input.secret ?? `whsec_${randomToken(24)}`;
  if (secret.length < 16) throw invalid('secret', 'must have at least 16 characters');
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<Webhook>(
      `INSERT INTO webhooks (account_id, url, secret, events) VALUES ($1, $2, $3, $4) RETURNING ${WEBHOOK_COLS}`,
      [p.accountId, input.url, secret, input.events],
    );
    await audit(tx, p, 'webhook.created', { type: 'webhook', id: r.rows[0].id }, { url: input.url, events: input.events });
    // The secret is shown once, at creation.
    return { ...r.rows[0], secret };
  });
}

export async function listWebhooks(ctx: Ctx, p: Principal): Promise<Webhook[]> {
  requireCap(p, 'admin');
  const r = await ctx.db.query<Webhook>(
    `SELECT ${WEBHOOK_COLS} FROM webhooks WHERE account_id = $1 ORDER BY created_at`,
    [p.accountId],
  );
  return r.rows;
}

export async function deleteWebhook(ctx: Ctx, p: Principal, id: string) {
  requireCap(p, 'admin');
  if (!isUuid(id)) throw notFound('Webhook');
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query('DELETE FROM webhooks WHERE account_id = $1 AND id = $2', [p.accountId, id]);
    if (!r.rowCount) throw notFound('Webhook');
    await audit(tx, p, 'webhook.deleted', { type: 'webhook', id });
  });
}

export async function listDeliveries(ctx: Ctx, p: Principal, webhookId: string, limit = 50): Promise<WebhookDelivery[]> {
  requireCap(p, 'admin');
  if (!isUuid(webhookId)) throw notFound('Webhook');
  const w = await ctx.db.query('SELECT 1 FROM webhooks WHERE account_id = $1 AND id = $2', [p.accountId, webhookId]);
  if (!w.rows.length) throw notFound('Webhook');
  const r = await ctx.db.query<WebhookDelivery>(
    `SELECT id, event, status, attempts, response_status AS "responseStatus", last_error AS "lastError",
            created_at AS "createdAt", delivered_at AS "deliveredAt"
       FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [webhookId, limit],
  );
  return r.rows;
}

/** Called inside a service transaction: queues one delivery per subscribed webhook. */
export async function emitWebhook(tx: Tx, accountId: string, event: WebhookEvent, data: Record<string, unknown>, at: Date) {
  const hooks = await tx.query<{ id: string }>(
    'SELECT id FROM webhooks WHERE account_id = $1 AND active AND $2 = ANY(events)',
    [accountId, event],
  );
  for (const h of hooks.rows) {
    const d = await tx.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (account_id, webhook_id, event, body) VALUES ($1, $2, $3, '') RETURNING id`,
      [accountId, h.id, event],
    );
    const body = JSON.stringify({ id: d.rows[0].id, event, occurredAt: at.toISOString(), data });
    await tx.query('UPDATE webhook_deliveries SET body = $2 WHERE id = $1', [d.rows[0].id, body]);
    await enqueue(tx, 'webhook.deliver', { deliveryId: d.rows[0].id }, { maxAttempts: 8 });
  }
}

/**
 * Job handler: re-reads the delivery; a delivered one is not sent again. Throws to make the job retry.
 * One attempt has WEBHOOK_TIMEOUT_MS (connect, answer and body together); a receiver that accepts the connection and
 * never answers is an attempt that failed with "timed out after … ms", retried with the job backoff. `signal` (the
 * job's deadline, shutdown) aborts it too. A receiver that processed the request but answered too late gets it again:
 * deliveries are at least once, and the `Earshot-Delivery` id lets the receiver drop the repeat.
 */
export async function deliverWebhook(ctx: Ctx, payload: { deliveryId: string }, attempt: number, maxAttempts: number, signal?: AbortSignal) {
  const r = await ctx.db.query<{ status: string; body: string; event: string; url: string; secret: string; active: boolean }>(
    `SELECT d.status, d.body, d.event, w.url, w.secret, w.active FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE d.id = $1`,
    [payload.deliveryId],
  );
  const d = r.rows[0];
  if (!d || d.status === 'delivered' || !d.active) return;
  const t = Math.floor(Date.now() / 1000);
  let status: number | null = null;
  let error: string | null = null;
  const timeoutMs = ctx.config.webhookTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    status = await post(
      d.url,
      {
        'content-type': 'application/json',
        'user-agent': 'Earshot-Webhooks/1',
        'earshot-event': d.event,
        'earshot-delivery': payload.deliveryId,
        'earshot-signature': sign(d.secret, t, d.body),
      },
      d.body,
      targetPolicy(ctx.config),
      signal ? AbortSignal.any([timeout, signal]) : timeout,
    );
    // Only the status is kept, never what the receiver wrote back.
    if (status < 200 || status >= 300) error = `receiver answered ${status}`;
  } catch (err: any) {
    if (err instanceof TargetRefused) error = err.message;
    else if (timeout.aborted) error = `no answer: timed out after ${timeoutMs} ms (WEBHOOK_TIMEOUT_MS)`;
    else if (signal?.aborted) error = `abandoned: ${signal.reason?.message ?? signal.reason}`;
    else error = err?.code ?? err?.cause?.code ?? err?.name ?? String(err);
  }
  await ctx.db.query(
    `UPDATE webhook_deliveries SET attempts = $2::int, response_status = $3::int, last_error = $4::text,
            status = CASE WHEN $4::text IS NULL THEN 'delivered' WHEN $2::int >= $5::int THEN 'failed' ELSE 'pending' END,
            delivered_at = CASE WHEN $4::text IS NULL THEN now() END
      WHERE id = $1`,
    [payload.deliveryId, attempt, status, error, maxAttempts],
  );
  if (error) throw new Error(`webhook delivery ${payload.deliveryId}: ${error}`);
}
