/**
 * Server-side texts in English, German and Norwegian Bokmål. API errors keep an English `message` (stable for
 * scripts) and add `detail` in the language the client asked for.
 */
export type Locale = 'en' | 'de' | 'nb';
export const LOCALES: Locale[] = ['en', 'de', 'nb'];

const TEXTS: Record<string, Record<Locale, string>> = {
  validation: { en: 'Some input is not valid.', de: 'Einige Eingaben sind ungültig.', nb: 'Noe av det som ble sendt inn er ugyldig.' },
  not_found: { en: 'Not found.', de: 'Nicht gefunden.', nb: 'Fant ikke dette.' },
  forbidden: { en: 'Your role may not do this.', de: 'Ihre Rolle darf das nicht.', nb: 'Rollen din har ikke lov til dette.' },
  unauthorized: { en: 'Please sign in.', de: 'Bitte melden Sie sich an.', nb: 'Logg inn først.' },
  invalid_credentials: { en: 'Email or password is wrong.', de: 'E-Mail oder Passwort ist falsch.', nb: 'E-post eller passord er feil.' },
  login_locked: {
    en: 'Too many failed sign-ins for this address; wait a few minutes, or set a new password with "Forgot password?".',
    de: 'Zu viele fehlgeschlagene Anmeldungen für diese Adresse; warten Sie einige Minuten oder setzen Sie mit „Passwort vergessen?“ ein neues Passwort.',
    nb: 'For mange mislykkede innlogginger for denne adressen; vent noen minutter, eller sett et nytt passord med «Glemt passordet?».',
  },
  password_common: {
    en: 'This password is one of the most common ones (or a variant of one); please choose another.',
    de: 'Dieses Passwort gehört zu den häufigsten (oder ist eine Abwandlung davon); bitte wählen Sie ein anderes.',
    nb: 'Dette passordet er blant de vanligste (eller en variant av et); velg et annet.',
  },
  rate_limited: { en: 'Too many attempts; wait a moment.', de: 'Zu viele Versuche; bitte kurz warten.', nb: 'For mange forsøk; vent litt.' },
  newer_messages: {
    en: 'New messages arrived while you were writing.',
    de: 'Während Sie geschrieben haben, sind neue Nachrichten eingegangen.',
    nb: 'Nye meldinger kom inn mens du skrev.',
  },
  idempotency_key_reused: {
    en: 'This Idempotency-Key was already used for a different request; use a new key.',
    de: 'Dieser Idempotency-Key wurde schon für eine andere Anfrage verwendet; nehmen Sie einen neuen.',
    nb: 'Denne Idempotency-Key er allerede brukt til en annen forespørsel; bruk en ny nøkkel.',
  },
  idempotency_key_in_use: {
    en: 'A request with this Idempotency-Key was carried out already; send it again for its answer, or look the result up.',
    de: 'Eine Anfrage mit diesem Idempotency-Key wurde bereits ausgeführt; senden Sie sie erneut, um die Antwort zu erhalten, oder schlagen Sie das Ergebnis nach.',
    nb: 'En forespørsel med denne Idempotency-Key er allerede utført; send den igjen for å få svaret, eller slå opp resultatet.',
  },
  conversation_closed: { en: 'This conversation is closed.', de: 'Dieses Gespräch ist geschlossen.', nb: 'Denne samtalen er lukket.' },
  no_agent_available: { en: 'No agent is free right now.', de: 'Gerade ist niemand frei.', nb: 'Ingen er ledig akkurat nå.' },
  token_unknown: {
    en: 'This link is not valid. Ask for a new one with "Forgot password?" on the sign-in page.',
    de: 'Dieser Link ist ungültig. Fordern Sie auf der Anmeldeseite mit „Passwort vergessen?“ einen neuen an.',
    nb: 'Denne lenken er ugyldig. Be om en ny med «Glemt passordet?» på innloggingssiden.',
  },
  token_used: {
    en: 'This link has been used already. Ask for a new one with "Forgot password?" on the sign-in page.',
    de: 'Dieser Link wurde bereits verwendet. Fordern Sie auf der Anmeldeseite mit „Passwort vergessen?“ einen neuen an.',
    nb: 'Denne lenken er allerede brukt. Be om en ny med «Glemt passordet?» på innloggingssiden.',
  },
  token_expired: {
    en: 'This link has expired. Ask for a new one with "Forgot password?" on the sign-in page.',
    de: 'Dieser Link ist abgelaufen. Fordern Sie auf der Anmeldeseite mit „Passwort vergessen?“ einen neuen an.',
    nb: 'Denne lenken er utløpt. Be om en ny med «Glemt passordet?» på innloggingssiden.',
  },
  password_set: {
    en: 'This user has set a password already; they can use "Forgot password?" on the sign-in page.',
    de: 'Diese Person hat bereits ein Passwort; sie kann auf der Anmeldeseite „Passwort vergessen?“ nutzen.',
    nb: 'Denne brukeren har allerede et passord; hen kan bruke «Glemt passordet?» på innloggingssiden.',
  },
  upgrade_required: {
    en: 'Open this address as a WebSocket.',
    de: 'Öffnen Sie diese Adresse als WebSocket.',
    nb: 'Åpne denne adressen som en WebSocket.',
  },
  callback_closed: {
    en: 'This callback is closed already.',
    de: 'Dieser Rückruf ist bereits abgeschlossen.',
    nb: 'Denne tilbakeringingen er allerede avsluttet.',
  },
};

export function pickLocale(acceptLanguage: string | undefined, fallback: Locale = 'en'): Locale {
  if (!acceptLanguage) return fallback;
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (tag.startsWith('de')) return 'de';
    if (tag.startsWith('nb') || tag.startsWith('no') || tag.startsWith('nn')) return 'nb';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}

export function translate(acceptLanguage: string | undefined, key: string): string | undefined {
  return TEXTS[key]?.[pickLocale(acceptLanguage)];
}

/** Fills `{name}` placeholders from `vars`; a name without a value stays as written. Values are not escaped here. */
export const fillText = (template: string, vars: Record<string, string | number> = {}) =>
  template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

/** The `t(locale, key, vars)` of a module's text table (every key in en, de and nb). */
export const textsOf =
  <K extends string>(table: Record<K, Record<Locale, string>>) =>
  (locale: Locale, key: K, vars: Record<string, string | number> = {}): string =>
    fillText(table[key][locale], vars);
