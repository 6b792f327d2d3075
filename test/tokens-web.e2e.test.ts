/**
 * Admin → API tokens in Chromium against the real server with the demo data (issue 14 item 4): a token made in the
 * screen names its creator, tokens from the command line name the operator, and the screen passes the a11y check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, WEB_E2E_SKIP, checkA11y, signIn, webSuite } from './web-harness.js';
import { newPage } from './journeys-helpers.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();

test('the token list shows who created each token', { skip }, async () => {
  const { page: p } = await newPage(w, {});
  await signIn(p, DEMO.admin);
  await p.goto('/admin/tokens');
  const table = p.getByRole('table', { name: 'API tokens' });
  await table.waitFor();
  await table.getByRole('columnheader', { name: 'Created by' }).waitFor();
  // The harness's demo tokens were made by the operator (no person behind them).
  await table.getByRole('row').filter({ hasText: 'e2e admin' }).filter({ hasText: 'Operator (command line)' }).waitFor();
  await p.getByRole('button', { name: 'New token' }).click();
  const dialog = p.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('CRM sync');
  await dialog.getByRole('button', { name: 'New token' }).click();
  await p.getByTestId('new-token').waitFor();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await table.getByRole('row').filter({ hasText: 'CRM sync' }).filter({ hasText: 'Alex Admin' }).waitFor();
  await checkA11y(p, 'Admin → API tokens');
  const made = (await w.env.req('GET', '/api/v1/tokens', { token: w.demoTokens.admin })).json.items.find((t: any) => t.name === 'CRM sync');
  assert.equal(made.createdBy.name, 'Alex Admin');
});
