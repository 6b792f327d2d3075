/**
 * Working the inbox at desktop width, in headless Chromium against the real server with the demo data (issue 13,
 * items 8 and 10): the profile language right after sign-in (Lena: German, Ingrid: Norwegian; a switch is kept in the
 * profile), several conversations selected and handled at once, the row preview saying who wrote the last message,
 * and undo after `e`. (Macros, quoted history and the sidebar are in web-inbox-compose.e2e.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, WEB_E2E_SKIP, checkA11y, screenshot, signIn, switchLanguage, until, webSuite } from './web-harness.js';
import { inboxHelpers, stamp } from './inbox-helpers.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();
const { api, open, newConversation } = inboxHelpers(w);

test('the profile language is the default: Lena sees German and Ingrid Norwegian right after sign-in; a switch is kept in the profile', { skip }, async () => {
  const { page: lena, errors: e1 } = await open(DEMO.lena);
  await lena.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Posteingang' }).waitFor();
  assert.equal(await lena.evaluate(() => document.documentElement.lang), 'de');
  await lena.getByRole('button', { name: 'Abmelden' }).waitFor();
  await checkA11y(lena, 'the inbox in German after sign-in');
  await screenshot(lena, 'signin-lena-de');
  assert.deepEqual(e1, []);

  const { page: ingrid, errors: e2 } = await open(DEMO.leader);
  await ingrid.getByRole('navigation', { name: 'Hovednavigasjon' }).getByRole('link', { name: 'Innboks' }).waitFor();
  assert.equal(await ingrid.evaluate(() => document.documentElement.lang), 'nb');
  await screenshot(ingrid, 'signin-ingrid-nb');
  // Ingrid prefers English after all: the switch changes the page and her profile, so the next sign-in is English too.
  await switchLanguage(ingrid, 'English');
  await ingrid.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  const users = (await api('GET', '/users')).json.items as { email: string; locale: string }[];
  await until('Ingrid\'s profile says English', async () =>
    ((await api('GET', '/users')).json.items as { email: string; locale: string }[]).find((u) => u.email === DEMO.leader)?.locale === 'en');
  assert.equal(users.find((u) => u.email === DEMO.lena)?.locale, 'de');
  await ingrid.getByRole('button', { name: 'Sign out' }).click();
  await ingrid.getByRole('button', { name: 'Sign in' }).waitFor();
  await signIn(ingrid, DEMO.leader);
  await ingrid.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  assert.equal(await ingrid.evaluate(() => document.documentElement.lang), 'en');
  assert.deepEqual(e2, []);
});

test('multi-select: two conversations get a tag, an assignee and a status in one go', { skip }, async () => {
  const tag = `bulk${stamp()}`;
  const a = await newConversation({ subject: `Bulk order A ${tag}`, text: 'Where is my order A?' });
  const b = await newConversation({ subject: `Bulk order B ${tag}`, text: 'Where is my order B?' });
  const { page, errors } = await open(DEMO.sam, `/inbox/all?q=${tag}`);
  const rows = page.getByTestId('conversation-row');
  await until('both rows are listed', async () => (await rows.count()) === 2);
  await page.getByRole('checkbox', { name: `Select #${a.number}` }).check();
  await page.getByRole('checkbox', { name: `Select #${b.number}` }).check();
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await bar.getByText('2 selected').waitFor();
  await checkA11y(page, 'the inbox with two conversations selected');
  await screenshot(page, 'bulk-1-selected');

  await bar.getByRole('textbox', { name: 'Tag to add' }).fill('vip');
  await bar.getByRole('button', { name: 'Add tag' }).click();
  await until('both are tagged vip', async () => {
    const [x, y] = await Promise.all([api('GET', `/conversations/${a.id}`), api('GET', `/conversations/${b.id}`)]);
    return x.json.tags.includes('vip') && y.json.tags.includes('vip');
  });
  await bar.getByRole('combobox', { name: 'Assign to' }).click();
  await page.getByRole('option', { name: 'Ola Nordmann' }).click();
  const ola = ((await api('GET', '/users')).json.items as { id: string; email: string }[]).find((u) => u.email === DEMO.ola)!.id;
  await until('both are assigned to Ola', async () => {
    const [x, y] = await Promise.all([api('GET', `/conversations/${a.id}`), api('GET', `/conversations/${b.id}`)]);
    return x.json.assigneeId === ola && y.json.assigneeId === ola;
  });
  await bar.getByRole('button', { name: 'Solve' }).click();
  await until('both are solved', async () => {
    const [x, y] = await Promise.all([api('GET', `/conversations/${a.id}`), api('GET', `/conversations/${b.id}`)]);
    return x.json.status === 'solved' && y.json.status === 'solved';
  });
  // The rows show it without a reload.
  await rows.filter({ hasText: `Bulk order A ${tag}` }).filter({ hasText: 'Solved' }).waitFor();
  await rows.filter({ hasText: `Bulk order B ${tag}` }).filter({ hasText: 'Ola Nordmann' }).waitFor();
  await screenshot(page, 'bulk-2-done');
  assert.deepEqual(errors, []);
});

test('the row preview says who wrote the last message: a colleague by name, "You" for one\'s own reply, nothing for the customer', { skip }, async () => {
  const { page, errors } = await open(DEMO.sam, '/inbox/all');
  // Lena answered Jonas last ("Wunderbar, viel Spaß beim Zelten!"): the row must not put her words under Jonas' name alone.
  const tent = page.getByTestId('conversation-row').filter({ hasText: 'Zelt undicht nach dem ersten Regen' });
  await tent.filter({ hasText: 'Lena Schmidt: Wunderbar, viel Spaß beim Zelten!' }).waitFor();
  // Jonas wrote last in his second conversation: his words, no author prefix.
  const pegs = page.getByTestId('conversation-row').filter({ hasText: 'Noch eine Frage zum Zelt' });
  await pegs.filter({ hasText: 'Jonas Weber — Guten Morgen' }).waitFor();

  const c = await newConversation({ subject: `Preview check ${stamp()}`, text: 'Is the Fjell 2 in stock?' });
  await page.goto(`/conversations/${c.id}`);
  await page.getByLabel('Reply to the customer').fill('Yes, 14 in stock.');
  await page.getByRole('button', { name: /^Send/ }).click();
  await page.getByTestId('timeline').getByText('Yes, 14 in stock.').waitFor();
  await page.getByRole('link', { name: /Back to the inbox/ }).click();
  await page.getByTestId('conversation-row').filter({ hasText: `#${c.number}` }).filter({ hasText: 'You: Yes, 14 in stock.' }).waitFor();
  assert.deepEqual(errors, []);
});

test('`e` solves with an Undo that puts the status back', { skip }, async () => {
  const c = await newConversation({ subject: `Undo check ${stamp()}`, text: 'Can I change my order?' });
  await api('PATCH', `/conversations/${c.id}`, { status: 'open' });
  const { page, errors } = await open(DEMO.sam, `/conversations/${c.id}`);
  await page.getByTestId('timeline').getByText('Can I change my order?').waitFor();
  await page.locator('body').press('e');
  const undo = page.getByRole('button', { name: 'Undo' });
  await undo.waitFor();
  await until('the API says solved', async () => (await api('GET', `/conversations/${c.id}`)).json.status === 'solved');
  await page.getByText(`#${c.number} solved`).waitFor();
  await checkA11y(page, 'the conversation with the undo notice');
  await screenshot(page, 'undo-1-solved');
  await undo.click();
  await until('the API says open again', async () => (await api('GET', `/conversations/${c.id}`)).json.status === 'open');
  await until('the status field shows Open', async () => (await page.getByRole('combobox', { name: 'Status', exact: true }).inputValue()) === 'Open');
  assert.equal(await undo.count(), 0);
  assert.deepEqual(errors, []);
});
