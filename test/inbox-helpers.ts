/** Set-up shared by the desktop inbox browser tests (web-inbox-work, web-inbox-compose): pages and conversations. */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { signIn, watchErrors, type WebEnv } from './web-harness.js';

export const stamp = () => Date.now().toString(36);

export function inboxHelpers(w: WebEnv) {
  const api = (method: string, url: string, body?: unknown) => w.env.req(method, `/api/v1${url}`, { token: w.demoTokens.admin, body });

  /** A signed-in page (its errors collected), opened at path; an inbox path waits for the list. */
  async function open(email: string, path?: string): Promise<{ page: Page; errors: string[] }> {
    const ctx = await w.newContext();
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, email);
    if (path) await page.goto(path);
    if (path?.startsWith('/inbox')) await page.getByTestId('conversation-list').waitFor();
    return { page, errors };
  }

  /** A new conversation from a customer, through the API (queue by name). */
  async function newConversation(o: { subject: string; text: string; language?: string; name?: string; queue?: string; channel?: string }) {
    const queues = (await api('GET', '/queues')).json.items as { id: string; name: string }[];
    const r = await api('POST', '/conversations', {
      customer: { email: `${stamp()}-${Math.random().toString(36).slice(2, 6)}@customer.test`, name: o.name ?? 'Cora Customer', ...(o.language ? { language: o.language } : {}) },
      channel: o.channel ?? 'email', subject: o.subject, message: { text: o.text },
      queueId: queues.find((q) => q.name === (o.queue ?? 'Support EN'))!.id,
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return r.json as { id: string; number: number };
  }

  return { api, open, newConversation };
}
