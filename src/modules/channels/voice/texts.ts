/**
 * Staff-facing texts of the voice channel in English, German and Norwegian Bokmål: the `detail` of its API errors
 * (error texts such as callback_closed live in src/platform/i18n.ts, where the error handler finds them) and the labels of
 * callback states and outcomes (CLI, web app).
 */
import type { Locale } from '../../../platform/i18n.js';

export const VOICE_LABELS: Record<string, Record<Locale, string>> = {
  'callback.open': { en: 'Owed', de: 'Offen', nb: 'Skyldes' },
  'callback.done': { en: 'Done', de: 'Erledigt', nb: 'Ferdig' },
  'callback.cancelled': { en: 'Cancelled', de: 'Storniert', nb: 'Avlyst' },
  'callback.overdue': { en: 'Overdue', de: 'Überfällig', nb: 'Forsinket' },
  'outcome.reached': { en: 'Reached', de: 'Erreicht', nb: 'Nådd' },
  'outcome.no_answer': { en: 'No answer', de: 'Keine Antwort', nb: 'Ikke svar' },
  'outcome.voicemail': { en: 'Voicemail', de: 'Mailbox', nb: 'Talepostkasse' },
  'outcome.wrong_number': { en: 'Wrong number', de: 'Falsche Nummer', nb: 'Feil nummer' },
  'closedBy.caller': { en: 'Caller got through', de: 'Anrufer kam durch', nb: 'Innringer kom gjennom' },
  'reason.abandoned': { en: 'Hung up in the queue', de: 'In der Warteschlange aufgelegt', nb: 'La på i køen' },
  'reason.requested': { en: 'Asked to be called back', de: 'Rückruf gewünscht', nb: 'Ba om å bli ringt opp' },
};

export const voiceLabel = (key: string, locale: Locale = 'en') => VOICE_LABELS[key]?.[locale] ?? key;
