/**
 * Benchmark of two features people use every day: knowledge-base search and the leaders' daily draw, each as a ratio
 * to a naive baseline measured in the same run on the same rows.
 *
 *   npm run bench:people        (node --import tsx bench/people.ts; `npm run bench` runs it last)
 *
 * Per backend (PGlite in memory, and PostgreSQL when reachable — see bench/common.ts):
 *  1. Knowledge base. N articles (BENCH_KB_ARTICLES, default 3,000), each with parallel en/de/nb translations built
 *     from help-desk sentences (returns, refunds, delivery, tents, invoices, sizes, warranty, account) in inflected
 *     forms, written with one set-based `INSERT … SELECT * FROM unnest(…)` per table (the tsv column generates itself);
 *     90 % published and public. Figure: ms per `searchArticles(…, {publicOnly: true, limit: 10})` (the help page's
 *     search) over six queries per language, inflected forms included ("returned orders", "Rücksendungen",
 *     "bestillingene"), each run BENCH_KB_RUNS times (default 5) after a warm-up. Baseline: the naive search —
 *     `(title || ' ' || body) ILIKE '%query%'` over the published public translations in that language, ordered by
 *     title, LIMIT 10 (it has to scan every row). Printed with the articles each finds, without the limit.
 *  2. Leaders' daily draw. BENCH_DRAW_CONVERSATIONS conversations (default 10,000) from bench/seed-conversations.ts,
 *     all set to an open status (new/open/pending) afterwards; BENCH_DRAW_LEADERS leaders (default 3, with different
 *     requests per day and strata, one deputy, one absence) draw on BENCH_DRAW_DAYS working days (default 5) through
 *     the real `draw()` (candidates query, seeded pick, leader_draws/leader_items rows, audit). Figure: ms per draw.
 *     Baseline: `SELECT id FROM conversations WHERE account_id = $1 AND status IN ('new','open','pending')
 *     ORDER BY random() LIMIT 3` on the same rows, the same number of times.
 *
 * BENCH_BACKENDS=pglite,postgres selects backends.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
// The registry registers the modules' hooks (journeys' projection of contact events), as every Earshot process does.
import '../src/modules/index.js';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { loadConfig } from '../src/platform/config.js';
import { systemPrincipal, type Ctx } from '../src/platform/context.js';
import { addUser, createAccount } from '../src/modules/accounts/accounts.service.js';
import { createQueue } from '../src/modules/queues/queues.service.js';
import { searchArticles, type Lang } from '../src/modules/knowledge/knowledge.service.js';
import { draw, saveSettings } from '../src/modules/leaders/index.js';
import { addAbsence } from '../src/modules/leaders/leaders.service.js';
import { seedConversations } from './seed-conversations.js';
import { fmt, printTable, ratio, withPostgres } from './common.js';

const ARTICLES = Number(process.env.BENCH_KB_ARTICLES ?? 3000);
const SEARCH_RUNS = Math.max(1, Number(process.env.BENCH_KB_RUNS ?? 5));
const CONVERSATIONS = Number(process.env.BENCH_DRAW_CONVERSATIONS ?? 10_000);
const LEADERS = Math.max(1, Number(process.env.BENCH_DRAW_LEADERS ?? 3));
const DAYS = Math.max(1, Number(process.env.BENCH_DRAW_DAYS ?? 5));
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
const LANGS: Lang[] = ['en', 'de', 'nb'];

// ---------------------------------------------------------------------------------------------------------------
// Statistics and a deterministic PRNG.

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const p95 = (xs: number[]) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
};
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** mulberry32 */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Knowledge-base texts: per topic, titles and sentences as [en, de, nb] triples, so translations stay parallel.

type Tri = [string, string, string];
interface Topic { key: string; titles: Tri[]; sentences: Tri[] }

