/**
 * The chat widget in real headless Chromium: a host page on another origin embeds widget.js; the visitor opens the
 * widget, fills the pre-chat form and chats with an agent who answers through the API. The connection is forced down
 * (server-side sockets closed, browser offline) while the visitor writes two messages and the agent answers twice;
 * back online the widget resumes. At the end the conversation holds every message exactly once and the widget shows
 * each exactly once. Screenshots: test-results/chat-widget-*.png.
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
let earshot = '';
let hostUrl = '';

before(async () => {
  if (skip) return;
  env = await setup({ publicRateLimit: 1000 });
  const agent = await accounts.addUser(env.ctx, systemPrincipal(env.accountId), { email: 'agent@acme.test', name: 'Agnes', role: 'agent' });
  await env.db.query(`UPDATE users SET presence = 'available' WHERE id = $1`, [agent.id]);
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  earshot = `http://127.0.0.1:${(env.app.server.address() as any).port}`;
  ({ url: hostUrl, server: host } = await serveHtml(`<!doctype html><html><head><title>Acme Outdoor</title>
<style>* { color: red !important; font-size: 30px !important; } body { background: #f4f4f4; }</style></head>
<body><h1>Acme Outdoor</h1><p>Tents, stoves and sleeping bags.</p>
<script src="${earshot}/widget.js" data-account="acme" data-lang="en"></script></body></html>`));
  browser = await launchChromium();
  mkdirSync('test-results', { recursive: true });
});

after(async () => {
  if (skip) return;
  await browser?.close();
  host?.close();
  await env?.close();
});

/** Texts of the widget's message bubbles, in order, read from inside its shadow root. */
async function shown(page: any): Promise<{ texts: string[]; pending: number }> {
  return page.evaluate(() => {
    const root = document.querySelector('[data-earshot-chat]')!.shadowRoot!;
    const msgs = [...root.querySelectorAll('.msg')];
    return { texts: msgs.map((m) => (m.firstChild?.textContent ?? '').trim()), pending: root.querySelectorAll('.msg.pending').length };
  });
}

async function until(what: string, check: () => Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const reply = (id: string, text: string) => env.req('POST', `/api/v1/conversations/${id}/replies`, { token: env.tokens.agent, body: { text } });

test('widget in Chromium: chat with an agent across a forced disconnect, nothing lost or doubled', { skip }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e: Error) => pageErrors.push(e.message));
  await page.goto(hostUrl);
  await page.locator('.launcher').click();
  await page.locator('.status').filter({ hasText: 'An agent is available' }).waitFor();
  await page.locator('form.prechat input[name=name]').fill('Vera Visitor');
  await page.locator('form.prechat input[name=email]').fill('vera@example.com');
  await page.locator('form.prechat textarea[name=text]').fill('Hello, my tent pole broke');
  await page.locator('form.prechat button[type=submit]').click();
  await page.locator('.msg.visitor[data-seq="1"]').waitFor();
  await page.screenshot({ path: 'test-results/chat-widget-1-started.png' });

  const cc = await env.db.query<{ conversation_id: string }>('SELECT conversation_id FROM chat_conversations');
  assert.equal(cc.rows.length, 1);
  const id = cc.rows[0].conversation_id;
  assert.equal((await reply(id, 'Hi Vera, which tent is it?')).status, 201);
  await page.locator('.msg.agent').filter({ hasText: 'which tent is it' }).waitFor();
  const compose = page.locator('textarea[name=compose]');
  await compose.fill('The Fjell 2');
  await compose.press('Enter');
  await page.locator('.msg.visitor[data-seq="3"]').waitFor();

  // Force the disconnect: the browser goes offline and the server drops every socket.
  await context.setOffline(true);
  for (const ws of (env.app as any).websocketServer.clients) ws.terminate();
  await page.locator('.notice').filter({ hasText: 'Reconnecting' }).waitFor();
  await compose.fill('Are you still there?');
  await compose.press('Enter');
  await compose.fill('It broke at the second joint');
  await compose.press('Enter');
  assert.equal((await reply(id, 'A new pole is on its way')).status, 201);
  assert.equal((await reply(id, 'It ships tomorrow')).status, 201);
  await page.screenshot({ path: 'test-results/chat-widget-2-offline.png' });
  const stored = (await env.req('GET', `/api/v1/conversations/${id}`)).json.messages.map((m: any) => m.text);
  assert.ok(!stored.includes('Are you still there?'), 'messages written while offline wait in the widget');

  await context.setOffline(false);
  await page.locator('.msg.agent').filter({ hasText: 'It ships tomorrow' }).waitFor();
  await until('the offline messages to be acknowledged', async () => (await shown(page)).pending === 0);

  // More both ways after the reconnect.
  await compose.fill('Thank you!');
  await compose.press('Enter');
  assert.equal((await reply(id, 'You are welcome')).status, 201);
  await page.locator('.msg.agent').filter({ hasText: 'You are welcome' }).waitFor();
  await until('every visitor message to be acknowledged', async () => (await shown(page)).pending === 0);
  await page.screenshot({ path: 'test-results/chat-widget-3-resumed.png' });

  const expected = [
    'Hello, my tent pole broke', 'Hi Vera, which tent is it?', 'The Fjell 2', 'Are you still there?', 'It broke at the second joint',
    'A new pole is on its way', 'It ships tomorrow', 'Thank you!', 'You are welcome',
  ];
  const conv = (await env.req('GET', `/api/v1/conversations/${id}`)).json;
  assert.equal(conv.channel, 'chat');
  const texts: string[] = conv.messages.map((m: any) => m.text);
  assert.deepEqual([...texts].sort(), [...expected].sort(), 'the conversation holds every message exactly once');
  const widget = await shown(page);
  assert.deepEqual([...widget.texts].sort(), [...expected].sort(), 'the widget shows every message exactly once');
  assert.equal(new Set(widget.texts).size, widget.texts.length);
  // A reload replays the chat from the server: still each message once.
  await page.reload();
  await page.locator('.msg.agent').filter({ hasText: 'You are welcome' }).waitFor();
  await until('the replay', async () => (await shown(page)).texts.length >= expected.length);
  assert.deepEqual([...(await shown(page)).texts].sort(), [...expected].sort());
  await page.screenshot({ path: 'test-results/chat-widget-4-reloaded.png' });
  // The host page's CSS did not reach into the widget.
  const color = await page.locator('.msg.agent').first().evaluate((el: Element) => getComputedStyle(el).color);
  assert.notEqual(color, 'rgb(255, 0, 0)');
  assert.deepEqual(pageErrors, []);
  await context.close();
});
