import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { setup, convBody, PG_URL, type TestEnv } from './helpers.js';
import { verifySignature } from '../src/modules/webhooks/webhooks.service.js';
import { buildApp } from '../src/server/app.js';

let env: TestEnv;
before(async () => {
  env = await setup({ webhookAllowPrivate: true }); // the receivers listen on 127.0.0.1 (WEBHOOK_ALLOW_PRIVATE=1)
});
after(() => env.close());

test('webhooks are signed, retried after a failure, and recorded', async () => {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let fail = 1;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = fail-- > 0 ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const hook = await env.req('POST', '/api/v1/webhooks', { body: { url, events: ['conversation.created'] } });
    assert.equal(hook.status, 201);
    assert.match(hook.json.secret, /^whsec_/);
    assert.equal((await env.req('POST', '/api/v1/webhooks', { body: { url, events: ['nope'] } })).status, 400);
    assert.equal((await env.req('POST', '/api/v1/webhooks', { body: { url: 'ftp://x.example/y', events: ['conversation.created'] } })).status, 400);
    const c = await env.req('POST', '/api/v1/conversations', { body: convBody() });
    await env.app.jobs.runDue(new Date());
    assert.equal(received.length, 1);
    let d = (await env.req('GET', `/api/v1/webhooks/${hook.json.id}/deliveries`)).json.items[0];
    assert.equal(d.status, 'pending');
    assert.equal(d.responseStatus, 500, JSON.stringify(d));
    await env.app.jobs.runDue(new Date(Date.now() + 11_000)); // after the first backoff
    assert.equal(received.length, 2);
    const last = received[1];
    assert.equal(last.headers['earshot-event'], 'conversation.created');
    assert.ok(verifySignature(hook.json.secret, String(last.headers['earshot-signature']), last.body));
    assert.ok(!verifySignature('whsec_wrong-secret-here', String(last.headers['earshot-signature']), last.body));
    assert.ok(!verifySignature(hook.json.secret, String(last.headers['earshot-signature']), `${last.body} `));
    assert.equal(JSON.parse(last.body).data.conversationId, c.json.id);
    d = (await env.req('GET', `/api/v1/webhooks/${hook.json.id}/deliveries`)).json.items[0];
    assert.equal(d.status, 'delivered');
    assert.equal(d.attempts, 2);
    await env.app.jobs.runDue(new Date(Date.now() + 3_600_000));
    assert.equal(received.length, 2, 'a delivered webhook is not sent again');
    assert.equal((await env.req('GET', '/api/v1/webhooks')).json.items.length, 1);
    assert.equal((await env.req('DELETE', `/api/v1/webhooks/${hook.json.id}`)).status, 204);
    assert.equal((await env.req('DELETE', `/api/v1/webhooks/${hook.json.id}`)).status, 404);
  } finally {
    server.close();
  }
});

function nextMessage(ws: WebSocket, pred: (m: any) => boolean, ms = 5000): Promise<any> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no realtime message in time')), ms);
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString());
      if (pred(m)) {
        clearTimeout(t);
        resolve(m);
      }
    });
  });
}

test('realtime: a signed-in agent is told of changes made by another server process (LISTEN/NOTIFY)', async () => {
  await env.req('POST', '/api/v1/users', { body: { email: 'rt@acme.test', name: 'RT', role: 'agent', password: 'long enough password' } });
  const login = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'rt@acme.test', password: 'long enough password' } });
  const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0];
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (env.app.server.address() as AddressInfo).port;
  assert.equal(await new Promise((r) => {
    const anon = new WebSocket(`ws://127.0.0.1:${port}/api/v1/realtime`);
    anon.on('unexpected-response', (_q, res) => r(res.statusCode));
    anon.on('open', () => r('opened'));
  }), 401, 'no session, no socket');
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/realtime`, { headers: { cookie } });
  const hello = await nextMessage(ws, (m) => m.type === 'hello');
  assert.ok(hello.userId);
  // On PostgreSQL a second app on the same database stands in for a second server process.
  const other = PG_URL ? await buildApp({ db: env.db, config: env.config, logger: false }) : env.app;
  try {
    const waiting = nextMessage(ws, (m) => m.type === 'conversation.created');
    const foreign = await env.makeAccount('initech');
    await other.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${foreign.tokens.admin}` }, payload: convBody() });
    const created = await other.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${env.tokens.admin}` }, payload: convBody() });
    const m = await waiting;
    assert.equal(m.conversationId, created.json().id, 'only changes of the own account arrive');
    assert.equal(m.accountId, undefined);
    const msg = nextMessage(ws, (x) => x.type === 'message.created');
    await other.inject({ method: 'POST', url: `/api/v1/conversations/${created.json().id}/notes`, headers: { authorization: `Bearer ${env.tokens.admin}` }, payload: { text: 'psst' } });
    assert.equal((await msg).conversationId, created.json().id);
  } finally {
    ws.close();
    if (other !== env.app) await other.close();
  }
});