const TOPICS: Topic[] = [
  {
    key: 'returns',
    titles: [
      ['How to return an order', 'So senden Sie eine Bestellung zurück', 'Slik returnerer du en bestilling'],
      ['Returning items bought on sale', 'Rücksendung von reduzierten Artikeln', 'Retur av varer kjøpt på salg'],
      ['Return label missing', 'Rücksendeetikett fehlt', 'Returetiketten mangler'],
    ],
    sentences: [
      ['You can return unused items within 30 days of delivery.', 'Unbenutzte Artikel können Sie innerhalb von 30 Tagen nach der Lieferung zurückschicken.', 'Ubrukte varer kan returneres innen 30 dager etter levering.'],
      ['Returned orders are checked in our warehouse within five working days.', 'Rücksendungen werden in unserem Lager innerhalb von fünf Werktagen geprüft.', 'Returnerte bestillinger kontrolleres på lageret vårt innen fem virkedager.'],
      ['Print the return label from your order page and attach it to the parcel.', 'Drucken Sie das Rücksendeetikett auf Ihrer Bestellseite aus und kleben Sie es auf das Paket.', 'Skriv ut returetiketten fra bestillingssiden og fest den på pakken.'],
      ['Returns of opened sleeping bags are accepted if the hygiene seal is intact.', 'Die Rücksendung geöffneter Schlafsäcke ist möglich, wenn das Hygienesiegel unversehrt ist.', 'Retur av åpnede soveposer godtas hvis hygieneforseglingen er hel.'],
      ['If you are returning several orders, pack each order separately.', 'Wenn Sie mehrere Bestellungen zurücksenden, verpacken Sie jede Bestellung einzeln.', 'Hvis du returnerer flere bestillinger, pakk hver bestilling for seg.'],
      ['We email you as soon as the return has arrived.', 'Sobald die Rücksendung angekommen ist, schicken wir Ihnen eine E-Mail.', 'Vi sender deg en e-post så snart returen har kommet frem.'],
    ],
  },
  {
    key: 'refunds',
    titles: [
      ['When will I get my refund?', 'Wann erhalte ich meine Erstattung?', 'Når får jeg refusjonen min?'],
      ['Refunds to gift cards', 'Erstattungen auf Geschenkkarten', 'Refusjon til gavekort'],
    ],
    sentences: [
      ['Refunds are paid to the original payment method within 14 days.', 'Erstattungen gehen innerhalb von 14 Tagen an die ursprüngliche Zahlungsart.', 'Refusjoner betales til den opprinnelige betalingsmåten innen 14 dager.'],
      ['We refund the shipping cost if the item was faulty.', 'Die Versandkosten erstatten wir, wenn der Artikel fehlerhaft war.', 'Vi refunderer fraktkostnaden hvis varen var defekt.'],
      ['Card refunds can take a few extra days to show on your statement.', 'Kartenerstattungen können einige Tage länger brauchen, bis sie auf Ihrer Abrechnung erscheinen.', 'Refusjoner til kort kan bruke noen ekstra dager før de vises på kontoutskriften.'],
      ['Partial refunds are made when only some items of an order are returned.', 'Teilerstattungen erfolgen, wenn nur einige Artikel einer Bestellung zurückgeschickt werden.', 'Delvis refusjon gis når bare noen av varene i en bestilling returneres.'],
      ['Orders paid by invoice are refunded by cancelling the invoice.', 'Bei Bestellungen auf Rechnung erfolgt die Erstattung durch Stornierung der Rechnung.', 'Bestillinger betalt med faktura refunderes ved at fakturaen krediteres.'],
    ],
  },
  {
    key: 'delivery',
    titles: [
      ['Delivery times and tracking', 'Lieferzeiten und Sendungsverfolgung', 'Leveringstid og sporing'],
      ['My parcel has not arrived', 'Mein Paket ist nicht angekommen', 'Pakken min har ikke kommet'],
      ['Delivery to a pickup point', 'Lieferung an eine Abholstation', 'Levering til hentested'],
    ],
    sentences: [
      ['Most orders are delivered within two to four working days.', 'Die meisten Bestellungen werden innerhalb von zwei bis vier Werktagen geliefert.', 'De fleste bestillinger leveres innen to til fire virkedager.'],
      ['Deliveries to northern regions can be delayed in winter.', 'Lieferungen in nördliche Regionen können sich im Winter verzögern.', 'Leveranser til Nord-Norge kan bli forsinket om vinteren.'],
      ['You receive a tracking link by email when the parcel has been shipped.', 'Sobald das Paket versendet wurde, erhalten Sie per E-Mail einen Link zur Sendungsverfolgung.', 'Du får en sporingslenke på e-post når pakken er sendt.'],
      ['If the tracking has not changed for five days, contact us and we will trace the parcel.', 'Wenn sich die Sendungsverfolgung fünf Tage lang nicht ändert, melden Sie sich und wir forschen dem Paket nach.', 'Hvis sporingen ikke har endret seg på fem dager, kontakt oss så etterlyser vi pakken.'],
      ['Delayed deliveries are usually caused by high volumes before holidays.', 'Verspätete Lieferungen entstehen meist durch hohes Aufkommen vor Feiertagen.', 'Forsinkede leveringer skyldes som regel store volumer før høytider.'],
      ['Parcels that are not collected from the pickup point are returned to us after 14 days.', 'Pakete, die nicht an der Abholstation abgeholt werden, gehen nach 14 Tagen an uns zurück.', 'Pakker som ikke hentes på hentestedet, sendes tilbake til oss etter 14 dager.'],
      ['When the orders have been packed, the carrier collects them the same evening.', 'Wenn die Bestellungen gepackt sind, holt der Paketdienst sie am selben Abend ab.', 'Når bestillingene er pakket, henter transportøren dem samme kveld.'],
    ],
  },
  {
    key: 'tents',
    titles: [
      ['Pitching your tent the first time', 'Ihr Zelt zum ersten Mal aufbauen', 'Slik setter du opp teltet første gang'],
      ['Broken tent poles', 'Gebrochene Zeltstangen', 'Knekte teltstenger'],
      ['Caring for tents after a trip', 'Zelte nach der Tour pflegen', 'Stell av telt etter turen'],
    ],
    sentences: [
      ['Our tents ship with spare pole sections and a repair sleeve.', 'Unsere Zelte werden mit Ersatzstangen und einer Reparaturhülse geliefert.', 'Teltene våre leveres med reservestenger og en reparasjonshylse.'],
      ['Dry the tent completely before storing it to avoid mould.', 'Trocknen Sie das Zelt vollständig, bevor Sie es lagern, damit sich kein Schimmel bildet.', 'Tørk teltet helt før du pakker det bort, så unngår du mugg.'],
      ['A broken pole is covered by the warranty if it broke during normal use.', 'Eine gebrochene Stange fällt unter die Garantie, wenn sie bei normalem Gebrauch gebrochen ist.', 'En knekt stang dekkes av garantien hvis den knakk ved normal bruk.'],
      ['Tent pegs and guy lines can be ordered separately as spare parts.', 'Heringe und Abspannleinen können Sie einzeln als Ersatzteile bestellen.', 'Teltplugger og bardunlinjer kan bestilles separat som reservedeler.'],
      ['The inner tent and the flysheet can be pitched together.', 'Innenzelt und Außenzelt lassen sich zusammen aufbauen.', 'Innerteltet og yterteltet kan settes opp sammen.'],
      ['Seams on older tents may need to be sealed again after a few seasons.', 'Die Nähte älterer Zelte müssen nach einigen Saisons eventuell neu abgedichtet werden.', 'Sømmene på eldre telt kan trenge ny tetting etter noen sesonger.'],
    ],
  },
  {
    key: 'invoices',
    titles: [
      ['Paying by invoice', 'Bezahlen auf Rechnung', 'Betale med faktura'],
      ['I was charged twice', 'Mir wurde doppelt abgebucht', 'Jeg er belastet to ganger'],
      ['Changing the invoice address', 'Rechnungsadresse ändern', 'Endre fakturaadresse'],
    ],
    sentences: [
      ['Invoices are sent by email and are due within 14 days.', 'Rechnungen werden per E-Mail verschickt und sind innerhalb von 14 Tagen fällig.', 'Fakturaer sendes på e-post og forfaller innen 14 dager.'],
      ['If you were charged twice, the second charge is usually a reservation that disappears within a few days.', 'Wurde Ihnen doppelt abgebucht, ist die zweite Buchung meist eine Reservierung, die nach einigen Tagen verschwindet.', 'Hvis du er belastet to ganger, er den andre belastningen som regel en reservasjon som forsvinner etter noen dager.'],
      ['You can change the invoice address until the order has been shipped.', 'Die Rechnungsadresse können Sie ändern, bis die Bestellung versendet wurde.', 'Du kan endre fakturaadressen frem til bestillingen er sendt.'],
      ['Company invoices show the VAT number when you add it to your account.', 'Firmenrechnungen zeigen die Umsatzsteuer-ID, wenn Sie sie in Ihrem Konto hinterlegen.', 'Firmafakturaer viser organisasjonsnummeret når du legger det inn på kontoen din.'],
      ['A reminder fee is added to overdue invoices.', 'Für überfällige Rechnungen fällt eine Mahngebühr an.', 'Det legges til purregebyr på forfalte fakturaer.'],
    ],
  },
  {
    key: 'sizes',
    titles: [
      ['Finding the right size', 'Die richtige Größe finden', 'Finn riktig størrelse'],
      ['Exchanging for another size', 'Umtausch in eine andere Größe', 'Bytte til en annen størrelse'],
    ],
    sentences: [
      ['Our jackets are cut for layering, so choose your usual size.', 'Unsere Jacken sind für mehrere Schichten geschnitten, wählen Sie also Ihre übliche Größe.', 'Jakkene våre er sydd for lag-på-lag, så velg din vanlige størrelse.'],
      ['Boots run small; we recommend half a size up.', 'Die Stiefel fallen klein aus; wir empfehlen eine halbe Größe größer.', 'Støvlene er små i størrelsen; vi anbefaler en halv størrelse opp.'],
      ['Exchanges are free: order the new size and return the old one.', 'Der Umtausch ist kostenlos: Bestellen Sie die neue Größe und schicken Sie die alte zurück.', 'Bytte er gratis: bestill den nye størrelsen og returner den gamle.'],
      ['The size charts list chest, waist and inside leg in centimetres.', 'Die Größentabellen nennen Brust, Taille und Innenbeinlänge in Zentimetern.', 'Størrelsestabellene viser bryst, midje og innerbenlengde i centimeter.'],
      ["Children's sizes are given by height.", 'Kindergrößen richten sich nach der Körpergröße.', 'Barnestørrelser oppgis etter høyde.'],
    ],
  },
  {
    key: 'warranty',
    titles: [
      ['Warranty and repairs', 'Garantie und Reparaturen', 'Garanti og reparasjoner'],
      ['A zip has broken', 'Ein Reißverschluss ist kaputt', 'En glidelås har røket'],
    ],
    sentences: [
      ['All products carry a two-year warranty against manufacturing faults.', 'Alle Produkte haben zwei Jahre Garantie auf Herstellungsfehler.', 'Alle produkter har to års garanti mot produksjonsfeil.'],
      ['Send us photos of the fault and your order number.', 'Schicken Sie uns Fotos des Fehlers und Ihre Bestellnummer.', 'Send oss bilder av feilen og ordrenummeret ditt.'],
      ['Broken zips are repaired free of charge during the warranty period.', 'Kaputte Reißverschlüsse reparieren wir während der Garantiezeit kostenlos.', 'Ødelagte glidelåser repareres gratis i garantitiden.'],
      ['Repairs usually take two to three weeks.', 'Reparaturen dauern in der Regel zwei bis drei Wochen.', 'Reparasjoner tar vanligvis to til tre uker.'],
    ],
  },
  {
    key: 'account',
    titles: [
      ['Resetting your password', 'Passwort zurücksetzen', 'Tilbakestille passordet'],
      ['Changing your order after checkout', 'Bestellung nach dem Kauf ändern', 'Endre bestillingen etter kjøpet'],
    ],
    sentences: [
      ['Use the link on the sign-in page to reset your password.', 'Über den Link auf der Anmeldeseite setzen Sie Ihr Passwort zurück.', 'Bruk lenken på innloggingssiden for å tilbakestille passordet.'],
      ['Orders can be changed or cancelled within one hour of ordering.', 'Bestellungen können innerhalb einer Stunde nach der Bestellung geändert oder storniert werden.', 'Bestillinger kan endres eller kanselleres innen én time etter at du bestilte.'],
      ['Your order history shows all orders, returns and invoices.', 'Ihr Bestellverlauf zeigt alle Bestellungen, Rücksendungen und Rechnungen.', 'Ordrehistorikken viser alle bestillinger, returer og fakturaer.'],
      ['We never ask for your password by email.', 'Wir fragen niemals per E-Mail nach Ihrem Passwort.', 'Vi spør aldri om passordet ditt på e-post.'],
    ],
  },
];
const FILLER: Tri[] = [
  ['Contact customer service if you have any questions.', 'Bei Fragen hilft Ihnen unser Kundenservice gern.', 'Ta kontakt med kundeservice hvis du har spørsmål.'],
  ['This applies to orders from our online shop and our stores.', 'Dies gilt für Bestellungen aus unserem Onlineshop und unseren Filialen.', 'Dette gjelder bestillinger fra nettbutikken og butikkene våre.'],
  ['Have your order number ready when you call us.', 'Halten Sie Ihre Bestellnummer bereit, wenn Sie uns anrufen.', 'Ha ordrenummeret klart når du ringer oss.'],
  ['Applies to: {p}.', 'Gilt für: {p}.', 'Gjelder: {p}.'],
];
const PRODUCTS = ['Fjellvidde 2 tent', 'Trollstigen 3 tent', 'Nordlys UL sleeping bag', 'Skarvet rain jacket', 'Hardanger hiking boots', 'Lofoten down jacket', 'Rondane 45 backpack', 'Jotun fleece'];

