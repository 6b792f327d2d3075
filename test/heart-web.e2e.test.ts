/**
 * Service with heart in Chromium on the demo data: an agent sees their budget and gives kudos in the moments feed; a
 * supervisor approves the pending goodwill spend; an agent spends goodwill from the conversation panel. axe-core on
 * each screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO, checkA11y, screenshot, signIn, switchLanguage, until, watchErrors, WEB_E2E_SKIP, webSuite } from './web-harness.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();

async function page(): Promise<{ page: Page; errors: string[] }> {
  const ctx = await w.newContext();
  const p = await ctx.newPage();
  return { page: p, errors: watchErrors(p) };
}

test('an agent sees their budget, the moments feed and gives kudos once', { skip }, async () => {
  const { page: p, errors } = await page();
  await signIn(p, DEMO.sam);
  await p.goto('/heart');
  await p.getByRole('heading', { name: 'Service with heart' }).waitFor();
  const mine = p.getByRole('region', { name: 'My budget' });
  await mine.waitFor();
  await mine.getByText('remaining of €150.00').waitFor();
  await checkA11y(p, 'heart: goodwill (agent)');
  await screenshot(p, 'heart-goodwill-agent');
  await p.getByRole('tab', { name: 'Moments' }).click();
  const give = p.getByRole('button', { name: 'Give kudos: Das Zelt kam rechtzeitig zum Urlaub' });
  await give.waitFor();
  await checkA11y(p, 'heart: moments');
  await give.click();
  await until('kudos given', async () => (await p.getByRole('button', { name: 'Kudos given: Das Zelt kam rechtzeitig zum Urlaub' }).isDisabled()));
  const feed = (await w.env.req('GET', '/api/v1/heart/moments', { token: w.demoTokens.supervisor })).json.items;
  assert.equal(feed.find((m: any) => m.title === 'Das Zelt kam rechtzeitig zum Urlaub').kudos, 3);
  assert.deepEqual(errors, []);
});

test('a supervisor approves the pending spend; the report shows it spent', { skip }, async () => {
  const { page: p, errors } = await page();
  await signIn(p, DEMO.supervisor);
  await switchLanguage(p, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  await p.goto('/heart/goodwill');
  await p.getByRole('heading', { name: 'Waiting for your approval' }).waitFor();
  await checkA11y(p, 'heart: goodwill (supervisor)');
  await screenshot(p, 'heart-goodwill-supervisor');
  await p.getByRole('button', { name: /^Approve #\d+, €80\.00$/ }).click();
  const dialog = p.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Note (optional)' }).fill('Good call');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await p.getByText('Nothing is waiting.').waitFor();
  await p.getByRole('tab', { name: 'Report' }).click();
  await p.getByRole('table', { name: 'Per team' }).waitFor();
  await checkA11y(p, 'heart: report');
  await screenshot(p, 'heart-report');
  const row = p.getByRole('table', { name: 'Per agent' }).getByRole('row').filter({ hasText: 'Ola' });
  await row.getByText('€105.00').first().waitFor(); // 80.00 replacement + 25.00 refund
  assert.deepEqual(errors, []);
});

test('an agent spends goodwill from the conversation panel; above the threshold it waits for approval', { skip }, async () => {
  const { page: p, errors } = await page();
  await signIn(p, DEMO.lena);
  await switchLanguage(p, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  const conv = (await w.env.req('GET', '/api/v1/conversations?view=open&limit=1', { token: w.demoTokens.agent })).json.items[0];
  await p.goto(`/conversations/${conv.id}`);
  const panel = p.getByRole('region', { name: 'Service with heart' });
  await panel.waitFor();
  await panel.getByRole('button', { name: 'Spend goodwill' }).click();
  const dialog = p.getByRole('dialog', { name: 'Spend goodwill' });
  await dialog.getByRole('textbox', { name: 'Amount (EUR)' }).fill('60');
  await dialog.getByRole('textbox', { name: 'Description' }).fill('A new lamp before the trip');
  await checkA11y(p, 'heart: spend dialog');
  await dialog.getByRole('button', { name: 'Spend' }).click();
  await panel.getByText('Awaiting approval').first().waitFor();
  await checkA11y(p, 'heart: conversation panel');
  await screenshot(p, 'heart-panel');
  const spends = (await w.env.req('GET', `/api/v1/heart/spends?status=pending`, { token: w.demoTokens.supervisor })).json.items;
  assert.ok(spends.some((s: any) => s.description === 'A new lamp before the trip' && s.amount === 6000 && s.approvalReasons.includes('above_threshold')));
  assert.deepEqual(errors, []);
});
