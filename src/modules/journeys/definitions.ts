/**
 * The metric definitions and their versions, for people (the admin screen, `GET /api/v1/definitions`). The text is
 * the short form of docs/metrics.md; DEFINITION_VERSION in projection.ts is the version every contact-facts row
 * stores. Bump both, and add a version here, when a definition changes.
 */
import { DEFINITION_VERSION } from './projection.js';

type Text = { en: string; de: string; nb: string };

export interface DefinitionVersion {
  version: number;
  changes: Text;
}

export const DEFINITION_VERSIONS: DefinitionVersion[] = [
  {
    version: 2,
    changes: {
      en: 'A contact resolved without a human answer (spam closed, solved by an automatic reply) has the outcome "closed" instead of staying "waiting" for ever; a journey is "still waiting" only when its last contact has no outcome yet.',
      de: 'Ein Kontakt, der ohne menschliche Antwort erledigt wurde (Spam geschlossen, durch eine automatische Antwort gelöst), hat das Ergebnis „geschlossen“, statt für immer „wartend“ zu bleiben; eine Journey „wartet noch“ nur, wenn ihr letzter Kontakt noch kein Ergebnis hat.',
      nb: 'En kontakt som ble avsluttet uten menneskelig svar (spam lukket, løst av et automatisk svar) får utfallet «lukket» i stedet for å bli stående som «venter» for alltid; en kundereise «venter fortsatt» bare når den siste kontakten ennå ikke har et utfall.',
    },
  },
  {
    version: 1,
    changes: {
      en: 'First version: reported figures (ASA, service level, abandon rate), lived contact waits, journeys stitched per customer and day, survival curve.',
      de: 'Erste Version: berichtete Kennzahlen (ASA, Servicelevel, Abbruchquote), erlebte Kontaktwartezeiten, Journeys je Kunde und Tag zusammengefügt, Überlebenskurve.',
      nb: 'Første versjon: rapporterte tall (ASA, servicenivå, andel avbrutte), opplevd ventetid per kontakt, kundereiser satt sammen per kunde og dag, overlevelseskurve.',
    },
  },
];

/** The figures and what they mean under the current version. */
export const FIGURES: { key: string; name: Text; definition: Text }[] = [
  {
    key: 'asa',
    name: { en: 'ASA (average speed of answer)', de: 'ASA (durchschnittliche Annahmezeit)', nb: 'ASA (gjennomsnittlig svartid)' },
    definition: {
      en: 'Mean queue wait over answered contacts; contacts answered without queueing count 0.',
      de: 'Mittlere Wartezeit in der Warteschlange über beantwortete Kontakte; ohne Warteschlange beantwortete zählen 0.',
      nb: 'Gjennomsnittlig køtid for besvarte kontakter; kontakter besvart uten kø teller 0.',
    },
  },
  {
    key: 'serviceLevel',
    name: { en: 'Service level', de: 'Servicelevel', nb: 'Servicenivå' },
    definition: {
      en: 'Answered contacts with a queue wait of at most T seconds, divided by answered contacts (T = threshold, default 20).',
      de: 'Beantwortete Kontakte mit höchstens T Sekunden Wartezeit in der Warteschlange, geteilt durch beantwortete Kontakte (T = Schwelle, Standard 20).',
      nb: 'Besvarte kontakter med høyst T sekunders køtid delt på besvarte kontakter (T = terskel, standard 20).',
    },
  },
  {
    key: 'abandonRate',
    name: { en: 'Abandon rate', de: 'Abbruchquote', nb: 'Andel avbrutte' },
    definition: {
      en: 'Contacts abandoned after queueing, divided by queued contacts.',
      de: 'Nach dem Einreihen abgebrochene Kontakte, geteilt durch eingereihte Kontakte.',
      nb: 'Kontakter avbrutt etter at de kom i kø, delt på kontakter i kø.',
    },
  },
  {
    key: 'livedWait',
    name: { en: 'Lived contact wait', de: 'Erlebte Kontaktwartezeit', nb: 'Opplevd ventetid per kontakt' },
    definition: {
      en: 'From the first touch (voice menu included) until a human answered or the customer hung up; mean, p50, p90, p99.',
      de: 'Vom ersten Kontakt (Sprachmenü eingeschlossen) bis zur Antwort eines Menschen oder bis zum Auflegen; Mittelwert, p50, p90, p99.',
      nb: 'Fra første berøring (talemeny inkludert) til et menneske svarte eller kunden la på; gjennomsnitt, p50, p90, p99.',
    },
  },
  {
    key: 'journeyWait',
    name: { en: 'Journey wait', de: 'Journey-Wartezeit', nb: 'Ventetid for kundereisen' },
    definition: {
      en: "One customer's contacts within a day (calls, chats) or a thread (email, web), until the first human answer: answer time in the last contact minus the first touch of the first.",
      de: 'Die Kontakte eines Kunden an einem Tag (Anrufe, Chats) oder in einem Thread (E-Mail, Web) bis zur ersten menschlichen Antwort: Antwortzeit im letzten Kontakt minus erster Kontakt des ersten.',
      nb: 'Én kundes kontakter innen en dag (anrop, chat) eller en tråd (e-post, web) fram til første menneskelige svar: svartidspunktet i siste kontakt minus første berøring i den første.',
    },
  },
  {
    key: 'survival',
    name: { en: 'Survival curve', de: 'Überlebenskurve', nb: 'Overlevelseskurve' },
    definition: {
      en: 'Share of journeys not yet served after t seconds (Kaplan–Meier); never-served and still-waiting journeys are censored, never dropped.',
      de: 'Anteil der Journeys, die nach t Sekunden noch nicht bedient sind (Kaplan–Meier); nie bediente und noch wartende werden zensiert, nie weggelassen.',
      nb: 'Andel kundereiser som ennå ikke er betjent etter t sekunder (Kaplan–Meier); aldri betjente og fortsatt ventende sensureres, de utelates aldri.',
    },
  },
];

export function definitions() {
  return {
    current: DEFINITION_VERSION,
    versions: DEFINITION_VERSIONS.map((v) => ({ ...v, current: v.version === DEFINITION_VERSION })),
    figures: FIGURES,
    recompute: 'POST /api/v1/journeys/recompute',
  };
}
