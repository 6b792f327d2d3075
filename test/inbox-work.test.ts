/**
 * The API behind the inbox changes of issue 13 (items 8 and 10): the list row says who wrote the last message, a
 * message says whether it has quoted history, macros carry a language, and a signed-in user saves her language.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';
import * as conv from '../src/modules/conversations/index.js';

let env: TestEnv;
let lena: { id: string; cookie: string };
before(async () => {
  env = await setup();
  const u = await env.req('POST', '/api/v1/users', { body: { email: 'lena@acme.test', name: 'Lena Schmidt', role: 'agent', password: 'correct horse battery', locale: 'de' } });
  assert.equal(u.status, 201, u.body);
  const r = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'lena@acme.test', password: 'correct horse battery' } });
  assert.equal(r.json.user.locale, 'de');
  lena = { id: u.json.id, cookie: String([r.headers['set-cookie']].flat()[0]).split(';')[0] };
});
after(() => env.close());

test('the list row names the author of the last message (the preview): customer, agent with name, or not a user', async () => {
  const c = (await env.req('POST', '/api/v1/conversations', { body: convBody({ subject: 'Preview author', customer: { email: 'p@example.com', name: 'Pia Kunde' } }) })).json;
  const row = async () => (await env.req('GET', `/api/v1/conversations?view=all&q=${encodeURIComponent('Preview author')}`)).json.items.find((x: any) => x.id === c.id);
  let r = await row();
  assert.equal(r.previewAuthorType, 'customer');
  assert.equal(r.previewAuthorName, null);
  await conv.reply(env.ctx, { accountId: env.accountId, role: 'agent', kind: 'user', userId: lena.id, tokenId: null }, c.id, { text: 'Wir kümmern uns darum.' });
  r = await row();
  assert.deepEqual([r.preview, r.previewAuthorType, r.previewAuthorId, r.previewAuthorName], ['Wir kümmern uns darum.', 'agent', lena.id, 'Lena Schmidt']);
  // A note is not the last message; the customer's follow-up is.
  await env.req('POST', `/api/v1/conversations/${c.id}/notes`, { body: { text: 'internal' } });
  assert.equal((await row()).preview, 'Wir kümmern uns darum.');
  await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'Danke!' } });
  r = await row();
  assert.deepEqual([r.preview, r.previewAuthorType, r.previewAuthorId], ['Danke!', 'customer', null]);
  // Messages that did not come by email have no quoted history.
  const full = (await env.req('GET', `/api/v1/conversations/${c.id}`)).json;
  assert.ok(full.messages.every((m: any) => m.hasQuoted === false));
});

test('macros carry a language (en, de, nb or none); the preview for a conversation names it', async () => {
  const m = await env.req('POST', '/api/v1/macros', { token: env.tokens.supervisor, body: { name: 'Danke', body: 'Danke, {{customer.first_name|}}!', language: 'de' } });
  assert.equal(m.status, 201, m.body);
  assert.equal(m.json.language, 'de');
  const any = await env.req('POST', '/api/v1/macros', { token: env.tokens.supervisor, body: { name: 'Any', body: 'OK' } });
  assert.equal(any.json.language, null);
  const bad = await env.req('POST', '/api/v1/macros', { token: env.tokens.supervisor, body: { name: 'Bad', body: 'x', language: 'fr' } });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /language/);
  const c = (await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'e@example.com', name: 'Emma Stone', language: 'en' } }) })).json;
  const preview = await env.req('GET', `/api/v1/conversations/${c.id}/macros/${m.json.id}`, { token: env.tokens.agent });
  assert.deepEqual([preview.json.language, preview.json.text], ['de', 'Danke, Emma!']);
  const list = (await env.req('GET', '/api/v1/macros', { token: env.tokens.agent })).json.items;
  assert.deepEqual(list.map((x: any) => [x.name, x.language]), [['Any', null], ['Danke', 'de']]);
  // A change of language, and back to none; other fields stay.
  assert.equal((await env.req('PATCH', `/api/v1/macros/${m.json.id}`, { token: env.tokens.supervisor, body: { language: 'nb' } })).json.language, 'nb');
  const none = await env.req('PATCH', `/api/v1/macros/${m.json.id}`, { token: env.tokens.supervisor, body: { language: null } });
  assert.deepEqual([none.json.language, none.json.name], [null, 'Danke']);
  assert.equal((await env.req('PATCH', `/api/v1/macros/${m.json.id}`, { token: env.tokens.supervisor, body: { name: 'Danke!' } })).json.language, null);
});

test('PUT /me/locale saves the signed-in user\'s language; the next sign-in carries it; tokens and bad values are refused', async () => {
  const r = await env.req('PUT', '/api/v1/me/locale', { token: '', cookie: lena.cookie, body: { locale: 'nb' } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.locale, 'nb');
  const session = await env.req('GET', '/api/v1/auth/session', { token: '', cookie: lena.cookie });
  assert.equal(session.json.user.locale, 'nb');
  const again = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'lena@acme.test', password: 'correct horse battery' } });
  assert.equal(again.json.user.locale, 'nb');
  const bad = await env.req('PUT', '/api/v1/me/locale', { token: '', cookie: lena.cookie, body: { locale: 'fr' } });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /locale/);
  const token = await env.req('PUT', '/api/v1/me/locale', { body: { locale: 'de' } });
  assert.equal(token.status, 400);
  assert.equal(token.json.error.code, 'user_only');
  assert.equal((await env.req('PUT', '/api/v1/me/locale', { token: '', body: { locale: 'de' } })).status, 401);
});
