/**
 * Benchmark: the web app in headless Chromium (Debian /usr/bin/chromium through playwright-core).
 *
 *   node --import tsx bench/web.ts          (BENCH_WEB_N=10000 conversations, BENCH_WEB_RUNS=3 cold loads each)
 *
 * 1. First load of the inbox after sign-in, cold cache: time from navigation until the first conversation row is in
 *    the DOM (recorded in the page by a MutationObserver, so no polling delay is counted) and until the list's first
 *    page is rendered, bytes transferred (CDP Network: encoded bytes, headers included), number of requests, JS bytes.
 *    Baseline in the same run: a plain static HTML page listing the same first 50 rows, served by node:http.
 * 2. Rendering 10,000 conversations (bench/seed-conversations.ts): time to first rows, then a jump to the bottom of the
 *    virtualised list (until the last row's content is shown), then a scroll through the whole list at a steady
 *    6,000 px per frame (frames, frame time p50/p95/max, long tasks > 50 ms, rows in the DOM at most).
 *    Baseline in the same run: the same app with 100 conversations (its short list scrolled again from the top until
 *    it had as many frames as the large one).
 * The server runs in this process on embedded PGlite; the figures are the browser's, so the backend matters little.
 */
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openDb } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { loadConfig } from '../src/platform/config.js';
import { buildApp } from '../src/server/app.js';
import { WEB_DIR } from '../src/server/web.js';
import { addUser, createAccount } from '../src/modules/accounts/accounts.service.js';
import { createQueue } from '../src/modules/queues/queues.service.js';
import { systemPrincipal } from '../src/platform/context.js';
import { seedConversations } from './seed-conversations.js';
import { fmt, printTable, ratio } from './common.js';
import { CHROMIUM, launchChromium } from '../test/chromium.js';

const N = Number(process.env.BENCH_WEB_N ?? 10_000);
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 3);
const SMALL = 100;
const PASSWORD = 'bench-password-1';
const ROW = '[data-testid="conversation-row"]';
const LIST = '[data-testid="conversation-list"]';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const kb = (b: number) => `${fmt(b / 1024, 1)} kB`;
/** tsx (esbuild keepNames) wraps named inner functions in __name(…); functions sent to the page need it defined. */
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

/** Recorded inside the page from the first script on: when the first row and the first 20 rows appeared; long tasks. */
const PROBE = () => {
  const w = window as any;
  w.__bench = { firstRow: null as number | null, rows20: null as number | null, longTasks: [] as number[] };
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__bench.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const check = () => {
    const n = document.querySelectorAll('[data-testid="conversation-row"]').length;
    if (n && w.__bench.firstRow === null) w.__bench.firstRow = performance.now();
    if (n >= 10 && w.__bench.rows20 === null) w.__bench.rows20 = performance.now();
    return w.__bench.rows20 !== null;
  };
  const start = () => {
    if (check()) return;
    const mo = new MutationObserver(() => check() && mo.disconnect());
    mo.observe(document.documentElement, { childList: true, subtree: true });
  };
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
};

interface Load {
  firstRowMs: number;
  rowsMs: number;
  bytes: number;
  requests: number;
  jsBytes: number;
  longTasks: number;
}

/** A cold context signed in (cookie only; nothing cached), with CDP network accounting. */
async function signedIn(browser: Browser, base: string, email: string): Promise<{ context: BrowserContext; page: Page; net: () => { bytes: number; requests: number; jsBytes: number } }> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 900 }, locale: 'en-GB' });
  const r = await context.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  if (!r.ok()) throw new Error(`sign-in failed: ${r.status()} ${await r.text()}`);
  await context.addInitScript(NAME_SHIM);
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  (page as any).__problems = problems;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const types = new Map<string, string>();
  let bytes = 0, requests = 0, jsBytes = 0;
  cdp.on('Network.requestWillBeSent', () => requests++);
  cdp.on('Network.responseReceived', (e: any) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e: any) => {
    bytes += e.encodedDataLength;
    if (types.get(e.requestId) === 'Script') jsBytes += e.encodedDataLength;
  });
  return { context, page, net: () => ({ bytes, requests, jsBytes }) };
}

