/** Customer-facing texts of the satisfaction survey (email, survey page, chat prompt) in en, de and nb. */
import { textsOf, type Locale } from '../../platform/i18n.js';

export const DEFAULT_QUESTION: Record<Locale, string> = {
  en: 'How satisfied are you with how we handled your request?',
  de: 'Wie zufrieden sind Sie damit, wie wir Ihr Anliegen bearbeitet haben?',
  nb: 'Hvor fornøyd er du med hvordan vi behandlet henvendelsen din?',
};

const T = {
  score_1: { en: 'Very dissatisfied', de: 'Sehr unzufrieden', nb: 'Svært misfornøyd' },
  score_2: { en: 'Dissatisfied', de: 'Unzufrieden', nb: 'Misfornøyd' },
  score_3: { en: 'Neutral', de: 'Neutral', nb: 'Nøytral' },
  score_4: { en: 'Satisfied', de: 'Zufrieden', nb: 'Fornøyd' },
  score_5: { en: 'Very satisfied', de: 'Sehr zufrieden', nb: 'Svært fornøyd' },
  mail_subject: { en: 'How did we do? #{number} {subject}', de: 'Wie war unser Service? #{number} {subject}', nb: 'Hvordan gjorde vi det? #{number} {subject}' },
  mail_reminder_subject: {
    en: 'Reminder: how did we do? #{number} {subject}',
    de: 'Erinnerung: Wie war unser Service? #{number} {subject}',
    nb: 'Påminnelse: Hvordan gjorde vi det? #{number} {subject}',
  },
  mail_hello: { en: 'Hello {name},', de: 'Hallo {name},', nb: 'Hei {name},' },
  mail_hello_anon: { en: 'Hello,', de: 'Hallo,', nb: 'Hei,' },
  mail_intro: {
    en: 'your request #{number} "{subject}" has been solved. One question, one click:',
    de: 'Ihr Anliegen #{number} „{subject}“ ist erledigt. Eine Frage, ein Klick:',
    nb: 'henvendelsen din #{number} «{subject}» er løst. Ett spørsmål, ett klikk:',
  },
  mail_reminder_intro: {
    en: 'a few days ago we asked how we handled your request #{number} "{subject}". If you have a moment, one click is enough:',
    de: 'vor einigen Tagen haben wir gefragt, wie wir Ihr Anliegen #{number} „{subject}“ bearbeitet haben. Wenn Sie einen Moment haben, genügt ein Klick:',
    nb: 'for noen dager siden spurte vi hvordan vi behandlet henvendelsen din #{number} «{subject}». Har du et øyeblikk, holder det med ett klikk:',
  },
  mail_after: {
    en: 'You can add a comment on the page. The link works until {date}. We only remind you once.',
    de: 'Auf der Seite können Sie einen Kommentar hinzufügen. Der Link gilt bis {date}. Wir erinnern Sie höchstens einmal.',
    nb: 'På siden kan du legge til en kommentar. Lenken virker til {date}. Vi minner deg på det bare én gang.',
  },
  mail_thanks: { en: 'Thank you', de: 'Vielen Dank', nb: 'Takk' },
  page_title: { en: 'Your opinion', de: 'Ihre Meinung', nb: 'Din mening' },
  page_about: { en: 'About your request #{number} "{subject}".', de: 'Zu Ihrem Anliegen #{number} „{subject}“.', nb: 'Om henvendelsen din #{number} «{subject}».' },
  page_score: { en: 'Your score (1 = very dissatisfied, 5 = very satisfied)', de: 'Ihre Bewertung (1 = sehr unzufrieden, 5 = sehr zufrieden)', nb: 'Din vurdering (1 = svært misfornøyd, 5 = svært fornøyd)' },
  page_comment: { en: 'Comment (optional)', de: 'Kommentar (freiwillig)', nb: 'Kommentar (valgfritt)' },
  page_send: { en: 'Send my answer', de: 'Antwort senden', nb: 'Send svaret' },
  page_not_yet: {
    en: 'Your answer is saved only when you press the button.',
    de: 'Ihre Antwort wird erst gespeichert, wenn Sie auf die Schaltfläche drücken.',
    nb: 'Svaret lagres først når du trykker på knappen.',
  },
  page_current: { en: 'Your answer so far: {score} of 5. You can change it until {date}.', de: 'Ihre bisherige Antwort: {score} von 5. Sie können sie bis {date} ändern.', nb: 'Svaret ditt så langt: {score} av 5. Du kan endre det til {date}.' },
  page_saved: { en: 'Thank you! Your answer is saved.', de: 'Vielen Dank! Ihre Antwort ist gespeichert.', nb: 'Takk! Svaret ditt er lagret.' },
  page_pick: { en: 'Please pick a score from 1 to 5.', de: 'Bitte wählen Sie eine Bewertung von 1 bis 5.', nb: 'Velg en vurdering fra 1 til 5.' },
  page_too_long: { en: 'The comment is too long (at most 5000 characters).', de: 'Der Kommentar ist zu lang (höchstens 5000 Zeichen).', nb: 'Kommentaren er for lang (høyst 5000 tegn).' },
  err_expired: {
    en: 'This survey link has expired. Thank you all the same!',
    de: 'Dieser Umfragelink ist abgelaufen. Trotzdem vielen Dank!',
    nb: 'Denne lenken til undersøkelsen er utløpt. Takk likevel!',
  },
  err_bad: { en: 'This survey link is not valid.', de: 'Dieser Umfragelink ist ungültig.', nb: 'Denne lenken til undersøkelsen er ugyldig.' },
  err_title: { en: 'Survey', de: 'Umfrage', nb: 'Undersøkelse' },
  err_generic: { en: 'Something went wrong. Please try again later.', de: 'Etwas ist schiefgegangen. Bitte versuchen Sie es später erneut.', nb: 'Noe gikk galt. Prøv igjen senere.' },
  err_rate: { en: 'Too many requests; please wait a moment.', de: 'Zu viele Anfragen; bitte warten Sie einen Moment.', nb: 'For mange forespørsler; vent litt.' },
  chat_thanks: { en: 'Thank you for your answer!', de: 'Vielen Dank für Ihre Antwort!', nb: 'Takk for svaret!' },
} satisfies Record<string, Record<Locale, string>>;

export type CsatTextKey = keyof typeof T;

export const ct = textsOf(T);

export const scoreLabels = (locale: Locale) => [1, 2, 3, 4, 5].map((n) => ct(locale, `score_${n}` as CsatTextKey));

export function dateText(locale: Locale, d: Date): string {
  return new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}
