/**
 * The user journey of a chat visitor, done as people do it in Chromium against the real server with the demo data
 * (test/web-harness.ts), each step timed as the person waits (test-results/journey-timings.jsonl). The administrator's
 * journey (a) is in test/journeys-admin.e2e.test.ts.
 *
 * (b) chat-snippet-visitor: the admin picks a queue for the chat widget in Admin → Channels and copies the snippet as
 *     shown; a visitor on a page of another origin, in an English browser, writes in German; the chat reaches the
 *     agent's inbox in that queue with an SLA due time and language de (item 4); the agent replies, the visitor sees
 *     it, ends the chat asking for the transcript by email (it arrives in the SMTP sink, in German), and is asked for
 *     satisfaction in the widget while it is open; the answer is stored (item 11).
 *
 * Screenshots: test-results/web-journey-chat-*.png (the agent's conversation also at 390 px).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { DEMO, WEB_E2E_SKIP, checkA11y, screenshot, serveHtml, signIn, step, until, webSuite } from './web-harness.js';
import { newPage } from './journeys-helpers.js';

const skip = WEB_E2E_SKIP;
const hosts: Server[] = [];
const w = webSuite(async (w) => {
  // Agents on duty, so a chat is answered live rather than moved to email.
  await w.env.db.query(`UPDATE users SET presence = 'available' WHERE account_id = $1 AND role = 'agent'`, [w.demoAccountId]);
});
after(() => {
  for (const h of hosts) h.close();
});

const api = (method: string, url: string, body?: unknown) => w.env.req(method, `/api/v1${url}`, { token: w.demoTokens.admin, body });

const page = (opts: { phone?: boolean; locale?: string } = {}) => newPage(w, opts);

test('journey (b): a visitor on another site uses the snippet copied from Admin → Channels, writes German from an English browser; routed with SLA, answered, transcript mailed, satisfaction asked in the widget', { skip }, async () => {
  const J = 'chat-snippet-visitor';
  const sla = (await api('GET', '/sla-policies')).json.items.find((s: any) => s.name === 'Standard');
  const queue = (await api('POST', '/queues', { name: 'Chat DE', timezone: 'Europe/Berlin', slaPolicyId: sla.id })).json;
  assert.ok(queue.id, 'a queue open around the clock with the demo SLA policy');

  // The admin picks the queue for chats and copies the snippet as the screen shows it.
  const { page: admin, errors: adminErrors } = await page();
  await signIn(admin, DEMO.admin);
  await step(J, 'open Admin → Channels', async () => {
    await admin.goto('/admin/channels');
    await admin.getByTestId('widget-snippet').waitFor();
  });
  await step(J, 'pick the queue for chats → the snippet names it', async () => {
    await admin.getByRole('combobox', { name: 'Queue for chats' }).click();
    await admin.getByRole('option', { name: 'Chat DE' }).click();
    await until('the snippet names the queue', async () => (await admin.getByTestId('widget-snippet').innerText()).includes('data-queue'));
  });
  const snippet = (await admin.getByTestId('widget-snippet').innerText()).trim();
  assert.equal(snippet, `<script src="${w.url}/widget.js" data-account="demo" data-queue="${queue.id}"></script>`);
  await checkA11y(admin, 'Admin → Channels with the queue picked');
  await admin.evaluate(() => window.scrollTo(0, 0));
  await screenshot(admin, 'journey-chat-1-channels-snippet');
  assert.deepEqual(adminErrors, []);
  await admin.context().close();

  // The shop's page on another origin, with exactly that snippet.
  const shop = await serveHtml(`<!doctype html><html lang="de"><head><title>Nordlicht Outdoor – Zelte</title></head>
<body><main><h1>Nordlicht Outdoor</h1><p>Zelte, Kocher und Schlafsäcke.</p></main>
${snippet}</body></html>`);
  hosts.push(shop.server);
  assert.notEqual(new URL(shop.url).origin, new URL(w.url).origin);

  // An English browser; the visitor writes German.
  const { page: visitor, errors: visitorErrors } = await page({ locale: 'en-GB' });
  const { page: agent, errors: agentErrors } = await page();
  await signIn(agent, DEMO.sam);
  await agent.goto('/inbox/all');
  await agent.getByTestId('conversation-list').waitFor();
  await step(J, 'visitor opens the shop page and the chat', async () => {
    await visitor.goto(shop.url);
    await visitor.locator('.launcher').click();
    await visitor.locator('form.prechat textarea[name=text]').waitFor();
  });
  await visitor.locator('form.prechat input[name=name]').fill('Greta Gast');
  await visitor.locator('form.prechat input[name=email]').fill('greta.gast@example.de');
  await visitor.locator('form.prechat textarea[name=text]').fill('Hallo, ich habe eine Frage zum Zelt Fjell 3. Ist es wirklich für drei Personen geeignet?');
  await checkA11y(visitor, 'the chat widget before starting');
  await step(J, 'visitor starts the chat → own message confirmed', async () => {
    await visitor.locator('form.prechat button[type=submit]').click();
    await visitor.locator('.msg.visitor[data-seq]').first().waitFor();
  });
  const row = agent.getByTestId('conversation-row').filter({ hasText: 'Greta Gast' }).first();
  await step(J, 'the chat appears in the agent inbox (no reload)', () => row.waitFor({ timeout: 15_000 }));
  const conv = (await api('GET', '/conversations?view=all&channel=chat&limit=20')).json.items.find((c: any) => c.customer?.name === 'Greta Gast')
    ?? (await api('GET', '/conversations?view=all&limit=50')).json.items.find((c: any) => /Fjell 3/.test(c.subject));
  const full = (await api('GET', `/conversations/${conv.id}`)).json;
  assert.equal(full.queueId, queue.id, 'routed to the queue of the snippet');
  assert.equal(full.language, 'de', 'the language the visitor writes, not the browser’s');
  assert.equal(full.customer.language, 'de');
  assert.ok(full.sla.firstReplyDueAt, 'an SLA due time');
  await step(J, 'agent opens the chat', async () => {
    await row.click();
    await agent.getByTestId('timeline').getByText('Ist es wirklich für drei Personen geeignet?').waitFor();
  });
  const queueField = agent.getByRole('combobox', { name: 'Queue', exact: true });
  await until('the conversation page shows its queue', async () => (await queueField.inputValue()) === 'Chat DE'); // once the queue list loaded
  await agent.getByTestId('sla-clocks').getByText('First reply').waitFor();
  assert.equal(await agent.getByTestId('customer-language').innerText(), 'Deutsch');
  await agent.getByLabel('Reply to the customer').fill('Hallo Greta, ja: das Fjell 3 bietet drei Personen Platz, mit zwei Apsiden für das Gepäck.');
  await step(J, 'agent replies → the visitor sees it', async () => {
    await agent.getByRole('button', { name: /^Send/ }).click();
    await visitor.locator('.msg.agent').filter({ hasText: 'bietet drei Personen Platz' }).waitFor();
  });
  await checkA11y(agent, 'the chat conversation after the reply');
  await agent.evaluate(() => window.scrollTo(0, 0));
  await screenshot(agent, 'journey-chat-2-agent-conversation');

  // Ending: the transcript by email first, then the satisfaction question in the open widget.
  await step(J, 'visitor presses End chat → the transcript offer', async () => {
    await visitor.locator('button.end').click();
    await visitor.getByRole('textbox', { name: 'Email for the transcript' }).waitFor();
  });
  assert.equal(await visitor.getByRole('textbox', { name: 'Email for the transcript' }).inputValue(), 'greta.gast@example.de');
  await checkA11y(visitor, 'the transcript offer');
  const before = w.sink.messages.length;
  await step(J, 'visitor asks for the transcript → the chat ends, the widget says where it went', async () => {
    await visitor.getByRole('button', { name: 'Email transcript and end' }).click();
    await visitor.getByText('The transcript is on its way to greta.gast@example.de').waitFor();
  });
  // The conversation stays readable in the widget; the composer is gone.
  assert.equal(await visitor.locator('.msg.agent').filter({ hasText: 'bietet drei Personen Platz' }).isVisible(), true);
  assert.equal(await visitor.locator('textarea[name=compose]').isVisible(), false);
  const survey = visitor.getByRole('group', { name: /Wie zufrieden sind Sie/ });
  await step(J, 'the satisfaction question appears in the open widget', () => survey.waitFor());
  const mail = await step(J, 'the transcript arrives in the mailbox', async () => {
    const { simpleParser } = await import('mailparser');
    for (;;) {
      const got = await w.sink.waitFor(before + 1, 20_000);
      for (const m of got.slice(before)) {
        const p = await simpleParser(m.raw);
        if (/^Ihr Chat mit /.test(p.subject ?? '')) return { rcpt: m.rcptTo, p };
      }
      await until('another mail', () => w.sink.messages.length > got.length);
    }
  });
  assert.deepEqual(mail.rcpt, ['greta.gast@example.de']);
  assert.match(mail.p.text ?? '', /Sie: Hallo, ich habe eine Frage zum Zelt Fjell 3/);
  assert.match(mail.p.text ?? '', /Kundenservice: Hallo Greta, ja: das Fjell 3 bietet drei Personen Platz/);
  await survey.getByRole('button', { name: '5 – Sehr zufrieden' }).click();
  await survey.getByRole('textbox', { name: 'Kommentar (freiwillig)' }).fill('Schnelle und klare Antwort');
  await checkA11y(visitor, 'the satisfaction question in the widget');
  await step(J, 'visitor sends the answer → thanked', async () => {
    await survey.getByRole('button', { name: 'Antwort senden' }).click();
    await visitor.getByText('Vielen Dank für Ihre Antwort!').waitFor();
  });
  await visitor.screenshot({ path: 'test-results/web-journey-chat-3-widget-ended-rated.png' });
  const rating = await w.env.db.query<any>('SELECT score, comment, source FROM conversation_ratings WHERE conversation_id = $1', [conv.id]);
  assert.deepEqual(rating.rows, [{ score: 5, comment: 'Schnelle und klare Antwort', source: 'chat' }]);

  // The agent's view of it on a phone.
  const { page: phone, errors: phoneErrors } = await page({ phone: true });
  await phone.context().addCookies(await agent.context().cookies()); // signed in as the same agent
  await step(J, 'agent opens the chat on a phone (390 px)', async () => {
    await phone.goto(`/conversations/${conv.id}`);
    await phone.getByTestId('timeline').getByText('bietet drei Personen Platz').waitFor();
  });
  await checkA11y(phone, 'the chat conversation at 390 px');
  await phone.evaluate(() => window.scrollTo(0, 0));
  await screenshot(phone, 'journey-chat-4-agent-phone');
  assert.deepEqual(visitorErrors, []);
  assert.deepEqual(agentErrors, []);
  assert.deepEqual(phoneErrors, []);
});
