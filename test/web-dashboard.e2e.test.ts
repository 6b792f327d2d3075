/**
 * The leaders' dashboard in headless Chromium after importing the bank call log (../shared/data, the journeys
 * issue's data set) into the demo account: the reported ASA (about 41 s) and the lived figures (multi-attempt journeys
 * waited a median of about 21 minutes) are on the screen, in English, German and Norwegian number formats; the live
 * queue wall. Screenshots: test-results/web-dashboard-*.png, web-wall.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { DEMO, WEB_E2E_SKIP, checkA11y, screenshot, signIn, switchLanguage, until, watchErrors, webSuite } from './web-harness.js';
import { BANK_LOG, SKIP_BANK } from './bank-reference.js';

const skip = WEB_E2E_SKIP;
const skipBank = skip || SKIP_BANK;
if (!skip && SKIP_BANK) console.log(`# ${SKIP_BANK}: the dashboard test with the bank call log is skipped`);

const w = webSuite();

/** The app's fmtDuration (web/src/lib/format.ts) in a locale, to know what the screen must show. */
function duration(seconds: number, locale: string): string {
  const s = Math.round(seconds);
  const unit = (v: number, u: 'hour' | 'minute' | 'second') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(v);
  if (s < 60) return unit(s, 'second');
  if (s < 3600) return `${unit(Math.floor(s / 60), 'minute')} ${s % 60 ? unit(s % 60, 'second') : ''}`.trim();
  return `${unit(Math.floor(s / 3600), 'hour')} ${Math.floor((s % 3600) / 60) ? unit(Math.floor((s % 3600) / 60), 'minute') : ''}`.trim();
}
/** The dashboard's figures in the locale's unit words (web/src/features/dashboard/human.ts fmtHuman): 41 s · 8 min 30 s · 2 h 5 min. */
function said(seconds: number, locale: string): string {
  const u = JSON.parse(readFileSync(`web/src/locales/${locale.slice(0, 2)}/dashboard.json`, 'utf8')).units;
  const s = Math.round(seconds);
  const f = (k: 's' | 'min' | 'h', n: number) => u[k].replace('{{n}}', new Intl.NumberFormat(locale).format(n));
  if (s < 60) return f('s', s);
  if (s < 3600) return s % 60 ? `${f('min', Math.floor(s / 60))} ${f('s', s % 60)}` : f('min', s / 60);
  const m = Math.floor((s % 3600) / 60);
  return m ? `${f('h', Math.floor(s / 3600))} ${f('min', m)}` : f('h', Math.floor(s / 3600));
}
const number = (n: number, locale: string) => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);

/** The value cell of a figure row, found by the table's accessible name and the row header. */
const figure = (page: Page, table: string, row: string | RegExp) =>
  page.getByRole('table', { name: table, exact: true }).getByRole('row', { name: row }).getByRole('cell');

