/**
 * Issue 13, items 5, 6 and 7, in Chromium against the demo:
 *   - a customer emails "I know where you live and I will find you": the supervisor's mail (SMTP sink) says it is a
 *     threat and links (absolutely) to the conversation; following it shows the threat mark in the conversation
 *     header; the agent's inbox row carries the mark — at desktop width and at 390 px;
 *   - every badge on the heart (every goodwill state: awaiting approval, approved, rejected), respect, leaders,
 *     satisfaction and inbox screens reads at 4.5:1 at least — contrast computed here from getComputedStyle of the
 *     text and of the background behind it (axe did not catch the goodwill badges whose text had the background's
 *     colour);
 *   - with the browser in UTC and the account in Europe/Berlin, a message shows the same clock time in the
 *     conversation, the anecdote audit and the respect screen (the viewer's zone), the demo's proposed ban shows its
 *     UTC time, and the business-hours facts (heat map by hour, the dashboard's period) name the account's zone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO, DEMO_PASSWORD, WEB_E2E_SKIP, checkA11y, phoneContext, screenshot, signIn, step, switchLanguage, until, watchErrors, webSuite, type WebEnv } from './web-harness.js';

const skip = WEB_E2E_SKIP;
const w: WebEnv = webSuite(async (w) => {
  // Links in mails point at PUBLIC_URL: this server, as a deployment sets it.
  w.env.ctx.config.publicUrl = w.url;
});

const THREAT = 'I know where you live and I will find you';
let threat: { id: string; number: number; messageId: string } | null = null;

async function context(opts: { timezoneId?: string } = {}): Promise<BrowserContext> {
  const c = await w.browser.newContext({ baseURL: w.url, locale: 'en-GB', viewport: { width: 1366, height: 860 }, ...opts });
  await c.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
  return c;
}

/** One signed-in supervisor (Martin) for the whole file, in a browser set to UTC (the account is in Europe/Berlin). */
let martin: { ctx: BrowserContext; page: Page; errors: string[] } | null = null;
async function supervisor() {
  if (martin) return martin;
  const ctx = await context({ timezoneId: 'UTC' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await signIn(page, DEMO.supervisor);
  // Martin's profile language is German; this file reads the English texts.
  await switchLanguage(page, 'English');
  martin = { ctx, page, errors };
  return martin;
}

async function sendMail(from: string, subject: string, text: string) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: w.smtpPort, secure: false, ignoreTLS: true });
  try {
    await t.sendMail({ from, to: 'support@demo.earshot.test', subject, text });
  } finally {
    t.close();
  }
}

/** The conversation a customer's email opened, once the listening job has analysed its message. */
async function analysedConversation(subject: string) {
  let conv: any = null;
  await until(`the email "${subject}" stored and analysed`, async () => {
    const list = await w.env.req('GET', `/api/v1/conversations?view=all&q=${encodeURIComponent(subject)}`, { token: w.demoTokens.admin });
    const row = list.json?.items?.find((c: any) => c.subject === subject);
    if (!row) return false;
    conv = (await w.env.req('GET', `/api/v1/conversations/${row.id}`, { token: w.demoTokens.admin })).json;
    const f = await w.env.req('GET', `/api/v1/messages/${conv.messages[0].id}/findings`, { token: w.demoTokens.admin });
    return f.status === 200 && f.json.analysed;
  }, 30_000);
  return conv;
}

async function threatConversation() {
  if (threat) return threat;
  await sendMail('Rex Grimm <rex.grimm@customer.test>', 'Warranty refused again', `You refused my warranty claim again. ${THREAT}.`);
  const c = await analysedConversation('Warranty refused again');
  threat = { id: c.id, number: c.number, messageId: c.messages[0].id };
  return threat;
}

// ---------------------------------------------------------------------------------------------------------------
// Item 5: a threat against staff

