/**
 * Customer and account journeys in Chromium against the real server with the demo data (issue 13), each done as a
 * person does it — load, type, click, follow the link in the mail the SMTP sink caught — and ending with what the
 * person sees. Every step a person waits for is timed with step() (test-results/journey-timings.jsonl).
 *
 * (a) contact form → acknowledgement mail → an agent answers in the composer → the answer arrives by mail → portal
 *     link by mail → the customer reads the answer, replies, and rates the solved conversation.
 * (b) an admin adds a user without a password → invitation mail → the new user sets a password and signs in;
 *     forgot password → mail → new password → sign in; an unknown address gets the same answer and no mail.
 * And: a page of another site posting to the contact form is refused, in the browser.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO, WEB_E2E_SKIP, checkA11y, screenshot, serveHtml, signIn, step, until, watchErrors, webSuite } from './web-harness.js';
import { FORM_MIN_AGE_MS } from '../src/modules/channels/web/web.service.js';

const skip = WEB_E2E_SKIP;
const servers: Server[] = [];
const w = webSuite(async (w) => {
  // Links in mails point at PUBLIC_URL; here that is the server under test (as on an installation with PUBLIC_URL set).
  w.env.config.publicUrl = w.url;
});
after(() => {
  for (const s of servers) s.close();
});

const api = (method: string, url: string, body?: unknown) => w.env.req(method, `/api/v1${url}`, { token: w.demoTokens.admin, body });

/** Waits for the first mail to `to` (after `from` mails) that matches, and parses it. */
async function mailTo(to: string, match: (m: ParsedMail) => boolean = () => true, from = 0): Promise<ParsedMail> {
  let found: ParsedMail | undefined;
  await until(`a mail to ${to} in the SMTP sink`, async () => {
    for (const m of w.sink.messages.slice(from)) {
      if (!m.rcptTo.includes(to)) continue;
      const parsed = await simpleParser(m.raw);
      if (match(parsed)) {
        found = parsed;
        return true;
      }
    }
    return false;
  }, 20_000);
  return found!;
}
const linkIn = (m: ParsedMail, re: RegExp) => {
  const l = re.exec(m.text ?? '')?.[0];
  assert.ok(l, `a link matching ${re} in:\n${m.text}`);
  return l!;
};

/** The public pages have no favicon yet (issue 13 item 15, another change): the browser's 404 for it is not this test's. */
const FAVICON_404 = /status of 404 .*\/favicon\.ico/;

async function newPage(opts: { locale?: string } = {}): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await w.newContext(opts);
  const page = await ctx.newPage();
  return { ctx, page, errors: watchErrors(page, [FAVICON_404]) };
}

