/**
 * A quick language guess among Earshot's three languages from function words, used to pick a stemmer and a reply
 * language. Text in other languages stays null rather than being forced into one of the three.
 * (The listening module brings the full analysis.)
 */
const WORDS: Record<'en' | 'de' | 'nb', string[]> = {
  en: ['the', 'and', 'is', 'are', 'you', 'your', 'my', 'i', 'to', 'of', 'it', 'not', 'have', 'was', 'for', 'with', 'this', 'that', 'please', 'thanks', 'hello', 'order', 'what', 'why', 'can'],
  de: ['der', 'die', 'das', 'und', 'ist', 'ich', 'nicht', 'sie', 'mein', 'meine', 'ein', 'eine', 'zu', 'mit', 'auf', 'für', 'habe', 'wir', 'bitte', 'danke', 'hallo', 'warum', 'noch', 'auch', 'schon', 'wurde', 'keine'],
  nb: ['og', 'jeg', 'er', 'ikke', 'det', 'på', 'en', 'et', 'til', 'med', 'har', 'min', 'mitt', 'mine', 'dere', 'hei', 'takk', 'som', 'av', 'for', 'vi', 'hva', 'hvorfor', 'kan', 'fortsatt', 'ble', 'jeg', 'meg', 'ingen'],
};
const SETS = Object.fromEntries(Object.entries(WORDS).map(([k, v]) => [k, new Set(v)])) as Record<'en' | 'de' | 'nb', Set<string>>;

export type Lang = 'en' | 'de' | 'nb';

export function guessLanguage(text: string): Lang | null {
  const words = text.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  if (words.length === 0) return null;
  const score: Record<Lang, number> = { en: 0, de: 0, nb: 0 };
  for (const w of words) for (const l of ['en', 'de', 'nb'] as Lang[]) if (SETS[l].has(w)) score[l]++;
  // Letters that only one of the languages uses settle close calls.
  if (/[äöüß]/i.test(text)) score.de += 2;
  if (/[æøå]/i.test(text)) score.nb += 2;
  const ranked = (Object.entries(score) as [Lang, number][]).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (best[1] < 2 && best[1] / words.length < 0.2) return null;
  if (best[1] === second[1]) return null;
  return best[0];
}
