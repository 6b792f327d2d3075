/**
 * Every screen a person can reach, opened in Chromium as that person: each app screen for the role that uses it and
 * every public page, at desktop width (1366 px) and on a phone (390 × 844). On each: axe (serious/critical fail),
 * no console error, no failed API call, and on the phone nothing wider than the screen (a page a person must scroll
 * sideways to read is broken). Screenshots: test-results/web-screen-<name>-<desktop|phone>.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO, checkA11y, phoneContext, screenshot, signIn, watchErrors, WEB_E2E_SKIP, webSuite } from './web-harness.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();

type Width = 'desktop' | 'phone';
const contexts = new Map<string, BrowserContext>();

/** A signed-in context per person and width, made once. */
async function as(email: string | null, width: Width): Promise<Page> {
  const key = `${email}/${width}`;
  let c = contexts.get(key);
  if (!c) {
    c = width === 'phone' ? await phoneContext(w) : await w.newContext();
    contexts.set(key, c);
    if (email) {
      const p = await c.newPage();
      await signIn(p, email);
      await p.close();
    }
  }
  return c.newPage();
}

/**
 * Opens a screen at both widths, waits for what shows it is ready, then runs the checks; what fails is collected in
 * `problems` (one line per screen and width), so one run shows every broken screen, not only the first.
 */
async function check(problems: string[], name: string, email: string | null, path: string, ready: (p: Page) => Promise<unknown>) {
  for (const width of ['desktop', 'phone'] as Width[]) {
    try {
      await checkOne(name, email, path, ready, width);
    } catch (e) {
      problems.push(`${name} (${width}): ${(e as Error).message}`);
    }
  }
}

async function checkOne(name: string, email: string | null, path: string, ready: (p: Page) => Promise<unknown>, width: Width) {
  {
    const page = await as(email, width);
    const errors = watchErrors(page);
    await page.goto(path);
    await ready(page);
    // Let queries that the screen starts after its first paint settle, so their errors (if any) are seen.
    await page.waitForLoadState('networkidle');
    await checkA11y(page, `${name} (${width})`);
    await screenshot(page, `screen-${name}-${width}`);
    if (width === 'phone') {
      const wide = await page.evaluate(() => {
        const vw = document.documentElement.clientWidth;
        const over = [...document.querySelectorAll('body *')].filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.right > vw + 1 && getComputedStyle(e).position !== 'fixed' && !e.closest('[data-scroll-x]');
        });
        return { scrollWidth: document.scrollingElement!.scrollWidth, vw, sample: over.slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${String(e.className).slice(0, 60)}`) };
      });
      assert.ok(wide.scrollWidth <= wide.vw + 1, `${name} on a phone is ${wide.scrollWidth} px wide for a ${wide.vw} px screen; too wide: ${wide.sample.join(', ')}`);
    }
    assert.deepEqual(errors, [], `${name} (${width})`);
    await page.close();
  }
}

/** Runs the checks of one group of screens and fails once, listing every problem. */
async function screens(fn: (check: (name: string, email: string | null, path: string, ready: (p: Page) => Promise<unknown>) => Promise<void>) => Promise<void>) {
  const problems: string[] = [];
  await fn((name, email, path, ready) => check(problems, name, email, path, ready));
  assert.deepEqual(problems, []);
}

const main = (p: Page) => p.getByRole('main').first().waitFor();
const heading = (p: Page) => p.getByRole('heading', { level: 1 }).first().waitFor();

test('public pages: contact form, portal, help centre, community', { skip }, () => screens(async (check) => {
  await check('contact', null, '/contact/demo', (p) => p.getByRole('button', { name: 'Send' }).waitFor());
  await check('portal', null, '/portal/demo', (p) => p.locator('form').first().waitFor());
  await check('help', null, '/help/demo', heading);
  await check('community-public', null, '/community/demo', heading);
}));

test("an agent's screens: inbox, conversation, knowledge, community, heart, leaders, respect", { skip }, () => screens(async (check) => {
  await check('inbox', DEMO.lena, '/inbox/open', (p) => p.getByTestId('conversation-row').first().waitFor());
  const first = (await w.env.req('GET', '/api/v1/conversations?view=open&limit=1', { token: w.demoTokens.agent })).json.items[0];
  await check('conversation', DEMO.lena, `/conversations/${first.id}`, (p) => p.getByTestId('timeline').waitFor());
  await check('knowledge', DEMO.lena, '/knowledge', main);
  await check('community', DEMO.lena, '/community', main);
  await check('heart', DEMO.lena, '/heart', main);
  await check('leaders', DEMO.lena, '/leaders', main);
  await check('respect', DEMO.lena, '/respect', main);
}));

test("a supervisor's screens: dashboard, wall, satisfaction", { skip }, () => screens(async (check) => {
  await check('dashboard', DEMO.supervisor, '/dashboard', (p) => p.getByTestId('dashboard-period').waitFor());
  await check('wall', DEMO.supervisor, '/wall', main);
  await check('satisfaction', DEMO.supervisor, '/satisfaction', main);
}));

test("an admin's screens: every administration section", { skip }, () => screens(async (check) => {
  for (const section of ['account', 'users', 'teams', 'queues', 'sla', 'channels', 'macros', 'webhooks', 'tokens', 'definitions', 'audit'])
    await check(`admin-${section}`, DEMO.admin, `/admin/${section}`, main);
}));
