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

/** The object an entry is about, named as people name it (#number, a name, an address); null when it is gone. */
const TARGET_LABEL = `CASE a.target_type
  WHEN 'conversation' THEN (SELECT '#' || x.number FROM conversations x WHERE x.id::text = a.target_id AND x.account_id = a.account_id)
  WHEN 'user' THEN (SELECT x.name FROM users x WHERE x.id::text = a.target_id AND x.account_id = a.account_id)
  WHEN 'customer' THEN (SELECT x.name FROM customers x WHERE x.id::text = a.target_id AND x.account_id = a.account_id)
  WHEN 'queue' THEN (SELECT x.name FROM queues x WHERE x.id::text = a.target_id AND x.account_id = a.account_id)
  WHEN 'macro' THEN (SELECT x.name FROM macros x WHERE x.id::text = a.target_id AND x.account_id = a.account_id)
  WHEN 'mailbox' THEN (SELECT x.address FROM mailboxes x WHERE x.id::text = a.target_id AND x.account_id = a.account_id)
  WHEN 'team' THEN (SELECT x.name FROM teams x WHERE x.id::text = a.target_id AND x.account_id = a.account_id)
  WHEN 'kb_article' THEN (SELECT x.slug FROM kb_articles x WHERE x.id::text = a.target_id AND x.account_id = a.account_id)
END`;

export async function listAudit(ctx: Ctx, p: Principal, opts: { before?: number; limit: number; action?: string; actor?: string }) {
  const r = await ctx.db.query(
    `SELECT a.id, a.actor_type AS "actorType", a.actor_id AS "actorId", a.action, a.target_type AS "targetType",
            a.target_id AS "targetId", ${TARGET_LABEL} AS "targetLabel", a.data, a.ip, a.at
       FROM audit_log a WHERE a.account_id = $1 AND ($2::bigint IS NULL OR a.id < $2) AND ($3::text IS NULL OR a.action = $3)
        AND ($5::text IS NULL OR a.actor_id = $5)
      ORDER BY a.id DESC LIMIT $4`,
    [p.accountId, opts.before ?? null, opts.action ?? null, opts.limit, opts.actor ?? null],
  );
  return r.rows;
}
