/**
 * Macros: canned replies or notes with placeholders and actions. Placeholders are checked when a macro is saved, so a
 * typo fails at the admin's desk and not in front of a customer. `{{customer.first_name|there}}` falls back to
 * "there" when the value is missing.
 */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { conflict, invalid, isUuid, notFound } from '../../platform/errors.js';
import { recordChange } from '../changes/index.js';

export const PLACEHOLDERS = [
  'customer.name',
  'customer.first_name',
  'customer.email',
  'agent.name',
  'agent.first_name',
  'conversation.number',
  'conversation.subject',
  'account.name',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const TAG = /\{\{\s*([a-z_.]+)\s*(?:\|([^}]*))?\}\}/g;

export function checkTemplate(body: string, field = 'body') {
  for (const m of body.matchAll(TAG))
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]))
      throw invalid(field, `unknown placeholder {{${m[1]}}}; known: ${PLACEHOLDERS.join(', ')}`);
}

export function render(body: string, values: Partial<Record<Placeholder, string | number | null | undefined>>) {
  return body.replace(TAG, (_all, key: Placeholder, fallback?: string) => {
    const v = values[key];
    return v === null || v === undefined || v === '' ? (fallback ?? '').trim() : String(v);
  });
}

export interface MacroActions {
  status?: 'open' | 'pending' | 'on_hold' | 'solved';
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  addTags?: string[];
  queueId?: string;
}
export interface Macro {
  id: string;
  name: string;
  kind: 'reply' | 'note';
  body: string;
  /** The language the macro is written in (en, de, nb); null when it fits any. */
  language: 'en' | 'de' | 'nb' | null;
  actions: MacroActions;
  createdAt: Date;
  updatedAt: Date;
}
const COLS = `id, name, kind, body, language, actions, created_at AS "createdAt", updated_at AS "updatedAt"`;

async function checkActions(tx: Tx, p: Principal, a: MacroActions) {
  if (a.queueId) {
    const found = isUuid(a.queueId) && (await tx.query('SELECT 1 FROM queues WHERE account_id = $1 AND id = $2', [p.accountId, a.queueId])).rows.length > 0;
    if (!found) throw invalid('actions/queueId', `unknown queue ${a.queueId}`);
  }
}

export async function createMacro(
  ctx: Ctx,
  p: Principal,
  input: { name: string; kind?: 'reply' | 'note'; body: string; language?: Macro['language']; actions?: MacroActions },
) {
  requireCap(p, 'manage');
  if (!input.name?.trim()) throw invalid('name', 'must not be empty');
  checkTemplate(input.body);
  return ctx.db.transaction(async (tx) => {
    await checkActions(tx, p, input.actions ?? {});
    const dup = await tx.query('SELECT 1 FROM macros WHERE account_id = $1 AND name = $2', [p.accountId, input.name.trim()]);
    if (dup.rows.length) throw conflict('macro_exists', `A macro named '${input.name}' exists already`);
    const r = await tx.query<Macro>(
      `INSERT INTO macros (account_id, name, kind, body, actions, created_by, language) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLS}`,
      [p.accountId, input.name.trim(), input.kind ?? 'reply', input.body, JSON.stringify(input.actions ?? {}), p.userId, input.language ?? null],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'macro.created', target: { type: 'macro', id: r.rows[0].id }, data: { name: input.name } },
    });
    return r.rows[0];
  });
}

export async function updateMacro(
  ctx: Ctx,
  p: Principal,
  id: string,
  patch: { name?: string; kind?: 'reply' | 'note'; body?: string; language?: Macro['language']; actions?: MacroActions },
) {
  requireCap(p, 'manage');
  if (patch.body !== undefined) checkTemplate(patch.body);
  return ctx.db.transaction(async (tx) => {
    await getMacro(ctx, p, id, tx);
    if (patch.actions) await checkActions(tx, p, patch.actions);
    const r = await tx.query<Macro>(
      `UPDATE macros SET name = coalesce($3, name), kind = coalesce($4, kind), body = coalesce($5, body),
              actions = coalesce($6::jsonb, actions), language = CASE WHEN $7 THEN $8 ELSE language END, updated_at = now()
        WHERE account_id = $1 AND id = $2 RETURNING ${COLS}`,
      [p.accountId, id, patch.name?.trim() ?? null, patch.kind ?? null, patch.body ?? null, patch.actions ? JSON.stringify(patch.actions) : null,
        patch.language !== undefined, patch.language ?? null],
    );
    await recordChange(tx, p, ctx.now(), { audit: { action: 'macro.updated', target: { type: 'macro', id }, data: { ...patch } } });
    return r.rows[0];
  });
}

export async function deleteMacro(ctx: Ctx, p: Principal, id: string) {
  requireCap(p, 'manage');
  await ctx.db.transaction(async (tx) => {
    await getMacro(ctx, p, id, tx);
    await tx.query('DELETE FROM macros WHERE account_id = $1 AND id = $2', [p.accountId, id]);
    await recordChange(tx, p, ctx.now(), { audit: { action: 'macro.deleted', target: { type: 'macro', id } } });
  });
}

export async function getMacro(ctx: Ctx, p: Principal, id: string, tx: Tx = ctx.db): Promise<Macro> {
  requireCap(p, 'conversations');
  if (!isUuid(id)) throw notFound('Macro');
  const r = await tx.query<Macro>(`SELECT ${COLS} FROM macros WHERE account_id = $1 AND id = $2`, [p.accountId, id]);
  if (!r.rows[0]) throw notFound('Macro');
  return r.rows[0];
}

export async function listMacros(ctx: Ctx, p: Principal) {
  requireCap(p, 'conversations');
  const r = await ctx.db.query<Macro>(`SELECT ${COLS} FROM macros WHERE account_id = $1 ORDER BY name`, [p.accountId]);
  return r.rows;
}
