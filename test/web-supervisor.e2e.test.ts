/**
 * What a supervisor or admin meets besides the dashboard's figures (issue 13, item 15), in Chromium against the demo:
 * the queue wall's longest wait on one line, multi-attempt journeys naming the customer (a link to their
 * conversations) or saying the caller is not linked to one, the audit log in words with its objects linked, the
 * goodwill budget of "Team DACH" not called "Team Team DACH", and public pages with a favicon (no 404).
 * Screenshots: test-results/web-wall-*.png, web-journeys-linked.png, web-audit-readable.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO, WEB_E2E_SKIP, checkA11y, phoneContext, screenshot, signIn, switchLanguage, until, watchErrors, webSuite } from './web-harness.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();

/** The element's rendered height against its line height: one line means no wrap. */
const lines = (page: Page, testId: string) => page.getByTestId(testId).evaluateAll((els) => els.map((el) => {
  const cs = getComputedStyle(el);
  return { text: el.textContent ?? '', lines: el.getBoundingClientRect().height / parseFloat(cs.lineHeight), overflow: el.scrollWidth - (el.parentElement?.clientWidth ?? 0) };
}));

test('queue wall: the longest wait ("18 h 11 min") stays on one line and inside its column, on a wall screen and a phone', { skip, timeout: 60_000 }, async () => {
  for (const [name, ctx] of [['wall-desktop', await w.newContext()], ['wall-phone', await phoneContext(w)]] as const) {
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, DEMO.supervisor);
    if ((await page.locator('html').getAttribute('lang')) !== 'en') await switchLanguage(page, 'English');
    await page.goto('/wall');
    await page.getByTestId('wall-total-longest').waitFor();
    // The demo has conversations waiting for hours: the longest wait is written "<h> h <m> min".
    await until('the longest wait in hours', async () => /^\d+ (h|hrs?)( \d+ mins?)?$/.test(await page.getByTestId('wall-total-longest').innerText()));
    for (const id of ['wall-total-longest', 'wall-longest']) {
      for (const m of await lines(page, id)) {
        assert.ok(m.lines < 1.5, `${name}: "${m.text}" takes ${m.lines.toFixed(1)} lines`);
        assert.ok(m.overflow <= 1, `${name}: "${m.text}" overflows its column by ${m.overflow} px`);
      }
    }
    await checkA11y(page, `the queue wall (${name})`);
    await screenshot(page, name);
    assert.deepEqual(errors, []);
  }
});

test('multi-attempt journeys: a known customer is a link to their conversations; a bare caller identity says it is not linked', { skip, timeout: 90_000 }, async () => {
  const cust = (await w.env.db.query<{ id: string; name: string }>(
    `SELECT cu.id::text AS id, cu.name FROM customers cu
      WHERE cu.account_id = $1 AND cu.name IS NOT NULL AND EXISTS (SELECT 1 FROM conversations c WHERE c.customer_id = cu.id)
      ORDER BY cu.name LIMIT 1`, [w.demoAccountId])).rows[0];
  assert.ok(cust, 'a demo customer with conversations');
  // 2 March 2020, far from the demo's own contacts: the customer hung up once and got through on the second call; the
  // caller known only by the phone system's identity did the same.
  const at = (min: number) => new Date(Date.UTC(2020, 2, 2, 9, min)).toISOString();
  const call = (id: string, who: Record<string, string>, start: number, end: number, outcome: 'contact.abandoned' | 'contact.answered') =>
    (['contact.arrived', 'queue.entered', outcome] as const).map((type, i) => ({ contactId: id, type, channel: 'phone', occurredAt: at(i === 2 ? end : start), ...who }));
  const identity = 'sim-e2e-customer-72';
  const events = [
    ...call('e2e-c1', { customerId: cust.id }, 0, 5, 'contact.abandoned'), ...call('e2e-c2', { customerId: cust.id }, 10, 12, 'contact.answered'),
    ...call('e2e-i1', { identity }, 20, 25, 'contact.abandoned'), ...call('e2e-i2', { identity }, 30, 40, 'contact.answered'),
  ];
  const ins = await w.env.req('POST', '/api/v1/contact-events', { token: w.demoTokens.admin, body: { events } });
  assert.equal(ins.status, 201, ins.body);
  await until('both journeys in the API', async () =>
    (await w.env.req('GET', '/api/v1/journeys?from=2020-03-02&to=2020-03-03&multiAttempt=true', { token: w.demoTokens.supervisor })).json?.items?.length === 2);

  const page = await (await w.newContext()).newPage();
  const errors = watchErrors(page);
  await signIn(page, DEMO.supervisor);
  if ((await page.locator('html').getAttribute('lang')) !== 'en') await switchLanguage(page, 'English');
  await page.goto('/dashboard?period=custom&from=2020-03-02&to=2020-03-02');
  const table = page.getByRole('table', { name: 'Multi-attempt journeys', exact: true });
  const link = table.getByRole('link', { name: `Conversations of ${cust.name}` });
  await link.waitFor();
  assert.equal(await link.innerText(), cust.name);
  const unlinked = table.getByRole('row').filter({ hasText: identity });
  await unlinked.getByText('Caller identity not linked to a customer').waitFor();
  assert.equal(await unlinked.getByRole('link').count(), 0, 'no customer link for a bare caller identity');
  await checkA11y(page, 'the journeys with a linked and an unlinked customer');
  await screenshot(page, 'journeys-linked');

  // Following the link: the inbox lists exactly this customer's conversations.
  await link.click();
  await page.waitForURL(new RegExp(`/inbox/all\\?customer=${cust.id}`));
  const api = (await w.env.req('GET', `/api/v1/conversations?view=all&customer=${cust.id}`, { token: w.demoTokens.supervisor })).json;
  assert.ok(api.items.length >= 1);
  await until('the customer\'s conversations listed', async () => (await page.getByTestId('conversation-row').count()) === api.items.length);
  const numbers = await page.getByTestId('conversation-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-number'))).sort());
  assert.deepEqual(numbers, api.items.map((c: { number: number }) => c.number).sort());
  assert.deepEqual(errors, []);
});

