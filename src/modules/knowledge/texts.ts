/** Texts of the public help pages (/help/:account) in en, de, nb. */
import { textsOf, type Locale } from '../../platform/i18n.js';

export const KB_TEXTS = {
  help_title: { en: 'Help articles', de: 'Hilfeartikel', nb: 'Hjelpeartikler' },
  search_label: { en: 'Search the help articles', de: 'Hilfeartikel durchsuchen', nb: 'Søk i hjelpeartiklene' },
  search_button: { en: 'Search', de: 'Suchen', nb: 'Søk' },
  results_for: { en: 'Results for “{q}”', de: 'Ergebnisse für „{q}“', nb: 'Treff for «{q}»' },
  no_results: { en: 'No article matches. You can ask us directly:', de: 'Kein Artikel passt. Sie können uns direkt fragen:', nb: 'Ingen artikler passer. Du kan spørre oss direkte:' },
  all_articles: { en: 'All articles', de: 'Alle Artikel', nb: 'Alle artikler' },
  no_articles: { en: 'No articles yet.', de: 'Noch keine Artikel.', nb: 'Ingen artikler ennå.' },
  other_lang: { en: 'Not yet translated into English; shown in another language.', de: 'Auf Deutsch noch nicht verfügbar; angezeigt in einer anderen Sprache.', nb: 'Ikke oversatt til norsk ennå; vist på et annet språk.' },
  back_help: { en: 'All help articles', de: 'Alle Hilfeartikel', nb: 'Alle hjelpeartikler' },
  contact: { en: 'Contact us', de: 'Kontakt aufnehmen', nb: 'Kontakt oss' },
  community: { en: 'Ask the community', de: 'Die Community fragen', nb: 'Spør fellesskapet' },
  updated: { en: 'Updated', de: 'Aktualisiert', nb: 'Oppdatert' },
  not_found: { en: 'This article does not exist or is not public.', de: 'Diesen Artikel gibt es nicht, oder er ist nicht öffentlich.', nb: 'Denne artikkelen finnes ikke eller er ikke offentlig.' },
  error_title: { en: 'Something went wrong', de: 'Etwas ist schiefgelaufen', nb: 'Noe gikk galt' },
  err_generic: { en: 'Please try again later.', de: 'Bitte versuchen Sie es später noch einmal.', nb: 'Prøv igjen senere.' },
  err_rate: { en: 'Too many requests. Please wait a minute.', de: 'Zu viele Anfragen. Bitte warten Sie eine Minute.', nb: 'For mange forespørsler. Vent et minutt.' },
} satisfies Record<string, Record<Locale, string>>;

export const kt = textsOf(KB_TEXTS);
