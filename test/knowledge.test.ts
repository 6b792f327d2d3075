/** Knowledge base: per-language stemming search (en/de/nb), drafts and internal hidden from the public, rights, help pages. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';

let env: TestEnv;
let returnsId: string;
let internalId: string;
let draftId: string;

const art = (over: Record<string, unknown>) => env.req('POST', '/api/v1/kb/articles', { body: over });
const pubGet = (url: string) => env.req('GET', url, { token: '' });

before(async () => {
  env = await setup();
  const r = await art({
    slug: 'returns', tags: ['returns'],
    translations: {
      en: { title: 'Returning an order', body: 'You can return items within 30 days. Refunds are paid within five days.' },
      de: { title: 'Rücksendung einer Bestellung', body: 'Eine Rücksendung ist innerhalb von 30 Tagen möglich. Die Erstattung erfolgt in fünf Tagen.' },
      nb: { title: 'Retur av bestillinger', body: 'Du kan returnere varer innen 30 dager. Pengene tilbakebetales innen fem dager.' },
    },
  });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.status, 'draft');
  returnsId = r.json.id;
  const tent = await art({
    translations: {
      en: { title: 'Caring for tents', body: '## Drying\n- Dry **completely** before storing\n<script>alert(1)</script>' },
      de: { title: 'Zeltpflege', body: 'Zelte vollständig trocknen, bevor man sie einlagert.' },
    },
  });
  assert.equal(tent.status, 201, tent.body);
  assert.equal(tent.json.slug, 'caring-for-tents', 'slug from the first title');
  assert.match(tent.json.translations.en.html, /<h2>Drying<\/h2>/);
  assert.match(tent.json.translations.en.html, /<strong>completely<\/strong>/);
  assert.doesNotMatch(tent.json.translations.en.html, /<script/i, 'markup in the body is escaped, never run');
  const internal = await art({ slug: 'refund-internal', visibility: 'internal', translations: { en: { title: 'Internal refund rules', body: 'Refunds above 500 need approval.' } } });
  internalId = internal.json.id;
  const draft = await art({ slug: 'refund-draft', translations: { en: { title: 'Draft about refunds', body: 'Refunds draft text.' } } });
  draftId = draft.json.id;
  for (const id of [returnsId, tent.json.id, internalId]) {
    const p = await env.req('POST', `/api/v1/kb/articles/${id}/publish`, { token: env.tokens.supervisor });
    assert.equal(p.status, 200, p.body);
    assert.equal(p.json.status, 'published');
  }
});
after(() => env.close());

test('German search stems German: "Rücksendungen" finds the article with "Rücksendung", German translation first', async () => {
  const r = await pubGet('/api/v1/public/kb/acme/search?q=R%C3%BCcksendungen&lang=de');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.items[0]?.slug, 'returns');
  assert.equal(r.json.items[0].lang, 'de');
  assert.equal(r.json.items[0].title, 'Rücksendung einer Bestellung');
  assert.match(r.json.items[0].snippet, /⟦Rücksendung⟧/, 'the snippet marks the matched word');
  // Another inflected form: genitive "Zeltes" ↔ plural "Zelte"
  const z = await pubGet('/api/v1/public/kb/acme/search?q=Zeltes&lang=de');
  assert.deepEqual(z.json.items.map((i: any) => i.slug), ['caring-for-tents']);
});

test('Norwegian search stems Norwegian: "bestillingene" finds "bestillinger", "returnerer" finds "returnere"', async () => {
  const r = await pubGet('/api/v1/public/kb/acme/search?q=bestillingene&lang=nb');
  assert.equal(r.json.items[0]?.slug, 'returns');
  assert.equal(r.json.items[0].lang, 'nb');
  const v = await pubGet('/api/v1/public/kb/acme/search?q=returnerer&lang=nb');
  assert.equal(v.json.items[0]?.lang, 'nb');
});

test('English search stems English: "returned orders" finds "Returning an order"; other languages after the asked one', async () => {
  const r = await pubGet('/api/v1/public/kb/acme/search?q=returned%20orders&lang=en');
  assert.equal(r.json.items[0]?.slug, 'returns');
  assert.equal(r.json.items[0].lang, 'en');
  // Asked in English for a German word: the German translation is found anyway.
  const x = await pubGet('/api/v1/public/kb/acme/search?q=Zeltpflege&lang=en');
  assert.equal(x.json.items[0]?.slug, 'caring-for-tents');
  assert.equal(x.json.items[0].lang, 'de');
});

test('public endpoints show only published public articles', async () => {
  const s = await pubGet('/api/v1/public/kb/acme/search?q=refunds&lang=en');
  assert.deepEqual(s.json.items.map((i: any) => i.slug), ['returns'], 'internal and draft articles are not found publicly');
  assert.equal((await pubGet('/api/v1/public/kb/acme/articles/refund-internal')).status, 404);
  assert.equal((await pubGet('/api/v1/public/kb/acme/articles/refund-draft')).status, 404);
  const a = await pubGet('/api/v1/public/kb/acme/articles/returns?lang=nb');
  assert.equal(a.status, 200);
  assert.equal(a.json.title, 'Retur av bestillinger');
  assert.deepEqual(a.json.langs.sort(), ['de', 'en', 'nb']);
  // Agents find internal and draft ones.
  const agent = await env.req('GET', '/api/v1/kb/articles?q=refunds&lang=en', { token: env.tokens.agent });
  assert.deepEqual(agent.json.items.map((i: any) => i.slug).sort(), ['refund-draft', 'refund-internal', 'returns']);
  const drafts = await env.req('GET', '/api/v1/kb/articles?status=draft', { token: env.tokens.agent });
  assert.deepEqual(drafts.json.items.map((i: any) => i.slug), ['refund-draft']);
  assert.equal((await pubGet('/api/v1/public/kb/nosuch/search?q=x')).status, 404);
});

test('rights: an agent writes drafts but cannot publish, unpublish, delete or edit a published article; all audited', async () => {
  const agent = env.tokens.agent;
  assert.equal((await env.req('POST', `/api/v1/kb/articles/${draftId}/publish`, { token: agent })).status, 403);
  assert.equal((await env.req('POST', `/api/v1/kb/articles/${returnsId}/unpublish`, { token: agent })).status, 403);
  assert.equal((await env.req('DELETE', `/api/v1/kb/articles/${draftId}`, { token: agent })).status, 403);
  const edit = await env.req('PUT', `/api/v1/kb/articles/${returnsId}`, { token: agent, body: { tags: ['x'] } });
  assert.equal(edit.status, 403, edit.body);
  const ok = await env.req('PUT', `/api/v1/kb/articles/${draftId}`, { token: agent, body: { translations: { de: { title: 'Entwurf zu Erstattungen', body: 'Text' } } } });
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(Object.keys(ok.json.translations).sort(), ['de', 'en']);
  const one = await env.req('GET', `/api/v1/kb/articles/${draftId}`, { token: agent });
  assert.equal(one.json.translations.de.title, 'Entwurf zu Erstattungen');
  // Removing the last translation is refused.
  const none = await env.req('PUT', `/api/v1/kb/articles/${draftId}`, { token: agent, body: { translations: { de: null, en: null } } });
  assert.equal(none.status, 400);
  const dup = await art({ slug: 'returns', translations: { en: { title: 'x', body: '' } } });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error?.code ?? dup.json.code, 'slug_taken');
  const un = await env.req('POST', `/api/v1/kb/articles/${internalId}/unpublish`, { token: env.tokens.supervisor });
  assert.equal(un.json.status, 'draft');
  const del = await env.req('DELETE', `/api/v1/kb/articles/${draftId}`, { token: env.tokens.supervisor });
  assert.equal(del.status, 204);
  assert.equal((await env.req('GET', `/api/v1/kb/articles/${draftId}`)).status, 404);
  const audit = await env.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_type = 'kb_article' ORDER BY id`);
  const actions = audit.rows.map((r) => r.action);
  for (const a of ['kb.article.created', 'kb.article.published', 'kb.article.updated', 'kb.article.unpublished', 'kb.article.deleted']) assert.ok(actions.includes(a), a);
});

test('help pages render in de and nb, search with marked snippets, and hide drafts', async () => {
  const de = await env.app.inject({ method: 'GET', url: '/help/acme?lang=de' });
  assert.equal(de.statusCode, 200);
  assert.match(de.body, /<html lang="de">/);
  assert.match(de.body, /Hilfeartikel/);
  assert.match(de.body, /Rücksendung einer Bestellung/);
  assert.doesNotMatch(de.body, /refund-draft|Internal refund/);
  const s = await env.app.inject({ method: 'GET', url: '/help/acme?lang=nb&q=varene' });
  assert.match(s.body, /Hjelpeartikler/);
  assert.match(s.body, /Retur av bestillinger/);
  assert.match(s.body, /<mark>varer<\/mark>/);
  const a = await env.app.inject({ method: 'GET', url: '/help/acme/returns?lang=nb' });
  assert.equal(a.statusCode, 200);
  assert.match(a.body, /<h1>Retur av bestillinger<\/h1>/);
  const tent = await env.app.inject({ method: 'GET', url: '/help/acme/caring-for-tents?lang=nb' });
  assert.match(tent.body, /Ikke oversatt til norsk/, 'says when the article is shown in another language');
  const hidden = await env.app.inject({ method: 'GET', url: '/help/acme/refund-internal?lang=de' });
  assert.equal(hidden.statusCode, 404);
  assert.match(hidden.body, /nicht öffentlich/);
});

test('the portal links to the help pages and the community; the widget searches the public endpoint before a chat', async () => {
  const portal = await env.app.inject({ method: 'GET', url: '/portal/acme?lang=de' });
  assert.match(portal.body, /href="\/help\/acme\?lang=de">Hilfeartikel<\/a>/);
  assert.match(portal.body, /href="\/portal\/acme\/community\?lang=de"/);
  const widget = await env.app.inject({ method: 'GET', url: '/widget.js' });
  assert.equal(widget.statusCode, 200);
  assert.match(widget.body, /\/api\/v1\/public\/kb\/\$\{encodeURIComponent\(ACCOUNT\)\}\/search\?limit=5&lang=\$\{LANG\}/);
  // What the widget asks for, with its parameters: German stems, the article's own URL for the link.
  const r = await pubGet('/api/v1/public/kb/acme/search?limit=5&lang=de&q=R%C3%BCcksendungen');
  assert.equal(r.headers['access-control-allow-origin'], '*', 'readable from any site that embeds the widget');
  assert.equal(r.json.items[0].url, '/help/acme/returns?lang=de');
  assert.equal((await env.app.inject({ method: 'GET', url: r.json.items[0].url })).statusCode, 200);
});