async function firstLoad(browser: Browser, base: string, path: string, email: string): Promise<Load & { page: Page; context: BrowserContext }> {
  const { context, page, net } = await signedIn(browser, base, email);
  await page.goto(path);
  await page.waitForFunction(() => (window as any).__bench?.rows20 !== null, null, { timeout: 60_000 }).catch(async (e) => {
    await page.screenshot({ path: "test-results/web-bench-failed.png" });
    const probe = await page.evaluate(() => JSON.stringify((window as any).__bench)).catch(() => "?");
    throw new Error(`the inbox did not show its rows (probe ${probe}; problems: ${(page as any).__problems.join('; ')}; ${page.url()}; screenshot test-results/web-bench-failed.png): ${e.message}`);
  });
  await page.waitForLoadState('networkidle');
  const b = await page.evaluate(() => (window as any).__bench);
  return { ...net(), firstRowMs: b.firstRow, rowsMs: b.rows20, longTasks: b.longTasks.length, page, context };
}

/** Jumps to the bottom of the list and waits until the last row shows its conversation (its page fetched). */
async function jumpToBottom(page: Page, total: number): Promise<number> {
  return page.evaluate(async ({ LIST, ROW, total }) => {
    const list = document.querySelector(LIST) as HTMLElement;
    const t0 = performance.now();
    list.scrollTop = list.scrollHeight;
    await new Promise<void>((resolve, reject) => {
      const deadline = t0 + 30_000;
      const tick = () => {
        // The last row with its content (the list item carries its position; a row appears once its page is fetched).
        if (document.querySelector(`[aria-posinset="${total}"] ${ROW}, ${ROW}[aria-posinset="${total}"]`)) return resolve();
        if (performance.now() > deadline) {
          const shown = [...document.querySelectorAll('[aria-posinset]')].map((r) => r.getAttribute('aria-posinset') + (r.querySelector(ROW) ? '' : '?'));
          return reject(new Error(`the last row did not appear (scrollTop ${list.scrollTop} of ${list.scrollHeight}; rows shown ${shown.join(',')})`));
        }
        requestAnimationFrame(tick);
      };
      tick();
    });
    return performance.now() - t0;
  }, { LIST, ROW, total });
}

/**
 * Scrolls from top to bottom at a steady step per frame; frame times, long tasks, most rows in the DOM. With minFrames,
 * a short list starts again from the top until that many frames passed (so a baseline has as many frames to compare).
 */
