/**
 * Account journeys in Chromium against the real server with the demo data (issue 13), done as a person does it, each
 * step timed with step() (test-results/journey-timings.jsonl):
 * (b) an admin adds a user without a password in Admin → Users → invitation mail (resent once) → the new user sets a
 *     password on the linked page and signs in; forgot password → mail → new password → sign in; an unknown address
 *     gets the same answer and no mail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, WEB_E2E_SKIP, checkA11y, screenshot, signIn, step, until, webSuite } from './web-harness.js';
import { linkIn, mailTo, newPage } from './journeys-helpers.js';

const skip = WEB_E2E_SKIP;
const w = webSuite(async (w) => {
  // Links in mails point at PUBLIC_URL; here that is the server under test (as on an installation with PUBLIC_URL set).
  w.env.config.publicUrl = w.url;
});

test('journey (b): an admin adds a user without a password → invitation mail → the user sets a password and signs in', { skip, timeout: 120_000 }, async () => {
  const J = 'admin-invites-user';
  const email = "greta.neu@demo.earshot.test";
  const { page: admin, errors } = await newPage(w);
  await signIn(admin, DEMO.admin);
  await step(J, 'open Admin → Users', async () => {
    await admin.goto('/admin/users');
    await admin.getByRole('table', { name: 'Users' }).waitFor();
  });
  await admin.getByRole('button', { name: 'Add user' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Greta Neu');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByRole('combobox', { name: 'Language' }).click();
  await admin.getByRole('option', { name: 'Deutsch' }).click();
  await checkA11y(admin, 'add user dialog');
  const before = w.sink.messages.length;
  await step(J, 'save the user without a password → "Invitation sent" and the row says Invited', async () => {
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await admin.getByRole('status').filter({ hasText: `Invitation sent to ${email}` }).waitFor();
    await admin.getByRole('row').filter({ hasText: 'Greta Neu' }).getByText('Invited').waitFor();
  });
  // The pointer rests where the dialog's button was, over a table row: a hovered row's teal "Active" badge measures
  // 4.49:1 (item 6 of issue 13, badge contrast, is another change). Checked here with the pointer moved away.
  await admin.mouse.move(5, 5);
  await checkA11y(admin, 'users with an invited user');
  await screenshot(admin, 'journey-b-1-invited');

  const first = await step(J, 'invitation mail arrives (in German)', () => mailTo(w, email, (m) => /Einladung/.test(m.subject ?? ''), before));
  const firstLink = linkIn(first, /https?:\/\/\S+\/set-password\?lang=de#token=[\w-]+/);
  // The admin sends it again (the person did not find it): a new link; the first one stops working.
  const beforeResend = w.sink.messages.length;
  await step(J, 'resend the invitation → "Invitation sent" again', async () => {
    await admin.getByRole('button', { name: 'Close' }).click();
    await admin.getByRole('button', { name: 'Resend invitation: Greta Neu' }).click();
    await admin.getByRole('status').filter({ hasText: `Invitation sent to ${email}` }).waitFor();
  });
  const invite = await step(J, 'the second invitation mail arrives', () => mailTo(w, email, (m) => /Einladung/.test(m.subject ?? ''), beforeResend));
  assert.equal(invite.subject, 'Einladung zu Nordlicht Outdoor in Earshot');
  assert.match(invite.text ?? '', /Alex Admin hat Sie als Agent zu Nordlicht Outdoor in Earshot, dem Helpdesk, hinzugefügt/);
  const link = linkIn(invite, /https?:\/\/\S+\/set-password\?lang=de#token=[\w-]+/);
  assert.ok(link.startsWith(`${w.url}/set-password`), link);
  assert.notEqual(link, firstLink);

  const { page: greta, errors: gretaErrors } = await newPage(w);
  await step(J, 'follow the invitation link → the set-password page greets her', async () => {
    await greta.goto(link);
    await greta.getByRole('heading', { level: 1, name: 'Willkommen bei Earshot' }).waitFor();
    await greta.getByText(`Hallo Greta Neu, Sie wurden zu Nordlicht Outdoor eingeladen.`).waitFor();
  });
  await checkA11y(greta, 'set password (invitation, German)');
  await greta.getByLabel(/^Neues Passwort/).fill('Bergsteigen im Herbst');
  await greta.getByLabel('Passwort wiederholen').fill('Bergsteigen im Herbst');
  await step(J, 'save the password → "Passwort gespeichert"', async () => {
    await greta.getByRole('button', { name: 'Passwort speichern' }).click();
    await greta.getByRole('status').filter({ hasText: 'Passwort gespeichert' }).waitFor();
  });
  assert.equal(new URL(greta.url()).hash, '', 'the token left the address bar');
  await screenshot(greta, 'journey-b-2-password-set');
  await step(J, 'sign in with the new password → the app', async () => {
    await greta.getByRole('link', { name: 'Anmelden' }).click();
    await signIn(greta, email, 'Bergsteigen im Herbst');
  });
  await greta.getByText('Greta Neu').first().waitFor();
  await checkA11y(greta, 'the app after the first sign-in');
  await screenshot(greta, 'journey-b-3-signed-in');

  // The replaced first link, and the used one, opened again: a clear message, no form.
  const { page: again, errors: againErrors } = await newPage(w, { locale: 'en-GB' });
  for (const l of [firstLink, link]) {
    await again.goto(l.replace('lang=de', 'lang=en'));
    await again.getByRole('alert').filter({ hasText: 'This link has been used already (or a newer one replaced it)' }).waitFor();
    assert.equal(await again.getByLabel(/^New password/).count(), 0);
  }
  await checkA11y(again, 'set password: used link');
  await screenshot(again, 'journey-b-used-link');

  await admin.reload();
  await admin.getByRole('row').filter({ hasText: 'Greta Neu' }).getByText('Active').waitFor();
  assert.deepEqual(errors, []);
  assert.deepEqual(gretaErrors, []);
  assert.deepEqual(againErrors, []);
});

test('journey (b): forgot password → mail → new password → sign in; an unknown address gets the same answer and no mail', { skip, timeout: 120_000 }, async () => {
  const J = 'forgot-password';
  // Ola is signed in elsewhere: the new password ends that session.
  const { page: elsewhere } = await newPage(w);
  await signIn(elsewhere, DEMO.ola);

  const { page, errors } = await newPage(w);
  const ask = async (address: string) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Forgot your password?' }).waitFor();
    await page.getByRole('textbox', { name: 'Email' }).fill(address);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    const status = page.getByRole('status');
    await status.waitFor();
    return (await status.innerText()).replace(address, '<address>');
  };
  const before = w.sink.messages.length;
  const known = await step(J, 'ask for a reset link → the answer is shown', () => ask(DEMO.ola));
  await checkA11y(page, 'forgot password sent');
  await screenshot(page, 'journey-b-4-forgot-sent');
  const unknownAddress = 'nobody.here@demo.earshot.test';
  const unknown = await ask(unknownAddress);
  assert.equal(unknown, known, 'the same answer for an unknown address');
  assert.match(known, /If <address> belongs to an account, a link to choose a new password is on its way/);

  const mail = await step(J, 'reset mail arrives', () => mailTo(w, DEMO.ola, (m) => /\/set-password\?/.test(m.text ?? ''), before));
  const link = linkIn(mail, /https?:\/\/\S+\/set-password\?lang=\w+#token=[\w-]+/);
  // The unknown address: its lookup job ran and no mail was written or sent.
  await until('the unknown address was looked up', async () =>
    (await w.env.db.query(`SELECT 1 FROM jobs WHERE kind = 'auth.password_reset' AND payload->>'email' = $1 AND status = 'done'`, [unknownAddress])).rows.length > 0);
  assert.equal((await w.env.db.query('SELECT 1 FROM outbound_emails WHERE $1 = ANY(to_addresses)', [unknownAddress])).rows.length, 0);
  assert.equal(w.sink.messages.filter((m) => m.rcptTo.includes(unknownAddress)).length, 0);

  // Ola's language is Norwegian: the mail and the page it links to speak it.
  assert.equal(mail.subject, 'Nytt passord for Nordlicht Outdoor i Earshot');
  assert.match(link, /lang=nb#/);
  const { page: reset, errors: resetErrors } = await newPage(w);
  await step(J, 'follow the reset link → "Velg et nytt passord"', async () => {
    await reset.goto(link);
    await reset.getByRole('heading', { level: 1, name: 'Velg et nytt passord' }).waitFor();
  });
  await checkA11y(reset, 'set password (reset, Norwegian)');
  await reset.getByLabel(/^Nytt passord/).fill('short');
  await reset.getByLabel('Gjenta passordet').fill('short');
  await reset.getByRole('button', { name: 'Lagre passordet' }).click();
  await reset.getByRole('alert').filter({ hasText: 'minst 10 tegn' }).waitFor();
  // A common password is refused by the server (issue 14), and the page says so in Norwegian.
  await reset.getByLabel(/^Nytt passord/).fill('password1234');
  await reset.getByLabel('Gjenta passordet').fill('password1234');
  await reset.getByRole('button', { name: 'Lagre passordet' }).click();
  await reset.getByRole('alert').filter({ hasText: 'blant de vanligste' }).waitFor();
  assert.deepEqual(resetErrors.splice(0).filter((e) => !/status of 400/.test(e)), [], 'only the expected 400 of the refused password');
  await reset.getByLabel(/^Nytt passord/).fill('Fjordtur med kajakk');
  await reset.getByLabel('Gjenta passordet').fill('Fjordtur med kajakk');
  await step(J, 'save the new password → "Passordet er lagret"', async () => {
    await reset.getByRole('button', { name: 'Lagre passordet' }).click();
    await reset.getByRole('status').filter({ hasText: 'Passordet er lagret' }).waitFor();
  });
  await step(J, 'sign in with the new password → the app', async () => {
    await reset.getByRole('link', { name: 'Logg inn' }).click();
    await signIn(reset, DEMO.ola, 'Fjordtur med kajakk');
  });
  await screenshot(reset, 'journey-b-5-reset-signed-in');
  // The session elsewhere ended with the new password.
  // (In the language that page last showed: Ola's profile language since his sign-in there.)
  await elsewhere.reload();
  await elsewhere.getByRole('button', { name: /^(Sign in|Anmelden|Logg inn)$/ }).waitFor();
  assert.deepEqual(errors, []);
  assert.deepEqual(resetErrors, []);
});
