/**
 * The satisfaction screen in headless Chromium on the demo account (whose demo hook answered some surveys): a leader
 * sees the figures, the lived-wait chart with its table, the comments linked to their conversations, in English and
 * German; the conversation's side panel shows the answer; axe-core finds no serious violations.
 * Screenshots: test-results/web-csat.png, web-csat-panel.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, checkA11y, screenshot, signIn, switchLanguage, watchErrors, WEB_E2E_SKIP, webSuite } from './web-harness.js';

const skip = WEB_E2E_SKIP;
const w = webSuite();

test('a leader reads satisfaction: figures, lived wait vs score with a table, comments one click from the conversation', { skip, timeout: 120_000 }, async () => {
  const rep = await w.env.req('GET', '/api/v1/csat/report', { token: w.demoTokens.leader });
  assert.ok(rep.json.responses > 0, rep.body);
  const ctx = await w.newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await signIn(page, DEMO.leader);
  await switchLanguage(page, 'English'); // the profile language (de/nb) is the default; this test reads the English texts
  await page.getByRole('link', { name: 'Satisfaction' }).click();
  await page.getByRole('heading', { level: 1, name: 'Satisfaction' }).waitFor();
  const figures = page.getByTestId('csat-figures');
  await figures.getByText('Answers', { exact: true }).waitFor();
  assert.match(await figures.innerText(), new RegExp(`Answers\\s+${rep.json.responses}\\b`));
  // The chart is an image with a name; its figures are in the table (hidden until asked for, always there for screen readers).
  await page.getByRole('img', { name: /Scatter chart of \d+ answers/ }).waitFor();
  const table = page.getByRole('table', { name: 'Average score by lived wait' });
  assert.equal(await table.getByRole('row').count(), 1 + 5 + 1);
  await page.getByTestId('csat-wait-chart').getByRole('button', { name: 'Show as table' }).click();
  await table.waitFor({ state: 'visible' });
  const comments = page.getByTestId('csat-comments');
  await comments.waitFor();
  assert.ok((await comments.getByRole('row').count()) > 1);
  await checkA11y(page, 'satisfaction');
  await screenshot(page, 'csat');

  await switchLanguage(page, 'Deutsch');
  await page.getByRole('heading', { level: 1, name: 'Zufriedenheit' }).waitFor();
  await page.getByRole('table', { name: 'Durchschnittliche Bewertung nach erlebter Wartezeit' }).waitFor({ state: 'attached' });
  await switchLanguage(page, 'English');

  // One click from a comment to its conversation, whose side panel shows the answer.
  const first = rep.json.comments[0];
  await comments.getByRole('link', { name: `Open #${first.number}` }).first().click();
  const panel = page.getByTestId('csat-panel');
  await panel.waitFor();
  assert.match(await panel.innerText(), new RegExp(`${first.score} of 5`, "i"));
  await checkA11y(page, 'the conversation page with the satisfaction panel');
  await screenshot(page, 'csat-panel');
  assert.deepEqual(errors, []);
});

test('an admin changes the survey settings on the satisfaction screen', { skip, timeout: 90_000 }, async () => {
  const ctx = await w.newContext();
  const page = await ctx.newPage();
  // The test saves an invalid combination on purpose; the browser logs that request's 400.
  const errors = watchErrors(page, [/status of 400 .*\/api\/v1\/csat\/settings/]);
  await signIn(page, DEMO.admin);
  await page.goto('/satisfaction');
  const form = page.getByTestId('csat-settings');
  await form.waitFor();
  const reminder = form.getByRole('textbox', { name: /Reminder after \(days\)/ });
  await reminder.fill('5');
  await form.getByRole('textbox', { name: 'Question in German' }).fill('Wie fanden Sie unsere Hilfe?');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await form.getByText('Settings saved.').waitFor();
  const s = await w.env.req('GET', '/api/v1/csat/settings', { token: w.demoTokens.admin });
  assert.equal(s.json.reminderDays, 5);
  assert.equal(s.json.questions.de, 'Wie fanden Sie unsere Hilfe?');
  // A reminder after the link expired is refused with the reason shown.
  await reminder.fill('29');
  await form.getByRole('textbox', { name: /Link valid for \(days\)/ }).fill('10');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await form.getByRole('alert').waitFor();
  assert.match(await form.getByRole('alert').innerText(), /reminder|Some input/i);
  await page.mouse.move(0, 0); // not hovering the button (its hover shade is not what axe should judge)
  await checkA11y(page, 'satisfaction settings');
  assert.deepEqual(errors, []);
});
