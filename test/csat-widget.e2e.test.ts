/**
 * The satisfaction prompt in the real chat widget (headless Chromium, host page on another origin): an agent solves
 * the chat; the widget loads /csat-widget.js, shows the question with five labelled score buttons; the visitor picks
 * 4, writes a comment and sends; the answer is stored (source chat) and the widget thanks. Screenshot:
 * test-results/csat-widget.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { setup, type TestEnv } from './helpers.js';
import { CHROMIUM_MISSING, launchChromium, serveHtml } from './chromium.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';

const skip = CHROMIUM_MISSING ? `${CHROMIUM_MISSING}; skipping the widget e2e test` : false;
if (skip) console.log(`# ${skip}`);

let env: TestEnv;
let host: Server;
let browser: Browser;
let hostUrl = '';

before(async () => {
  if (skip) return;
  env = await setup({ publicRateLimit: 1000 });
  const agent = await accounts.addUser(env.ctx, systemPrincipal(env.accountId), { email: 'agent@acme.test', name: 'Agnes', role: 'agent' });
  await env.db.query(`UPDATE users SET presence = 'available' WHERE id = $1`, [agent.id]);
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  const earshot = `http://127.0.0.1:${(env.app.server.address() as any).port}`;
  ({ url: hostUrl, server: host } = await serveHtml(`<!doctype html><html lang="de"><head><title>Acme Outdoor</title></head>
<body><h1>Acme Outdoor</h1><script src="${earshot}/widget.js" data-account="acme" data-lang="de"></script></body></html>`));
  browser = await launchChromium();
  mkdirSync('test-results', { recursive: true });
});

after(async () => {
  if (skip) return;
  await browser?.close();
  host?.close();
  await env?.close();
});

test('widget in Chromium: the solved chat asks for a score; the visitor answers with a comment', { skip, timeout: 90_000 }, async () => {
  assert.equal((await env.req('PUT', '/api/v1/csat/settings', { body: { delayMinutes: 0 } })).status, 200);
  const page = await (await browser.newContext()).newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e: Error) => pageErrors.push(e.message));
  await page.goto(hostUrl);
  await page.locator('.launcher').click();
  await page.locator('form.prechat input[name=name]').fill('Vera Visitor');
  await page.locator('form.prechat input[name=email]').fill('vera@example.de');
  await page.locator('form.prechat textarea[name=text]').fill('Hallo, mein Zeltgestänge ist gebrochen');
  await page.locator('form.prechat button[type=submit]').click();
  let id = '';
  for (let i = 0; i < 150 && !id; i++) {
    const r = await env.db.query<{ conversation_id: string }>('SELECT conversation_id FROM chat_conversations');
    id = r.rows[0]?.conversation_id ?? '';
    if (!id) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(id, 'the chat was opened');
  const solved = await env.req('POST', `/api/v1/conversations/${id}/replies`, { token: env.tokens.agent, body: { text: 'Ein neues Gestänge ist unterwegs.', status: 'solved' } });
  assert.equal(solved.status, 201, solved.body);
  await env.app.jobs.runDue(new Date(Date.now() + 1000));

  const survey = page.getByRole('group', { name: /Wie zufrieden sind Sie/ });
  await survey.waitFor();
  await survey.getByRole('button', { name: '4 – Zufrieden' }).click();
  assert.equal(await survey.getByRole('button', { name: '4 – Zufrieden' }).getAttribute('aria-pressed'), 'true');
  await survey.getByRole('textbox', { name: 'Kommentar (freiwillig)' }).fill('Schnelle Hilfe, danke');
  await page.screenshot({ path: 'test-results/csat-widget.png' });
  await survey.getByRole('button', { name: 'Antwort senden' }).click();
  await page.getByText('Vielen Dank für Ihre Antwort!').waitFor();
  const r = await env.db.query<any>('SELECT score, comment, source FROM conversation_ratings WHERE conversation_id = $1', [id]);
  assert.deepEqual(r.rows, [{ score: 4, comment: 'Schnelle Hilfe, danke', source: 'chat' }]);
  assert.deepEqual(pageErrors, []);
});