async function scrollThrough(page: Page, step: number, minFrames = 0) {
  return page.evaluate(async ({ LIST, ROW, step, minFrames }) => {
    const list = document.querySelector(LIST) as HTMLElement;
    list.scrollTop = 0;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const w = window as any;
    const longBefore = w.__bench.longTasks.length;
    const frames: number[] = [];
    let maxRows = 0;
    const t0 = performance.now();
    let last = t0;
    await new Promise<void>((resolve) => {
      const tick = (now: number) => {
        frames.push(now - last);
        last = now;
        maxRows = Math.max(maxRows, document.querySelectorAll(ROW).length);
        if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) {
          if (frames.length > minFrames) return resolve();
          list.scrollTop = 0;
        } else list.scrollTop += step;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    return { ms: performance.now() - t0, frames: frames.slice(1), maxRows, longTasks: w.__bench.longTasks.slice(longBefore) as number[], height: list.scrollHeight };
  }, { LIST, ROW, step, minFrames });
}

/** The baseline page: the first 50 rows as plain static HTML (no script), from the same API data. */
function staticPage(rows: { number: number; subject: string; status: string; channel: string; customer: { name: string | null } }[]): Server {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Inbox</title>
<style>body{font:14px system-ui;margin:0}.row{display:grid;grid-template-columns:70px 1fr 110px 100px;height:68px;align-items:center;border-bottom:1px solid #ddd;padding:0 12px}</style></head>
<body><h1>Inbox</h1><div role="list">${rows.map((r) => `<a class="row" data-testid="conversation-row" href="/c/${r.number}" role="listitem"><span>#${r.number}</span><span>${esc(r.subject)}<br><small>${esc(r.customer.name ?? '')}</small></span><span>${r.channel}</span><span>${r.status}</span></a>`).join('')}</div></body></html>`;
  return createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
}

async function main() {
  if (!existsSync(CHROMIUM)) return console.log(`web benchmark skipped: Chromium not found at ${CHROMIUM}`);
  if (!existsSync(join(WEB_DIR, 'index.html'))) return console.log('web benchmark skipped: the web app is not built (npm run build:web)');
  const t = Date.now();
  const db = await openDb({ dataDir: 'memory://' });
  await migrate(db);
  const config = loadConfig({}, { logLevel: 'silent', loginRateLimit: 1_000_000 });
  const app = await buildApp({ db, config, logger: false });
  const ctx = app.ctx;
  const accounts: Record<'small' | 'large', string> = { small: '', large: '' };
  for (const [key, n] of [['small', SMALL], ['large', N]] as const) {
    const acc = await createAccount(ctx, { name: `Bench ${key}`, slug: `bench-${key}` });
    const p = systemPrincipal(acc.id);
    for (const q of ['Support EN', 'Kundenservice DE', 'Kundeservice Norge']) await createQueue(ctx, p, { name: q });
    await addUser(ctx, p, { email: `admin@${key}.bench.test`, name: 'Bench Admin', role: 'admin', password: PASSWORD });
    for (const a of ['Lena', 'Ola', 'Sam']) await addUser(ctx, p, { email: `${a.toLowerCase()}@${key}.bench.test`, name: a, role: 'agent' });
    await seedConversations(ctx, acc.id, n);
    accounts[key] = `admin@${key}.bench.test`;
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as any).port}`;
  const seedS = (Date.now() - t) / 1000;

  const browser = await launchChromium();
  let stat: Server | null = null;
  try {
    // Warm-up (the server's first requests compile routes and fill caches; Chromium starts its renderer).
    const warm = await firstLoad(browser, base, '/inbox/all', accounts.small);
    await warm.context.close();

    // The baseline page, from the large account's first 50 rows.
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: accounts.large, password: PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const rows = (await (await fetch(`${base}/api/v1/conversations?view=all&limit=50`, { headers: { cookie } })).json()).items;
    stat = staticPage(rows);
    await new Promise<void>((r) => stat!.listen(0, '127.0.0.1', r));
    const statUrl = `http://127.0.0.1:${(stat.address() as any).port}/`;

    const loads: Record<string, Load[]> = { static: [], small: [], large: [] };
    const jumps: Record<string, number[]> = { small: [], large: [] };
    const scroll: Record<string, Awaited<ReturnType<typeof scrollThrough>>> = {};
    for (let i = 0; i < RUNS; i++) {
      {
        const ctx2 = await browser.newContext({ viewport: { width: 1366, height: 900 } });
        await ctx2.addInitScript(NAME_SHIM);
        await ctx2.addInitScript(PROBE);
        const page = await ctx2.newPage();
        const cdp = await ctx2.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        let bytes = 0, requests = 0;
        cdp.on('Network.requestWillBeSent', () => requests++);
        cdp.on('Network.loadingFinished', (e: any) => (bytes += e.encodedDataLength));
        await page.goto(statUrl);
        await page.waitForFunction(() => (window as any).__bench?.rows20 !== null);
        const b = await page.evaluate(() => (window as any).__bench);
        loads.static.push({ firstRowMs: b.firstRow, rowsMs: b.rows20, bytes, requests, jsBytes: 0, longTasks: b.longTasks.length });
        await ctx2.close();
      }
      // Large first, so the baseline's scroll can run for as many frames.
      for (const key of ['large', 'small'] as const) {
        const l = await firstLoad(browser, base, '/inbox/all', accounts[key]);
        loads[key].push(l);
        jumps[key].push(await jumpToBottom(l.page, key === 'small' ? SMALL : N));
        if (i === RUNS - 1) scroll[key] = await scrollThrough(l.page, 6000, key === 'small' ? scroll.large.frames.length : 0);
        await l.context.close();
      }
    }
    const m = (key: string, f: keyof Load) => median(loads[key].map((l) => l[f]));

    console.log(`\nWeb app in Chromium (${CHROMIUM}), server on embedded PGlite; ${N.toLocaleString('en-US')} and ${SMALL} conversations seeded in ${fmt(seedS, 1)} s; median of ${RUNS} cold loads\n`);
    console.log('First load of the inbox after sign-in (cold cache):');
    printTable([
      ['', `static HTML, 50 rows`, `inbox, ${SMALL} conv.`, `inbox, ${fmt(N)} conv.`, `inbox ${fmt(N)} / static`],
      ['first rows visible (ms)', fmt(m('static', 'firstRowMs')), fmt(m('small', 'firstRowMs')), fmt(m('large', 'firstRowMs')), `${fmt(ratio(m('large', 'firstRowMs'), m('static', 'firstRowMs')), 1)}×`],
      ['bytes transferred', kb(m('static', 'bytes')), kb(m('small', 'bytes')), kb(m('large', 'bytes')), `${fmt(ratio(m('large', 'bytes'), m('static', 'bytes')), 1)}×`],
      ['requests', fmt(m('static', 'requests')), fmt(m('small', 'requests')), fmt(m('large', 'requests')), ''],
      ['JavaScript bytes', '0', kb(m('small', 'jsBytes')), kb(m('large', 'jsBytes')), ''],
      ['long tasks (> 50 ms)', fmt(m('static', 'longTasks')), fmt(m('small', 'longTasks')), fmt(m('large', 'longTasks')), ''],
    ]);
    const s = scroll.small, L = scroll.large;
    console.log(`\nRendering ${fmt(N)} conversations (baseline: the same inbox with ${SMALL}):`);
    printTable([
      ['', `${SMALL} conv.`, `${fmt(N)} conv.`, 'ratio'],
      ['time to first rows (ms)', fmt(m('small', 'rowsMs')), fmt(m('large', 'rowsMs')), `${fmt(ratio(m('large', 'rowsMs'), m('small', 'rowsMs')), 2)}×`],
      ['transferred on first load', kb(m('small', 'bytes')), kb(m('large', 'bytes')), `${fmt(ratio(m('large', 'bytes'), m('small', 'bytes')), 2)}×`],
      ['jump to bottom, last row shown (ms)', fmt(median(jumps.small)), fmt(median(jumps.large)), `${fmt(ratio(median(jumps.large), median(jumps.small)), 2)}×`],
      ['scroll at 6,000 px/frame (ms)', fmt(s.ms), fmt(L.ms), `${fmt(ratio(L.ms, s.ms), 2)}×`],
      ['  list height (px)', fmt(s.height), fmt(L.height), ''],
      ['  frames', fmt(s.frames.length), fmt(L.frames.length), ''],
      ['  frame time p50 / p95 / max (ms)', `${fmt(pct(s.frames, 0.5), 1)} / ${fmt(pct(s.frames, 0.95), 1)} / ${fmt(Math.max(...s.frames), 1)}`,
        `${fmt(pct(L.frames, 0.5), 1)} / ${fmt(pct(L.frames, 0.95), 1)} / ${fmt(Math.max(...L.frames), 1)}`, `p95 ${fmt(ratio(pct(L.frames, 0.95), pct(s.frames, 0.95)), 2)}×`],
      ['  long tasks (> 50 ms) while scrolling', fmt(s.longTasks.length), fmt(L.longTasks.length), ''],
      ['  most rows in the DOM at once', fmt(s.maxRows), fmt(L.maxRows), ''],
    ]);
    console.log(`\nTotal ${fmt((Date.now() - t) / 1000, 1)} s.`);
  } finally {
    await browser.close();
    stat?.close();
    await app.close();
    await db.close();
  }
}

await main();
