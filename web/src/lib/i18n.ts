/**
 * i18next with the app's texts in English, German and Norwegian Bokmål: one JSON file per feature and language under
 * src/locales/<lang>/<namespace>.json (test/web-i18n.test.ts fails when a key is missing in one language).
 * Dates, numbers and durations go through Intl in the chosen locale (lib/format.ts).
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGS = ['en', 'de', 'nb'] as const;
export type Lang = (typeof LANGS)[number];

const files = import.meta.glob('../locales/*/*.json', { eager: true, import: 'default' }) as Record<string, Record<string, unknown>>;
const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, texts] of Object.entries(files)) {
  const [, lang, ns] = path.match(/locales\/(\w+)\/(\w+)\.json$/)!;
  resources[lang] ??= {};
  resources[lang][ns] = texts;
}

export function initialLang(): Lang {
  const saved = localStorage.getItem('earshot.lang');
  if (saved && (LANGS as readonly string[]).includes(saved)) return saved as Lang;
  for (const l of navigator.languages ?? [navigator.language]) {
    const tag = l.toLowerCase();
    if (tag.startsWith('de')) return 'de';
    if (tag.startsWith('nb') || tag.startsWith('no') || tag.startsWith('nn')) return 'nb';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLang(),
  fallbackLng: 'en',
  defaultNS: 'common',
  ns: Object.keys(resources.en ?? {}),
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (l) => {
  document.documentElement.lang = l;
  localStorage.setItem('earshot.lang', l);
});

export default i18n;