test('goodwill budgets: the team "Team DACH" is not called "Team Team DACH"', { skip }, async () => {
  const page = await (await w.newContext()).newPage();
  const errors = watchErrors(page);
  await signIn(page, DEMO.supervisor);
  if ((await page.locator('html').getAttribute('lang')) !== 'en') await switchLanguage(page, 'English');
  await page.goto('/heart/goodwill');
  await page.getByRole('region', { name: 'Team DACH', exact: true }).waitFor();
  assert.equal(await page.getByText(/Team Team/).count(), 0);
  assert.deepEqual(errors, []);
});

test('public pages name the favicon, and /favicon.ico answers: no 404 in the console; community counts in the right plural', { skip }, async () => {
  const page = await (await w.newContext()).newPage();
  const errors = watchErrors(page);
  for (const path of ['/contact/demo', '/portal/demo', '/help/demo', '/community/demo']) {
    const res = await page.goto(path);
    assert.equal(res?.status(), 200, path);
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    assert.equal(href, '/favicon.svg', `${path} names the icon`);
    // The icon as the browser fetches it (headless Chromium does not fetch icons by itself).
    const icon = await page.evaluate(async (h) => {
      const r = await fetch(h);
      return { status: r.status, type: r.headers.get('content-type') };
    }, href);
    assert.equal(icon.status, 200, path);
    assert.match(icon.type ?? '', /^image\/svg\+xml/, path);
  }
  // Counts in the right plural form (the demo has questions with one answer): "1 answer", "1 Antwort", never "1 answers".
  await page.goto('/community/demo?lang=en');
  const en = await page.locator('main').innerText();
  assert.match(en, /\b1 answer\b/);
  assert.doesNotMatch(en, /\b1 answers\b/);
  await page.goto('/community/demo?lang=de');
  const de = await page.locator('main').innerText();
  assert.match(de, /\b1 Antwort\b/);
  assert.doesNotMatch(de, /\b1 Antworten\b/);
  const ico = await page.request.get('/favicon.ico');
  assert.equal(ico.status(), 200);
  assert.match(ico.headers()['content-type'], /^image\/svg\+xml/);
  assert.deepEqual(errors, []);
});

test('audit log in words: the action translated, the conversation a link "#number", the details as "key: value"', { skip, timeout: 60_000 }, async () => {
  const conv = (await w.env.db.query<{ id: string; number: number }>(
    `SELECT id::text AS id, number FROM conversations WHERE account_id = $1 ORDER BY number LIMIT 1`, [w.demoAccountId])).rows[0];
  const ch = await w.env.req('PATCH', `/api/v1/conversations/${conv.id}`, { token: w.demoTokens.admin, body: { priority: 'high' } });
  assert.equal(ch.status, 200, ch.body);

  const page = await (await w.newContext({ locale: 'de-DE' })).newPage();
  const errors = watchErrors(page);
  await signIn(page, DEMO.admin);
  if ((await page.locator('html').getAttribute('lang')) !== 'de') await switchLanguage(page, 'Deutsch');
  await page.goto('/admin/audit');
  const table = page.getByRole('table', { name: 'Protokoll', exact: true });
  const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: `Konversation #${conv.number} öffnen` }) }).first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /Konversation: geändert/, text);
  assert.match(text, /priority: high/, text);
  const all = await table.innerText();
  assert.doesNotMatch(all, /conversation\.updated|\{"/, 'no raw action codes or JSON on screen');
  await checkA11y(page, 'the audit log');
  await screenshot(page, 'audit-readable');
  await row.getByRole('link', { name: `Konversation #${conv.number} öffnen` }).click();
  await page.waitForURL(new RegExp(`/conversations/${conv.id}$`));
  assert.deepEqual(errors, []);
});
