/**
 * The AMI client against a scripted AMI peer: there is no Asterisk on this machine (Debian 12 does not package it), so
 * the peer below speaks the AMI wire protocol itself (banner, Login with ActionID, Response: Success/Error, events as
 * CRLF `Key: Value` blocks) and replays test/fixtures/ami/queue-calls.ami, written in the field layout of the
 * Asterisk 18/20 AMI event documentation.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { setup, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import { AmiClient, AmiParser, parseAmiUrl } from '../src/modules/channels/voice/ami.js';
import { mapAmiEvent, newAmiState } from '../src/modules/channels/voice/mapping.js';
import voice from '../src/modules/channels/voice/voice.module.js';

const T0 = 1795600800; // 2026-11-25 10:00:00 UTC, the transcript's first event
const TRANSCRIPT = readFileSync(new URL('./fixtures/ami/queue-calls.ami', import.meta.url), 'utf8')
  .split('\n').filter((l) => !l.startsWith('#')).join('\n')
  .split(/\n\n+/).map((b) => b.trim()).filter(Boolean)
  .map((b) => `${b.split('\n').join('\r\n')}\r\n\r\n`);
const EXPECTED_EVENTS = 14; // 7 for the served call, 6 for the abandoned one, 1 callback.requested

interface Peer {
  port: number;
  secret: string;
  /** First connection only: close after this many blocks (and half of the next). */
  dropAfter?: number;
  connections: number;
  logins: number;
  failures: number;
  sent: number;
  close(): Promise<void>;
}

