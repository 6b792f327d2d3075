/**
 * What a supervisor must read on the dashboard, in the words of each language (test/journeys-supervisor*.e2e.test.ts):
 * the expected headline, abandon denominator, bucket labels and ticks computed from the waits report, the locale
 * files and Intl, and a check of what the page shows (text on screen and the charts' SVG text).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { until } from './web-harness.js';
import { BANK_LOG } from './bank-reference.js';

export type Lang = 'de' | 'nb' | 'en';
const LOCALE: Record<Lang, string> = { en: 'en-GB', de: 'de-DE', nb: 'nb-NO' };
const texts = (lang: Lang) => JSON.parse(readFileSync(`web/src/locales/${lang}/dashboard.json`, 'utf8'));
const fill = (s: string, v: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k) => v[k]);
const num = (n: number, lang: Lang, digits = 0) => new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: digits }).format(n);
const pct = (x: number, lang: Lang, digits = 1) => new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: digits }).format(x);

/** How a person says a wait, from the locale's unit words: 41 s, 1 min 20 s, 21 min, 18 h 11 min. */
export function said(seconds: number, lang: Lang): string {
  const u = texts(lang).units;
  const s = Math.round(seconds);
  const f = (k: 's' | 'min' | 'h', n: number) => fill(u[k], { n: num(n, lang) });
  if (s < 60) return f('s', s);
  if (s < 120) return s % 60 ? `${f('min', 1)} ${f('s', s % 60)}` : f('min', 1);
  if (s < 3600) return f('min', Math.round(s / 60));
  const m = Math.floor((s % 3600) / 60);
  return m ? `${f('h', Math.floor(s / 3600))} ${f('min', m)}` : f('h', Math.floor(s / 3600));
}

/** The texts inside a chart's SVG (axis labels, markers, legend) as drawn; the lines of a two-line label joined by a space. */
const chartTexts = (page: Page, testId: string) =>
  page.getByTestId(testId).locator('[role="img"] svg').evaluate((svg) => [...svg.querySelectorAll('text')].map((t) => {
    const spans = [...t.querySelectorAll('tspan')];
    return spans.length ? spans.map((x) => x.textContent ?? '').join(' ') : t.textContent ?? '';
  }));

/** The text each language's reader must find on the dashboard for the bank's February 1999. */
export function expected(r: any, lang: Lang) {
  const d = texts(lang);
  const asa = r.reported.asaSeconds;
  const multi = r.journeys.multiAttemptWaitSeconds.p50;
  const ratio = multi / asa;
  const u = d.units;
  const tick = (s: number) => (s < 60 ? fill(u.s, { n: String(s) }) : s < 3600 ? fill(u.min, { n: String(s / 60) }) : fill(u.h, { n: String(s / 3600) }));
  const range = (a: number, b: number, k: 's' | 'min') => fill(u[k], { n: `${a}–${b}` });
  return {
    reported: fill(d.headline.reported, { asa: said(asa, lang) }),
    headline: fill(d.headline.multi, { lived: said(multi, lang), ratio: num(ratio, lang, ratio >= 10 ? 0 : 1) }),
    abandonRate: pct(r.reported.abandonRate, lang),
    abandonOf: fill(d.figures.abandonOf, { queued: num(r.queued, lang) }),
    buckets: [`< ${tick(20)}`, range(20, 60, 's'), range(1, 2, 'min'), range(2, 5, 'min'), range(5, 10, 'min'), range(10, 30, 'min'), range(30, 60, 'min'), `> ${tick(3600)}`],
    ticks: [30, 60, 300, 1800, 7200, 28800].map(tick),
    narrowTicks: [60, 600, 3600, 28800].map(tick),
    d,
  };
}

