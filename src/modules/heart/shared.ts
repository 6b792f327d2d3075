/** Helpers the heart use cases share: who acts, which conversation, the account's language, money and note texts. */
import type { Principal, Tx } from '../../platform/context.js';
import { AppError, isUuid, notFound } from '../../platform/errors.js';

export function userOnly(p: Principal, what: string): string {
  if (!p.userId) throw new AppError('user_required', `${what} needs a signed-in person, not an API token`, 403);
  return p.userId;
}

export async function conversationIn(tx: Tx, accountId: string, id: string): Promise<{ id: string; number: number }> {
  if (!isUuid(id)) throw notFound('Conversation');
  const r = await tx.query<{ id: string; number: number }>('SELECT id, number FROM conversations WHERE account_id = $1 AND id = $2', [accountId, id]);
  if (!r.rows[0]) throw notFound('Conversation');
  return r.rows[0];
}

export async function accountLocale(tx: Tx, accountId: string): Promise<'en' | 'de' | 'nb'> {
  const r = await tx.query<{ locale: 'en' | 'de' | 'nb' }>('SELECT locale FROM accounts WHERE id = $1', [accountId]);
  return r.rows[0]?.locale ?? 'en';
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale === 'nb' ? 'nb-NO' : locale === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

export const NOTE = {
  kind: {
    gift: { en: 'gift', de: 'Geschenk', nb: 'gave' },
    replacement: { en: 'replacement', de: 'Ersatz', nb: 'erstatning' },
    free_delivery: { en: 'free delivery', de: 'kostenlose Lieferung', nb: 'gratis levering' },
    refund: { en: 'refund', de: 'Erstattung', nb: 'refusjon' },
    other: { en: 'other', de: 'Sonstiges', nb: 'annet' },
  },
  approved: { en: 'Goodwill given', de: 'Kulanz gewährt', nb: 'Goodwill gitt' },
  pending: { en: 'Goodwill awaiting approval', de: 'Kulanz wartet auf Freigabe', nb: 'Goodwill venter på godkjenning' },
  decidedApproved: { en: 'Goodwill approved', de: 'Kulanz freigegeben', nb: 'Goodwill godkjent' },
  decidedRejected: { en: 'Goodwill rejected', de: 'Kulanz abgelehnt', nb: 'Goodwill avvist' },
  exception: { en: 'Exception to policy', de: 'Ausnahme von der Regel', nb: 'Unntak fra regelen' },
  why: { en: 'Why', de: 'Warum', nb: 'Hvorfor' },
  done: { en: 'What was done', de: 'Was getan wurde', nb: 'Hva som ble gjort' },
} as const;
