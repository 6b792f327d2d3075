/**
 * NUL bytes and lone surrogates at every inbound edge (issue 14 item 10): HTTP queries, route parameters and bodies,
 * chat frames and uploads are cleaned (NUL removed, a lone surrogate becomes U+FFFD) and never answer 500; an import
 * line holding one is a malformed line reported with its number. Email is covered by the corpus
 * (email-corpus.test.ts) and the SMTP fuzz test.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { setup, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as queues from '../src/modules/queues/queues.service.js';
import { cleanDeep, cleanText, hasUnsafeChars } from '../src/platform/clean-text.js';

let env: TestEnv;
let port = 0;
const LONE = '\uD800';

before(async () => {
  env = await setup({ publicRateLimit: 1000 });
  await queues.createQueue(env.ctx, systemPrincipal(env.accountId), { name: 'Support', timezone: 'UTC' } as any);
  const kb = await env.req('POST', '/api/v1/kb/articles', { body: { slug: 'returns', translations: { en: { title: 'Returns', body: 'Return within 30 days.' } } } });
  assert.equal(kb.status, 201, kb.body);
  assert.equal((await env.req('POST', `/api/v1/kb/articles/${kb.json.id}/publish`)).status, 200);
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  port = (env.app.server.address() as any).port;
});
after(() => env.close());

test('cleanText: NUL removed, lone surrogates replaced, pairs kept; cleanDeep reaches keys and any depth', () => {
  assert.equal(cleanText('a\u0000b'), 'ab');
  assert.equal(cleanText(`x${LONE}y\uDC00z`), 'x\uFFFDy\uFFFDz');
  assert.equal(cleanText('tent 🏕 ok'), 'tent 🏕 ok');
  assert.equal(hasUnsafeChars('🏕'), false);
  let deep: any = { 'k\u0000': 'v\u0000' };
  for (let i = 0; i < 10_000; i++) deep = { d: [deep] };
  cleanDeep(deep);
  let x = deep;
  while (x.d) x = x.d[0];
  assert.deepEqual(x, { k: 'v' });
  const o = cleanDeep(JSON.parse('{"__pro\\u0000to__": {"polluted": 1}}'));
  assert.equal(({} as any).polluted, undefined);
  assert.equal(Object.getPrototypeOf(o), Object.prototype);
});

for (const url of ['/help/acme?q=%00', '/help/acme?q=tent%00s', '/community/acme?q=%00', '/api/v1/public/kb/acme/search?q=%00', '/api/v1/public/kb/acme/search?q=%ED%A0%80', '/help/ac%00me']) {
  test(`anonymous GET ${url}: no 500`, async () => {
    const r = await env.req('GET', url, { token: '' });
    assert.ok(r.status < 500, `${r.status} ${r.body.slice(0, 300)}`);
  });
}

test('a NUL and a lone surrogate in a JSON body (a name, a subject, a custom field key) are stored cleaned', async () => {
  const c = await env.req('POST', '/api/v1/customers', { body: { name: `Kari\u0000 Nord${LONE}mann`, email: 'kari.nul@example.no' } });
  assert.equal(c.status, 201, c.body);
  assert.equal(c.json.name, 'Kari Nord\uFFFDmann');
  const conv = await env.req('POST', '/api/v1/conversations', {
    body: { customer: { email: 'nul@example.com', name: 'N\u0000ul' }, channel: 'email', subject: 'Sub\u0000ject', message: { text: 'He\u0000llo' } },
  });
  assert.equal(conv.status, 201, conv.body);
  const got = await env.req('GET', `/api/v1/conversations/${conv.json.id}`);
  assert.equal(got.json.subject, 'Subject');
  assert.equal(got.json.messages[0].text, 'Hello');
  const patched = await env.req('PATCH', `/api/v1/conversations/${conv.json.id}`, { body: { customFields: { 'or\u0000der': { note: `x\u0000${LONE}` } } } });
  assert.equal(patched.status, 200, patched.body);
  assert.deepEqual(patched.json.customFields, { order: { note: 'x\uFFFD' } });
  // Sent as raw JSON text with the escapes, as an attacker would.
  const raw = await env.req('POST', '/api/v1/customers', { body: '{"name":"A\\u0000B\\ud800","email":"raw.nul@example.com"}', headers: { 'content-type': 'application/json' } });
  assert.equal(raw.status, 201, raw.body);
  assert.equal(raw.json.name, 'AB\uFFFD');
});

test('chat: a NUL in a message frame and in an upload filename is stored cleaned, never a failed frame', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/chat/socket`);
  const frames: any[] = [];
  ws.on('message', (m) => frames.push(JSON.parse(m.toString())));
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  const wait = async (pred: (f: any) => boolean) => {
    for (let i = 0; i < 400; i++) {
      const f = frames.find(pred);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(JSON.stringify(frames).slice(0, 1000));
  };
  ws.send(JSON.stringify({ type: 'hello', account: 'acme', queue: 'Support' }));
  const welcome = await wait((f) => f.type === 'welcome' || f.type === 'error');
  assert.equal(welcome.type, 'welcome', JSON.stringify(welcome));
  ws.send(JSON.stringify({ type: 'start', name: `Ve\u0000ra${LONE}`, clientId: 'nul-start', email: 'vera.nul@example.com', text: 'Hello\u0000 there' }));
  const ack = await wait((f) => f.type === 'ack' || f.type === 'error');
  assert.equal(ack.type, 'ack', JSON.stringify(ack));
  const up = await env.req('POST', '/api/v1/chat/uploads', {
    token: '',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ visitorToken: welcome.visitorToken, filename: 'te\u0000nt.png', contentType: 'image/png', data: Buffer.from('png').toString('base64') }),
  });
  assert.equal(up.status, 201, up.body);
  ws.send(JSON.stringify({ type: 'message', clientId: 'nul-msg', text: `second\u0000 ${LONE}`, uploads: [up.json.id] }));
  const m = await wait((f) => (f.type === 'message' && f.clientId === 'nul-msg') || f.type === 'error');
  assert.equal(m.type, 'message', JSON.stringify(m));
  assert.equal(m.attachments[0].filename, 'tent.png');
  const conv = await env.req('GET', `/api/v1/conversations/${ack.conversationId}`);
  assert.deepEqual(conv.json.messages.map((x: any) => x.text), ['Hello there', 'second \uFFFD']);
  ws.close();
});

test('imports: a line with a NUL or a lone surrogate is a malformed line reported with its number', async () => {
  const T = Date.UTC(2026, 4, 4, 9, 0, 0) / 1000;
  const ql = [
    `${T + 30}|${T}.1|sales|NONE|ENTERQUEUE||+4711111111|1`,
    `${T + 50}|${T}.1|sales|PJSIP/201|CONNECT|20|${T + 49}.9|1`,
    `${T + 60}|${T}.2|sa\u0000les|NONE|ENTERQUEUE||+4722222222|1`,
  ].join('\n');
  const r = await env.req('POST', '/api/v1/imports/queue-log?tz=UTC', { body: ql, headers: { 'content-type': 'text/plain' } });
  assert.equal(r.status, 201, r.body);
  // (A lone surrogate cannot travel in UTF-8 text: it arrives as U+FFFD. In JSON lines it can, escaped.)
  assert.deepEqual(r.json.report.malformed.map((m: any) => m.line), [3]);
  assert.match(r.json.report.malformed[0].reason, /NUL/);
  const jsonl = [
    JSON.stringify({ contactId: 'j1', type: 'contact.started', channel: 'chat', at: '2026-05-04T09:00:00Z' }),
    JSON.stringify({ contactId: 'j2', type: 'contact.started', channel: 'chat', at: '2026-05-04T09:00:00Z', data: { note: 'a\u0000b' } }),
    JSON.stringify({ contactId: 'j3', type: 'contact.started', channel: 'chat', at: '2026-05-04T09:00:00Z', data: { note: `a${LONE}b` } }),
  ].join('\n');
  const j = await env.req('POST', '/api/v1/imports/events?tz=UTC', { body: jsonl, headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(j.status, 201, j.body);
  assert.deepEqual(j.json.report.malformed.map((m: any) => m.line), [2, 3]);
  assert.equal(j.json.report.malformedCount, 2);
});
