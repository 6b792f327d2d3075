/**
 * Leaders within earshot in headless Chromium against the real server with the demo data (test/web-harness.ts): the
 * demo leader (Ingrid, Norwegian UI) signs in, opens /leaders, sees today's requests prepared by the team, answers one
 * in her own name, and the customer receives it by email (the harness's SMTP sink); axe-core and a screenshot. Then an
 * agent (Sam) prepares a request from the "To prepare" list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { DEMO, checkA11y, screenshot, signIn, switchLanguage, until, watchErrors, WEB_E2E_SKIP, webSuite } from './web-harness.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();

test('the leader sees today’s prepared requests, answers one, and the customer receives it by email', { skip }, async () => {
  const prepared = (await w.env.req('GET', '/api/v1/leaders/items?status=prepared', { token: w.demoTokens.agent })).json.items as any[];
  const ingrid = (await w.env.db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [DEMO.leader])).rows[0].id;
  const mine = prepared.filter((i) => i.assigneeId === ingrid);
  assert.ok(mine.length >= 1, 'the demo draws and prepares today’s sample for Ingrid');
  const item = mine.find((i) => i.channel === 'email' || i.channel === 'web');
  assert.ok(item, `one of the demo sample answers by email (channels: ${mine.map((i) => i.channel).join(', ')})`);
  const customer = (await w.env.db.query<{ value: string }>(
    `SELECT ci.value FROM conversations c JOIN customer_identities ci ON ci.customer_id = c.customer_id AND ci.kind = 'email' WHERE c.id = $1`,
    [item.conversationId],
  )).rows[0].value;

  const ctx = await w.newContext();
  const p = await ctx.newPage();
  const errors = watchErrors(p);
  await signIn(p, DEMO.leader);
  await switchLanguage(p, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  await p.goto('/leaders');
  await p.getByRole('heading', { level: 1, name: /^(Leaders within earshot|Führung in Hörweite|Ledere innen hørevidde)$/ }).waitFor();
  const cards = p.getByTestId('leader-request');
  await cards.first().waitFor();
  assert.equal(await cards.count(), mine.length, 'every prepared request of hers is on the screen');
  const card = cards.filter({ hasText: item.subject });
  // The proposed answer is prefilled; the history and the journey are there.
  const answer = card.getByRole('textbox', { name: /^(Your answer|Ihre Antwort|Svaret ditt)/ });
  assert.equal(await answer.inputValue(), item.proposedAnswer);
  await card.getByRole('table').first().waitFor();
  await checkA11y(p, 'the leaders screen (today)');
  await screenshot(p, 'leaders');

  const text = `Hei! Jeg er Ingrid Berg og har lest meldingen din selv. Vi sender en løsning i dag. (e2e ${Date.now()})`;
  await answer.fill(text);
  await card.getByRole('button', { name: /^(Send|Senden)$/ }).click();
  await until('the leader’s answer reaches the customer', () => w.sink.messages.some((m) => m.rcptTo.includes(customer) && m.raw.toString('utf8').includes('e2e ')));
  const sent = w.sink.messages.find((m) => m.rcptTo.includes(customer) && m.raw.toString('utf8').includes('e2e '))!;
  const mail = await simpleParser(sent.raw);
  assert.match(mail.text ?? '', /har lest meldingen din selv/);
  assert.match(String(mail.from?.text), /Ingrid Berg/);
  await until('the card is gone', async () => (await p.getByTestId('leader-request').filter({ hasText: item.subject }).count()) === 0);
  const after = (await w.env.req('GET', `/api/v1/leaders/items?conversationId=${item.conversationId}`, { token: w.demoTokens.agent })).json.items[0];
  assert.equal(after.status, 'answered');
  const msg = (await w.env.db.query('SELECT author_user_id FROM messages WHERE id = $1', [after.answerMessageId])).rows[0];
  assert.equal(msg.author_user_id, ingrid, 'the answer is in the leader’s own name');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('an agent prepares a drawn request from the "To prepare" list', { skip }, async () => {
  // A fresh email conversation and tomorrow's draw for Ingrid: whatever is drawn must be prepared by the team.
  const c = await w.env.req('POST', '/api/v1/conversations', {
    token: w.demoTokens.agent,
    body: { customer: { email: 'kari.e2e@example.no', name: 'Kari Nordmann' }, channel: 'email', subject: 'Hvor er pakken min?', message: { text: 'Hei, pakken min har ikke kommet. Kari' } },
  });
  assert.equal(c.status, 201, c.body);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const d = await w.env.req('POST', '/api/v1/leaders/draws', { token: w.demoTokens.supervisor, body: { date: tomorrow, seed: 1 } });
  assert.equal(d.status, 201, d.body);
  const drawn = (await w.env.req('GET', '/api/v1/leaders/items?status=drawn', { token: w.demoTokens.agent })).json.items as any[];
  assert.ok(drawn.length >= 1, 'something to prepare');
  const target = drawn[0];

  const ctx = await w.newContext();
  const p = await ctx.newPage();
  const errors = watchErrors(p);
  await signIn(p, DEMO.sam);
  await p.goto('/leaders');
  await p.getByRole('tab', { name: 'To prepare' }).click();
  await p.getByRole('button', { name: `Prepare #${target.conversationNumber}` }).click();
  await p.getByRole('textbox', { name: 'Summary' }).fill('Parcel not arrived; tracking shows it stuck in Oslo.');
  await p.getByRole('textbox', { name: 'Proposed answer' }).fill('Hei Kari, vi sender en ny pakke i dag.');
  await checkA11y(p, 'the leaders screen (prepare)');
  await p.getByRole('button', { name: 'Mark as prepared' }).click();
  await until('the request is prepared', async () =>
    (await w.env.req('GET', `/api/v1/leaders/items?conversationId=${target.conversationId}`, { token: w.demoTokens.agent })).json.items[0].status === 'prepared');
  const it = (await w.env.req('GET', `/api/v1/leaders/items?conversationId=${target.conversationId}`, { token: w.demoTokens.agent })).json.items[0];
  assert.equal(it.preparedByName, 'Sam Carter');
  // Beside the conversation, the team sees the sample's state and can edit the preparation from there.
  await p.goto(`/conversations/${target.conversationId}`);
  const panel = p.getByTestId('leaders-panel');
  await panel.getByText('prepared', { exact: true }).waitFor();
  await panel.getByText(`For ${target.assigneeName}`).waitFor();
  await panel.getByRole('button', { name: 'Edit preparation' }).click();
  await panel.getByRole('textbox', { name: 'Summary' }).waitFor();
  assert.equal(await panel.getByRole('textbox', { name: 'Summary' }).inputValue(), 'Parcel not arrived; tracking shows it stuck in Oslo.');
  await checkA11y(p, 'the conversation page with the leaders panel');
  assert.deepEqual(errors, []);
  await ctx.close();
});
