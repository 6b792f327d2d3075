/** Customer-facing texts of the respect module (emails, the appeal page, refusals at the front doors), en/de/nb. */
import { fillText, type Locale } from '../../platform/i18n.js';

type Texts = Record<string, string>;

const EN: Texts = {
  kind_warning: 'a warning',
  kind_cool_off: 'a cool-off: your conversation is handled by a supervisor',
  kind_restriction: 'a restriction: for now you can reach us only by {channels}',
  kind_ban: 'a pause: for now we do not accept new chats or contact-form requests from you',
  reason_insult: 'insults toward our staff',
  reason_threat: 'threats toward our staff',
  reason_harassment: 'harassment of our staff',
  reason_discrimination: 'discriminating remarks toward our staff',
  reason_other: 'behaviour toward our staff that we cannot accept',
  warning_template:
    'We take every concern seriously, and criticism of our company or products is always welcome. Our staff, however, must not be insulted, threatened or harassed. Please keep our conversations respectful.',
  measure_subject: '{account}: about how we talk with each other',
  measure_body:
    'Hello {name},\n\n{template}We have decided on {kind}, because of {reason}.\nThis applies until {until}.\n\nCriticism of our company or products is not the reason: you are always welcome to tell us what went wrong.\n\nIf you think this decision is wrong, you can appeal here; a person who was not involved decides:\n{link}\n\n{account}',
  outcome_subject: '{account}: your appeal has been decided',
  outcome_overturned: 'Hello {name},\n\nwe have reviewed your appeal. The measure has been lifted with immediate effect.\n\n{account}',
  outcome_upheld: 'Hello {name},\n\nwe have reviewed your appeal. The measure stays in place until {until}.\n\n{account}',
  appeal_title: 'Appeal a decision',
  appeal_intro: 'We decided on {kind}, because of {reason}. It applies until {until}.',
  appeal_explain: 'Tell us why you think this is wrong. A person who was not involved in the decision reads your appeal and decides.',
  appeal_label: 'Your appeal',
  appeal_send: 'Send appeal',
  appeal_thanks: 'Thank you. Your appeal has been received; you will hear from us by email.',
  appeal_open: 'Your appeal has been received and is being reviewed.',
  appeal_closed: 'This measure no longer applies, so there is nothing to appeal.',
  appeal_decided: 'Your appeal has been decided: {outcome}.',
  appeal_outcome_upheld: 'the measure stays in place',
  appeal_outcome_overturned: 'the measure was lifted',
  appeal_empty: 'Please write your appeal.',
  appeal_unknown: 'This appeal link is not valid.',
  refused_channel: 'We cannot accept new requests from you through this channel at the moment. You can still write to us by email.',
  channel_email: 'email',
  channel_chat: 'chat',
  channel_web: 'the contact form',
  channel_phone: 'phone',
};

const DE: Texts = {
  kind_warning: 'eine Verwarnung',
  kind_cool_off: 'eine Abkühlphase: Ihr Anliegen wird von einer Teamleitung bearbeitet',
  kind_restriction: 'eine Einschränkung: Sie erreichen uns vorerst nur per {channels}',
  kind_ban: 'eine Pause: Wir nehmen vorerst keine neuen Chats oder Kontaktformular-Anfragen von Ihnen an',
  reason_insult: 'Beleidigungen unserer Mitarbeitenden',
  reason_threat: 'Drohungen gegenüber unseren Mitarbeitenden',
  reason_harassment: 'Belästigung unserer Mitarbeitenden',
  reason_discrimination: 'diskriminierende Äußerungen gegenüber unseren Mitarbeitenden',
  reason_other: 'ein Verhalten gegenüber unseren Mitarbeitenden, das wir nicht akzeptieren können',
  warning_template:
    'Wir nehmen jedes Anliegen ernst, und Kritik an unserem Unternehmen oder unseren Produkten ist immer willkommen. Unsere Mitarbeitenden dürfen aber nicht beleidigt, bedroht oder belästigt werden. Bitte bleiben Sie respektvoll.',
  measure_subject: '{account}: zum Umgang miteinander',
  measure_body:
    'Hallo {name},\n\n{template}Wir haben {kind} beschlossen, wegen {reason}.\nDies gilt bis {until}.\n\nKritik an unserem Unternehmen oder unseren Produkten ist nicht der Grund: Sagen Sie uns jederzeit, was schiefgelaufen ist.\n\nWenn Sie die Entscheidung für falsch halten, können Sie hier Einspruch einlegen; darüber entscheidet eine unbeteiligte Person:\n{link}\n\n{account}',
  outcome_subject: '{account}: Über Ihren Einspruch wurde entschieden',
  outcome_overturned: 'Hallo {name},\n\nwir haben Ihren Einspruch geprüft. Die Maßnahme ist mit sofortiger Wirkung aufgehoben.\n\n{account}',
  outcome_upheld: 'Hallo {name},\n\nwir haben Ihren Einspruch geprüft. Die Maßnahme bleibt bis {until} bestehen.\n\n{account}',
  appeal_title: 'Einspruch einlegen',
  appeal_intro: 'Wir haben {kind} beschlossen, wegen {reason}. Dies gilt bis {until}.',
  appeal_explain: 'Schreiben Sie uns, warum Sie die Entscheidung für falsch halten. Eine an der Entscheidung unbeteiligte Person liest Ihren Einspruch und entscheidet.',
  appeal_label: 'Ihr Einspruch',
  appeal_send: 'Einspruch senden',
  appeal_thanks: 'Danke. Ihr Einspruch ist eingegangen; Sie hören per E-Mail von uns.',
  appeal_open: 'Ihr Einspruch ist eingegangen und wird geprüft.',
  appeal_closed: 'Diese Maßnahme gilt nicht mehr; es gibt nichts, wogegen Sie Einspruch einlegen müssten.',
  appeal_decided: 'Über Ihren Einspruch wurde entschieden: {outcome}.',
  appeal_outcome_upheld: 'die Maßnahme bleibt bestehen',
  appeal_outcome_overturned: 'die Maßnahme wurde aufgehoben',
  appeal_empty: 'Bitte schreiben Sie Ihren Einspruch.',
  appeal_unknown: 'Dieser Einspruchs-Link ist ungültig.',
  refused_channel: 'Wir können über diesen Kanal derzeit keine neuen Anfragen von Ihnen annehmen. Per E-Mail können Sie uns weiterhin schreiben.',
  channel_email: 'E-Mail',
  channel_chat: 'Chat',
  channel_web: 'Kontaktformular',
  channel_phone: 'Telefon',
};