test('journey (a): contact form → acknowledgement → agent answers → mail → portal link → read, reply, rate', { skip, timeout: 180_000 }, async () => {
  const J = 'customer-contact-portal';
  const email = 'clara.kunde@example.org';
  const subject = 'Zip of the Fjell 2 tent is stuck';
  const { page: customer, errors } = await newPage();

  // The contact form: fill every field as a person types, then Send.
  const shownAt = await step(J, 'open the contact form', async () => {
    await customer.goto('/contact/demo');
    await customer.getByRole('heading', { level: 1, name: 'Contact us' }).waitFor();
    return Date.now();
  });
  await checkA11y(customer, 'contact form');
  await customer.getByLabel('Your name').pressSequentially('Clara Kunde', { delay: 20 });
  await customer.getByLabel('Your email address').pressSequentially(email, { delay: 10 });
  await customer.getByLabel('Subject').pressSequentially(subject, { delay: 10 });
  await customer.getByLabel('Message').pressSequentially('Hello, the zip of my new Fjell 2 tent is stuck halfway. What can I do?', { delay: 10 });
  // The form refuses what is sent faster than a person types (FORM_MIN_AGE_MS); a person is slower than that.
  await until('the form is as old as a person needs to fill it', () => Date.now() - shownAt > FORM_MIN_AGE_MS + 200, FORM_MIN_AGE_MS + 5_000);
  const number = await step(J, 'send the contact form → confirmation shown', async () => {
    await customer.getByRole('button', { name: 'Send' }).click();
    await customer.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
    const text = await customer.getByRole('status').innerText();
    assert.match(text, new RegExp(`number is #\\d+; we sent a confirmation to ${email.replace(/\./g, '\\.')}`));
    return Number(/#(\d+)/.exec(text)![1]);
  });
  await checkA11y(customer, 'contact form sent');
  await screenshot(customer, 'journey-a-1-contact-sent');

  const ack = await step(J, 'acknowledgement mail arrives', () => mailTo(email, (m) => (m.subject ?? '').includes(`#${number}`)));
  assert.equal(ack.subject, `We received your request #${number}: ${subject}`);
  assert.match(ack.text ?? '', /Hello Clara Kunde,/);
  assert.ok((ack.text ?? '').includes(`${w.url}/portal/demo`), 'the mail links the portal on the public URL');

  // An agent, signed in in another browser context, answers in the conversation composer.
  const { page: agent, errors: agentErrors } = await newPage();
  await signIn(agent, DEMO.admin);
  const conv = (await w.env.db.query<{ id: string }>('SELECT id FROM conversations WHERE account_id = $1 AND number = $2', [w.demoAccountId, number])).rows[0];
  assert.ok(conv, `conversation #${number} exists`);
  await step(J, 'agent opens the conversation from the inbox', async () => {
    await agent.goto('/inbox/all');
    await agent.getByTestId('conversation-row').filter({ hasText: subject }).first().click();
    await agent.getByRole('heading', { level: 1, name: new RegExp(subject) }).waitFor();
  });
  const before = w.sink.messages.length;
  await agent.getByLabel('Reply to the customer').fill('Hi Clara, rub a little candle wax on the zip teeth, then pull gently while holding the fabric flat.');
  await step(J, 'agent sends the answer → shown in the timeline', async () => {
    await agent.getByRole('button', { name: /^Send/ }).click();
    await agent.getByTestId('timeline').getByText('rub a little candle wax').waitFor();
  });
  const answer = await step(J, "answer arrives in the customer's mailbox", () => mailTo(email, (m) => /candle wax/.test(m.text ?? ''), before));
  assert.match(answer.subject ?? '', new RegExp(`^Re: ${subject} \\[#${number}\\]`));
  await checkA11y(agent, 'agent conversation after the answer');

  // The customer asks for a portal link and follows it from the mail.
  await step(J, 'open the portal sign-in', async () => {
    await customer.goto('/portal/demo');
    await customer.getByRole('heading', { level: 1, name: 'Customer portal' }).waitFor();
  });
  await checkA11y(customer, 'portal sign-in');
  await customer.getByLabel('Your email address').fill(email);
  const beforeLink = w.sink.messages.length;
  await step(J, 'ask for a sign-in link → "check your email"', async () => {
    await customer.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await customer.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
  });
  await checkA11y(customer, 'portal link sent');
  const linkMail = await step(J, 'sign-in link mail arrives', () => mailTo(email, (m) => /\/portal\/demo\/signin\?token=/.test(m.text ?? ''), beforeLink));
  const link = linkIn(linkMail, /https?:\/\/\S+\/portal\/demo\/signin\?token=[\w-]+&lang=en/);
  assert.ok(link.startsWith(w.url), link);
  await step(J, 'follow the link and sign in → own requests listed', async () => {
    await customer.goto(link);
    await customer.getByRole('button', { name: 'Sign in' }).click();
    await customer.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();
  });
  await checkA11y(customer, 'portal requests');
  await step(J, "open the request → the agent's answer is shown", async () => {
    await customer.getByRole('link', { name: `#${number} ${subject}` }).click();
    await customer.locator('article.msg.agent').filter({ hasText: 'rub a little candle wax on the zip teeth' }).waitFor();
  });
  await checkA11y(customer, 'portal conversation');
  await customer.getByLabel('Your reply').fill('Thank you, the wax did it — the zip runs again.');
  await step(J, 'send a reply → "Your reply was sent."', async () => {
    await customer.getByRole('button', { name: 'Send reply' }).click();
    await customer.getByRole('status').filter({ hasText: 'Your reply was sent.' }).waitFor();
  });
  await customer.locator('article.msg.customer').filter({ hasText: 'the zip runs again' }).waitFor();

  // The agent sees the reply arrive live and solves the conversation; the customer can then rate it.
  await step(J, "the customer's reply reaches the open conversation live", () => agent.getByTestId('timeline').getByText('the zip runs again').waitFor({ timeout: 15_000 }));
  await agent.getByRole('button', { name: 'Solve', exact: true }).click();
  await until('the conversation is solved', async () => (await api('GET', `/conversations/${conv.id}`)).json.status === 'solved');
  await step(J, 'open the request again → the rating form is offered', async () => {
    await customer.getByRole('link', { name: 'Your requests' }).click();
    await customer.getByRole('link', { name: `#${number} ${subject}` }).click();
    await customer.getByRole('heading', { level: 2, name: 'How did we do?' }).waitFor();
  });
  await checkA11y(customer, 'portal rating form');
  await customer.getByRole('radio', { name: '5' }).check();
  await customer.getByLabel('Comment (optional)').fill('Quick and friendly help.');
  await step(J, 'save the rating → thanked', async () => {
    await customer.getByRole('button', { name: 'Save rating' }).click();
    await customer.getByRole('status').filter({ hasText: 'Thank you for your rating.' }).waitFor();
  });
  await checkA11y(customer, 'portal rated');
  await screenshot(customer, 'journey-a-2-portal-rated');
  await screenshot(agent, 'journey-a-3-agent-solved');

  const after = (await api('GET', `/conversations/${conv.id}`)).json;
  assert.equal(after.channel, 'web');
  assert.deepEqual(after.messages.filter((m: any) => m.kind === 'message').map((m: any) => m.authorType), ['customer', 'agent', 'customer']);
  const rating = await w.env.db.query<{ score: number; comment: string }>('SELECT score, comment FROM conversation_ratings WHERE conversation_id = $1', [conv.id]);
  assert.deepEqual(rating.rows[0], { score: 5, comment: 'Quick and friendly help.' });
  assert.deepEqual(errors, []);
  assert.deepEqual(agentErrors, []);
});

test('a page of another site posting to the contact form is refused in the browser (with and without a referrer)', { skip }, async () => {
  // A real attacker can read a fresh form token (the form is public), so only the origin check stands in the way.
  const form = await (await fetch(`${w.url}/contact/demo`)).text();
  const token = /name="formToken" value="([^"]+)"/.exec(form)![1];
  const fields = (subject: string) => `<input name="formToken" value="${token}"><input name="name" value="Mallory"><input name="email" value="mallory@evil.test">
<input name="subject" value="${subject}"><textarea name="message">Spam from another site</textarea>`;
  const host = await serveHtml(`<!doctype html><html lang="en"><head><title>Another site</title></head><body><h1>Win a tent</h1>
<form id="plain" method="post" action="${w.url}/contact/demo">${fields('Cross-site plain')}<button>Plain</button></form>
<form id="noref" method="post" action="${w.url}/contact/demo" rel="noreferrer">${fields('Cross-site noreferrer')}<button>No referrer</button></form>
</body></html>`);
  servers.push(host.server);
  // localhost vs 127.0.0.1: another site, not only another port (ports do not make a site).
  const hostUrl = host.url.replace('127.0.0.1', 'localhost');
  const { page, errors } = await newPage();
  for (const [button, subject] of [['Plain', 'Cross-site plain'], ['No referrer', 'Cross-site noreferrer']]) {
    await page.goto(hostUrl);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${w.url}/contact/demo`) && r.request().method() === 'POST'),
      page.getByRole('button', { name: button }).click(),
    ]);
    assert.equal(response.status(), 403, `${button}: refused`);
    await page.getByText('This request came from another site and was refused.').waitFor();
    const n = await w.env.db.query('SELECT 1 FROM conversations WHERE subject = $1', [subject]);
    assert.equal(n.rows.length, 0, `${button}: nothing stored`);
  }
  await checkA11y(page, 'cross-site refusal page');
  await screenshot(page, 'journey-cross-site-refused');
  // The refusal is the expected answer here: Chromium logs the 403 document as a failed resource.
  assert.deepEqual(errors.filter((e) => !/status of 403/.test(e)), []);
});

test('journey (b): an admin adds a user without a password → invitation mail → the user sets a password and signs in', { skip, timeout: 120_000 }, async () => {
  const J = 'admin-invites-user';
  const email = "greta.neu@demo.earshot.test";
  const { page: admin, errors } = await newPage();
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

  const first = await step(J, 'invitation mail arrives (in German)', () => mailTo(email, (m) => /Einladung/.test(m.subject ?? ''), before));
  const firstLink = linkIn(first, /https?:\/\/\S+\/set-password\?lang=de#token=[\w-]+/);
  // The admin sends it again (the person did not find it): a new link; the first one stops working.
  const beforeResend = w.sink.messages.length;
  await step(J, 'resend the invitation → "Invitation sent" again', async () => {
    await admin.getByRole('button', { name: 'Close' }).click();
    await admin.getByRole('button', { name: 'Resend invitation: Greta Neu' }).click();
    await admin.getByRole('status').filter({ hasText: `Invitation sent to ${email}` }).waitFor();
  });
  const invite = await step(J, 'the second invitation mail arrives', () => mailTo(email, (m) => /Einladung/.test(m.subject ?? ''), beforeResend));
  assert.equal(invite.subject, 'Einladung zu Nordlicht Outdoor in Earshot');
  assert.match(invite.text ?? '', /Alex Admin hat Sie als Agent zu Nordlicht Outdoor in Earshot, dem Helpdesk, hinzugefügt/);
  const link = linkIn(invite, /https?:\/\/\S+\/set-password\?lang=de#token=[\w-]+/);
  assert.ok(link.startsWith(`${w.url}/set-password`), link);
  assert.notEqual(link, firstLink);

  const { page: greta, errors: gretaErrors } = await newPage();
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
  const { page: again, errors: againErrors } = await newPage({ locale: 'en-GB' });
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
  const { page: elsewhere } = await newPage();
  await signIn(elsewhere, DEMO.ola);

  const { page, errors } = await newPage();
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

  const mail = await step(J, 'reset mail arrives', () => mailTo(DEMO.ola, (m) => /\/set-password\?/.test(m.text ?? ''), before));
  const link = linkIn(mail, /https?:\/\/\S+\/set-password\?lang=\w+#token=[\w-]+/);
  // The unknown address: its lookup job ran and no mail was written or sent.
  await until('the unknown address was looked up', async () =>
    (await w.env.db.query(`SELECT 1 FROM jobs WHERE kind = 'auth.password_reset' AND payload->>'email' = $1 AND status = 'done'`, [unknownAddress])).rows.length > 0);
  assert.equal((await w.env.db.query('SELECT 1 FROM outbound_emails WHERE $1 = ANY(to_addresses)', [unknownAddress])).rows.length, 0);
  assert.equal(w.sink.messages.filter((m) => m.rcptTo.includes(unknownAddress)).length, 0);

  // Ola's language is Norwegian: the mail and the page it links to speak it.
  assert.equal(mail.subject, 'Nytt passord for Nordlicht Outdoor i Earshot');
  assert.match(link, /lang=nb#/);
  const { page: reset, errors: resetErrors } = await newPage();
  await step(J, 'follow the reset link → "Velg et nytt passord"', async () => {
    await reset.goto(link);
    await reset.getByRole('heading', { level: 1, name: 'Velg et nytt passord' }).waitFor();
  });
  await checkA11y(reset, 'set password (reset, Norwegian)');
  await reset.getByLabel(/^Nytt passord/).fill('short');
  await reset.getByLabel('Gjenta passordet').fill('short');
  await reset.getByRole('button', { name: 'Lagre passordet' }).click();
  await reset.getByRole('alert').filter({ hasText: 'minst 10 tegn' }).waitFor();
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
  await elsewhere.reload();
  await elsewhere.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.deepEqual(errors, []);
  assert.deepEqual(resetErrors, []);
});
