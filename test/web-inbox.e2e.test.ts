/**
 * The agent workspace in headless Chromium against the real server with the demo data (test/web-harness.ts):
 * answering a chat that a visitor starts in the widget on another site, replying to an email that arrives over SMTP
 * (it shows up in the open inbox without a reload; the reply reaches the SMTP sink threaded), and merging two
 * conversations in the merge dialog. Screenshots: test-results/web-chat-*.png, web-email-*.png, web-merge-*.png.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { DEMO, WEB_E2E_SKIP, checkA11y, serveHtml, screenshot, signIn, switchLanguage, until, watchErrors, webSuite } from './web-harness.js';

const skip = WEB_E2E_SKIP;
let host: Server;
let hostUrl = '';
const w = webSuite(async (w) => {
  // Someone is on duty, so the widget offers a live chat.
  await w.env.db.query(`UPDATE users SET presence = 'available' WHERE account_id = $1 AND role = 'agent'`, [w.demoAccountId]);
  ({ url: hostUrl, server: host } = await serveHtml(`<!doctype html><html lang="en"><head><title>Nordlicht Outdoor shop</title></head>
<body><h1>Nordlicht Outdoor</h1><p>Tents, stoves and sleeping bags.</p>
<script src="${w.url}/widget.js" data-account="demo" data-lang="en"></script></body></html>`));
});
after(async () => {
  if (skip) return;
  host?.close();
});

const api = (method: string, url: string, body?: unknown) => w.env.req(method, `/api/v1${url}`, { token: w.demoTokens.admin, body });

async function agentPage(email: string, path = '/inbox/all'): Promise<{ page: Page; errors: string[] }> {
  const ctx = await w.newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await signIn(page, email);
  // Martin's profile language is German (the default after sign-in); these tests read the English texts.
  if (email !== DEMO.sam && email !== DEMO.admin) await switchLanguage(page, 'English');
  await page.goto(path);
  if (path.startsWith('/inbox')) await page.getByTestId('conversation-list').waitFor();
  return { page, errors };
}

const row = (page: Page, text: string) => page.getByTestId('conversation-row').filter({ hasText: text });

test('answer a chat from the widget: the visitor writes on another site, the agent replies in the inbox, the widget shows it', { skip }, async () => {
  const { page: agent, errors } = await agentPage(DEMO.sam);
  const visitor = await (await w.browser.newContext()).newPage();
  await visitor.goto(hostUrl);
  await visitor.locator('.launcher').click();
  await visitor.locator('form.prechat input[name=name]').fill('Vera Visitor');
  await visitor.locator('form.prechat input[name=email]').fill('vera@example.com');
  await visitor.locator('form.prechat textarea[name=text]').fill('Hello, does the Fjell 2 tent fit three people?');
  await visitor.locator('form.prechat button[type=submit]').click();
  await visitor.locator('.msg.visitor').first().waitFor();

  // The new chat appears in the agent's open inbox without a reload.
  await row(agent, 'Vera Visitor').first().waitFor({ timeout: 15_000 });
  await screenshot(agent, 'chat-1-inbox');
  await row(agent, 'Vera Visitor').first().click();
  await agent.getByTestId('timeline').getByText('does the Fjell 2 tent fit three people?').waitFor();
  await agent.getByLabel('Reply to the customer').fill('Hi Vera, the Fjell 2 sleeps two; the Fjell 3 fits three.');
  await agent.getByRole('button', { name: /^Send/ }).click();
  await agent.getByTestId('timeline').getByText('the Fjell 3 fits three').waitFor();
  await screenshot(agent, 'chat-2-conversation');

  // The visitor's widget shows the reply.
  await visitor.locator('.msg.agent').filter({ hasText: 'the Fjell 3 fits three' }).waitFor();
  await visitor.screenshot({ path: 'test-results/web-chat-3-widget.png' });
  // And the visitor's answer comes back into the open conversation live.
  const compose = visitor.locator('textarea[name=compose]');
  await compose.fill('Then the Fjell 3, please!');
  await compose.press('Enter');
  await agent.getByTestId('timeline').getByText('Then the Fjell 3, please!').waitFor();

  const id = new URL(agent.url()).pathname.split('/').pop()!;
  const conv = (await api('GET', `/conversations/${id}`)).json;
  assert.equal(conv.channel, 'chat');
  assert.deepEqual(conv.messages.map((m: any) => m.text), [
    'Hello, does the Fjell 2 tent fit three people?', 'Hi Vera, the Fjell 2 sleeps two; the Fjell 3 fits three.', 'Then the Fjell 3, please!',
  ]);
  assert.equal(conv.messages[1].authorType, 'agent');
  await checkA11y(agent, 'a chat conversation');
  assert.deepEqual(errors, []);
});

test('reply to an email: it arrives over SMTP into the open inbox, the agent replies, the sink gets it threaded', { skip }, async () => {
  const { page: agent, errors } = await agentPage(DEMO.sam);
  const before = w.sink.messages.length;
  const customer = nodemailer.createTransport({ host: '127.0.0.1', port: w.smtpPort, secure: false, ignoreTLS: true });
  const messageId = `<stove-${Date.now()}@customer.test>`;
  const sent = await customer.sendMail({
    from: 'Nora Lind <nora.lind@customer.test>',
    to: 'support@demo.earshot.test',
    subject: 'Spare burner for the Trangia stove',
    text: 'Hello, do you sell a spare burner for the Trangia 27? Mine is dented.',
    messageId,
  });
  customer.close();
  assert.match(String(sent.response), /^250/);

  // Realtime: the row appears in the open inbox without a reload.
  await row(agent, 'Spare burner for the Trangia stove').waitFor({ timeout: 15_000 });
  await screenshot(agent, 'email-1-inbox');
  await row(agent, 'Spare burner for the Trangia stove').click();
  await agent.getByRole('heading', { level: 1, name: /Spare burner for the Trangia stove/ }).waitFor();
  await agent.getByTestId('timeline').getByText('Mine is dented.').waitFor();
  await agent.getByLabel('Reply to the customer').fill('Hi Nora, yes: the spare burner is item 8120, in stock.');
  await agent.getByRole('button', { name: /^Send/ }).click();
  await agent.getByTestId('timeline').getByText('the spare burner is item 8120').waitFor();

  const [out] = (await w.sink.waitFor(before + 1, 20_000)).slice(before);
  assert.deepEqual(out.rcptTo, ['nora.lind@customer.test']);
  const mail = await simpleParser(out.raw);
  assert.equal(mail.inReplyTo, messageId);
  assert.match(mail.subject ?? '', /^Re: Spare burner for the Trangia stove/);
  assert.match(mail.text ?? '', /the spare burner is item 8120/);
  // The timeline marks the reply as sent once the relay took it.
  await agent.getByTestId('delivery-status').and(agent.locator('[data-status="sent"]')).first().waitFor({ timeout: 15_000 }).catch(async () => {
    await agent.reload();
    await agent.getByTestId('delivery-status').and(agent.locator('[data-status="sent"]')).first().waitFor();
  });
  await screenshot(agent, 'email-2-replied');
  assert.deepEqual(errors, []);
});

test('listening findings under an email: a German wait claim shows "Says they waited 40 min" with its evidence', { skip }, async () => {
  const { page: agent, errors } = await agentPage(DEMO.sam);
  const customer = nodemailer.createTransport({ host: '127.0.0.1', port: w.smtpPort, secure: false, ignoreTLS: true });
  const subject = `Rechnung doppelt abgebucht ${Date.now()}`;
  await customer.sendMail({
    from: 'Jonas Becker <jonas.becker@kunde.test>',
    to: 'support@demo.earshot.test',
    subject,
    text: 'Guten Tag, meine Rechnung wurde doppelt abgebucht. Ich habe 40 Minuten in der Warteschleife gehangen und niemand hat abgenommen.',
  });
  customer.close();
  await row(agent, subject).waitFor({ timeout: 15_000 });
  const list = await api('GET', '/conversations?view=all&channel=email&limit=100');
  const conv = (list.json.items as { id: string; subject: string }[]).find((c) => c.subject === subject)!;
  assert.ok(conv, 'the conversation is listed');
  const detail = (await api('GET', `/conversations/${conv.id}`)).json;
  const msg = detail.messages.find((m: any) => m.direction === 'inbound');
  // The server's job runner analyses the message moments after it arrived.
  await until('the listening analysis', async () => (await api('GET', `/messages/${msg.id}/findings`)).json.analysed === true);

  await row(agent, subject).click();
  const findings = agent.getByRole('list', { name: 'What the customer says' });
  await findings.waitFor();
  const wait = findings.locator('[data-finding="wait"]');
  await wait.getByText(/Says they waited 40 min/).waitFor();
  // The evidence is in accessible text (and in a tooltip on hover).
  assert.match((await wait.textContent()) ?? '', /Evidence: “[^”]*40 Minuten/);
  await wait.hover();
  await agent.getByRole('tooltip').filter({ hasText: '40 Minuten' }).waitFor();
  await screenshot(agent, 'email-3-findings');
  await checkA11y(agent, 'findings under a message');
  assert.deepEqual(errors, []);
});

test('merge two conversations in the merge dialog: the messages move, the merged one points to the other', { skip }, async () => {
  const body = (subject: string, text: string) => ({
    customer: { email: 'henrik.dahl@example.no', name: 'Henrik Dahl' }, channel: 'email', subject, message: { text },
  });
  const a = (await api('POST', '/conversations', body('Sovepose byttes', 'Hei, kan jeg bytte soveposen til en større?'))).json;
  const b = (await api('POST', '/conversations', body('Bytte av sovepose', 'Jeg skrev i går om soveposen, ordrenummer 51007.'))).json;
  assert.ok(a.id && b.id);
  const { page, errors } = await agentPage(DEMO.supervisor, `/conversations/${b.id}`);
  await page.getByRole('heading', { level: 1, name: /Bytte av sovepose/ }).waitFor();
  await page.getByRole('button', { name: 'Merge…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Find the conversation to merge into').fill(`#${a.number}`);
  await dialog.getByRole('radio', { name: new RegExp(`#${a.number} Sovepose byttes`) }).check();
  await checkA11y(page, 'the merge dialog');
  await screenshot(page, 'merge-1-dialog');
  await dialog.getByRole('button', { name: `Merge #${b.number} into #${a.number}` }).click();
  // The app opens the conversation merged into, holding both customer messages.
  await page.waitForURL(`**/conversations/${a.id}`);
  const timeline = page.getByTestId('timeline');
  await timeline.getByText('kan jeg bytte soveposen til en større?').waitFor();
  await timeline.getByText('ordrenummer 51007').waitFor();
  await screenshot(page, 'merge-2-merged');

  const merged = (await api('GET', `/conversations/${b.id}`)).json;
  assert.equal(merged.mergedInto, a.id);
  const into = (await api('GET', `/conversations/${a.id}`)).json;
  assert.deepEqual(into.messages.filter((m: any) => m.authorType === 'customer').map((m: any) => m.text).sort(), ['Hei, kan jeg bytte soveposen til en større?', 'Jeg skrev i går om soveposen, ordrenummer 51007.'].sort());
  // The merged conversation says where it went.
  await page.goto(`/conversations/${b.id}`);
  await page.getByText('This conversation was merged into another one.').waitFor();
  assert.deepEqual(errors, []);
});