const NB: Texts = {
  kind_warning: 'en advarsel',
  kind_cool_off: 'en nedkjølingsperiode: saken din behandles av en teamleder',
  kind_restriction: 'en begrensning: inntil videre kan du bare nå oss via {channels}',
  kind_ban: 'en pause: inntil videre tar vi ikke imot nye chatter eller henvendelser via kontaktskjemaet fra deg',
  reason_insult: 'fornærmelser mot våre ansatte',
  reason_threat: 'trusler mot våre ansatte',
  reason_harassment: 'trakassering av våre ansatte',
  reason_discrimination: 'diskriminerende utsagn mot våre ansatte',
  reason_other: 'oppførsel mot våre ansatte som vi ikke kan godta',
  warning_template:
    'Vi tar alle henvendelser på alvor, og kritikk av selskapet eller produktene våre er alltid velkommen. Men de ansatte skal ikke fornærmes, trues eller trakasseres. Vær så snill og hold tonen respektfull.',
  measure_subject: '{account}: om hvordan vi snakker med hverandre',
  measure_body:
    'Hei {name},\n\n{template}Vi har besluttet {kind}, på grunn av {reason}.\nDette gjelder til {until}.\n\nKritikk av selskapet eller produktene våre er ikke grunnen: Du er alltid velkommen til å fortelle oss hva som gikk galt.\n\nHvis du mener avgjørelsen er feil, kan du klage her; en person som ikke var involvert, avgjør klagen:\n{link}\n\n{account}',
  outcome_subject: '{account}: klagen din er avgjort',
  outcome_overturned: 'Hei {name},\n\nvi har gått gjennom klagen din. Tiltaket er opphevet med umiddelbar virkning.\n\n{account}',
  outcome_upheld: 'Hei {name},\n\nvi har gått gjennom klagen din. Tiltaket gjelder fortsatt til {until}.\n\n{account}',
  appeal_title: 'Klag på en avgjørelse',
  appeal_intro: 'Vi har besluttet {kind}, på grunn av {reason}. Det gjelder til {until}.',
  appeal_explain: 'Fortell oss hvorfor du mener avgjørelsen er feil. En person som ikke var med på avgjørelsen, leser klagen og avgjør.',
  appeal_label: 'Klagen din',
  appeal_send: 'Send klage',
  appeal_thanks: 'Takk. Klagen din er mottatt; du hører fra oss på e-post.',
  appeal_open: 'Klagen din er mottatt og blir behandlet.',
  appeal_closed: 'Dette tiltaket gjelder ikke lenger, så det er ingenting å klage på.',
  appeal_decided: 'Klagen din er avgjort: {outcome}.',
  appeal_outcome_upheld: 'tiltaket opprettholdes',
  appeal_outcome_overturned: 'tiltaket ble opphevet',
  appeal_empty: 'Skriv klagen din.',
  appeal_unknown: 'Denne klagelenken er ikke gyldig.',
  refused_channel: 'Vi kan ikke ta imot nye henvendelser fra deg via denne kanalen akkurat nå. Du kan fortsatt skrive til oss på e-post.',
  channel_email: 'e-post',
  channel_chat: 'chat',
  channel_web: 'kontaktskjemaet',
  channel_phone: 'telefon',
};

const ALL: Record<Locale, Texts> = { en: EN, de: DE, nb: NB };

export function rt(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  const s = ALL[locale][key] ?? EN[key] ?? key;
  return fillText(s, vars);
}

export const asLocale = (v: unknown, fallback: Locale = 'en'): Locale => {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  if (s === 'en' || s === 'de' || s === 'nb') return s;
  if (s === 'no' || s === 'nn' || s.startsWith('nb')) return 'nb';
  if (s.startsWith('de')) return 'de';
  if (s.startsWith('en')) return 'en';
  return fallback;
};

/** The date a measure ends, written for the customer (account time zone). */
export function untilText(locale: Locale, until: Date | string, timeZone = 'UTC'): string {
  const tag = locale === 'nb' ? 'nb-NO' : locale === 'de' ? 'de-DE' : 'en-GB';
  return new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(until));
}

/** The polite refusal at the chat and contact-form doors, in the visitor's language. */
export const refusalText = (locale: Locale) => rt(locale, 'refused_channel');
