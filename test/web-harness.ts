/**
 * Harness for the web app's end-to-end tests in headless Chromium (test/web-*.e2e.test.ts, test/web-e2e.test.ts).
 *
 * - The real server in this process: buildApp (test/helpers.ts `setup`: a fresh PGlite database, or a scratch
 *   PostgreSQL database when TEST_DATABASE_URL is set) seeded with the demo account (src/demo/seed.ts, the same data
 *   `npm start` shows), listening on an ephemeral loopback port, its job runner started, the inbound SMTP listener on
 *   another ephemeral port, and outgoing mail relayed to a test SMTP sink (test/dovecot.ts `startSmtpSink`).
 * - Chromium from the Debian package (/usr/bin/chromium; CHROMIUM env to override) through playwright-core, with a
 *   fresh profile per launch. When it or the built app (dist/web, `npm run build:web`) is missing, `WEB_E2E_SKIP`
 *   says why and the tests skip with that message.
 * - Helpers: sign in through the login form, an axe-core check that fails on serious/critical violations with a
 *   readable list, screenshots to test-results/web-<name>.png, waiting for a condition without sleeps.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { setup, type TestEnv } from './helpers.js';
import { startSmtpSink, type SmtpSink } from './dovecot.js';
import { WEB_DIR } from '../src/server/web.js';
import { DEMO_ACCOUNT, DEMO_PASSWORD, seedDemo } from '../src/demo/seed.js';
import { startSmtpServer } from '../src/modules/channels/email/smtp.js';
import { systemPrincipal, type Role } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import { CHROMIUM_MISSING, launchChromium } from './chromium.js';
export { serveHtml } from './chromium.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export { DEMO_PASSWORD };
export const DEMO = {
  admin: 'admin@demo.earshot.test',
  leader: 'ingrid@demo.earshot.test',
  supervisor: 'martin@demo.earshot.test',
  lena: 'lena@demo.earshot.test',
  ola: 'ola@demo.earshot.test',
  sam: 'sam@demo.earshot.test',
} as const;

/** Why the browser tests cannot run here (false when they can). */
export const WEB_E2E_SKIP: string | false = CHROMIUM_MISSING
  ? `${CHROMIUM_MISSING}; skipping the web e2e tests`
  : !existsSync(join(WEB_DIR, 'index.html'))
    ? `the web app is not built (${WEB_DIR}/index.html missing; npm test runs npm run build:web first)`
    : false;