test('a threat against staff: the supervisor is mailed, follows the link and sees the mark; the agent sees it in the inbox row (desktop and 390 px)', { skip }, async () => {
  const J = 'threat against staff';
  const t = await step(J, 'customer emails a threat; it is stored and analysed', () => threatConversation());
  const conv = (await w.env.req('GET', `/api/v1/conversations/${t.id}`, { token: w.demoTokens.admin })).json;
  assert.equal(conv.priority, 'urgent');
  assert.equal(conv.threat, true);

  // The supervisors' mails: Martin's in German, with an absolute link to the conversation.
  const mail = await step(J, 'supervisor mail arrives (SMTP sink)', async () => {
    let found: any = null;
    await until('the threat mail to Martin', async () => {
      for (const m of w.sink.messages) {
        if (!m.rcptTo.includes(DEMO.supervisor)) continue;
        const parsed = await simpleParser(m.raw);
        if (parsed.subject === `Drohung gegen Mitarbeitende in Konversation #${t.number}`) found = parsed;
      }
      return !!found;
    }, 30_000);
    return found;
  });
  assert.ok(w.sink.messages.some((m) => m.rcptTo.includes(DEMO.admin)), 'the admin is mailed too');
  const link = /Konversation öffnen: (\S+)/.exec(mail.text ?? '')?.[1];
  assert.equal(link, `${w.url}/conversations/${t.id}`);

  const { page: p, errors } = await supervisor();
  await step(J, 'supervisor follows the link in the mail', async () => {
    await p.goto(link!);
    await p.getByRole('heading', { level: 1, name: /Warranty refused again/ }).waitFor();
  });
  const mark = p.getByRole('img', { name: 'Threat against staff' });
  await mark.waitFor();
  assert.match(await mark.innerText(), /Threat against staff/);
  await p.getByText('Priority raised: normal → urgent, because of a threat against staff ("know where you live")').waitFor();
  await p.locator('[data-finding="threat"]').getByText('Threat against staff').first().waitFor();
  await checkA11y(p, 'conversation with a threat');
  await screenshot(p, 'threat-1-conversation');

  // The inbox: the row carries the mark (desktop).
  const a = p;
  const row = a.locator(`[data-testid="conversation-row"][data-number="${t.number}"]`);
  await step(J, 'supervisor opens the inbox; the row shows the mark', async () => {
    await a.goto('/inbox/all');
    await row.getByRole('img', { name: 'Threat against staff' }).waitFor();
  });
  await checkA11y(a, 'inbox with a threat');
  await screenshot(a, 'threat-2-inbox');
  // A calm conversation has no mark.
  const calm = a.locator('[data-testid="conversation-row"]').filter({ hasNot: a.getByRole('img', { name: 'Threat against staff' }) }).first();
  await calm.waitFor();

  // At 390 px: the mark is on screen in the row and in the conversation header.
  const phone = await phoneContext(w);
  const m = await phone.newPage();
  const mErrors = watchErrors(m);
  await signIn(m, DEMO.sam);
  await m.goto('/inbox/all');
  const pMark = m.locator(`[data-testid="conversation-row"][data-number="${t.number}"]`).getByRole('img', { name: 'Threat against staff' });
  await pMark.waitFor();
  // Brought into view as the agent scrolls to the row (the phone layout of the list is issue 13 item 3's).
  await pMark.scrollIntoViewIfNeeded();
  const box = await pMark.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `the mark is within the 390 px screen (${JSON.stringify(box)})`);
  await screenshot(m, 'threat-3-inbox-390');
  await m.goto(`/conversations/${t.id}`);
  const hMark = m.getByRole('img', { name: 'Threat against staff' });
  await hMark.waitFor();
  const hb = await hMark.boundingBox();
  assert.ok(hb && hb.x >= 0 && hb.x + hb.width <= 390, `the header mark is within the screen (${JSON.stringify(hb)})`);
  await checkA11y(m, 'conversation with a threat at 390 px');
  await screenshot(m, 'threat-4-conversation-390');

  assert.deepEqual(errors, []);
  assert.deepEqual(mErrors, []);
  await phone.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Item 6: every badge readable

type Rgba = [number, number, number, number];
interface BadgeColours { text: string; fg: Rgba; bg: Rgba; truncated: boolean }

/** Text colour and the background behind each visible badge, from getComputedStyle (alpha layers composited). */
async function badgeColours(page: Page): Promise<BadgeColours[]> {
  return page.evaluate(() => {
    const parse = (s: string): [number, number, number, number] | null => {
      let m = /^rgba?\(([^)]+)\)$/.exec(s.trim());
      if (m) {
        const p = m[1].split(/[\s,/]+/).filter(Boolean).map((x) => (x.endsWith('%') ? Number(x.slice(0, -1)) / 100 : Number(x)));
        return [p[0], p[1], p[2], p[3] ?? 1];
      }
      m = /^color\(srgb ([^)]+)\)$/.exec(s.trim());
      if (m) {
        const p = m[1].split(/[\s/]+/).filter(Boolean).map(Number);
        return [p[0] * 255, p[1] * 255, p[2] * 255, p[3] ?? 1];
      }
      return null;
    };
    const over = (top: number[], under: number[]): [number, number, number, number] =>
      [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1) as [number, number, number, number];
    const behind = (el: Element): [number, number, number, number] => {
      const layers: number[][] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (!c) throw new Error(`unreadable background colour ${getComputedStyle(e).backgroundColor}`);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      let acc: [number, number, number, number] = [255, 255, 255, 1];
      for (let i = layers.length - 1; i >= 0; i--) acc = over(layers[i], acc);
      return acc;
    };
    return [...document.querySelectorAll('.mantine-Badge-root')]
      .filter((b) => (b as HTMLElement).offsetParent !== null && (b.textContent ?? '').trim())
      .map((b) => {
        const label = b.querySelector('.mantine-Badge-label') ?? b;
        const fg = parse(getComputedStyle(label).color);
        if (!fg) throw new Error(`unreadable text colour ${getComputedStyle(label).color}`);
        const bg = behind(b);
        return { text: (b.textContent ?? '').trim(), fg: over(fg, bg), bg, truncated: label.scrollWidth > label.clientWidth + 1 };
      });
  });
}

