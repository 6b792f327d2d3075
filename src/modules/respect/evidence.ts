/** Evidence for a measure, classified again by listening; criticism alone is protected and the refusal is audited. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { AppError, invalid, isUuid } from '../../platform/errors.js';
import { analyze } from '../listening/index.js';
import { recordChange } from '../changes/index.js';
import type { EvidenceItem, ProposeInput } from './shared.js';

/** Classifies each evidence item: the stored listening finding if there is one, else the analyser now. */
export async function classifyEvidence(tx: Tx, accountId: string, customerId: string, messageIds: string[], pub: ProposeInput['publicEvidence']): Promise<EvidenceItem[]> {
  const out: EvidenceItem[] = [];
  const ids = [...new Set(messageIds)];
  if (ids.length) {
    if (!ids.every(isUuid)) throw invalid('messageIds', 'message ids are uuids');
    const r = await tx.query<{ id: string; text: string; abuse: string | null; threat: boolean | null }>(
      `SELECT m.id, m.text, f.abuse, f.threat FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         LEFT JOIN message_findings f ON f.message_id = m.id
        WHERE m.account_id = $1 AND m.id = ANY($2::uuid[]) AND m.kind = 'message' AND m.direction = 'inbound'
          AND m.author_type = 'customer' AND coalesce(m.author_customer_id, c.customer_id) = $3`,
      [accountId, ids, customerId],
    );
    const byId = new Map(r.rows.map((x) => [x.id, x]));
    for (const id of ids) {
      const m = byId.get(id);
      if (!m) throw invalid('messageIds', `message ${id} is not an inbound message of this customer`);
      if (m.abuse) out.push({ source: 'message', messageId: id, text: m.text, abuse: m.abuse as any, threat: !!m.threat, by: 'findings' });
      else {
        const a = analyze(m.text);
        out.push({ source: 'message', messageId: id, text: m.text, abuse: a.abuse, threat: a.threat, by: 'analyze' });
      }
    }
  }
  for (const [i, e] of (pub ?? []).entries()) {
    if (e.source !== 'community' && e.source !== 'public') throw invalid(`publicEvidence/${i}/source`, "is 'community' or 'public'");
    const text = (e.text ?? '').trim();
    if (!text) throw invalid(`publicEvidence/${i}/text`, 'quote the text');
    const a = analyze(text);
    out.push({ source: e.source, ref: e.ref?.slice(0, 1000), text: text.slice(0, 10_000), abuse: a.abuse, threat: a.threat, by: 'analyze' });
  }
  return out;
}

/** Refused when no item is abuse or a threat and at least one is criticism of the company or product. */
export const criticismOnly = (ev: EvidenceItem[]) => !ev.some((e) => e.abuse === 'abuse' || e.threat) && ev.some((e) => e.abuse === 'criticism');

export async function refuseCriticism(ctx: Ctx, p: Principal, m: { customerId: string; kind: string; reasonCategory: string; measureId?: string }, ev: EvidenceItem[], stage: 'proposal' | 'approval'): Promise<never> {
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO respect_refusals (account_id, customer_id, reporter_id, kind, reason_category, stage, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [p.accountId, m.customerId, p.userId, m.kind, m.reasonCategory, stage, ctx.now()],
    );
    if (stage === 'approval' && m.measureId)
      await tx.query(
        `UPDATE respect_measures SET status = 'rejected', decided_by = $2, decided_at = $3, decision_note = 'criticism_protected' WHERE id = $1 AND status = 'proposed'`,
        [m.measureId, p.userId, ctx.now()],
      );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'respect.refused_criticism', target: { type: 'customer', id: m.customerId }, data: {
        stage, kind: m.kind, reasonCategory: m.reasonCategory, measureId: m.measureId ?? null,
        evidence: ev.map((e) => ({ source: e.source, messageId: e.messageId ?? null, ref: e.ref ?? null, abuse: e.abuse, threat: e.threat })),
      } },
    });
  });
  throw new AppError(
    'criticism_protected',
    'Criticism of the company or product is not abuse; the evidence shows criticism and no abuse or threat, so no measure can be based on it. Answer the criticism instead.',
    422,
    { evidence: ev.map((e) => ({ source: e.source, messageId: e.messageId ?? null, abuse: e.abuse, threat: e.threat })) },
  );
}