export interface WebEnv {
  /** The test environment (database, app, the 'acme' account's tokens — not the demo's). */
  env: TestEnv;
  /** Base URL of the server, e.g. http://127.0.0.1:41234 */
  url: string;
  demoAccountId: string;
  /** API tokens of the demo account per role, for setting up and checking through the API (env.req … { token }). */
  demoTokens: Record<Role, string>;
  /** Outgoing mail lands here. */
  sink: SmtpSink;
  /** Port of the inbound SMTP listener (mail to the demo mailboxes). */
  smtpPort: number;
  browser: Browser;
  /** A new browser context (own cookies and storage) with an English UI unless a locale is given. */
  newContext(opts?: { locale?: string }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * One demo server and browser for a test file: started before its tests and closed after them, or nothing when the
 * browser tests cannot run here (`WEB_E2E_SKIP` says why; printed once). The returned object stands for the running
 * WebEnv inside the tests (`w.env`, `w.newContext()` …); using it when nothing started throws, naming why.
 * `onStart` runs once the server is up (a file's own set-up: a host page, presence …).
 */
export function webSuite(onStart?: (w: WebEnv) => Promise<void>): WebEnv {
  const skip = WEB_E2E_SKIP;
  if (skip) console.log(`# ${skip}`);
  let started: WebEnv | undefined;
  before(async () => {
    if (skip) return;
    started = await startWeb();
    await onStart?.(started);
  });
  after(async () => {
    if (!skip) await started?.close();
  });
  return new Proxy({} as WebEnv, {
    get(_target, key) {
      if (!started) throw new Error(`the web suite is not running (${skip || 'used outside a test'})`);
      return started[key as keyof WebEnv];
    },
  });
}

/** Starts server + demo data + SMTP in and out + Chromium. */
export async function startWeb(): Promise<WebEnv> {
  const sink = await startSmtpSink();
  const env = await setup({ smtpOutboundUrl: sink.url, publicRateLimit: 1000 });
  await seedDemo(env.ctx);
  const demoAccountId = (await env.db.query<{ id: string }>('SELECT id FROM accounts WHERE slug = $1', [DEMO_ACCOUNT])).rows[0].id;
  const demoTokens = {} as Record<Role, string>;
  for (const role of ['agent', 'supervisor', 'leader', 'admin'] as Role[])
    demoTokens[role] = (await accounts.createToken(env.ctx, systemPrincipal(demoAccountId), { role, name: `e2e ${role}` })).token;
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  await env.app.jobs.start(200);
  const smtp = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(env.app.server.address() as any).port}`;
  const browser = await launchChromium();
  mkdirSync('test-results', { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    env, url, demoAccountId, demoTokens, sink, smtpPort: smtp.port, browser,
    async newContext(opts = {}) {
      const c = await browser.newContext({ baseURL: url, locale: opts.locale ?? 'en-GB', viewport: { width: 1366, height: 860 } });
      // tsx (esbuild keepNames) wraps named inner functions in __name(…); functions sent to the page need it defined.
      await c.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
      contexts.push(c);
      return c;
    },
    async close() {
      await browser.close().catch(() => {});
      await smtp.close().catch(() => {});
      await env.close();
      await sink.close();
    },
  };
}

/**
 * Collects what a person's browser would show as broken: uncaught page errors, console errors (which include every
 * failed request Chromium logs, e.g. "Failed to load resource: … 404"), and failed API calls (5xx), so a test can
 * assert none happened (`assert.deepEqual(errors, [])`). `allow` lists patterns a test expects on purpose (a wrong
 * password's 401); each must say why at the call.
 */
export function watchErrors(page: Page, allow: RegExp[] = []): string[] {
  const errors: string[] = [];
  const push = (s: string) => {
    if (!allow.some((re) => re.test(s))) errors.push(s);
  };
  page.on('pageerror', (e) => push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') push(`console error: ${m.text()} (${m.location().url || page.url()})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return errors;
}

/** Signs in through the login form and waits for the app shell (its header). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByRole('textbox', { name: /^(Email|E-Mail|E-post)$/ }).fill(email);
  await page.getByRole('textbox', { name: /^(Password|Passwort|Passord)$/ }).fill(password);
  await page.getByRole('button', { name: /^(Sign in|Anmelden|Logg inn)$/ }).click();
  // The app shell's header (on a phone the navigation waits in the menu drawer).
  await page.getByRole('banner').waitFor();
}

/** Runs axe-core on the page; throws with a readable list of the serious and critical violations. */
export async function checkA11y(page: Page, screen: string): Promise<void> {
  // Evaluated through the DevTools protocol, not as a <script> tag: the app's CSP (script-src 'self') stays on.
  if (!(await page.evaluate(() => typeof (window as any).axe !== 'undefined'))) await page.evaluate(AXE_SOURCE);
  // Measure the screen at rest: a dialog fading in or out has, mid-transition, a title at 1.2:1 that no person reads.
  // Waits for every finite running animation and transition (not spinners, which never end), at most 3 s.
  await settleAnimations(page);
  const result = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n: any) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`),
      count: v.nodes.length,
    }));
  }) as { id: string; impact: string; help: string; nodes: string[]; count: number }[];
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const list = bad.map((v) => `- [${v.impact}] ${v.id}: ${v.help} (${v.count} element(s))\n    ${v.nodes.join('\n    ')}`).join('\n');
    assert.fail(`axe-core found ${bad.length} serious/critical violation(s) on ${screen}:\n${list}`);
  }
}

/** Saves test-results/web-<name>.png (full page). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join('test-results', `web-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Polls check() until it is true (every 100 ms, up to ms); fails naming what it waited for. */
export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** Chooses a language in the switch (the segmented control in the header or on the sign-in page), as a user clicks it. */
export async function switchLanguage(page: Page, label: 'English' | 'Deutsch' | 'Norsk'): Promise<void> {
  await page.locator('label', { hasText: new RegExp(`^${label}$`) }).first().click();
}

/**
 * One step of a user journey, timed as the person waits for it: from the action (click, navigation) until the outcome
 * the step awaits is on screen. Appends `{journey, step, ms, engine}` to test-results/journey-timings.jsonl, which the
 * closing notes quote; returns what fn returns.
 */
export async function step<T>(journey: string, name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  const ms = Math.round(performance.now() - t0);
  mkdirSync('test-results', { recursive: true });
  appendFileSync(join('test-results', 'journey-timings.jsonl'),
    `${JSON.stringify({ journey, step: name, ms, engine: process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite' })}\n`);
  return out;
}

/** A phone-sized context (390 × 844, touch), for the agent screens' mobile checks. */
export async function phoneContext(w: WebEnv, opts: { locale?: string } = {}): Promise<BrowserContext> {
  const c = await w.browser.newContext({ baseURL: w.url, locale: opts.locale ?? 'en-GB', viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await c.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
  return c;
}

/** Waits until every finite CSS animation and transition on the page has ended (at most ms); spinners are ignored. */
export async function settleAnimations(page: Page, ms = 3_000): Promise<void> {
  await page.evaluate(async (limit) => {
    const end = Date.now() + limit;
    for (;;) {
      const running = document.getAnimations().filter((a) => {
        const timing = a.effect?.getComputedTiming();
        return a.playState === 'running' && timing != null && timing.iterations !== Infinity;
      });
      if (running.length === 0 || Date.now() > end) return;
      await Promise.race([Promise.all(running.map((a) => a.finished.catch(() => undefined))),
        new Promise((r) => setTimeout(r, Math.max(0, end - Date.now())))]);
      // Unmounting after a transition happens on the next frames: look again.
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
  }, ms);
}
