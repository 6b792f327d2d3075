/**
 * The respect screen in headless Chromium on the demo data (test/web-harness.ts): the supervisor sees the ban
 * proposal awaiting approval with its classified evidence and approves it; the customer's notice reaches the SMTP
 * sink with an appeal link. An agent reports criticism from a conversation's side panel and sees the refusal.
 * Screenshots: test-results/web-respect-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { DEMO, WEB_E2E_SKIP, checkA11y, screenshot, signIn, switchLanguage, watchErrors, webSuite } from './web-harness.js';

const skip = WEB_E2E_SKIP;

const w = webSuite();

test('a supervisor approves the awaiting ban on /respect; the customer gets the notice with an appeal link', { skip }, async () => {
  const page = await (await w.newContext()).newPage();
  const errors = watchErrors(page);
  await signIn(page, DEMO.supervisor);
  await switchLanguage(page, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  await page.goto('/respect');
  await page.getByRole('heading', { level: 2, name: 'Respect' }).waitFor();
  const card = page.getByTestId('awaiting-measure').filter({ hasText: 'Rick Hollis' });
  await card.waitFor();
  await card.getByText('Threat against staff', { exact: true }).first().waitFor();
  await page.getByTestId('active-measure').filter({ hasText: 'Dieter Krause' }).waitFor();
  await page.getByRole('table', { name: 'Measures per reason and kind' }).waitFor();
  await checkA11y(page, 'the respect screen');
  await screenshot(page, 'respect-1-awaiting');
  const before = w.sink.messages.length;
  await card.getByRole('button', { name: 'Approve' }).click();
  await page.getByTestId('active-measure').filter({ hasText: 'Rick Hollis' }).waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Cool-off queue' }).inputValue(), 'Supervisors', 'the demo cool-off queue in the settings');
  const out = (await w.sink.waitFor(before + 1, 20_000)).slice(before).find((m) => m.rcptTo.includes('rick.hollis@example.com'));
  assert.ok(out, 'the notice was sent to the customer');
  const mail = await simpleParser(out!.raw);
  assert.match(mail.text ?? '', /threats toward our staff/);
  assert.match(mail.text ?? '', /\/appeal\/[\w-]{20,}/);
  assert.deepEqual(errors, []);
});

test('an agent reports criticism from the conversation panel and sees the refusal', { skip }, async () => {
  const c = await w.env.req('POST', '/api/v1/conversations', {
    token: w.demoTokens.admin,
    body: { customer: { email: 'critic@example.com', name: 'Carla Critic', language: 'en' }, channel: 'email', subject: 'Terrible tent',
      message: { text: 'Your product is garbage and your service is the worst I have ever seen.' } },
  });
  assert.equal(c.status, 201, c.body);
  const page = await (await w.newContext()).newPage();
  // The criticism report is refused on purpose (422 criticism_protected); the browser logs that request.
  const errors = watchErrors(page, [/status of 422 .*\/api\/v1\/respect\/measures/]);
  await signIn(page, DEMO.sam);
  await page.goto(`/conversations/${c.json.id}`);
  await page.getByRole('heading', { level: 1, name: /Terrible tent/ }).waitFor();
  await page.getByRole('button', { name: 'Report abuse' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report abuse toward staff' });
  await dialog.waitFor();
  await dialog.getByRole('combobox', { name: 'Measure' }).click();
  await page.getByRole('option', { name: 'Ban' }).click();
  await dialog.getByRole('textbox', { name: /What happened/ }).fill('Rude about our tents');
  await dialog.getByRole('checkbox', { name: /Your product is garbage/ }).check();
  await checkA11y(page, 'respect: report dialog on the conversation page');
  await dialog.getByRole('button', { name: 'Propose' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Criticism of the company or product is not abuse' }).waitFor();
  await screenshot(page, 'respect-2-criticism-refused');
  const audit = await w.env.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE account_id = $1 AND action = 'respect.refused_criticism'`, [w.demoAccountId]);
  assert.equal(audit.rows[0].n, 1);
  assert.deepEqual(errors, []);
});

test('an agent records an appeal from the conversation panel; a third person (the leader) overturns it on /respect', { skip }, async () => {
  const conv = await w.env.db.query<{ id: string }>(`SELECT id FROM conversations WHERE account_id = $1 AND subject = 'Reklamation Schlafsack'`, [w.demoAccountId]);
  const lena = await (await w.newContext()).newPage();
  const errors = watchErrors(lena);
  await signIn(lena, DEMO.lena);
  await switchLanguage(lena, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  await lena.goto(`/conversations/${conv.rows[0].id}`);
  await lena.getByTestId('panel-measure').filter({ hasText: 'Restriction' }).waitFor();
  await lena.getByRole('button', { name: 'Record appeal' }).click();
  const dialog = lena.getByRole('dialog', { name: 'Record an appeal for the customer' });
  await dialog.getByRole('textbox', { name: /The customer's appeal/ }).fill('Herr Krause rief an und entschuldigte sich.');
  await dialog.getByRole('button', { name: 'Record appeal' }).click();
  await dialog.getByRole('status').waitFor();

  const ingrid = await (await w.newContext()).newPage();
  errors.push(...watchErrors(ingrid));
  await signIn(ingrid, DEMO.leader);
  await switchLanguage(ingrid, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  await ingrid.goto('/respect');
  const appeal = ingrid.getByTestId('open-appeal').filter({ hasText: 'Herr Krause rief an' });
  await appeal.waitFor();
  await appeal.getByRole('button').first().click();
  await appeal.waitFor({ state: 'detached' });
  const m = await w.env.db.query(`SELECT status FROM respect_measures WHERE account_id = $1 AND conversation_id = $2`, [w.demoAccountId, conv.rows[0].id]);
  assert.equal(m.rows[0].status, 'overturned');
  await screenshot(ingrid, 'respect-3-appeal-decided');
  assert.deepEqual(errors, []);
});
