/**
 * Journey: an agent works a conversation on a phone (390 × 844), as a person does it in Chromium against the real
 * server with the demo data (issue 13, item 3). Each step is timed (test-results/journey-timings.jsonl), ends with a
 * screenshot at 390 px (test-results/web-journey-agent-<n>-<step>.png), an axe check, no horizontal scrolling, and
 * no console errors; the same inbox is then shot at desktop width for comparison.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO, WEB_E2E_SKIP, checkA11y, phoneContext, screenshot, signIn, step, until, watchErrors, webSuite } from './web-harness.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();
const J = 'agent works a conversation at 390 px';
const api = (method: string, url: string, body?: unknown) => w.env.req(method, `/api/v1${url}`, { token: w.demoTokens.admin, body });

/** Nothing on the page is wider than the phone: no sideways scrolling. */
async function fitsThePhone(page: Page, where: string) {
  const { scroll, client, wide } = await page.evaluate(() => {
    const el = document.scrollingElement!;
    // The widest elements, to name the culprit when it fails.
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed')
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${String((e as HTMLElement).className).slice(0, 60)} → ${Math.round(e.getBoundingClientRect().right)}`);
    return { scroll: el.scrollWidth, client: el.clientWidth, wide };
  });
  assert.ok(scroll <= 390, `${where}: the page is ${scroll} px wide on a ${client} px phone; too wide: ${wide.join('; ')}`);
}

async function endOfStep(page: Page, n: number, name: string, errors: string[]) {
  await fitsThePhone(page, name);
  await checkA11y(page, `${name} (390 px)`);
  await screenshot(page, `journey-agent-${n}-${name}`);
  assert.deepEqual(errors, [], `console errors after "${name}"`);
}

test('journey: an agent works a conversation on a phone — menu, views drawer, filter sheet, card, macro in the customer\'s language, solve with undo, back', { skip }, async () => {
  // A German customer writes to the German queue by email.
  const queues = (await api('GET', '/queues')).json.items as { id: string; name: string }[];
  const subject = `Rücksendung ${Date.now().toString(36)}`;
  const created = await api('POST', '/conversations', {
    customer: { email: `greta.${Date.now()}@kunde.test`, name: 'Greta Sommer', language: 'de' },
    channel: 'email', subject, message: { text: 'Hallo, ist meine Rücksendung angekommen? Viele Grüße, Greta Sommer' },
    queueId: queues.find((q) => q.name === 'Kundenservice DE')!.id,
  });
  assert.equal(created.status, 201);
  const conv = created.json as { id: string; number: number };

  const ctx = await phoneContext(w);
  const page = await ctx.newPage();
  const errors = watchErrors(page);

  await step(J, 'sign in', async () => {
    await signIn(page, DEMO.sam);
    await page.getByTestId('conversation-row').first().waitFor();
  });
  // The header fits: the menu button is there, the sign-out waits inside the menu.
  await page.getByRole('button', { name: 'Menu' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), false, 'sign-out sits in the menu on a phone');
  await endOfStep(page, 1, 'inbox', errors);

  await step(J, 'open the menu', async () => {
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
  });
  const menu = page.getByRole('navigation', { name: 'Main navigation' });
  await menu.getByRole('link', { name: 'Inbox' }).waitFor({ state: 'visible' });
  await page.getByRole('radiogroup', { name: 'Language' }).or(page.getByLabel('Language').first()).first().waitFor({ state: 'visible' });
  // The drawer slides in: wait until it has arrived, then each entry must lie within the 390 px screen.
  for (const [name, b] of [['Sign out', page.getByRole('button', { name: 'Sign out' })], ['Inbox', menu.getByRole('link', { name: 'Inbox' })]] as const) {
    await until(`the menu entry "${name}" within the screen`, async () => {
      const box = await b.boundingBox();
      return !!box && box.x >= 0 && box.x + box.width <= 390;
    }, 5_000);
  }
  await endOfStep(page, 2, 'menu', errors);
  await page.getByRole('button', { name: 'Close the menu' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'hidden' });

  await step(J, 'open the views drawer and pick a view', async () => {
    await page.getByRole('button', { name: /^Views/ }).click();
    const drawer = page.getByRole('dialog', { name: 'Inbox views' });
    await drawer.getByRole('link', { name: /Kundenservice DE/ }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { level: 1, name: 'Kundenservice DE' }).waitFor();
    await page.getByTestId('conversation-row').filter({ hasText: subject }).waitFor();
  });
  await endOfStep(page, 3, 'view', errors);

  await step(J, 'filter via the sheet', async () => {
    await page.getByRole('button', { name: /^Filters/ }).click();
    const sheet = page.getByRole('dialog', { name: 'Filters' });
    await sheet.getByRole('combobox', { name: 'Channel' }).click();
    await page.getByRole('option', { name: 'Email' }).click();
    await sheet.getByRole('button', { name: 'Show conversations' }).click();
    await sheet.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Filters (1)' }).waitFor();
  });
  const shown = (await api('GET', `/conversations?view=open&queue=${queues.find((q) => q.name === 'Kundenservice DE')!.id}&channel=email`)).json.total;
  await page.getByTestId('inbox-total').filter({ hasText: new RegExp(`^${shown} conversations?$`) }).waitFor();
  await endOfStep(page, 4, 'filtered', errors);

  await step(J, 'open the conversation card', async () => {
    await page.getByTestId('conversation-row').filter({ hasText: subject }).click();
    await page.getByTestId('timeline').getByText('ist meine Rücksendung angekommen?').waitFor();
  });
  await endOfStep(page, 5, 'conversation', errors);

  await step(J, 'reply with a macro in the customer\'s language', async () => {
    await page.getByRole('combobox', { name: 'Macro' }).click();
    // German first, for a German customer.
    assert.equal((await page.getByRole('option').first().textContent())?.trim(), 'Danke, gelöst');
    await page.getByRole('option', { name: 'Danke, gelöst' }).click();
    await until('the macro is in the reply', async () => /^Hallo Greta Sommer,/.test(await page.getByLabel('Reply to the customer').inputValue()));
    assert.equal(await page.getByRole('alert').filter({ hasText: 'This macro is in' }).count(), 0, 'no language warning');
    // Reply now, solve separately: keep the status the macro would set.
    await page.getByRole('combobox', { name: 'Then set status' }).click();
    await page.getByRole('option', { name: 'Keep status' }).click();
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByTestId('timeline').getByText('schön, dass wir helfen konnten').waitFor();
  });
  await endOfStep(page, 6, 'replied', errors);

  await step(J, 'solve and see the undo', async () => {
    await page.getByRole('button', { name: 'Solve', exact: true }).click();
    await page.getByRole('button', { name: 'Undo' }).waitFor();
  });
  await until('the API says solved', async () => (await api('GET', `/conversations/${conv.id}`)).json.status === 'solved');
  await endOfStep(page, 7, 'solved', errors);

  await step(J, 'go back to the inbox', async () => {
    await page.getByRole('link', { name: /Back to the inbox/ }).click();
    await page.getByTestId('conversation-list').waitFor();
    await page.getByTestId('conversation-row').first().waitFor();
  });
  assert.equal(await page.getByTestId('conversation-row').filter({ hasText: subject }).count(), 0, 'solved: no longer in the open view');
  await endOfStep(page, 8, 'back', errors);

  // The same inbox at desktop width: the views column and the row table as before.
  const desk = await (await w.newContext()).newPage();
  const deskErrors = watchErrors(desk);
  await signIn(desk, DEMO.sam);
  await desk.getByTestId('conversation-row').first().waitFor();
  await desk.getByRole('navigation', { name: 'Inbox views' }).waitFor({ state: 'visible' });
  assert.equal(await desk.getByRole('button', { name: /^Views/ }).count(), 0, 'no views button at desktop width');
  await desk.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
  await checkA11y(desk, 'the inbox at desktop width');
  await screenshot(desk, 'journey-agent-9-desktop');
  assert.deepEqual(deskErrors, []);
});
