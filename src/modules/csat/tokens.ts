/** Survey tokens: the survey id signed with the account's secret, so a link can be answered without signing in. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Tx } from '../../platform/context.js';
import { isUuid } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';

const sign = (secret: string, id: string) => createHmac('sha256', secret).update(`csat:${id}`).digest('base64url').slice(0, 32);
export const tokenFor = (secret: string, surveyId: string) => `${surveyId}.${sign(secret, surveyId)}`;

export interface SurveyRow {
  id: string;
  conversation_id: string;
  account_id: string;
  customer_id: string;
  route: 'email' | 'chat' | 'no_route';
  language: Locale;
  email: string | null;
  question: string;
  sent_at: Date;
  reminded_at: Date | null;
  expires_at: Date;
}

/** The survey of a link token, or null when the token is malformed, forged or unknown. Expiry is the caller's check. */
export async function surveyByToken(tx: Tx, token: string): Promise<SurveyRow | null> {
  const m = /^([0-9a-f-]{36})\.([\w-]{32})$/.exec(token ?? '');
  if (!m || !isUuid(m[1])) return null;
  const r = await tx.query<SurveyRow & { secret: string }>(
    `SELECT s.*, cs.secret FROM csat_surveys s JOIN csat_settings cs ON cs.account_id = s.account_id WHERE s.id = $1`,
    [m[1]],
  );
  const row = r.rows[0];
  if (!row) return null;
  const want = Buffer.from(sign(row.secret, row.id));
  const got = Buffer.from(m[2]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  return row;
}