interface KbRows { ids: string[]; slugs: string[]; status: string[]; visibility: string[]; tags: string[]; tr: { article: string[]; lang: string[]; title: string[]; body: string[] } }

/** N articles with parallel translations: a topic's title, 3–6 of its sentences, one from another topic, a filler line. */
function kbRows(n: number, seed = 7): KbRows {
  const r = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const out: KbRows = { ids: [], slugs: [], status: [], visibility: [], tags: [], tr: { article: [], lang: [], title: [], body: [] } };
  for (let i = 0; i < n; i++) {
    const topic = TOPICS[i % TOPICS.length];
    const other = TOPICS[(i + 1 + Math.floor(r() * (TOPICS.length - 1))) % TOPICS.length];
    const k = 3 + Math.floor(r() * 4);
    const own = [...topic.sentences].sort(() => r() - 0.5).slice(0, k);
    const parts: Tri[] = [...own.slice(0, 2), pick(other.sentences), ...own.slice(2), pick(FILLER)];
    const title = pick(topic.titles);
    const product = pick(PRODUCTS);
    const id = randomUUID();
    out.ids.push(id);
    out.slugs.push(`${topic.key}-${i + 1}`);
    const u = r();
    out.status.push(u < 0.93 ? 'published' : 'draft');
    out.visibility.push(u < 0.9 || u >= 0.93 ? 'public' : 'internal');
    out.tags.push(`{${topic.key}}`);
    LANGS.forEach((lang, li) => {
      const sentences = parts.map((t) => t[li].replace('{p}', product));
      out.tr.article.push(id);
      out.tr.lang.push(lang);
      out.tr.title.push(`${title[li]} – ${product} (${i + 1})`);
      out.tr.body.push(`${sentences.slice(0, 3).join(' ')}\n\n${sentences.slice(3).join(' ')}`);
    });
  }
  return out;
}

