/**
 * Issue 13 item 14: background work never stalls behind one slow peer.
 *
 * Real peers on loopback ports, written here with node:net / node:http, that accept a connection and then stop
 * answering: an SMTP relay that takes the message after DATA and never says 250, a webhook receiver that never
 * answers, an IMAP server and an Asterisk Manager Interface that never speak (or stop answering after login). Each
 * outbound call gives up within its configured timeout, records a clear error, is retried, and meanwhile the job
 * runner keeps running other kinds of jobs (lanes); a handler that never returns is abandoned at the job deadline.
 * Timeouts are small here (set through the config); bounds are generous because the test machine is loaded.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createServer, type Server } from 'node:http';
import { setup, convBody, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import { enqueue } from '../src/platform/jobs.js';
import { createMailbox } from '../src/modules/channels/email/mailboxes.service.js';
import { ingestEmail } from '../src/modules/channels/email/inbound.js';
import { addImapSource } from '../src/modules/channels/email/imap.service.js';
import { pollImapOnce } from '../src/modules/channels/email/imap.js';
import { AmiClient, parseAmiUrl } from '../src/modules/channels/voice/ami.js';

const SMTP_SOCKET_MS = 6_000;
const WEBHOOK_MS = 6_000;
const IMAP_GREETING_MS = 1_000;
const AMI_MS = 800;

let env: TestEnv;
let relay: Relay;

/** Polls a condition (no fixed sleeps); fails naming what it waited for. */
async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// ------------------------------------------------------------------ a real SMTP relay that can hang after DATA

interface Relay {
  url: string;
  /** Recipients whose message gets no answer after the final dot (the peer hangs). */
  hangFor: Set<string>;
  /** Messages answered 250, by recipient. */
  accepted: { rcpt: string[]; data: string }[];
  /** Sessions that sent their whole message and got no answer: when, and when the client gave up (closed). */
  hung: { rcpt: string[]; at: number; closedAt: number | null }[];
  close(): Promise<void>;
}

