/**
 * Journey: a supervisor reads the dashboard on a phone (390 × 844; issue 13, item 9). Martin (German) opens the bank's
 * 1 February 1999 and must read the same message first: the headline within the screen's width, the abandon rate
 * with its denominator, the distribution's human buckets (two-line labels) and the survival plot's fewer round ticks.
 * Its own file so the desktop journey and this one each stay within a test file's time budget.
 * Screenshot: test-results/web-supervisor-dashboard-phone.png; timings in test-results/journey-timings.jsonl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, WEB_E2E_SKIP, checkA11y, phoneContext, screenshot, signIn, step, switchLanguage, watchErrors, webSuite } from './web-harness.js';
import { SKIP_BANK } from './bank-reference.js';
import { DASHBOARD_DAY, importBankDay, readDashboard } from './supervisor-dashboard.js';

const skip = WEB_E2E_SKIP || SKIP_BANK;
if (!WEB_E2E_SKIP && SKIP_BANK) console.log(`# ${SKIP_BANK}: the supervisor's phone journey is skipped`);
const w = webSuite();
const JOURNEY = 'supervisor reads the dashboard on a phone';

test('journey: Martin reads the dashboard on a phone (390 px) — the headline first, within the width', { skip, timeout: 170_000 }, async () => {
  await importBankDay(w.env.req, w.demoTokens.admin);
  const url = DASHBOARD_DAY;
  const phone = await (await phoneContext(w, { locale: 'de-DE' })).newPage();
  const phoneErrors = watchErrors(phone);
  await step(JOURNEY, 'sign in on a phone (390 px)', () => signIn(phone, DEMO.supervisor));
  if ((await phone.locator('html').getAttribute('lang')) !== 'de') await switchLanguage(phone, 'Deutsch');
  const waits = phone.waitForResponse((x) => x.url().includes('/api/v1/reports/waits?') && x.url().includes('from=1999-02-01') && !x.url().includes('by='));
  await step(JOURNEY, 'open the dashboard on the phone until the headline is read', async () => {
    await phone.goto(url);
    await phone.getByTestId('dashboard-headline').waitFor();
  });
  const r = await (await waits).json();
  await step(JOURNEY, 'read the figures and charts on the phone', () => readDashboard(phone, r, 'de', true));
  const right = await phone.getByTestId('dashboard-headline').evaluate((el) => el.getBoundingClientRect().right);
  assert.ok(right <= 390, `the headline fits the phone's width (right edge ${right})`);
  await checkA11y(phone, 'the dashboard on a phone');
  await screenshot(phone, 'supervisor-dashboard-phone');
  assert.deepEqual(phoneErrors, []);
});
