/** Texts of the contact form and the portal, in English, German and Norwegian Bokmål. `{name}` marks a value. */
import { pickLocale, textsOf, type Locale } from '../../../platform/i18n.js';

export const TEXTS = {
  lang_name: { en: 'English', de: 'Deutsch', nb: 'Norsk' },
  language: { en: 'Language', de: 'Sprache', nb: 'Språk' },
  // contact form
  contact_title: { en: 'Contact us', de: 'Kontakt', nb: 'Kontakt oss' },
  contact_intro: {
    en: 'Tell us what you need; we answer by email.',
    de: 'Schreiben Sie uns, was Sie brauchen; wir antworten per E-Mail.',
    nb: 'Fortell oss hva du trenger; vi svarer på e-post.',
  },
  name: { en: 'Your name', de: 'Ihr Name', nb: 'Navnet ditt' },
  email: { en: 'Your email address', de: 'Ihre E-Mail-Adresse', nb: 'E-postadressen din' },
  subject: { en: 'Subject', de: 'Betreff', nb: 'Emne' },
  message: { en: 'Message', de: 'Nachricht', nb: 'Melding' },
  topic: { en: 'Topic', de: 'Thema', nb: 'Tema' },
  topic_none: { en: 'Something else', de: 'Etwas anderes', nb: 'Noe annet' },
  honeypot: { en: 'Leave this field empty', de: 'Dieses Feld leer lassen', nb: 'La dette feltet stå tomt' },
  send: { en: 'Send', de: 'Senden', nb: 'Send' },
  required: { en: 'required', de: 'Pflichtfeld', nb: 'må fylles ut' },
  err_required: { en: 'Please fill in {field}.', de: 'Bitte füllen Sie „{field}“ aus.', nb: 'Fyll ut «{field}».' },
  err_email: {
    en: 'This does not look like an email address.',
    de: 'Das sieht nicht wie eine E-Mail-Adresse aus.',
    nb: 'Dette ser ikke ut som en e-postadresse.',
  },
  err_too_long: { en: '{field} is too long.', de: '„{field}“ ist zu lang.', nb: '«{field}» er for lang.' },
  err_topic: { en: 'Please choose one of the topics.', de: 'Bitte wählen Sie eines der Themen.', nb: 'Velg et av temaene.' },
  err_spam: {
    en: 'Your message looks automated and was not sent.',
    de: 'Ihre Nachricht wirkt automatisch erzeugt und wurde nicht gesendet.',
    nb: 'Meldingen ser automatisk ut og ble ikke sendt.',
  },
  err_token_missing: {
    en: 'The form is incomplete; please reload the page and send it again.',
    de: 'Das Formular ist unvollständig; bitte laden Sie die Seite neu und senden Sie es erneut.',
    nb: 'Skjemaet er ufullstendig; last inn siden på nytt og send igjen.',
  },
  err_token_fast: {
    en: 'That was faster than a person can type; please wait a few seconds and send again.',
    de: 'Das war schneller, als ein Mensch tippen kann; bitte warten Sie ein paar Sekunden und senden Sie erneut.',
    nb: 'Det gikk fortere enn et menneske kan skrive; vent noen sekunder og send igjen.',
  },
  err_token_old: {
    en: 'The form is too old; please reload the page and send it again (your text is kept below).',
    de: 'Das Formular ist zu alt; bitte senden Sie es erneut (Ihr Text steht unten noch).',
    nb: 'Skjemaet er for gammelt; send det igjen (teksten din står fortsatt nedenfor).',
  },
  err_token_bad: {
    en: 'The form could not be verified; please reload the page and send it again.',
    de: 'Das Formular konnte nicht geprüft werden; bitte laden Sie die Seite neu und senden Sie es erneut.',
    nb: 'Skjemaet kunne ikke bekreftes; last inn siden på nytt og send igjen.',
  },
  err_rate: {
    en: 'Too many attempts from your network; please wait a moment and try again.',
    de: 'Zu viele Versuche aus Ihrem Netz; bitte warten Sie kurz und versuchen Sie es erneut.',
    nb: 'For mange forsøk fra nettverket ditt; vent litt og prøv igjen.',
  },
  err_cross_site: {
    en: 'This request came from another site and was refused.',
    de: 'Diese Anfrage kam von einer anderen Website und wurde abgelehnt.',
    nb: 'Denne forespørselen kom fra et annet nettsted og ble avvist.',
  },
  err_not_found: { en: 'This page does not exist.', de: 'Diese Seite gibt es nicht.', nb: 'Denne siden finnes ikke.' },
  err_generic: {
    en: 'Something went wrong on our side; please try again later.',
    de: 'Bei uns ist etwas schiefgegangen; bitte versuchen Sie es später erneut.',
    nb: 'Noe gikk galt hos oss; prøv igjen senere.',
  },
  error_title: { en: 'Sorry', de: 'Entschuldigung', nb: 'Beklager' },
  back: { en: 'Back', de: 'Zurück', nb: 'Tilbake' },
  thanks_title: { en: 'Thank you', de: 'Vielen Dank', nb: 'Takk' },
  thanks_body: {
    en: 'We received your request. Its number is #{number}; we sent a confirmation to {email}.',
    de: 'Wir haben Ihre Anfrage erhalten. Sie hat die Nummer #{number}; eine Bestätigung ging an {email}.',
    nb: 'Vi har mottatt henvendelsen din. Den har nummer #{number}; vi sendte en bekreftelse til {email}.',
  },
  thanks_portal: {
    en: 'You can follow it in the customer portal.',
    de: 'Sie können sie im Kundenportal verfolgen.',
    nb: 'Du kan følge den i kundeportalen.',
  },
  confirm_subject: {
    en: 'We received your request #{number}',
    de: 'Wir haben Ihre Anfrage #{number} erhalten',
    nb: 'Vi har mottatt henvendelsen din #{number}',
  },
  confirm_body: {
    en: 'Hello,\n\nthank you for writing to {account}. Your request has the number #{number}; we will answer as soon as we can.\n\nYou can read and answer it in the customer portal: {portal}',
    de: 'Guten Tag,\n\nvielen Dank für Ihre Nachricht an {account}. Ihre Anfrage hat die Nummer #{number}; wir antworten so bald wie möglich.\n\nIm Kundenportal können Sie sie lesen und beantworten: {portal}',
    nb: 'Hei,\n\ntakk for at du skrev til {account}. Henvendelsen din har nummer #{number}; vi svarer så snart vi kan.\n\nI kundeportalen kan du lese og svare på den: {portal}',
  },
  // portal
  portal_title: { en: 'Customer portal', de: 'Kundenportal', nb: 'Kundeportal' },
  portal_intro: {
    en: 'Enter the email address you wrote to us from. We will send you a link to sign in; it works once, for 15 minutes.',
    de: 'Geben Sie die E-Mail-Adresse ein, mit der Sie uns geschrieben haben. Wir senden Ihnen einen Anmeldelink; er gilt einmal und 15 Minuten lang.',
    nb: 'Skriv inn e-postadressen du skrev til oss fra. Vi sender deg en lenke for å logge inn; den virker én gang, i 15 minutter.',
  },
  send_link: { en: 'Send me a sign-in link', de: 'Anmeldelink senden', nb: 'Send meg en innloggingslenke' },
  link_sent_title: { en: 'Check your email', de: 'Bitte prüfen Sie Ihre E-Mails', nb: 'Sjekk e-posten din' },
  link_sent_body: {
    en: 'If {email} belongs to one of our customers, a sign-in link is on its way. It works once, for 15 minutes.',
    de: 'Wenn {email} zu einem unserer Kunden gehört, ist ein Anmeldelink unterwegs. Er gilt einmal und 15 Minuten lang.',
    nb: 'Hvis {email} tilhører en av kundene våre, er en innloggingslenke på vei. Den virker én gang, i 15 minutter.',
  },
  link_subject: { en: 'Your sign-in link for {account}', de: 'Ihr Anmeldelink für {account}', nb: 'Innloggingslenken din for {account}' },
  link_body: {
    en: 'Hello,\n\nopen this link to sign in to the customer portal of {account}:\n\n{link}\n\nThe link works once and for 15 minutes. If you did not ask for it, ignore this email.',
    de: 'Hallo,\n\nöffnen Sie diesen Link, um sich im Kundenportal von {account} anzumelden:\n\n{link}\n\nDer Link gilt einmal und 15 Minuten lang. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail.',
    nb: 'Hei,\n\nåpne denne lenken for å logge inn i kundeportalen til {account}:\n\n{link}\n\nLenken virker én gang og i 15 minutter. Hvis du ikke ba om den, kan du se bort fra denne e-posten.',
  },
  signin_title: { en: 'Sign in', de: 'Anmelden', nb: 'Logg inn' },
  signin_confirm: {
    en: 'Press the button to sign in to the customer portal.',
    de: 'Drücken Sie die Schaltfläche, um sich im Kundenportal anzumelden.',
    nb: 'Trykk på knappen for å logge inn i kundeportalen.',
  },
  signin_button: { en: 'Sign in', de: 'Anmelden', nb: 'Logg inn' },
  err_link: {
    en: 'This sign-in link is not valid: it was used already, it expired, or it is incomplete. Ask for a new one.',
    de: 'Dieser Anmeldelink ist nicht gültig: Er wurde schon benutzt, ist abgelaufen oder unvollständig. Fordern Sie einen neuen an.',
    nb: 'Denne innloggingslenken er ikke gyldig: Den er brukt, utløpt eller ufullstendig. Be om en ny.',
  },
  err_sign_in: {
    en: 'Please sign in first; your session may have ended.',
    de: 'Bitte melden Sie sich zuerst an; Ihre Sitzung ist vielleicht abgelaufen.',
    nb: 'Logg inn først; økten din kan ha utløpt.',
  },
  new_link: { en: 'Ask for a new link', de: 'Neuen Link anfordern', nb: 'Be om en ny lenke' },
  sign_out: { en: 'Sign out', de: 'Abmelden', nb: 'Logg ut' },
  signed_out: { en: 'You are signed out.', de: 'Sie sind abgemeldet.', nb: 'Du er logget ut.' },
  your_requests: { en: 'Your requests', de: 'Ihre Anfragen', nb: 'Dine henvendelser' },
  no_requests: { en: 'You have no requests yet.', de: 'Sie haben noch keine Anfragen.', nb: 'Du har ingen henvendelser ennå.' },
  new_request: { en: 'Open a new request', de: 'Neue Anfrage stellen', nb: 'Send en ny henvendelse' },
  status: { en: 'Status', de: 'Status', nb: 'Status' },
  updated: { en: 'Last activity', de: 'Letzte Aktivität', nb: 'Siste aktivitet' },
  status_new: { en: 'Received', de: 'Eingegangen', nb: 'Mottatt' },
  status_open: { en: 'In progress', de: 'In Bearbeitung', nb: 'Under behandling' },
  status_pending: { en: 'Waiting for you', de: 'Wartet auf Sie', nb: 'Venter på deg' },
  status_on_hold: { en: 'On hold', de: 'Zurückgestellt', nb: 'Satt på vent' },
  status_solved: { en: 'Solved', de: 'Gelöst', nb: 'Løst' },
  status_closed: { en: 'Closed', de: 'Geschlossen', nb: 'Lukket' },
  you: { en: 'You', de: 'Sie', nb: 'Du' },
  support: { en: 'Support', de: 'Kundendienst', nb: 'Kundeservice' },
  attachments: { en: 'Attachments', de: 'Anhänge', nb: 'Vedlegg' },
  reply: { en: 'Your reply', de: 'Ihre Antwort', nb: 'Svaret ditt' },
  send_reply: { en: 'Send reply', de: 'Antwort senden', nb: 'Send svar' },
  reply_sent: { en: 'Your reply was sent.', de: 'Ihre Antwort wurde gesendet.', nb: 'Svaret ditt er sendt.' },
  err_closed: {
    en: 'This request is closed and cannot be answered any more. Please open a new request.',
    de: 'Diese Anfrage ist geschlossen und kann nicht mehr beantwortet werden. Bitte stellen Sie eine neue Anfrage.',
    nb: 'Denne henvendelsen er lukket og kan ikke besvares lenger. Send en ny henvendelse.',
  },
  err_empty_reply: { en: 'Please write a reply first.', de: 'Bitte schreiben Sie zuerst eine Antwort.', nb: 'Skriv et svar først.' },
  rate_title: { en: 'How did we do?', de: 'Wie zufrieden sind Sie?', nb: 'Hvordan gjorde vi det?' },
  rate_score: { en: 'Your rating (1 = poor, 5 = excellent)', de: 'Ihre Bewertung (1 = schlecht, 5 = ausgezeichnet)', nb: 'Vurderingen din (1 = dårlig, 5 = utmerket)' },
  rate_comment: { en: 'Comment (optional)', de: 'Kommentar (freiwillig)', nb: 'Kommentar (valgfritt)' },
  rate_send: { en: 'Save rating', de: 'Bewertung speichern', nb: 'Lagre vurdering' },
  rate_saved: { en: 'Thank you for your rating.', de: 'Danke für Ihre Bewertung.', nb: 'Takk for vurderingen.' },
  rate_current: { en: 'Your rating: {score} of 5', de: 'Ihre Bewertung: {score} von 5', nb: 'Vurderingen din: {score} av 5' },
  err_rate_score: { en: 'Please choose a rating from 1 to 5.', de: 'Bitte wählen Sie eine Bewertung von 1 bis 5.', nb: 'Velg en vurdering fra 1 til 5.' },
  err_rate_unsolved: {
    en: 'You can rate a request once it is solved.',
    de: 'Sie können eine Anfrage bewerten, sobald sie gelöst ist.',
    nb: 'Du kan vurdere en henvendelse når den er løst.',
  },
} satisfies Record<string, Record<Locale, string>>;

export type TextKey = keyof typeof TEXTS;

/** The text for `key` in `locale`, with `{name}` placeholders filled in (values are not escaped here). */
export const t = textsOf(TEXTS);

const isLocale = (v: unknown): v is Locale => v === 'en' || v === 'de' || v === 'nb';

/** `?lang=` first, then the `lang` cookie, then Accept-Language, then the account's language. */
export function localeOf(req: { query?: unknown; cookies?: { [k: string]: string | undefined }; headers: { [k: string]: unknown } }, fallback: Locale = 'en'): Locale {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLocale(q)) return q;
  const c = req.cookies?.lang;
  if (isLocale(c)) return c;
  const accept = req.headers['accept-language'];
  return pickLocale(typeof accept === 'string' ? accept : undefined, fallback);
}
