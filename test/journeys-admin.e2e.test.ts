/**
 * User journeys of an administrator, done as people do them in Chromium against the real server
 * with the demo data (test/web-harness.ts), each step timed as the person waits (test-results/journey-timings.jsonl):
 *
 * (a) admin-queue-macro: an admin creates a queue (Admin → Queues → New queue → fill → Save → it is in the list),
 *     saves it again unchanged and saves a demo queue unchanged (no error either time; issue 13 item 2), and creates a
 *     macro (Admin → Macros → New macro) that the composer of a conversation then offers and inserts.
 * The visitor's chat journey (b) is in test/journeys-chat.e2e.test.ts (a file of its own: each file gets one
 * test-timeout, and a loaded machine needs it for the two).
 *
 * Screenshots: test-results/web-journey-admin-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO, WEB_E2E_SKIP, checkA11y, screenshot, signIn, step, until, webSuite } from './web-harness.js';
import { newPage } from './journeys-helpers.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();

const api = (method: string, url: string, body?: unknown) => w.env.req(method, `/api/v1${url}`, { token: w.demoTokens.admin, body });

const page = (opts: { phone?: boolean; locale?: string } = {}) => newPage(w, opts);

const dialog = (p: Page) => p.getByRole('dialog');

test('journey (a): an admin creates a queue, saves it and a demo queue again unchanged, and creates a macro the composer offers', { skip }, async () => {
  const J = 'admin-queue-macro';
  const { page: p, errors } = await page();
  await step(J, 'sign in', () => signIn(p, DEMO.admin));
  await step(J, 'open Admin → Queues', async () => {
    await p.goto('/admin/queues');
    await p.getByRole('table', { name: 'Queues' }).waitFor();
  });
  await checkA11y(p, 'Admin → Queues');

  // New queue: the form shows the time zone it will send, and Save creates the queue.
  await step(J, 'open New queue', async () => {
    await p.getByRole('button', { name: 'New queue' }).click();
    await dialog(p).getByRole('textbox', { name: 'Name' }).waitFor();
  });
  const zone = dialog(p).getByRole('combobox', { name: 'Time zone' });
  const shownZone = await zone.inputValue();
  assert.notEqual(shownZone, '', 'the time-zone field shows the zone the queue will get');
  await dialog(p).getByRole('textbox', { name: 'Name' }).fill('Returns DE');
  await zone.click();
  await zone.fill('Europe/Berl');
  await p.getByRole('option', { name: 'Europe/Berlin' }).click();
  await dialog(p).getByRole('combobox', { name: 'SLA policy' }).click();
  await p.getByRole('option', { name: 'Standard' }).click();
  await checkA11y(p, 'New queue dialog');
  const table = p.getByRole('table', { name: 'Queues' });
  await step(J, 'save the new queue → it is in the list', async () => {
    await dialog(p).getByRole('button', { name: 'New queue' }).click();
    await table.getByRole('row').filter({ hasText: 'Returns DE' }).waitFor();
    await dialog(p).waitFor({ state: 'detached' });
  });
  const created = (await api('GET', '/queues')).json.items.find((q: any) => q.name === 'Returns DE');
  assert.equal(created.timezone, 'Europe/Berlin');
  assert.equal(created.teamId, null);
  assert.ok(created.slaPolicyId, 'the SLA policy picked is stored');

  // Saving an existing queue unchanged: no error, nothing changed; the form shows the queue's own zone.
  for (const name of ['Returns DE', 'Support EN']) {
    const before = (await api('GET', '/queues')).json.items.find((q: any) => q.name === name);
    await step(J, `save ${name} again unchanged`, async () => {
      await p.getByRole('button', { name: `Edit: ${name}` }).click();
      await dialog(p).getByRole('textbox', { name: 'Name' }).waitFor();
      assert.equal(await dialog(p).getByRole('combobox', { name: 'Time zone' }).inputValue(), before.timezone);
      await dialog(p).getByRole('button', { name: 'Save' }).click();
      await dialog(p).waitFor({ state: 'detached' });
    });
    const afterSave = (await api('GET', '/queues')).json.items.find((q: any) => q.name === name);
    assert.deepEqual(afterSave, before);
  }
  await screenshot(p, 'journey-admin-1-queues');

  // A macro, offered in the composer of a conversation.
  await step(J, 'open Admin → Macros', async () => {
    await p.goto('/admin/macros');
    await p.getByRole('button', { name: 'New macro' }).waitFor();
  });
  await step(J, 'open New macro', async () => {
    await p.getByRole('button', { name: 'New macro' }).click();
    await dialog(p).getByRole('textbox', { name: 'Name' }).waitFor();
  });
  await dialog(p).getByRole('textbox', { name: 'Name' }).fill('Return label');
  await dialog(p).getByRole('textbox', { name: 'Text' }).fill('Hello {{customer.name}}, your return label is attached. Drop the parcel at any post office.');
  await checkA11y(p, 'New macro dialog');
  await step(J, 'save the macro → it is in the list', async () => {
    await dialog(p).getByRole('button', { name: 'New macro' }).click();
    await p.getByRole('table', { name: 'Macros' }).getByRole('row').filter({ hasText: 'Return label' }).waitFor();
    await dialog(p).waitFor({ state: 'detached' });
  });
  await checkA11y(p, 'Admin → Macros');
  await screenshot(p, 'journey-admin-2-macros');

  const conv = (await api('GET', '/conversations?view=open&limit=1')).json.items[0];
  await step(J, 'open a conversation', async () => {
    await p.goto(`/conversations/${conv.id}`);
    await p.getByLabel('Reply to the customer').waitFor();
  });
  await step(J, 'pick the macro in the composer → its text is inserted', async () => {
    await p.getByRole('combobox', { name: 'Macro' }).click();
    await p.getByRole('option', { name: 'Return label' }).click();
    await until('the macro text in the composer', async () => /your return label is attached/.test(await p.getByLabel('Reply to the customer').inputValue()));
  });
  assert.match(await p.getByLabel('Reply to the customer').inputValue(), new RegExp(`^Hello ${conv.customer?.name ?? ''}`));
  await checkA11y(p, 'conversation with a macro inserted');
  await p.evaluate(() => window.scrollTo(0, 0));
  await screenshot(p, 'journey-admin-3-macro-in-composer');

  // The same on a phone: the agent picks the new macro in the composer at 390 px.
  const { page: phone, errors: phoneErrors } = await page({ phone: true });
  await signIn(phone, DEMO.admin);
  await step(J, 'open the conversation on a phone (390 px)', async () => {
    await phone.goto(`/conversations/${conv.id}`);
    await phone.getByLabel('Reply to the customer').waitFor();
  });
  await step(J, 'pick the macro on the phone → its text is inserted', async () => {
    await phone.getByRole('combobox', { name: 'Macro' }).click();
    await phone.getByRole('option', { name: 'Return label' }).click();
    await until('the macro text in the composer', async () => /your return label is attached/.test(await phone.getByLabel('Reply to the customer').inputValue()));
  });
  await checkA11y(phone, 'conversation with a macro inserted at 390 px');
  await phone.evaluate(() => window.scrollTo(0, 0));
  await screenshot(phone, 'journey-admin-4-macro-phone');
  assert.deepEqual(errors, []);
  assert.deepEqual(phoneErrors, []);
});
