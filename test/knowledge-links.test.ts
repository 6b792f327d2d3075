/**
 * Issue 14 item 9: knowledge-base link targets are normalised and validated. Only http(s), mailto and paths on this
 * site (one leading slash) become links; `/\evil.test`, `//evil`, `javascript:`, backslashes, control characters and
 * the like never become an href (a browser reads `/\evil.test` as the protocol-relative `//evil.test`). Saving such a
 * link is a 400 naming the field; one stored before is shown as text.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';
import { renderMarkdown, markdownToText, safeLinkTarget } from '../src/modules/knowledge/markdown.js';

const HOSTILE = [
  '/\\evil.test',
  '/\\\\evil.test',
  '\\\\evil.test',
  '//evil.test',
  '///evil.test',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'https:/\\evil.test',
  'http://evil.test\\@good.test',
  '/ok\u0000path',
  '/ok\u001bpath',
  'https://exa\u0007mple.com',
  'file:///etc/passwd',
  'mailto:',
];

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);

test('hostile targets never become an href; the text stays', () => {
  for (const target of HOSTILE) {
    const html = renderMarkdown(`See [the page](${target}) now`);
    assert.deepEqual(hrefs(html), [], `${JSON.stringify(target)} rendered ${html}`);
    assert.equal(safeLinkTarget(target), null, `${JSON.stringify(target)} is refused`);
    assert.match(html, /the page/, 'the link text is kept');
  }
});

test('good targets are kept, normalised', () => {
  const cases: [string, string][] = [
    ['https://example.com/a?b=1&c=2#d', 'https://example.com/a?b=1&amp;c=2#d'],
    ['HTTPS://Example.COM/Path', 'https://example.com/Path'],
    ['http://example.com', 'http://example.com/'],
    ['mailto:help@example.com', 'mailto:help@example.com'],
    ['/help/acme/returns?lang=de', '/help/acme/returns?lang=de'],
    ['/help/acme/../acme/returns', '/help/acme/returns'],
    ['/a b', '/a%20b'],
  ];
  for (const [target, want] of cases) {
    const html = renderMarkdown(`[x](${target.replace(/ /g, '%20')})`);
    assert.deepEqual(hrefs(html), [want.replace(' ', '%20')], `${target}: ${html}`);
  }
  assert.equal(markdownToText('[x](/\\evil.test) and [y](https://example.com)'), 'x and y (https://example.com/)');
});

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

test('saving an article with a hostile link is a 400 naming the field; a stored one renders as text on the public page', async () => {
  const bad = await env.req('POST', '/api/v1/kb/articles', { body: { translations: { en: { title: 'Links', body: 'Go [here](/\\evil.test).' } } } });
  assert.equal(bad.status, 400, bad.body);
  assert.equal(bad.json.error.field, 'translations.en.body');
  assert.match(bad.json.error.message, /link/);
  const ok = await env.req('POST', '/api/v1/kb/articles', { body: { slug: 'links', translations: { en: { title: 'Links', body: 'Go [here](/help/acme).' } } } });
  assert.equal(ok.status, 201, ok.body);
  // A body stored before this rule (written directly, as an old database would have it).
  await env.db.query(`UPDATE kb_translations SET body = $2 WHERE article_id = $1`, [ok.json.id, 'Go [here](/\\evil.test) or [there](//evil.test).']);
  assert.equal((await env.req('POST', `/api/v1/kb/articles/${ok.json.id}/publish`)).status, 200);
  const page = await env.app.inject({ method: 'GET', url: '/help/acme/links' });
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /href="\/\\|href="\/\//);
  assert.doesNotMatch(page.body, /href="[^"]*evil/);
  const api = await env.req('GET', '/api/v1/public/kb/acme/articles/links', { token: '' });
  assert.doesNotMatch(api.json.html, /href=/);
  assert.match(api.json.html, /here/);
});
