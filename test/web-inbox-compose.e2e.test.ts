/**
 * Writing in a conversation at desktop width, in headless Chromium against the real server with the demo data (issue
 * 13, item 10): macros offered in the conversation's language with a warning for another language, "Show quoted
 * history" only on mails that have some, and the journey sidebar following a reply without a reload.
 * (The inbox list side is in web-inbox-work.e2e.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { DEMO, WEB_E2E_SKIP, checkA11y, screenshot, until, webSuite } from './web-harness.js';
import { inboxHelpers, stamp } from './inbox-helpers.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();
const { api, open, newConversation } = inboxHelpers(w);

test('macros: the conversation\'s language first; inserting one in another language warns', { skip }, async () => {
  const c = await newConversation({ subject: `Macro check ${stamp()}`, text: 'Thank you, the parcel arrived in good shape.', language: 'en', name: 'Emma Stone' });
  const { page, errors } = await open(DEMO.sam, `/conversations/${c.id}`);
  await page.getByTestId('timeline').getByText('the parcel arrived').waitFor();
  await page.getByRole('combobox', { name: 'Macro' }).click();
  const options = page.getByRole('option');
  await options.first().waitFor();
  assert.equal((await options.first().textContent())?.trim(), 'Thanks, solved');
  await page.getByRole('option', { name: /Danke, gelöst/ }).click();
  await page.getByRole('alert').filter({ hasText: 'This macro is in German; the conversation is in English.' }).waitFor();
  assert.match(await page.getByLabel('Reply to the customer').inputValue(), /^Hallo Emma Stone,/);
  await checkA11y(page, 'the composer with a language warning');
  await screenshot(page, 'macro-language-warning');
  // The conversation's own language: no warning.
  await page.getByLabel('Reply to the customer').fill('');
  await page.getByRole('combobox', { name: 'Macro' }).click();
  await page.getByRole('option', { name: /Thanks, solved/ }).click();
  await until('the English macro is in', async () => /^Hi Emma,/.test(await page.getByLabel('Reply to the customer').inputValue()));
  assert.equal(await page.getByRole('alert').filter({ hasText: 'This macro is in' }).count(), 0);
  assert.deepEqual(errors, []);
});

test('"Show quoted history" only on a mail that quotes something', { skip }, async () => {
  const sender = nodemailer.createTransport({ host: '127.0.0.1', port: w.smtpPort, secure: false, ignoreTLS: true });
  const subject = `Quote check ${stamp()}`;
  await sender.sendMail({ from: 'Quinn Quote <quinn@customer.test>', to: 'support@demo.earshot.test', subject, text: 'First question: do you ship to Svalbard?' });
  await sender.sendMail({
    from: 'Quinn Quote <quinn@customer.test>', to: 'support@demo.earshot.test', subject: `Re: ${subject}`,
    text: 'And to Jan Mayen?\n\nOn Mon, 1 Dec 2026 at 10:00, Quinn Quote <quinn@customer.test> wrote:\n> First question: do you ship to Svalbard?\n',
  });
  sender.close();
  let id = '';
  await until('the two mails are one conversation with two messages', async () => {
    const r = (await api('GET', `/conversations?view=all&q=${encodeURIComponent('Jan Mayen')}`)).json.items[0];
    if (!r) return false;
    id = r.id;
    return (await api('GET', `/conversations/${id}`)).json.messages.length === 2;
  });
  const { page, errors } = await open(DEMO.sam, `/conversations/${id}`);
  const first = page.getByTestId('message').filter({ hasText: 'do you ship to Svalbard?' }).first();
  const second = page.getByTestId('message').filter({ hasText: 'And to Jan Mayen?' });
  await second.waitFor();
  assert.equal(await first.getByRole('button', { name: 'Show quoted history' }).count(), 0, 'the first mail quotes nothing');
  await second.getByRole('button', { name: 'Show quoted history' }).click();
  await second.getByText('> First question: do you ship to Svalbard?').waitFor();
  // A demo mail that never came through SMTP has no quoted history either.
  const refund = (await api('GET', `/conversations?view=all&q=${encodeURIComponent('refund sleeping bag')}`)).json.items[0];
  await page.goto(`/conversations/${refund.id}`);
  await page.getByTestId('message').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Show quoted history' }).count(), 0);
  assert.deepEqual(errors, []);
});

test('the journey sidebar follows a reply and a colleague\'s reply without a reload', { skip }, async () => {
  const c = await newConversation({ subject: `Sidebar check ${stamp()}`, text: 'Hello, anyone there?' });
  const { page, errors } = await open(DEMO.sam, `/conversations/${c.id}`);
  const journey = page.getByTestId('journey-history');
  await journey.getByText('still waiting').waitFor();
  await page.getByLabel('Reply to the customer').fill('Yes, here I am.');
  await page.getByRole('button', { name: /^Send/ }).click();
  await page.getByTestId('timeline').getByText('Yes, here I am.').waitFor();
  await until('the sidebar no longer says still waiting', async () => (await journey.getByText('still waiting').count()) === 0);
  await journey.getByText('answered').waitFor();

  // A colleague answers another waiting customer while Sam has it open: realtime brings the sidebar along.
  const d = await newConversation({ subject: `Sidebar live ${stamp()}`, text: 'Hello again?' });
  await page.goto(`/conversations/${d.id}`);
  await journey.getByText('still waiting').waitFor();
  assert.equal((await api('POST', `/conversations/${d.id}/replies`, { text: 'A colleague here: yes.' })).status, 201);
  await page.getByTestId('timeline').getByText('A colleague here: yes.').waitFor();
  await until('the sidebar no longer says still waiting', async () => (await journey.getByText('still waiting').count()) === 0);
  await checkA11y(page, 'the conversation after a reply');
  assert.deepEqual(errors, []);
});
