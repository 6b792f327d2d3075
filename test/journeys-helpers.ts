/** Shared by the journey files (test/journeys-*.e2e.test.ts): mail in the SMTP sink, links in it, a watched page. */
import assert from 'node:assert/strict';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { phoneContext, until, watchErrors, type WebEnv } from './web-harness.js';

/** Waits for the first mail to `to` (after `from` mails) that matches, and parses it. */
export async function mailTo(w: WebEnv, to: string, match: (m: ParsedMail) => boolean = () => true, from = 0): Promise<ParsedMail> {
  let found: ParsedMail | undefined;
  await until(`a mail to ${to} in the SMTP sink`, async () => {
    for (const m of w.sink.messages.slice(from)) {
      if (!m.rcptTo.includes(to)) continue;
      const parsed = await simpleParser(m.raw);
      if (match(parsed)) {
        found = parsed;
        return true;
      }
    }
    return false;
  }, 20_000);
  return found!;
}

/** The first link in a mail's text that matches. */
export function linkIn(m: ParsedMail, re: RegExp): string {
  const l = re.exec(m.text ?? '')?.[0];
  assert.ok(l, `a link matching ${re} in:\n${m.text}`);
  return l!;
}

/** A page in a new browser context (desktop, or a 390 px phone), its console errors collected. */
export async function newPage(w: WebEnv, opts: { locale?: string; phone?: boolean } = {}): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = opts.phone ? await phoneContext(w, { locale: opts.locale }) : await w.newContext({ locale: opts.locale });
  const page = await ctx.newPage();
  return { ctx, page, errors: watchErrors(page) };
}