function contrast(a: Rgba, b: Rgba): number {
  const lum = (c: Rgba) => {
    const [r, g, bl] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Every visible badge on the page reads at 4.5:1; returns their texts. */
async function assertBadgesReadable(page: Page, screen: string, min = 1, whole?: RegExp): Promise<string[]> {
  const badges = await badgeColours(page);
  if (whole) assert.deepEqual(badges.filter((b) => whole.test(b.text) && b.truncated).map((b) => b.text), [], `${screen}: badges cut off`);
  assert.ok(badges.length >= min, `${screen}: expected at least ${min} badge(s), found ${badges.length}`);
  const bad = badges.map((b) => ({ ...b, ratio: contrast(b.fg, b.bg) })).filter((b) => b.ratio < 4.5);
  assert.deepEqual(bad.map((b) => `${b.text}: ${b.ratio.toFixed(2)}:1 (text rgb(${b.fg.slice(0, 3).map(Math.round)}) on rgb(${b.bg.slice(0, 3).map(Math.round)}))`), [],
    `${screen}: badges below 4.5:1`);
  return badges.map((b) => b.text);
}

test('every goodwill state and every badge on the heart, respect, leaders, satisfaction and inbox screens reads at 4.5:1', { skip }, async () => {
  await threatConversation(); // a threat badge on respect and in the inbox
  // A spend for each state: the demo has approved ones and one awaiting approval; Lena asks for another, which
  // Martin then rejects in the browser.
  const lena = await w.env.req('POST', '/api/v1/auth/login', { token: '', body: { email: DEMO.lena, password: DEMO_PASSWORD } });
  const cookie = String([lena.headers['set-cookie']].flat()[0]).split(';')[0];
  const convs = (await w.env.req('GET', '/api/v1/conversations?view=all&limit=5', { token: w.demoTokens.admin })).json.items;
  const spend = await w.env.req('POST', `/api/v1/heart/conversations/${convs[0].id}/spends`, { token: '', cookie, body: { kind: 'gift', amount: 90_000, description: 'Zelt als Ersatz, Kunde seit zehn Jahren' } });
  assert.equal(spend.status, 201, spend.body);
  assert.equal(spend.json.status, 'pending');

  const { page: p, errors } = await supervisor();
  await p.goto('/heart/goodwill');
  await p.getByRole('heading', { name: 'Waiting for your approval' }).waitFor();
  await p.getByRole('button', { name: /^Reject #\d+, €900\.00$/ }).click();
  const dialog = p.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Note (optional)' }).fill('Zu teuer für eine Geste');
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await dialog.waitFor({ state: 'detached' });
  const recent = p.getByRole('region', { name: 'Recent spends' }).or(p.locator('section[aria-labelledby="heart-spends"]'));
  await recent.getByText('Rejected', { exact: true }).waitFor();
  const states = (await w.env.req('GET', '/api/v1/heart/spends', { token: w.demoTokens.supervisor })).json.items.map((s: any) => s.status);
  assert.deepEqual([...new Set(states)].sort(), ['approved', 'pending', 'rejected'], 'every goodwill state exists');
  const heartTexts = await assertBadgesReadable(p, 'heart: goodwill', 3, /^(Awaiting approval|Approved|Rejected)$/);
  for (const label of ['Awaiting approval', 'Approved', 'Rejected']) assert.ok(heartTexts.includes(label), `heart: a "${label}" badge is shown (${heartTexts.join(', ')})`);
  await checkA11y(p, 'heart: goodwill with every state');
  await screenshot(p, 'badges-heart-goodwill');
  await p.getByRole('tab', { name: 'Moments' }).click();
  await p.getByRole('button', { name: /^Give kudos|^Kudos given/ }).first().waitFor();
  await assertBadgesReadable(p, 'heart: moments', 1);

  // The heart panel beside the conversation with the rejected spend (its status badge) and the threat conversation.
  await p.goto(`/conversations/${convs[0].id}`);
  const panel = p.getByRole('region', { name: 'Service with heart' }).or(p.locator('section[aria-labelledby="heart-panel-title"]'));
  await panel.getByText('Rejected', { exact: true }).waitFor();
  await assertBadgesReadable(p, 'conversation with the heart panel', 3, /^(Awaiting approval|Approved|Rejected)$/);
  await p.goto(`/conversations/${threat!.id}`);
  await p.getByRole('img', { name: 'Threat against staff' }).waitFor();
  await p.locator('[data-finding="threat"]').first().waitFor();
  await assertBadgesReadable(p, 'conversation with findings and the threat mark', 4);

  // Respect: the threat flag, the awaiting ban, active measures.
  await p.goto('/respect');
  await p.getByRole('table', { name: /Flagged|flagged/ }).or(p.getByRole('table').first()).waitFor();
  await p.getByText('Threat against staff').first().waitFor();
  await assertBadgesReadable(p, 'respect', 1);
  await screenshot(p, 'badges-respect');

  // Satisfaction and the inbox.
  await p.goto('/satisfaction');
  await p.getByRole('heading', { level: 1 }).or(p.getByRole('heading', { level: 2 })).first().waitFor();
  await p.locator('.mantine-Badge-root, table').first().waitFor();
  await assertBadgesReadable(p, 'satisfaction', 0);
  await p.goto('/inbox/all');
  await p.locator('[data-testid="conversation-row"]').first().waitFor();
  await assertBadgesReadable(p, 'inbox', 10);
  assert.deepEqual(errors, []);

  // Leaders, as the leader.
  const lc = await context();
  const l = await lc.newPage();
  const lErrors = watchErrors(l);
  await signIn(l, DEMO.leader);
  await switchLanguage(l, 'English'); // Ingrid's profile language is Norwegian
  await l.goto('/leaders');
  await l.getByRole('heading', { level: 2 }).first().waitFor();
  await assertBadgesReadable(l, 'leaders', 0);
  assert.deepEqual(lErrors, []);
  await lc.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Item 7: one rule for times

const utc = (iso: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));

test('browser in UTC, account in Europe/Berlin: one message, one clock time on the conversation, anecdote and respect screens; business hours name the zone', { skip }, async () => {
  const t = await threatConversation();
  await sendMail('Pia Kaur <pia.kaur@customer.test>', 'Hold music forever', 'I waited 45 minutes on hold and nobody answered. Please call me back.');
  const claim = await analysedConversation('Hold music forever');
  const threatAt = utc((await w.env.req('GET', `/api/v1/conversations/${t.id}`, { token: w.demoTokens.admin })).json.messages[0].createdAt);
  const claimAt = utc(claim.messages[0].createdAt);
  const berlin = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(new Date(claim.messages[0].createdAt));
  assert.notEqual(claimAt, berlin, 'the two zones differ at this moment');

  const { page: p, errors } = await supervisor();
  assert.equal(await p.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'UTC');

  // The conversation: the message's time.
  await p.goto(`/conversations/${claim.id}`);
  const msg = p.getByTestId('message').first();
  await msg.waitFor();
  await msg.getByText(claimAt, { exact: true }).waitFor();

  // The anecdote audit on the dashboard: the same message, the same clock time.
  await p.goto('/dashboard');
  const example = p.getByTestId('anecdote-example').filter({ has: p.locator(`a[href="/conversations/${claim.id}"]`) });
  await example.waitFor({ timeout: 30_000 });
  assert.equal((await example.getByRole('cell').first().innerText()).trim(), claimAt);
  // Business-hours facts in the account's zone, labelled.
  await p.getByText(/By weekday and hour of the first touch, in the account's time zone \(Europe\/Berlin\)/).waitFor();
  assert.match(await p.getByTestId('dashboard-period').innerText(), /\(Europe\/Berlin\)/);
  await screenshot(p, 'time-dashboard-utc');

  // Respect: the flagged threat at the conversation's time, and the demo's proposed ban at its UTC time.
  await p.goto(`/conversations/${t.id}`);
  await p.getByTestId('message').first().getByText(threatAt, { exact: true }).waitFor();
  await p.goto('/respect');
  const flag = p.getByRole('row').filter({ has: p.locator(`a[href="/conversations/${t.id}"]`) });
  await flag.waitFor();
  assert.equal((await flag.getByRole('cell').first().innerText()).trim(), threatAt);
  const proposed = (await w.env.req('GET', '/api/v1/respect/measures?status=proposed', { token: w.demoTokens.supervisor })).json.items;
  assert.ok(proposed.length >= 1, 'the demo has a proposed ban');
  await p.getByText(utc(proposed[0].createdAt)).first().waitFor();
  await checkA11y(p, 'respect in UTC');
  await screenshot(p, 'time-respect-utc');
  assert.deepEqual(errors, []);
  await martin?.ctx.close();
});