test('dashboard after importing the bank call log: reported ASA and lived figures on screen, in en, de and nb', { skip: skipBank, timeout: 170_000 }, async () => {
  const imp = await w.env.req('POST', '/api/v1/imports/seelab?tz=Asia/Jerusalem', {
    token: w.demoTokens.admin, body: readFileSync(BANK_LOG, 'utf8'), headers: { 'content-type': 'text/tab-separated-values' },
  });
  assert.equal(imp.status, 201, imp.body);

  const ctx = await w.newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await signIn(page, DEMO.leader);
  await switchLanguage(page, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  // February 1999 (the log's month), as a leader picks it; the figures the screen shows come from this request.
  const waits = page.waitForResponse((r) => r.url().includes('/api/v1/reports/waits?') && r.url().includes('from=1999-02-01'));
  await page.goto('/dashboard?period=custom&from=1999-02-01&to=1999-02-28&threshold=20');
  const r = await (await waits).json();
  // The bank's story (test/journeys.test.ts holds every figure against an independent computation).
  assert.ok(Math.abs(r.reported.asaSeconds - 41) < 1, `ASA ${r.reported.asaSeconds}`);
  assert.ok(Math.abs(r.journeys.multiAttemptWaitSeconds.p50 / 60 - 21) < 1, `multi-attempt p50 ${r.journeys.multiAttemptWaitSeconds.p50}`);
  assert.ok(r.contacts > 30_000);

  const locales = { English: 'en-GB', Deutsch: 'de-DE', Norsk: 'nb-NO' } as const;
  const texts = (lang: string) => JSON.parse(readFileSync(`web/src/locales/${lang}/dashboard.json`, 'utf8'));
  const [en, de, nb] = [texts('en'), texts('de'), texts('nb')];
  const labelsFor = (d: any) => ({
    reported: d.figures.reported, lived: d.figures.lived, missed: d.figures.missed,
    asa: new RegExp(`^${esc(d.figures.asa)}`), contacts: new RegExp(`^${esc(d.figures.contacts)}`),
    p90: new RegExp(`^${esc(d.figures.contactWait.replace('{{p}}', '90'))}`), multi: new RegExp(`^${esc(d.figures.multiAttemptWait)}`),
  });
  const check = async (lang: keyof typeof locales, d: any) => {
    const l = labelsFor(d);
    const loc = locales[lang];
    await figure(page, l.reported, l.asa).filter({ hasText: said(r.reported.asaSeconds, loc) }).waitFor();
    await figure(page, l.reported, l.contacts).filter({ hasText: number(r.contacts, loc) }).waitFor();
    await figure(page, l.lived, l.p90).filter({ hasText: said(r.lived.contactWaitSeconds.p90, loc) }).waitFor();
    await figure(page, l.missed, l.multi).filter({ hasText: said(r.journeys.multiAttemptWaitSeconds.p50, loc) }).waitFor();
  };
  await page.getByRole('heading', { level: 1, name: en.title }).waitFor();
  await check('English', en);
  // The plots are there (canvas charts with a text alternative, and their tables).
  await page.getByRole('img', { name: /^Bar chart of lived waits/ }).waitFor();
  await page.getByRole('img', { name: /^Survival curve/ }).waitFor();
  const period = await page.getByTestId('dashboard-period').innerText();
  assert.match(period, /1999/);
  await checkA11y(page, 'the dashboard');
  await screenshot(page, 'dashboard');

  // German: texts, numbers and dates change.
  await switchLanguage(page, 'Deutsch');
  await page.getByRole('heading', { level: 1, name: de.title }).waitFor();
  await check('Deutsch', de);
  const periodDe = await page.getByTestId('dashboard-period').innerText();
  assert.notEqual(periodDe, period, 'the period is written the German way');
  await checkA11y(page, 'the dashboard in German');
  await screenshot(page, 'dashboard-de');

  await switchLanguage(page, 'Norsk');
  await page.getByRole('heading', { level: 1, name: nb.title }).waitFor();
  await check('Norsk', nb);
  assert.notEqual(await page.getByTestId('dashboard-period').innerText(), periodDe);
  await screenshot(page, 'dashboard-nb');
  await switchLanguage(page, 'English');
  assert.deepEqual(errors, []);
});

test('queue wall: a new email raises "waiting now" live; an agent going busy shows under Busy', { skip }, async () => {
  const wall = await (await w.newContext()).newPage();
  const errors = watchErrors(wall);
  await signIn(wall, DEMO.supervisor);
  await switchLanguage(wall, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  await wall.goto('/wall');
  const waiting = wall.getByTestId('wall-total-waiting');
  await waiting.waitFor();
  const before = Number((await waiting.innerText()).replace(/\D/g, ''));
  const live = (await w.env.req('GET', '/api/v1/reports/live', { token: w.demoTokens.supervisor })).json;
  assert.equal(before, live.totals.waiting);

  // The names listed next to the wall's "Busy" badge.
  const busyOnWall = () => wall.getByRole('region', { name: 'Agents' }).evaluate((el) => {
    const badge = [...el.querySelectorAll('.mantine-Badge-root')].find((b) => b.textContent?.trim() === 'Busy');
    return badge?.parentElement?.parentElement?.textContent ?? '';
  });
  assert.doesNotMatch(await busyOnWall(), /Ola Nordmann/);

  const mail = nodemailer.createTransport({ host: '127.0.0.1', port: w.smtpPort, secure: false, ignoreTLS: true });
  await mail.sendMail({ from: 'Per Holm <per.holm@customer.test>', to: 'support@demo.earshot.test', subject: 'Tent pegs', text: 'Do you sell titanium tent pegs?' });
  mail.close();
  await waiting.filter({ hasText: new RegExp(`^${before + 1}$`) }).waitFor({ timeout: 15_000 });

  // Ola goes busy in the app's header; the wall lists him under Busy (it refreshes every 10 s).
  const ola = await (await w.newContext()).newPage();
  await signIn(ola, DEMO.ola);
  await switchLanguage(ola, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  await ola.getByRole('combobox', { name: 'Presence' }).click();
  await ola.getByRole('option', { name: 'Busy' }).click();
  await until('the presence to be stored', async () =>
    (await w.env.db.query(`SELECT presence FROM users WHERE email = $1`, [DEMO.ola])).rows[0].presence === 'busy');
  await until('Ola under Busy on the wall', async () => (await busyOnWall()).includes('Ola Nordmann'), 20_000);
  await checkA11y(wall, 'the queue wall');
  await screenshot(wall, 'wall-live');
  assert.deepEqual(errors, []);
});

test('anecdote audit: a contradicted wait claim shows on the dashboard, one click from its conversation', { skip, timeout: 60_000 }, async () => {
  // A customer message in the demo account, recorded as a claim of 45 minutes where 5 minutes were measured.
  const m = (await w.env.db.query<{ id: string; conversation_id: string; customer_id: string | null }>(
    `SELECT m.id, m.conversation_id, c.customer_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE c.account_id = $1 AND NOT EXISTS (SELECT 1 FROM anecdote_checks a WHERE a.message_id = m.id)
      ORDER BY m.created_at LIMIT 1`, [w.demoAccountId])).rows[0];
  assert.ok(m, 'a demo message to hang the claim on');
  const now = new Date();
  await w.env.db.query(
    `INSERT INTO anecdote_checks (message_id, account_id, conversation_id, customer_id, queue_id, channel, claimed_minutes,
       measured_contact_seconds, measured_journey_seconds, verdict, week, message_at, created_at)
     VALUES ($1, $2, $3, $4, NULL, 'email', 45, 300, NULL, 'contradicted', date_trunc('week', $5::timestamptz)::date, $5, $5)`,
    [m.id, w.demoAccountId, m.conversation_id, m.customer_id, now]);
  const api = (await w.env.req('GET', '/api/v1/reports/anecdotes?by=week', { token: w.demoTokens.leader })).json;
  assert.ok(api.total.contradicted >= 1);

  const page = await (await w.newContext()).newPage();
  const errors = watchErrors(page);
  await signIn(page, DEMO.leader);
  await switchLanguage(page, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  await page.goto('/dashboard?period=7d');
  const section = page.getByRole('region', { name: 'What customers say vs what we measured' });
  await section.getByRole('table', { name: 'Anecdote audit figures' }).getByRole('row', { name: /^Claims checked/ }).waitFor();
  await section.getByRole('table', { name: 'Anecdote audit by Week' }).getByRole('row', { name: /^Week of/ }).first().waitFor();
  const link = section.getByRole('table', { name: 'Latest contradicted claims and blind spots' })
    .getByRole('link', { name: new RegExp(`^Open conversation: claimed ${esc(duration(45 * 60, 'en-GB'))}, measured ${esc(duration(300, 'en-GB'))}`) }).first();
  assert.equal(await link.getAttribute('href'), `/conversations/${m.conversation_id}`);
  // The switch regroups the table.
  await section.getByText('Channel', { exact: true }).click();
  await section.getByRole('table', { name: 'Anecdote audit by Channel' }).getByRole('row', { name: /^Email/ }).waitFor();
  await checkA11y(page, 'the anecdote audit');
  await section.screenshot({ path: 'test-results/web-dashboard-anecdotes.png' });
  await link.click();
  await page.waitForURL(`**/conversations/${m.conversation_id}`);
  assert.deepEqual(errors, []);
});

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
