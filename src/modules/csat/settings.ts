/** CSAT settings: on or off, delay, question, reminder, expiry; and the per-account signing secret. */
import { randomBytes } from 'node:crypto';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { LOCALES, type Locale } from '../../platform/i18n.js';
import { DEFAULT_QUESTION } from './texts.js';
import { recordChange } from '../changes/index.js';

export interface CsatSettings {
  enabled: boolean;
  /** Minutes after solved before the survey goes out; a reopen within them cancels it. */
  delayMinutes: number;
  /** Days without an answer before the one reminder; 0 = no reminder. */
  reminderDays: number;
  /** Days a survey link stays valid (answers can be changed until then). */
  expiryDays: number;
  /** The question per language (the account's own wording, else the default). */
  questions: Record<Locale, string>;
}

interface SettingsRow {
  enabled: boolean;
  delay_minutes: number;
  reminder_days: number;
  expiry_days: number;
  questions: Partial<Record<Locale, string>>;
  secret: string;
}

export async function settingsRow(tx: Tx, accountId: string): Promise<SettingsRow> {
  await tx.query(`INSERT INTO csat_settings (account_id, secret) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING`, [
    accountId,
    randomBytes(32).toString('base64url'),
  ]);
  const r = await tx.query<SettingsRow>(
    'SELECT enabled, delay_minutes, reminder_days, expiry_days, questions, secret FROM csat_settings WHERE account_id = $1',
    [accountId],
  );
  return r.rows[0];
}

const shape = (s: SettingsRow): CsatSettings => ({
  enabled: s.enabled,
  delayMinutes: s.delay_minutes,
  reminderDays: s.reminder_days,
  expiryDays: s.expiry_days,
  questions: Object.fromEntries(LOCALES.map((l) => [l, s.questions?.[l] || DEFAULT_QUESTION[l]])) as Record<Locale, string>,
});

export async function getSettings(ctx: Ctx, p: Principal): Promise<CsatSettings> {
  requireCap(p, 'admin');
  return shape(await settingsRow(ctx.db, p.accountId));
}

export async function updateSettings(
  ctx: Ctx,
  p: Principal,
  patch: { enabled?: boolean; delayMinutes?: number; reminderDays?: number; expiryDays?: number; questions?: Partial<Record<Locale, string | null>> },
): Promise<CsatSettings> {
  requireCap(p, 'admin');
  return ctx.db.transaction(async (tx) => {
    const cur = await settingsRow(tx, p.accountId);
    const next = {
      enabled: patch.enabled ?? cur.enabled,
      delay: patch.delayMinutes ?? cur.delay_minutes,
      reminder: patch.reminderDays ?? cur.reminder_days,
      expiry: patch.expiryDays ?? cur.expiry_days,
      questions: { ...cur.questions } as Partial<Record<Locale, string>>,
    };
    for (const [l, q] of Object.entries(patch.questions ?? {})) {
      if (!(LOCALES as string[]).includes(l)) throw invalid(`questions.${l}`, `unknown language '${l}' (en, de, nb)`);
      const text = q?.trim();
      if (text && text.length > 300) throw invalid(`questions.${l}`, 'at most 300 characters');
      if (text) next.questions[l as Locale] = text;
      else delete next.questions[l as Locale];
    }
    if (next.reminder > 0 && next.reminder >= next.expiry)
      throw invalid('reminderDays', `the reminder (${next.reminder} days) must come before the link expires (${next.expiry} days)`);
    await tx.query(
      `UPDATE csat_settings SET enabled = $2, delay_minutes = $3, reminder_days = $4, expiry_days = $5, questions = $6, updated_at = $7
        WHERE account_id = $1`,
      [p.accountId, next.enabled, next.delay, next.reminder, next.expiry, JSON.stringify(next.questions), ctx.now()],
    );
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'csat.settings_changed', target: { type: 'account', id: p.accountId }, data: { ...patch } },
    });
    return shape({ ...cur, enabled: next.enabled, delay_minutes: next.delay, reminder_days: next.reminder, expiry_days: next.expiry, questions: next.questions });
  });
}

export { scheduleSurvey } from './schedule.js';
