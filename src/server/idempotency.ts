/**
 * `Idempotency-Key` on authenticated POSTs under /api/v1 (issue 14 item 16). The key is scoped to the caller (account
 * and API token or user). Its row is written by the request's first transaction (platform/idempotency.ts), so it
 * commits with what the request created and is shared by every server process on the database; the answer is
 * stored beside it before it is sent and replayed for 24 hours (`Idempotent-Replayed: true`). The same key with
 * another method, route or body: 422. A duplicate that arrives while the first is still running waits for it and
 * then gets its answer, or a 409 to send it again: never a second create.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { App } from './types.js';
import { AppError } from '../platform/errors.js';
import { runWithClaim, type IdempotencyClaim } from '../platform/idempotency.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Answers are kept this long (and at least this long: expired rows are removed hourly). */
export const IDEMPOTENCY_TTL_HOURS = 24;
const WAIT_FOR_ANSWER_MS = 5000;

const HeaderSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  pattern: '^[\\x21-\\x7e]+$',
  description:
    'Your own unique id for this request (1–200 visible ASCII characters). Sending the same POST again with the same key '
    + `within ${IDEMPOTENCY_TTL_HOURS} h returns the first answer (header Idempotent-Replayed: true) and creates nothing; `
    + 'the same key with a different body is refused (422); while the first is still running a repeat waits or gets 409.',
};

/** Canonical JSON (sorted keys), so the same body in another key order counts as the same request. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const applies = (req: FastifyRequest) =>
  req.method === 'POST' && (req.routeOptions.url ?? '').startsWith('/api/v1/') && !!req.principal && !(req as any).ws;

export function registerIdempotency(app: App) {
  const claims = new WeakMap<FastifyRequest, IdempotencyClaim>();
  const db = app.ctx.db;
  let lastPurge = 0;

  // Document (and validate) the header on every authenticated POST of the API.
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (!methods.includes('POST') || !r.url.startsWith('/api/v1/') || (r.config as any)?.auth === false || (r as any).websocket) return;
    r.schema ??= {};
    const schema = r.schema as any;
    const headers = schema.headers ?? { type: 'object', properties: {} };
    schema.headers = { ...headers, properties: { ...(headers.properties ?? {}), [IDEMPOTENCY_HEADER]: HeaderSchema } };
  });

  async function prepare(req: FastifyRequest): Promise<{ claim?: IdempotencyClaim; replay?: { status: number; contentType: string | null; body: string } }> {
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (key === undefined || !applies(req)) return {};
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key))
      throw new AppError('validation', 'Idempotency-Key: 1–200 visible ASCII characters', 400, { field: 'Idempotency-Key' });
    const p = req.principal!;
    const scope = `${p.accountId}:${p.tokenId ?? p.userId ?? p.kind}`;
    const hash = createHash('sha256')
      .update(`${req.method} ${req.routeOptions.url}\n${canonical(req.params)}\n${canonical(req.query)}\n${canonical(req.body ?? null)}`)
      .digest('hex');
    if (Date.now() - lastPurge > 3_600_000) {
      lastPurge = Date.now();
      await db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [IDEMPOTENCY_TTL_HOURS]);
    }
    await db.query(
      `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`,
      [scope, key, IDEMPOTENCY_TTL_HOURS],
    );
    const end = Date.now() + WAIT_FOR_ANSWER_MS;
    for (;;) {
      const r = await db.query<{ request_hash: string; status: number | null; content_type: string | null; response: string | null }>(
        'SELECT request_hash, status, content_type, response FROM idempotency_keys WHERE scope = $1 AND key = $2',
        [scope, key],
      );
      const row = r.rows[0];
      if (!row) return { claim: { scope, key, hash, claimed: false, committed: false } };
      if (row.request_hash !== hash)
        throw new AppError('idempotency_key_reused', 'Idempotency-Key: this key was used for a different request (another body or route); use a new key', 422, { field: 'Idempotency-Key' });
      if (row.status !== null) return { replay: { status: row.status, contentType: row.content_type, body: row.response ?? '' } };
      // Carried out (committed) by another request whose answer is on its way.
      if (Date.now() > end)
        throw new AppError('idempotency_key_in_use',
          'Idempotency-Key: a request with this key was carried out, but its answer was not stored (the server handling it stopped); look the result up instead of creating it again', 409, { field: 'Idempotency-Key' });
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  app.addHook('preHandler', (req, reply, done) => {
    prepare(req).then(({ claim, replay }) => {
      if (replay) {
        reply.code(replay.status).header('idempotent-replayed', 'true');
        if (replay.contentType) reply.header('content-type', replay.contentType);
        reply.send(replay.body);
        return;
      }
      if (!claim) return done();
      claims.set(req, claim);
      // The handler (and every transaction it opens) runs inside the claim.
      runWithClaim(claim, () => done());
    }, (err) => done(err));
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const claim = claims.get(req);
    if (!claim?.committed) return payload;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    const ct = reply.getHeader('content-type');
    try {
      await db.query('UPDATE idempotency_keys SET status = $3, content_type = $4, response = $5 WHERE scope = $1 AND key = $2',
        [claim.scope, claim.key, reply.statusCode, ct === undefined ? null : String(ct), body]);
    } catch (err: any) {
      // The create is committed either way; a repeat then learns that its answer was lost (409).
      req.log.error({ err: err?.message }, 'idempotency: answer not stored');
    }
    return payload;
  });

  // Answered: no later transaction started from this request's context (a timer, a background kick) may take the key.
  app.addHook('onResponse', async (req) => {
    const claim = claims.get(req);
    if (!claim) return;
    claim.claimed = true;
    claims.delete(req);
  });
}