const QUERIES: Record<Lang, string[]> = {
  en: ['returned orders', 'refunds', 'delayed delivery', 'broken tent poles', 'invoices', 'charged twice'],
  de: ['Rücksendungen', 'Erstattung', 'verspätete Lieferung', 'Zelte', 'Rechnungen', 'Größe umtauschen'],
  nb: ['bestillingene', 'refusjon', 'forsinket levering', 'teltet', 'fakturaer', 'bytte størrelse'],
};

const ILIKE_SQL = `SELECT t.article_id, t.title FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id
  WHERE t.account_id = $1 AND t.lang = $2 AND a.status = 'published' AND a.visibility = 'public' AND (t.title || ' ' || t.body) ILIKE $3
  ORDER BY t.title LIMIT 10`;
const ILIKE_COUNT = `SELECT count(*)::int AS n FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id
  WHERE t.account_id = $1 AND t.lang = $2 AND a.status = 'published' AND a.visibility = 'public' AND (t.title || ' ' || t.body) ILIKE $3`;
/** The articles searchArticles matches (publicOnly), without its limit. */
const FTS_COUNT = `WITH q AS (SELECT websearch_to_tsquery('english', $2) AS en, websearch_to_tsquery('german', $2) AS de, websearch_to_tsquery('norwegian', $2) AS nb)
  SELECT count(DISTINCT a.id)::int AS n FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id, q
   WHERE t.account_id = $1 AND a.status = 'published' AND a.visibility = 'public'
     AND ((t.lang = 'en' AND t.tsv @@ q.en) OR (t.lang = 'de' AND t.tsv @@ q.de) OR (t.lang = 'nb' AND t.tsv @@ q.nb))`;
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface KbResult { perLang: { lang: Lang; search: number[]; ilike: number[]; ftsHits: number; likeHits: number }[]; perQuery: [string, number, number][]; insertS: number }

