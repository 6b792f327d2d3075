/**
 * Issue 14 item 2: webhooks may not reach this machine or private networks unless the operator allows it; the check
 * runs on the address a delivery connects to, at every delivery, and a refusal shows no answer of the target.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setup, convBody, type TestEnv } from './helpers.js';
import { loadConfig } from '../src/platform/config.js';
import { addressKind } from '../src/modules/webhooks/guard.js';

let env: TestEnv;
let server: Server;
let hits = 0;
let port = 0;

before(async () => {
  env = await setup();
  server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      res.statusCode = 418;
      res.end('internal secret answer');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.close();
  await env.close();
});

const FORMS = (p: number) => [
  `http://127.0.0.1:${p}/hook`,
  `http://[::1]:${p}/hook`,
  `http://0x7f000001:${p}/hook`,
  `http://2130706433:${p}/hook`,
  `http://localhost:${p}/hook`,
  `http://169.254.169.254/latest/meta-data/`,
  `http://[::ffff:127.0.0.1]:${p}/hook`,
  `http://[::ffff:169.254.169.254]/`,
  `http://10.1.2.3/hook`,
  `http://172.16.0.1/hook`,
  `http://192.168.1.1/hook`,
  `http://[fd00::1]/hook`,
  `http://[fe80::1]/hook`,
  `http://224.0.0.1/hook`,
  `http://0.0.0.0:${p}/hook`,
  `http://[::]:${p}/hook`,
];

test('every loopback, link-local, private, multicast and unspecified form is refused when the webhook is saved', async () => {
  for (const url of FORMS(port)) {
    const r = await env.req('POST', '/api/v1/webhooks', { body: { url, events: ['conversation.created'] } });
    assert.equal(r.status, 400, `${url}: ${r.body}`);
    assert.equal(r.json.error.field, 'url', url);
  }
  assert.equal((await env.db.query('SELECT count(*)::int AS n FROM webhooks')).rows[0].n, 0);
  // A public address is fine to save.
  assert.equal((await env.req('POST', '/api/v1/webhooks', { body: { url: 'https://93.184.216.34/hook', events: ['sla.breached'] } })).status, 201);
});

test('at delivery the resolved address is checked: nothing reaches the target, the log shows no answer of it', async () => {
  // Saved before the rule, or a name whose DNS changed since: written around the API.
  const urls = [`http://localhost:${port}/hook`, `http://127.0.0.1:${port}/hook`, `http://[::ffff:127.0.0.1]:${port}/hook`, `http://0x7f000001:${port}/hook`, `http://[::1]:${port}/hook`];
  const ids: string[] = [];
  for (const url of urls) {
    const r = await env.db.query<{ id: string }>(
      `INSERT INTO webhooks (account_id, url, secret, events) VALUES ($1, $2, 'whsec_0123456789abcdef', '{conversation.created}') RETURNING id`,
      [env.accountId, url],
    );
    ids.push(r.rows[0].id);
  }
  assert.equal((await env.req('POST', '/api/v1/conversations', { body: convBody() })).status, 201);
  await env.app.jobs.runDue(new Date());
  assert.equal(hits, 0, 'no request reached the local server');
  for (const [i, id] of ids.entries()) {
    const d = (await env.req('GET', `/api/v1/webhooks/${id}/deliveries`)).json.items;
    assert.equal(d.length, 1, urls[i]);
    assert.equal(d[0].responseStatus, null, urls[i]);
    assert.match(d[0].lastError, /^refused: .*(loopback|this machine)/, urls[i]);
    assert.doesNotMatch(JSON.stringify(d), /secret answer|418/);
  }
});

test('with WEBHOOK_ALLOW_PRIVATE=1 or a matching WEBHOOK_ALLOW_CIDRS range an internal receiver gets its deliveries', async () => {
  await env.db.query('DELETE FROM webhooks');
  env.ctx.config.webhookAllowCidrs = ['127.0.0.0/8'];
  const byName = await env.req('POST', '/api/v1/webhooks', { body: { url: `http://127.0.0.1:${port}/hook`, events: ['conversation.created'] } });
  assert.equal(byName.status, 201, byName.body);
  const v6 = await env.req('POST', '/api/v1/webhooks', { body: { url: `http://[::1]:${port}/hook`, events: ['conversation.created'] } });
  assert.equal(v6.status, 400, 'the range allows 127/8, not ::1');
  assert.equal((await env.req('POST', '/api/v1/conversations', { body: convBody() })).status, 201);
  await env.app.jobs.runDue(new Date());
  assert.equal(hits, 1);
  const d = (await env.req('GET', `/api/v1/webhooks/${byName.json.id}/deliveries`)).json.items[0];
  assert.equal(d.responseStatus, 418);
  assert.equal(d.lastError, 'receiver answered 418');
  env.ctx.config.webhookAllowCidrs = [];
  env.ctx.config.webhookAllowPrivate = true;
  const local = await env.req('POST', '/api/v1/webhooks', { body: { url: `http://localhost:${port}/hook`, events: ['conversation.created'] } });
  assert.equal(local.status, 201, local.body);
  // A name goes through the guarded lookup and connects to the address it checked.
  assert.equal((await env.req('POST', '/api/v1/conversations', { body: convBody() })).status, 201);
  await env.app.jobs.runDue(new Date());
  assert.equal(hits, 3, 'both receivers got the second conversation');
  const viaName = (await env.req('GET', `/api/v1/webhooks/${local.json.id}/deliveries`)).json.items[0];
  assert.equal(viaName.responseStatus, 418, JSON.stringify(viaName));
  env.ctx.config.webhookAllowPrivate = false;
});

test('address kinds and the allow-list setting', () => {
  for (const [ip, kind] of [
    ['127.0.0.1', 'loopback'], ['::1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['64:ff9b::7f00:1', 'loopback'],
    ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['10.0.0.1', 'private'], ['fc00::1', 'private'],
    ['ff02::1', 'multicast'], ['239.1.1.1', 'multicast'], ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
    ['93.184.216.34', null], ['2606:2800:220:1:248:1893:25c8:1946', null],
  ] as const)
    assert.equal(addressKind(ip), kind, ip);
  assert.deepEqual(loadConfig({ WEBHOOK_ALLOW_CIDRS: '10.20.0.0/16, fd00:1::/64,192.168.1.5' }).webhookAllowCidrs, ['10.20.0.0/16', 'fd00:1::/64', '192.168.1.5/32']);
  assert.throws(() => loadConfig({ WEBHOOK_ALLOW_CIDRS: '10.0.0.0/33' }), /WEBHOOK_ALLOW_CIDRS/);
  assert.equal(loadConfig({ WEBHOOK_ALLOW_PRIVATE: '1' }).webhookAllowPrivate, true);
  assert.equal(loadConfig({}).webhookAllowPrivate, false);
});