async function startRelay(): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const relay = { hangFor: new Set<string>(), accepted: [], hung: [] } as unknown as Relay;
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    sock.setEncoding('utf8');
    let buf = '';
    let inData = false;
    let rcpt: string[] = [];
    let hung: Relay['hung'][number] | null = null;
    sock.on('close', () => {
      sockets.delete(sock);
      if (hung) hung.closedAt = Date.now();
    });
    sock.write('220 relay.test ESMTP test relay\r\n');
    sock.on('data', (d: string) => {
      buf += d;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buf.slice(0, end);
          buf = buf.slice(end + 5);
          inData = false;
          if (rcpt.some((r) => relay.hangFor.has(r))) {
            // The whole message is here; the relay never says whether it took it.
            hung = { rcpt, at: Date.now(), closedAt: null };
            relay.hung.push(hung);
            return;
          }
          relay.accepted.push({ rcpt, data });
          rcpt = [];
          sock.write('250 2.0.0 queued\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250 relay.test\r\n');
        else if (cmd === 'MAIL') {
          rcpt = [];
          sock.write('250 2.1.0 ok\r\n');
        } else if (cmd === 'RCPT') {
          rcpt.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          sock.write('250 2.1.5 ok\r\n');
        } else if (cmd === 'DATA') {
          inData = true;
          sock.write('354 go ahead\r\n');
        }
        else if (cmd === 'RSET' || cmd === 'NOOP') sock.write('250 ok\r\n');
        else if (cmd === 'QUIT') sock.end('221 bye\r\n');
        else sock.write('502 not implemented\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  relay.url = `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  relay.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return relay;
}

/** A TCP server that accepts connections and never sends a byte (until closed). */
async function silentServer(): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const out = { port: 0, connections: 0, close: async () => {} };
  const server = net.createServer((sock) => {
    out.connections++;
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  out.port = (server.address() as net.AddressInfo).port;
  out.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return out;
}

before(async () => {
  relay = await startRelay();
  env = await setup({
    smtpOutboundUrl: relay.url,
    smtpOutboundConnectTimeoutMs: 5_000,
    smtpOutboundGreetingTimeoutMs: 5_000,
    smtpOutboundSocketTimeoutMs: SMTP_SOCKET_MS,
    smtpOutboundDeadlineMs: 20_000,
    webhookTimeoutMs: WEBHOOK_MS,
    webhookAllowPrivate: true, // the silent receiver listens on 127.0.0.1
    imapConnectTimeoutMs: 5_000,
    imapGreetingTimeoutMs: IMAP_GREETING_MS,
    amiConnectTimeoutMs: AMI_MS,
    amiPingMs: 500,
    jobDeadlineMs: 60_000,
  });
  await createMailbox(env.ctx, systemPrincipal(env.accountId), { address: 'support@acme.test', name: 'Acme Support' });
});
after(async () => {
  await env?.close();
  await relay?.close();
});

const job = async (kind: string, key: string, value: string) =>
  (await env.db.query<{ status: string; attempts: number; last_error: string | null }>(
    `SELECT status, attempts, last_error FROM jobs WHERE kind = $1 AND payload->>$2 = $3 ORDER BY id`,
    [kind, key, value],
  )).rows;

let seq = 0;
/** An inbound customer email (its analysis job is enqueued with it); returns the conversation and message ids. */
async function inbound(from: string, text: string) {
  const raw = Buffer.from(
    [`From: ${from}`, 'To: support@acme.test', `Subject: Question ${++seq}`, `Message-ID: <t${seq}-${Date.now()}@customer.test>`,
      'Content-Type: text/plain; charset=utf-8', '', text, ''].join('\r\n'),
  );
  const r = await ingestEmail(env.ctx, { raw, rcptTo: ['support@acme.test'], source: 'smtp' });
  if (r.status !== 'stored') throw new Error(`not stored: ${JSON.stringify(r)}`);
  const m = await env.db.query<{ id: string }>(
    `SELECT id FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1`, [r.conversationId]);
  return { conversationId: r.conversationId, messageId: m.rows[0].id };
}

async function reply(conversationId: string, text: string) {
  const r = await env.req('POST', `/api/v1/conversations/${conversationId}/replies`, { body: { text } });
  assert.equal(r.status, 201, r.body);
  return (await env.db.query<{ id: string }>('SELECT id FROM outbound_emails WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1', [conversationId])).rows[0].id;
}

test('an SMTP relay that never answers after DATA holds up neither analysis nor other mail; the send times out, is retried and delivered once', async () => {
  relay.hangFor.add('slow@customer.test');
  // In claim order: the hung mail comes before the other mail and the second message's analysis.
  const a = await inbound('Sam Slow <slow@customer.test>', 'Where is my parcel? I have waited three weeks.');
  const hungMail = await reply(a.conversationId, 'Hi Sam, it is on its way.');
  const b = await inbound('Fia Fast <fast@customer.test>', 'Hallo, meine Bestellung ist nicht angekommen.');
  const okMail = await reply(b.conversationId, 'Hi Fia, we are on it.');

  await env.app.jobs.start(100);
  try {
    await until('the relay to receive the first message and hang', () => relay.hung.length === 1);
    const hung = relay.hung[0];
    assert.deepEqual(hung.rcpt, ['slow@customer.test']);

    // The other mail and the analysis run while the hung send is still waiting for its 250.
    await until('the other mail to be accepted by the relay', () => relay.accepted.some((m) => m.rcpt.includes('fast@customer.test')));
    await until('the analysis of the second message', async () => (await job('listening.analyze', 'messageId', b.messageId))[0]?.status === 'done');
    assert.equal(hung.closedAt, null, 'the other jobs finished while the hung relay connection was still open');
    assert.equal((await job('email.send', 'outboundEmailId', hungMail))[0].status, 'running');
    const sentOk = (await env.db.query('SELECT status FROM outbound_emails WHERE id = $1', [okMail])).rows[0];
    assert.equal(sentOk.status, 'sent');

    // The hung attempt gives up at the socket timeout (no 250 after DATA), is recorded as failed and queued again.
    await until('the hung send to time out', () => hung.closedAt !== null, SMTP_SOCKET_MS + 30_000);
    const waited = hung.closedAt! - hung.at;
    assert.ok(waited >= SMTP_SOCKET_MS * 0.8, `gave up after ${waited} ms, before the ${SMTP_SOCKET_MS} ms socket timeout`);
    assert.ok(waited < SMTP_SOCKET_MS + 20_000, `gave up only after ${waited} ms (socket timeout ${SMTP_SOCKET_MS} ms)`);
    await until('the failed attempt to be recorded', async () => (await job('email.send', 'outboundEmailId', hungMail))[0]?.status === 'queued');
    const [j] = await job('email.send', 'outboundEmailId', hungMail);
    assert.equal(j.attempts, 1);
    assert.match(j.last_error ?? '', /silent for 6000 ms \(SMTP_OUTBOUND_SOCKET_TIMEOUT_MS\)/);
    const row = (await env.db.query('SELECT status, attempts, last_error, next_attempt_at FROM outbound_emails WHERE id = $1', [hungMail])).rows[0];
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error, /no 250 after DATA/);
    assert.ok(row.next_attempt_at, 'a retry is scheduled');
  } finally {
    await env.app.jobs.stop();
  }

  // The relay behaves again: the retry delivers the mail, once; later runs send nothing more.
  relay.hangFor.clear();
  await env.app.jobs.runDue(new Date(Date.now() + 60_000));
  const delivered = () => relay.accepted.filter((m) => m.rcpt.includes('slow@customer.test'));
  assert.equal(delivered().length, 1);
  assert.match(delivered()[0].data, /it is on its way/);
  const row = (await env.db.query('SELECT status, attempts, last_error FROM outbound_emails WHERE id = $1', [hungMail])).rows[0];
  assert.deepEqual(row, { status: 'sent', attempts: 2, last_error: null });
  await env.app.jobs.runDue(new Date(Date.now() + 7_200_000));
  assert.equal(delivered().length, 1);
  assert.equal(relay.accepted.filter((m) => m.rcpt.includes('fast@customer.test')).length, 1);
});

test('a webhook receiver that never answers: the delivery times out, is retried, and other jobs run meanwhile', async () => {
  let answer = false;
  const requests: { at: number; closedAt: number | null; answered: boolean }[] = [];
  const server: Server = createServer((req, res) => {
    const r = { at: Date.now(), closedAt: null as number | null, answered: false };
    requests.push(r);
    // The client giving up shows as its connection closing.
    req.socket.once('close', () => (r.closedAt = Date.now()));
    req.resume();
    if (answer)
      req.on('end', () => {
        r.answered = true;
        res.writeHead(204).end();
      });
    // Otherwise: connection accepted, request read, no answer ever.
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`;
    const hook = await env.req('POST', '/api/v1/webhooks', { body: { url, events: ['conversation.created'] } });
    assert.equal(hook.status, 201);
    const c1 = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'wh1@example.com', name: 'Web Hook' } }) });
    assert.equal(c1.status, 201);
    // A second customer message whose analysis is enqueued after the first delivery.
    const later = await inbound('Lea Later <later@customer.test>', 'I have been waiting for a week for an answer.');

    await env.app.jobs.start(100);
    try {
      await until('the receiver to get the first delivery', () => requests.length >= 1);
      const first = requests[0];
      await until('the later message to be analysed', async () => (await job('listening.analyze', 'messageId', later.messageId))[0]?.status === 'done');
      const hookJobs = async () => (await env.db.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM jobs WHERE kind = 'webhook.deliver' ORDER BY id`)).rows;
      assert.deepEqual((await hookJobs())[0], { status: 'running', attempts: 1 }, 'the analysis ran while the first delivery was still waiting for an answer');

      await until('the webhook attempt to time out', () => requests.every((r) => r.closedAt !== null) && requests.length === 2, WEBHOOK_MS + 30_000);
      const waited = first.closedAt! - first.at;
      assert.ok(waited >= WEBHOOK_MS * 0.8, `gave up after ${waited} ms, before the ${WEBHOOK_MS} ms timeout`);
      assert.ok(waited < WEBHOOK_MS + 20_000, `gave up only after ${waited} ms (timeout ${WEBHOOK_MS} ms)`);
      await until('the failed attempts to be recorded', async () => {
        const d = (await env.req('GET', `/api/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
        return d.length === 2 && d.every((x: any) => x.attempts === 1 && x.status === 'pending');
      });
      const d = (await env.req('GET', `/api/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
      for (const x of d) assert.match(x.lastError, /timed out after 6000 ms \(WEBHOOK_TIMEOUT_MS\)/);
    } finally {
      await env.app.jobs.stop();
    }

    // The receiver answers again: each delivery arrives once more and is recorded as delivered; nothing repeats.
    answer = true;
    await env.app.jobs.runDue(new Date(Date.now() + 60_000));
    assert.equal(requests.filter((r) => r.answered).length, 2);
    const d = (await env.req('GET', `/api/v1/webhooks/${hook.json.id}/deliveries`)).json.items;
    assert.deepEqual(d.map((x: any) => [x.status, x.attempts]), [['delivered', 2], ['delivered', 2]]);
    await env.app.jobs.runDue(new Date(Date.now() + 7_200_000));
    assert.equal(requests.length, 4);
    assert.equal((await env.req('DELETE', `/api/v1/webhooks/${hook.json.id}`)).status, 204);
  } finally {
    await new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  }
});

test('a job whose handler never returns is abandoned at its deadline and retried; the runner and other lanes go on', async () => {
  const ran: string[] = [];
  env.app.jobs
    .on('test.never', () => new Promise<void>(() => {}), { deadlineMs: 1_000 })
    .on('test.quick', async (p) => void ran.push(p.n));
  const stuck = await enqueue(env.db, 'test.never', { n: 'stuck' });
  await enqueue(env.db, 'test.quick', { n: 'one' });
  const t = Date.now();
  const ranCount = await Promise.race([
    env.app.jobs.runDue(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('runDue did not return: the runner waits forever on a hung job')), 30_000)),
  ]);
  assert.ok(Date.now() - t < 25_000);
  assert.equal(ranCount, 2);
  assert.deepEqual(ran, ['one']);
  const r = (await env.db.query<{ status: string; attempts: number; last_error: string; run_at: Date }>('SELECT status, attempts, last_error, run_at FROM jobs WHERE id = $1', [stuck])).rows[0];
  assert.equal(r.status, 'queued');
  assert.equal(r.attempts, 1);
  assert.match(r.last_error, /deadline of 1000 ms: attempt abandoned, will be retried/);
  assert.ok(r.run_at.getTime() > Date.now(), 'retried after the backoff');
  // The default deadline and lane width come from the config.
  assert.equal(env.app.jobs.deadlineMs, 60_000);
  assert.equal(env.app.jobs.concurrency, env.config.jobConcurrency);
  await env.db.query(`UPDATE jobs SET status = 'failed' WHERE id = $1`, [stuck]);
});

test('an IMAP server that accepts and never greets: the poll gives up within IMAP_GREETING_TIMEOUT_MS and records why', async () => {
  const silent = await silentServer();
  try {
    const s = await addImapSource(env.ctx, env.accountId, {
      mailbox: 'support@acme.test', host: '127.0.0.1', port: silent.port, secure: false, username: 'support', password: 'imap-pw-123', mode: 'poll',
    });
    const t = Date.now();
    const polled = pollImapOnce(env.ctx, s.id);
    // The server keeps answering while the poll waits.
    assert.equal((await env.req('GET', '/api/health', { token: '' })).status, 200);
    await assert.rejects(polled, (err: Error) => /no greeting within 1000 ms \(IMAP_GREETING_TIMEOUT_MS\)/.test(err.message));
    const took = Date.now() - t;
    assert.ok(took < IMAP_GREETING_MS + 10_000, `gave up after ${took} ms (greeting timeout ${IMAP_GREETING_MS} ms)`);
    const row = (await env.db.query<{ last_error: string }>('SELECT last_error FROM imap_sources WHERE id = $1', [s.id])).rows[0];
    assert.match(row.last_error, /no greeting within 1000 ms/);
    assert.equal(row.last_error.includes('imap-pw-123'), false);
    await env.db.query('UPDATE imap_sources SET enabled = false WHERE id = $1', [s.id]);
  } finally {
    await silent.close();
  }
});

test('an AMI peer that accepts and never speaks, or stops answering after login: the client gives up, says why and reconnects', async () => {
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  const silent = await silentServer();
  const c1 = new AmiClient(env.ctx, { accountId: env.accountId, target: parseAmiUrl(`ami://earshot:pw@127.0.0.1:${silent.port}?account=acme`), log, backoffMs: 50, maxBackoffMs: 100 });
  c1.start();
  try {
    await c1.until(() => /connected but no banner within 800 ms \(AMI_CONNECT_TIMEOUT_MS\)/.test(c1.lastError ?? ''), 20_000);
    await c1.until(() => silent.connections >= 2, 20_000);
    assert.notEqual(c1.status, 'logged-in');
  } finally {
    await c1.stop();
    await silent.close();
  }

  // Banner and login fine, then the peer goes quiet for good (a half-open connection): Ping, no answer, reconnect.
  let logins = 0;
  const sockets = new Set<net.Socket>();
  const mute = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
    sock.write('Asterisk Call Manager/7.0.3\r\n');
    sock.setEncoding('utf8');
    let buf = '';
    sock.on('data', (d: string) => {
      buf += d;
      const m = /ActionID: (\S+)\r\n[\s\S]*?\r\n\r\n/.exec(buf);
      if (m && buf.startsWith('Action: Login')) {
        buf = '';
        logins++;
        sock.write(`Response: Success\r\nActionID: ${m[1]}\r\nMessage: Authentication accepted\r\n\r\n`);
      }
    });
  });
  await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
  const c2 = new AmiClient(env.ctx, { accountId: env.accountId, target: parseAmiUrl(`ami://earshot:pw@127.0.0.1:${(mute.address() as net.AddressInfo).port}?account=acme`), log, backoffMs: 50, maxBackoffMs: 100 });
  c2.start();
  try {
    await c2.until(() => /no answer to Ping within 800 ms/.test(c2.lastError ?? ''), 20_000);
    await c2.until(() => logins >= 2, 20_000);
  } finally {
    await c2.stop();
    await new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      mute.close(() => r());
    });
  }
});