async function benchKb(ctx: Ctx, accountId: string): Promise<KbResult> {
  const rows = kbRows(ARTICLES);
  const ins = await timed(() => ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO kb_articles (id, account_id, slug, status, visibility, tags, published_at)
       SELECT id, $1, slug, status, visibility, tags::text[], CASE WHEN status = 'published' THEN now() END
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, slug, status, visibility, tags)`,
      [accountId, rows.ids, rows.slugs, rows.status, rows.visibility, rows.tags],
    );
    await tx.query(
      `INSERT INTO kb_translations (article_id, account_id, lang, title, body)
       SELECT article_id, $1, lang, title, body FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS t(article_id, lang, title, body)`,
      [accountId, rows.tr.article, rows.tr.lang, rows.tr.title, rows.tr.body],
    );
  }));
  await ctx.db.query('ANALYZE kb_articles');
  await ctx.db.query('ANALYZE kb_translations');
  const check = await ctx.db.query<{ n: number; empty: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE tsv IS NULL OR length(tsv) = 0)::int AS empty FROM kb_translations WHERE account_id = $1`, [accountId]);
  if (check.rows[0].n !== rows.tr.article.length || check.rows[0].empty) throw new Error(`kb rows: ${JSON.stringify(check.rows[0])}`);

  const search = (q: string, lang: Lang) => searchArticles(ctx.db, accountId, { q, lang, publicOnly: true, limit: 10 });
  const ilike = (q: string, lang: Lang) => ctx.db.query(ILIKE_SQL, [accountId, lang, likePattern(q)]);
  // Warm-up: every query once each way.
  for (const lang of LANGS) for (const q of QUERIES[lang]) { await search(q, lang); await ilike(q, lang); }

  const result: KbResult = { perLang: [], perQuery: [], insertS: ins.ms / 1000 };
  for (const lang of LANGS) {
    const s: number[] = [];
    const b: number[] = [];
    let ftsHits = 0;
    let likeHits = 0;
    for (const q of QUERIES[lang]) {
      for (let i = 0; i < SEARCH_RUNS; i++) {
        // Alternate which goes first, so neither always runs on the other's warm cache.
        if (i % 2) { b.push((await timed(() => ilike(q, lang))).ms); s.push((await timed(() => search(q, lang))).ms); }
        else { s.push((await timed(() => search(q, lang))).ms); b.push((await timed(() => ilike(q, lang))).ms); }
      }
      const f = (await ctx.db.query<{ n: number }>(FTS_COUNT, [accountId, q])).rows[0].n;
      const l = (await ctx.db.query<{ n: number }>(ILIKE_COUNT, [accountId, lang, likePattern(q)])).rows[0].n;
      ftsHits += f;
      likeHits += l;
      result.perQuery.push([`${lang}: ${q}`, f, l]);
    }
    result.perLang.push({ lang, search: s, ilike: b, ftsHits, likeHits });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Leaders' daily draw.

interface DrawResult { draws: number[]; baseline: number[]; open: number; madeOpen: number; qualifying: number; candidates: number[]; picked: number; toDeputy: number; unassigned: number; seedS: number; dates: string[] }

/** The next `n` Monday–Friday dates from today (UTC), today included. */
function workingDates(n: number): string[] {
  const out: string[] = [];
  for (let d = DateTime.utc().startOf('day'); out.length < n; d = d.plus({ days: 1 })) if (d.weekday <= 5) out.push(d.toISODate()!);
  return out;
}

async function benchDraw(ctx: Ctx, accountId: string): Promise<DrawResult> {
  const sys = systemPrincipal(accountId);
  for (const name of ['Returns', 'Delivery', 'Billing']) await createQueue(ctx, sys, { name });
  for (let i = 1; i <= 4; i++) await addUser(ctx, sys, { email: `agent${i}@people.bench`, name: `Agent ${i}`, role: 'agent' });
  const deputy = await addUser(ctx, sys, { email: 'deputy@people.bench', name: 'Dora Deputy', role: 'supervisor' });
  const leaders: string[] = [];
  for (let i = 1; i <= LEADERS; i++) leaders.push((await addUser(ctx, sys, { email: `leader${i}@people.bench`, name: `Leader ${i}`, role: 'leader' })).id);

  const seeded = await timed(() => seedConversations(ctx, accountId, CONVERSATIONS));
  // The seed rotates through all statuses (4 of 7 open); the brief is open conversations, so the closed ones are reopened.
  const reopened = await ctx.db.query(
    `UPDATE conversations SET status = (ARRAY['new', 'open', 'pending'])[1 + number % 3]
      WHERE account_id = $1 AND status NOT IN ('new', 'open', 'pending')`, [accountId]);
  await ctx.db.query('ANALYZE conversations');
  await ctx.db.query('ANALYZE messages');
  await ctx.db.query('ANALYZE customers');
  // What makes a candidate (docs/leaders.md): open, not automatic, not merged, no probe customer, a real customer message.
  const q = await ctx.db.query<{ open: number; qualifying: number; customers: number }>(
    `SELECT count(*) FILTER (WHERE c.status IN ('new', 'open', 'pending'))::int AS open,
            count(*) FILTER (WHERE c.status IN ('new', 'open', 'pending') AND NOT c.automatic AND c.merged_into IS NULL
              AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'message' AND m.author_type = 'customer' AND NOT m.automatic)
              AND NOT EXISTS (SELECT 1 FROM probes pr WHERE pr.account_id = c.account_id AND pr.customer_id = c.customer_id))::int AS qualifying,
            count(DISTINCT c.customer_id)::int AS customers
       FROM conversations c WHERE c.account_id = $1`, [accountId]);

  const strata = [[], ['channel'], ['queue', 'language']];
  for (let i = 0; i < leaders.length; i++)
    await saveSettings(ctx, sys, leaders[i], { requestsPerDay: 1 + (i % 3), weeklyCap: 8, deputyId: deputy.id, stratify: strata[i % 3] });
  await saveSettings(ctx, sys, deputy.id, { requestsPerDay: 1, weeklyCap: 4 });
  const dates = workingDates(DAYS);
  await addAbsence(ctx, sys, leaders[0], { from: dates[Math.min(1, dates.length - 1)], to: dates[Math.min(1, dates.length - 1)], note: 'bench' });

  const baselineSql = `SELECT id FROM conversations WHERE account_id = $1 AND status IN ('new', 'open', 'pending') ORDER BY random() LIMIT 3`;
  for (let i = 0; i < 3; i++) await ctx.db.query(baselineSql, [accountId]);
  const result: DrawResult = { draws: [], baseline: [], open: q.rows[0].open, madeOpen: reopened.rowCount, qualifying: q.rows[0].qualifying, candidates: [], picked: 0, toDeputy: 0, unassigned: 0, seedS: seeded.ms / 1000, dates };
  let seed = 1;
  for (const date of dates) {
    for (const leader of leaders) {
      result.baseline.push((await timed(() => ctx.db.query(baselineSql, [accountId]))).ms);
      const d = await timed(() => draw(ctx, sys, leader, { date, seed: seed++ }));
      if (d.value.existing) throw new Error('draw existed already');
      result.draws.push(d.ms);
      result.candidates.push(d.value.candidateCount);
      result.picked += d.value.picks.length;
      result.unassigned += d.value.unassigned.length;
      result.toDeputy += d.value.items.filter((it) => it.reason).length;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------

interface Summary { backend: string; kb: KbResult; draw: DrawResult }

async function benchBackend(backend: string, db: Db): Promise<Summary> {
  await migrate(db);
  const config = loadConfig({}, { logLevel: 'silent', runJobs: false, databaseUrl: undefined });
  const ctx: Ctx = { db, config, now: () => new Date() };
  const suffix = randomBytes(3).toString('hex');
  const kbAccount = (await createAccount(ctx, { name: 'kb', slug: `kb-${suffix}` })).id;
  const kb = await benchKb(ctx, kbAccount);
  console.log(`  [${backend}] knowledge base: ${fmt(ARTICLES)} articles × 3 languages inserted in ${fmt(kb.insertS, 2)} s, searches done`);
  const drawAccount = (await createAccount(ctx, { name: 'leaders', slug: `leaders-${suffix}` })).id;
  const d = await benchDraw(ctx, drawAccount);
  console.log(`  [${backend}] draw: ${fmt(CONVERSATIONS)} conversations seeded in ${fmt(d.seedS, 2)} s, ${fmt(d.draws.length)} draws done`);
  return { backend, kb, draw: d };
}

const ms = (x: number) => fmt(x, x < 10 ? 2 : 1);

function report(all: Summary[]) {
  console.log(`\nKnowledge-base search: ${fmt(ARTICLES)} articles (en, de, nb each, 90 % published public), ${QUERIES.en.length} queries per language × ${SEARCH_RUNS} runs`);
  console.log(`searchArticles(publicOnly, limit 10) vs baseline ILIKE '%query%' over title || body in the language (ORDER BY title LIMIT 10)`);
  const rows = [['backend', 'lang', 'search median ms', 'p95', 'ILIKE median ms', 'p95', 'search / ILIKE', 'articles found: search', 'ILIKE']];
  for (const s of all)
    for (const l of s.kb.perLang)
      rows.push([s.backend, l.lang, ms(median(l.search)), ms(p95(l.search)), ms(median(l.ilike)), ms(p95(l.ilike)), `${fmt(ratio(median(l.search), median(l.ilike)), 2)}×`, fmt(l.ftsHits), fmt(l.likeHits)]);
  printTable(rows);
  console.log('\nArticles each finds, per query (stemmed full-text search in all three languages vs substring in the query language):');
  printTable([['query', 'search', 'ILIKE'], ...all[0].kb.perQuery.map(([q, f, l]) => [q, fmt(f), fmt(l)])]);
  for (const s of all.slice(1))
    if (JSON.stringify(s.kb.perQuery) !== JSON.stringify(all[0].kb.perQuery)) console.log(`  (${s.backend} found different counts: ${JSON.stringify(s.kb.perQuery)})`);

  const d0 = all[0].draw;
  console.log(`\nLeaders' daily draw: ${fmt(CONVERSATIONS)} seeded conversations (${fmt(d0.madeOpen)} set open afterwards; ${fmt(d0.open)} open, ${fmt(d0.qualifying)} qualify), one per customer → candidates`);
  console.log(`${LEADERS} leaders × ${DAYS} working days (${d0.dates[0]} … ${d0.dates.at(-1)}), draw() vs baseline SELECT id … ORDER BY random() LIMIT 3, same number of runs`);
  const drows = [['backend', 'draws', 'candidates', 'draw median ms', 'p95', 'baseline median ms', 'p95', 'draw / baseline', 'picked', 'to deputy', 'unassigned']];
  for (const s of all) {
    const d = s.draw;
    drows.push([s.backend, fmt(d.draws.length), `${fmt(Math.min(...d.candidates))}–${fmt(Math.max(...d.candidates))}`, ms(median(d.draws)), ms(p95(d.draws)),
      ms(median(d.baseline)), ms(p95(d.baseline)), `${fmt(ratio(median(d.draws), median(d.baseline)), 1)}×`, fmt(d.picked), fmt(d.toDeputy), fmt(d.unassigned)]);
  }
  printTable(drows);
}

const results: Summary[] = [];
const t0 = performance.now();
if (BACKENDS.includes('pglite')) {
  const db = await openDb({ dataDir: 'memory://' });
  try {
    results.push(await benchBackend('PGlite', db));
  } finally {
    await db.close();
  }
}
if (BACKENDS.includes('postgres')) {
  const r = await withPostgres((db) => benchBackend('PostgreSQL', db));
  if (typeof r === 'string') console.log(`  ${r}`);
  else results.push(r);
}
if (results.length) report(results);
console.log(`\n(${fmt((performance.now() - t0) / 1000, 1)} s in all)`);