/** A minimal AMI server: banner, Login, then the transcript in small writes. */
async function amiPeer(secret: string, dropAfter?: number): Promise<Peer> {
  const sockets = new Set<net.Socket>();
  const peer: Peer = { port: 0, secret, dropAfter, connections: 0, logins: 0, failures: 0, sent: 0, close: async () => {} };
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    const n = ++peer.connections;
    sock.write('Asterisk Call Manager/7.0.3\r\n');
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', async (d: string) => {
      buf += d;
      for (let i = buf.indexOf('\r\n\r\n'); i >= 0; i = buf.indexOf('\r\n\r\n')) {
        const block = Object.fromEntries(buf.slice(0, i).split('\r\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
        buf = buf.slice(i + 4);
        if (block.Action === 'Login') {
          if (block.Username !== 'earshot' || block.Secret !== peer.secret) {
            peer.failures++;
            sock.end(`Response: Error\r\nActionID: ${block.ActionID}\r\nMessage: Authentication failed\r\n\r\n`);
            return;
          }
          peer.logins++;
          sock.write(`Response: Success\r\nActionID: ${block.ActionID}\r\nMessage: Authentication accepted\r\n\r\n`);
          sock.write('Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 2143\r\nLastReload: 2143\r\nStatus: Fully Booted\r\n\r\n');
          const drop = n === 1 ? peer.dropAfter : undefined;
          const blocks = drop === undefined ? TRANSCRIPT : TRANSCRIPT.slice(0, drop);
          // Small writes so blocks (and CRLFs) arrive split across packets.
          const text = blocks.join('') + (drop === undefined ? '' : TRANSCRIPT[drop].slice(0, Math.floor(TRANSCRIPT[drop].length / 2)));
          for (let k = 0; k < text.length; k += 97) {
            sock.write(text.slice(k, k + 97));
            await new Promise((r) => setImmediate(r));
          }
          peer.sent += blocks.length;
          if (drop !== undefined) sock.destroy();
        } else if (block.Action === 'Logoff') {
          sock.end('Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n');
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  peer.port = (server.address() as net.AddressInfo).port;
  peer.close = () => new Promise<void>((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  });
  return peer;
}

async function waitFor(cond: () => Promise<boolean>, what: string, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let env: TestEnv;
let peer: Peer;
let annaId: string;
let agentId: string;

before(async () => {
  peer = await amiPeer('s3cret-ami');
  env = await setup({ amiUrl: `ami://earshot:s3cret-ami@127.0.0.1:${peer.port}?account=acme` });
  const sys = systemPrincipal(env.accountId);
  agentId = (await accounts.addUser(env.ctx, sys, { email: 'one@acme.test', name: 'Agent One', role: 'agent' })).id;
  const anna = await env.req('POST', '/api/v1/customers', { body: { name: 'Anna Berg', phone: '+47 912 34 567' } });
  assert.equal(anna.status, 201);
  annaId = anna.json.id;
});
after(async () => {
  await peer?.close();
  await env?.close();
});

const count = async (sql: string, params: unknown[] = []) => Number((await env.db.query<{ n: number }>(sql, params)).rows[0].n);
const eventCount = () => count(`SELECT count(*)::int AS n FROM contact_events WHERE account_id = $1`, [env.accountId]);

test('the AMI parser reassembles blocks split anywhere, even byte by byte', () => {
  const wire = `Asterisk Call Manager/7.0.3\r\n${TRANSCRIPT.join('')}`;
  const whole = new AmiParser().push(wire);
  const p = new AmiParser();
  const bytes: ReturnType<AmiParser['push']> = [];
  for (const ch of wire) bytes.push(...p.push(ch));
  assert.equal(whole.length, TRANSCRIPT.length);
  assert.deepEqual(bytes, whole);
  assert.equal(p.banner, 'Asterisk Call Manager/7.0.3');
  assert.equal(whole[0].Event, 'Newchannel');
  assert.equal(whole[0].AccountCode, '');
});

test('mapping: a served call and an abandoned call become the contact vocabulary, one contact per Linkedid', () => {
  const state = newAmiState();
  const events = new AmiParser().push(`Asterisk Call Manager/7.0.3\r\n${TRANSCRIPT.join('')}`).flatMap((m) => mapAmiEvent(state, m, new Date(0)));
  const served = events.filter((e) => e.contactId === `ami:${T0}.101`).map((e) => e.type);
  assert.deepEqual(served, ['contact.arrived', 'ivr.entered', 'ivr.left', 'queue.entered', 'agent.offered', 'contact.answered', 'contact.resolved']);
  const lost = events.filter((e) => e.contactId === `ami:${T0 + 60}.201`).map((e) => e.type);
  assert.deepEqual(lost, ['contact.arrived', 'ivr.entered', 'ivr.left', 'queue.entered', 'agent.offered', 'contact.abandoned']);
  const answered = events.find((e) => e.type === 'contact.answered')!;
  assert.equal(answered.agent, 'Agent One');
  assert.equal(answered.data?.holdSeconds, 10);
  assert.equal(answered.at.getTime(), Math.round((T0 + 30.4502) * 1000));
  // Caller numbers are normalised like customer phone identities (0047… → +47…).
  assert.equal(events.find((e) => e.type === 'contact.abandoned')!.identity, '+4799887766');
  assert.equal(new Set(events.map((e) => e.key)).size, events.length, 'every fact has its own dedupe key');
  assert.equal(state.calls.size, 0, 'hung-up calls leave no state behind');
});

test('serve starts the AMI client: login, a served call linked to its customer and agent, an abandoned call opens a callback', async () => {
  const handles = await voice.start!(env.app);
  try {
    assert.equal(handles.length, 1);
    assert.match(handles[0].info, /AMI client to ami:\/\/earshot@127\.0\.0\.1:\d+ for account acme/);
    assert.doesNotMatch(handles[0].info, /s3cret/);
    await waitFor(async () => (await eventCount()) >= EXPECTED_EVENTS, 'AMI events written');
    assert.equal(peer.logins, 1);

    const served = await env.db.query<any>(`SELECT * FROM contact_facts WHERE account_id = $1 AND contact_id = $2`, [env.accountId, `ami:${T0}.101`]);
    const f = served.rows[0];
    assert.equal(f.outcome, 'answered');
    assert.equal(f.who, `c:${annaId}`, 'the caller number is Anna\'s phone identity');
    assert.ok(Math.abs(f.queue_wait_s - 10.248) < 0.01, `queue wait ${f.queue_wait_s}`);
    assert.ok(Math.abs(f.lived_wait_s - 30.345) < 0.01, `lived wait ${f.lived_wait_s} includes the voice menu`);
    const ans = await env.db.query<any>(`SELECT agent_id, queue_id, source FROM contact_events WHERE contact_id = $1 AND type = 'contact.answered'`, [`ami:${T0}.101`]);
    assert.equal(ans.rows[0].agent_id, agentId, 'MemberName maps to the user of that name');
    assert.equal(ans.rows[0].source, 'ami');
    const q = await env.db.query<any>(`SELECT name FROM queues WHERE id = $1`, [ans.rows[0].queue_id]);
    assert.equal(q.rows[0].name, 'support');

    const lost = (await env.db.query<any>(`SELECT * FROM contact_facts WHERE account_id = $1 AND contact_id = $2`, [env.accountId, `ami:${T0 + 60}.201`])).rows[0];
    assert.equal(lost.outcome, 'abandoned');
    assert.ok(Math.abs(lost.lived_wait_s - 65.1) < 0.01);
    const cbs = (await env.req('GET', '/api/v1/callbacks?status=open', { token: env.tokens.agent })).json.items;
    assert.equal(cbs.length, 1);
    assert.equal(cbs[0].phone, '+4799887766');
    assert.equal(cbs[0].contactId, `ami:${T0 + 60}.201`);
    assert.equal(cbs[0].queueName, 'support');
    assert.equal(new Date(cbs[0].dueAt).getTime(), Math.round((T0 + 125.3001) * 1000) + 60 * 60_000, 'due an hour after the hang-up');
  } finally {
    for (const h of handles) await h.stop();
  }
  // Stopping logs off; nothing more is written.
  assert.equal(await eventCount(), EXPECTED_EVENTS);
});

test('a connection dropped mid-stream reconnects, logs in again, and the replayed events add nothing', async () => {
  await env.db.query(`DELETE FROM callbacks WHERE account_id = $1`, [env.accountId]);
  const other = await env.makeAccount('dropco');
  const dropPeer = await amiPeer('pw-2', 9); // drops inside the 10th block (the served call is half way)
  const logs: unknown[] = [];
  const log = { info: (o: object, m: string) => logs.push([o, m]), warn: (o: object, m: string) => logs.push([o, m]), error: (o: object, m: string) => logs.push([o, m]) };
  const client = new AmiClient(env.ctx, { accountId: other.accountId, target: parseAmiUrl(`ami://earshot:pw-2@127.0.0.1:${dropPeer.port}?account=dropco`), log, backoffMs: 20 });
  client.start();
  try {
    await client.until(() => client.logins === 2 && dropPeer.sent === 9 + TRANSCRIPT.length);
    await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM contact_events WHERE account_id = $1`, [other.accountId])) >= EXPECTED_EVENTS, 'events after reconnect');
    await client.flush();
    assert.equal(dropPeer.connections, 2);
    assert.equal(await count(`SELECT count(*)::int AS n FROM contact_events WHERE account_id = $1`, [other.accountId]), EXPECTED_EVENTS);
    assert.equal(await count(`SELECT count(*)::int AS n FROM callbacks WHERE account_id = $1`, [other.accountId]), 1, 'the replayed abandon opens no second callback');
    const facts = await env.db.query<any>(`SELECT contact_id, outcome FROM contact_facts WHERE account_id = $1 ORDER BY contact_id`, [other.accountId]);
    assert.deepEqual(facts.rows.filter((r) => r.contact_id.startsWith('ami:')).map((r) => r.outcome), ['answered', 'abandoned']);
    assert.doesNotMatch(JSON.stringify(logs), /pw-2/, 'the secret is never logged');
  } finally {
    await client.stop();
    await dropPeer.close();
  }
});

test('a wrong secret gives a clear error and the client keeps retrying until the login works', async () => {
  const badPeer = await amiPeer('the-right-one');
  const logs: unknown[] = [];
  const log = { info: (o: object, m: string) => logs.push([o, m]), warn: (o: object, m: string) => logs.push([o, m]), error: (o: object, m: string) => logs.push([o, m]) };
  const other = await env.makeAccount('badpw');
  const client = new AmiClient(env.ctx, { accountId: other.accountId, target: parseAmiUrl(`ami://earshot:wrong-one@127.0.0.1:${badPeer.port}?account=badpw`), log, backoffMs: 20, maxBackoffMs: 40 });
  client.start();
  try {
    await client.until(() => badPeer.failures >= 2);
    assert.equal(client.status === 'login-failed' || client.status === 'connecting', true);
    assert.match(client.lastError ?? '', /AMI login refused for ami:\/\/earshot@127\.0\.0\.1:\d+: Authentication failed/);
    // The operator fixes manager.conf: the next retry gets in.
    badPeer.secret = 'wrong-one';
    await client.until(() => client.status === 'logged-in');
    assert.equal(client.lastError, null);
    await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM contact_events WHERE account_id = $1`, [other.accountId])) >= EXPECTED_EVENTS, 'events after login');
    assert.doesNotMatch(JSON.stringify(logs), /wrong-one/, 'the secret is never logged');
  } finally {
    await client.stop();
    await badPeer.close();
  }
});

test('AMI_URL problems are named without showing the secret', () => {
  assert.throws(() => parseAmiUrl('http://u:p@h'), /must start with ami:\/\//);
  assert.throws(() => parseAmiUrl('ami://u:p@h:5038'), /needs \?account=/);
  assert.throws(() => parseAmiUrl('ami://u@h:5038?account=a'), /no secret/);
  try {
    parseAmiUrl('ami://u:topsecret@h:5038');
  } catch (e) {
    assert.doesNotMatch((e as Error).message, /topsecret/);
  }
  assert.deepEqual(parseAmiUrl('ami://earshot:p%40ss@10.0.0.5?account=acme'), { host: '10.0.0.5', port: 5038, username: 'earshot', secret: 'p@ss', account: 'acme' });
});