/** What the person reads, checked in one language (desktop or phone). */
export async function readDashboard(page: Page, r: any, lang: Lang, narrow = false) {
  const e = expected(r, lang);
  const headline = page.getByTestId('dashboard-headline');
  await headline.getByText(e.headline, { exact: true }).waitFor();
  await headline.getByText(e.reported, { exact: true }).waitFor();
  assert.equal(await headline.getAttribute('aria-label'), e.d.headline.label);
  // The headline is the first thing under the page title: above the filters and every figure.
  const [hBox, filters] = await Promise.all([headline.boundingBox(), page.getByRole('table', { name: e.d.figures.reported, exact: true }).boundingBox()]);
  assert.ok(hBox && filters && hBox.y < filters.y, 'the headline stands above the figures');
  assert.ok(hBox.y + hBox.height < (narrow ? 844 * 1.5 : 860), `the headline is read without scrolling far (bottom at ${hBox.y + hBox.height})`);

  // The abandon rate with its denominator, and the queued contacts as a figure of their own.
  const reported = page.getByRole('table', { name: e.d.figures.reported, exact: true });
  const abandon = reported.getByRole('row', { name: new RegExp(`^${esc(e.d.figures.abandonRate)}`) }).getByRole('cell');
  await abandon.filter({ hasText: e.abandonRate }).filter({ hasText: e.abandonOf }).waitFor();
  await reported.getByRole('row', { name: new RegExp(`^${esc(e.d.figures.queued)}`) }).getByRole('cell').filter({ hasText: new RegExp(`^${esc(num(r.queued, lang))}$`) }).waitFor();

  // The distribution: eight human buckets, written horizontally, the markers, the tail in words.
  await until('the distribution drawn with human buckets', async () => {
    const labels = (await chartTexts(page, 'plot-distribution')).map((t) => t.replace(/\s+/g, ' ').trim());
    // A two-line label may be drawn as two <text> elements, one after the other.
    const pairs = labels.slice(1).map((x, i) => `${labels[i]} ${x}`);
    return e.buckets.every((b) => labels.includes(b) || pairs.includes(b));
  });
  const dist = await chartTexts(page, 'plot-distribution');
  assert.ok(dist.some((t) => t.includes(fill(e.d.plot.asaLine, { value: said(r.reported.asaSeconds, lang) }))), `the ASA marker in ${dist.join(' | ')}`);
  assert.ok(dist.some((t) => t.includes(fill(e.d.plot.medianLine, { value: said(r.journeys.waitSeconds.p50, lang) }))), 'the median marker');
  assert.ok(dist.some((t) => t.includes(fill(e.d.plot.p90Line, { value: said(r.journeys.waitSeconds.p90, lang) }))), 'the p90 marker');
  assert.ok(!dist.some((t) => /secs|mins|hrs|Sek\.|Min\. \d/.test(t)), `no raw durations on the axis: ${dist.join(' | ')}`);
  const rotated = await page.getByTestId('plot-distribution').locator('svg text[transform*="rotate"]').count();
  assert.equal(rotated, 0, 'the bucket labels are horizontal');
  const tail = await page.getByTestId('distribution-tail').innerText();
  // The tail is cut at the first human edge at least five times the ASA (1 min … 1 h).
  const cut = [60, 120, 300, 600, 1800, 3600].find((x) => x >= Math.min(5 * r.reported.asaSeconds, 3600))!;
  assert.match(tail, new RegExp(`${esc(said(cut, lang))}.*${esc(said(r.reported.asaSeconds, lang))}`), `the tail sentence: ${tail}`);
  await page.getByRole('img', { name: new RegExp(esc(said(r.reported.asaSeconds, lang))) }).first().waitFor();

  // The survival plot: round ticks (30 s, 1 min, 5 min … 1 h), not "1 min 40 secs / 16 mins 40 secs".
  const surv = await chartTexts(page, 'plot-survival');
  for (const tk of narrow ? e.narrowTicks : e.ticks) assert.ok(surv.includes(tk), `survival tick ${tk} in ${surv.join(' | ')}`);
  assert.ok(!surv.some((t) => /\d+ (secs|mins|hrs)|Sek\.|Std\. \d/.test(t)), `no raw tick like "1 min 40 secs": ${surv.join(' | ')}`);
  return e;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');


/** Imports the bank's 1 February 1999 (a Monday) into the demo account; the whole month takes the import alone past a
 * test file's time budget on a loaded machine (test/web-dashboard.e2e.test.ts reads the whole month). */
export async function importBankDay(req: (m: string, u: string, o: any) => Promise<{ status: number; body: string }>, token: string) {
  const [head, ...rows] = readFileSync(BANK_LOG, 'utf8').split('\n');
  const day = `${[head, ...rows.filter((l) => /\t990201\t/.test(l))].join('\n')}\n`;
  const imp = await req('POST', '/api/v1/imports/seelab?tz=Asia/Jerusalem', { token, body: day, headers: { 'content-type': 'text/tab-separated-values' } });
  assert.equal(imp.status, 201, imp.body);
}

export const DASHBOARD_DAY = '/dashboard?period=custom&from=1999-02-01&to=1999-02-01&threshold=20';
