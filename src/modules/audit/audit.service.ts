import type { Principal, Tx, Ctx } from '../../platform/context.js';

/** Appends to the audit log inside the caller's transaction: the entry exists exactly when the change does. */
export async function audit(
  tx: Tx,
  p: Principal,
  action: string,
  target: { type: string; id: string } | null,
  data: Record<string, unknown> = {},
) {
  await tx.query(
    `INSERT INTO audit_log (account_id, actor_type, actor_id, action, target_type, target_id, data, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [p.accountId, p.kind, p.userId ?? p.tokenId, action, target?.type ?? null, target?.id ?? null, JSON.stringify(data), p.ip ?? null],
  );
}

export async function listAudit(ctx: Ctx, p: Principal, opts: { before?: number; limit: number; action?: string; actor?: string }) {
  const r = await ctx.db.query(
    `SELECT id, actor_type AS "actorType", actor_id AS "actorId", action, target_type AS "targetType",
            target_id AS "targetId", data, ip, at
       FROM audit_log WHERE account_id = $1 AND ($2::bigint IS NULL OR id < $2) AND ($3::text IS NULL OR action = $3)
        AND ($5::text IS NULL OR actor_id = $5)
      ORDER BY id DESC LIMIT $4`,
    [p.accountId, opts.before ?? null, opts.action ?? null, opts.limit, opts.actor ?? null],
  );
  return r.rows;
}
