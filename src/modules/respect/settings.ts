/** Respect settings: the cool-off queue and the warning templates. */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { invalid, isUuid } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { rt } from './texts.js';
import { recordChange } from '../changes/index.js';

export interface RespectSettings {
  coolOffQueueId: string | null;
  warningTemplates: Partial<Record<Locale, string>>;
}

export async function settingsIn(tx: Tx, accountId: string): Promise<RespectSettings> {
  const r = await tx.query<{ cool_off_queue_id: string | null; warning_templates: any }>(
    'SELECT cool_off_queue_id, warning_templates FROM respect_settings WHERE account_id = $1',
    [accountId],
  );
  return { coolOffQueueId: r.rows[0]?.cool_off_queue_id ?? null, warningTemplates: r.rows[0]?.warning_templates ?? {} };
}

export async function getSettings(ctx: Ctx, p: Principal) {
  requireCap(p, 'conversations');
  const s = await settingsIn(ctx.db, p.accountId);
  const defaults = Object.fromEntries((['en', 'de', 'nb'] as Locale[]).map((l) => [l, rt(l, 'warning_template')]));
  return { ...s, defaultWarningTemplates: defaults };
}

export async function updateSettings(ctx: Ctx, p: Principal, input: { coolOffQueueId?: string | null; warningTemplates?: Partial<Record<Locale, string>> }) {
  requireCap(p, 'manage');
  await ctx.db.transaction(async (tx) => {
    const cur = await settingsIn(tx, p.accountId);
    const next: RespectSettings = { ...cur };
    if (input.coolOffQueueId !== undefined) {
      if (input.coolOffQueueId !== null) {
        const q = isUuid(input.coolOffQueueId)
          ? await tx.query('SELECT id FROM queues WHERE account_id = $1 AND id = $2', [p.accountId, input.coolOffQueueId])
          : { rows: [] };
        if (!q.rows.length) throw invalid('coolOffQueueId', `unknown queue ${input.coolOffQueueId}`);
      }
      next.coolOffQueueId = input.coolOffQueueId;
    }
    if (input.warningTemplates) {
      const t: Partial<Record<Locale, string>> = {};
      for (const [l, v] of Object.entries(input.warningTemplates)) {
        if (!['en', 'de', 'nb'].includes(l)) throw invalid(`warningTemplates/${l}`, 'languages are en, de and nb');
        if (typeof v === 'string' && v.trim()) t[l as Locale] = v.trim().slice(0, 4000);
      }
      next.warningTemplates = t;
    }
    await tx.query(
      `INSERT INTO respect_settings (account_id, cool_off_queue_id, warning_templates, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id) DO UPDATE SET cool_off_queue_id = $2, warning_templates = $3, updated_at = $4`,
      [p.accountId, next.coolOffQueueId, JSON.stringify(next.warningTemplates), ctx.now()],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'respect.settings_updated', target: { type: 'account', id: p.accountId }, data: { ...input } },
    });
  });
  return getSettings(ctx, p);
}
