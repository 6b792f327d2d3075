/** The public contact form (HTML and JSON): conversations on the web channel, events, confirmation email, protection. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, type TestEnv } from './helpers.js';
import { run, show, tempDataDir } from './cli-run.js';
import { TEXTS } from '../src/modules/channels/portal/texts.js';
import { STATUSES } from '../src/modules/conversations/index.js';

let env: TestEnv;
let ipSeq = 0;
/** Each test gets its own client address, so the per-IP limits of one test do not spill into another. */
const nextIp = () => `10.0.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;
const T0 = new Date('2026-03-02T10:00:00Z');
const at = (ms: number) => (env.clock.now = new Date(T0.getTime() + ms));

before(async () => {
  env = await setup();
});
after(() => env.close());

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

async function page(url: string, ip: string, headers: Record<string, string> = {}) {
  return env.app.inject({ method: 'GET', url, remoteAddress: ip, headers });
}
async function post(url: string, ip: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  return env.app.inject({
    method: 'POST',
    url,
    remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form(body),
  });
}
const tokenIn = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Renders the form at T0 and returns its token; the caller moves the clock before sending. */
async function freshToken(ip: string, url = '/contact/acme') {
  at(0);
  const r = await page(url, ip);
  assert.equal(r.statusCode, 200);
  return tokenIn(r.body);
}

const fields = (over: Record<string, string> = {}) => ({
  name: 'Anna Berg',
  email: 'Anna@Example.com',
  subject: 'Tent pole broken',
  message: 'One of the poles of my tent broke on the first night.',
  ...over,
});

const count = async (sql: string, params: unknown[] = []) => (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n;

test('the form renders accessibly with a signed token, a hidden honeypot and a language switcher', async () => {
  const r = await page('/contact/acme', nextIp());
  assert.equal(r.statusCode, 200);
  assert.match(String(r.headers['content-type']), /text\/html/);
  assert.match(r.body, /<html lang="en">/);
  assert.match(r.body, /<label for="f-email">Your email address/);
  assert.match(r.body, /name="website"[^>]*tabindex="-1"/);
  assert.match(r.body, /href="\/contact\/acme\?lang=de"/);
  assert.match(r.body, /href="\/contact\/acme\?lang=nb"/);
  assert.ok(/^\d+\.[\w-]+\.[\w-]{43}$/.test(tokenIn(r.body)));
  assert.doesNotMatch(r.body, /<script/);
  const unknown = await page('/contact/no-such-account', nextIp());
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /This page does not exist/);
});

test('a sent form creates a web conversation with its contact events and a queued confirmation email', async () => {
  const ip = nextIp();
  const token = await freshToken(ip);
  at(20_000);
  const r = await post('/contact/acme', ip, { ...fields(), formToken: token, website: '' });
  assert.equal(r.statusCode, 200, r.body);
  const conv = (await env.db.query<any>(`SELECT * FROM conversations WHERE account_id = $1 AND subject = 'Tent pole broken'`, [env.accountId])).rows[0];
  assert.ok(conv);
  assert.equal(conv.channel, 'web');
  assert.match(r.body, new RegExp(`#${conv.number}\\b`));
  assert.match(r.body, /anna@example\.com|Anna@Example\.com/);
  const events = (await env.db.query<{ type: string; channel: string }>('SELECT type, channel FROM contact_events WHERE conversation_id = $1 ORDER BY id', [conv.id])).rows;
  assert.ok(events.some((e) => e.type === 'contact.arrived' && e.channel === 'web'), JSON.stringify(events));
  assert.ok(events.some((e) => e.type === 'message.received'));
  const facts = await count('contact_facts WHERE contact_id = $1', [conv.id]);
  assert.equal(facts, 1, 'the lived-wait projection has the contact');
  const msg = (await env.db.query<any>('SELECT * FROM messages WHERE conversation_id = $1', [conv.id])).rows;
  assert.equal(msg.length, 1);
  assert.equal(msg[0].author_type, 'customer');
  assert.equal(msg[0].text, fields().message);
  const mail = (await env.db.query<any>('SELECT * FROM outbound_emails WHERE conversation_id = $1', [conv.id])).rows;
  assert.equal(mail.length, 1);
  assert.equal(mail[0].kind, 'system');
  assert.deepEqual(mail[0].to_addresses, ['Anna@Example.com']);
  assert.equal(mail[0].subject, `We received your request #${conv.number}`);
  assert.match(mail[0].text_body, /\/portal\/acme/);
  assert.equal(await count(`jobs WHERE kind = 'email.send' AND payload->>'outboundEmailId' = $1`, [mail[0].id]), 1);
  // The API sees it as a web conversation with the customer's identity.
  const api = await env.req('GET', `/api/v1/conversations/${conv.id}`);
  assert.equal(api.json.channel, 'web');
  assert.deepEqual(api.json.customer.identities, [{ kind: 'email', value: 'anna@example.com' }]);
});

test('the confirmation email is in the language of the page the customer used', async () => {
  const ip = nextIp();
  at(0);
  const r0 = await page('/contact/acme?lang=de', ip);
  assert.match(r0.body, /<html lang="de">/);
  assert.match(r0.body, /Ihre E-Mail-Adresse/);
  assert.match(String(r0.headers['set-cookie']), /lang=de/);
  at(30_000);
  const r = await post('/contact/acme?lang=de', ip, { ...fields({ email: 'jonas@example.de', subject: 'Zelt kaputt', message: 'Die Stange ist gebrochen.' }), formToken: tokenIn(r0.body) });
  assert.equal(r.statusCode, 200, r.body);
  assert.match(r.body, /Wir haben Ihre Anfrage erhalten/);
  const mail = (await env.db.query<any>(`SELECT subject, text_body FROM outbound_emails WHERE 'jonas@example.de' = ANY(to_addresses)`)).rows[0];
  assert.match(mail.subject, /^Wir haben Ihre Anfrage #\d+ erhalten$/);
  assert.match(mail.text_body, /Kundenportal/);
  const nb = await page('/contact/acme', nextIp(), { 'accept-language': 'nb-NO,nb;q=0.9,en;q=0.5' });
  assert.match(nb.body, /<html lang="nb">/);
  assert.match(nb.body, /Kontakt oss/);
  assert.match(nb.body, /E-postadressen din/);
  // The lang cookie wins over Accept-Language.
  const cookie = await page('/contact/acme', nextIp(), { 'accept-language': 'nb', cookie: 'lang=de' });
  assert.match(cookie.body, /Kontakt<\/h1>/);
  assert.match(cookie.body, /Ihr Name/);
});

test('topics send a request to their queue; settings are admin-only and checked', async () => {
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Billing' } });
  assert.equal(q.status, 201, JSON.stringify(q.json));
  const put = await env.req('PUT', '/api/v1/web/settings', {
    body: { topics: [{ key: 'billing', label: { en: 'Invoices and payment', de: 'Rechnungen und Zahlung', nb: 'Faktura og betaling' }, queueId: q.json.id }] },
  });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  const get = await env.req('GET', '/api/v1/web/settings');
  assert.equal(get.status, 200);
  assert.equal(get.json.topics[0].key, 'billing');
  assert.equal(get.json.defaultQueueId, null);
  assert.ok(!('secret' in get.json), 'the form secret is never shown');
  assert.equal((await env.req('GET', '/api/v1/web/settings', { token: env.tokens.agent })).status, 403);
  const bad = await env.req('PUT', '/api/v1/web/settings', { body: { topics: [{ key: 'x', label: { en: 'X' }, queueId: '00000000-0000-0000-0000-000000000000' }] } });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /topics\/0\/queueId: unknown queue/);

  const ip = nextIp();
  const token = await freshToken(ip, '/contact/acme?lang=de');
  const shown = await page('/contact/acme?lang=de', ip);
  assert.match(shown.body, /<option value="billing">Rechnungen und Zahlung<\/option>/);
  at(10_000);
  const r = await post('/contact/acme', ip, { ...fields({ email: 'payer@example.com', subject: 'Invoice twice' }), topic: 'billing', formToken: token });
  assert.equal(r.statusCode, 200, r.body);
  const conv = (await env.db.query<any>(`SELECT id, queue_id, custom_fields FROM conversations WHERE subject = 'Invoice twice'`)).rows[0];
  assert.equal(conv.queue_id, q.json.id);
  assert.equal(conv.custom_fields.topic, 'billing');
  assert.equal(await count(`contact_events WHERE conversation_id = $1 AND type = 'queue.entered'`, [conv.id]), 1);
  // An unknown topic is refused with the form kept.
  at(0);
  const t2 = tokenIn((await page('/contact/acme', ip)).body);
  at(10_000);
  const r2 = await post('/contact/acme', ip, { ...fields({ subject: 'Unknown topic' }), topic: 'nope', formToken: t2 });
  assert.equal(r2.statusCode, 400);
  assert.match(r2.body, /Please choose one of the topics/);
  assert.match(r2.body, /value="Unknown topic"/);
});

test('honeypot, missing, forged, too fast, too old, foreign-account and cross-site forms are refused and store nothing', async () => {
  const before = await count('conversations');
  const mails = await count('outbound_emails');
  const ip = nextIp();
  const token = await freshToken(ip);

  at(10_000);
  const hp = await post('/contact/acme', ip, { ...fields(), formToken: token, website: 'http://spam.example' });
  assert.equal(hp.statusCode, 400);
  assert.match(hp.body, /looks automated and was not sent/);

  const missing = await post('/contact/acme', ip, fields());
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /The form is incomplete/);
  assert.match(missing.body, /value="Tent pole broken"/, 'what the visitor typed is kept');

  const forged = token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  const f = await post('/contact/acme', ip, { ...fields(), formToken: forged });
  assert.equal(f.statusCode, 400);
  assert.match(f.body, /could not be verified/);
  // A token whose time was changed fails its signature.
  const [, nonce, sig] = token.split('.');
  const older = await post('/contact/acme', ip, { ...fields(), formToken: `${T0.getTime() - 60_000}.${nonce}.${sig}` });
  assert.match(older.body, /could not be verified/);

  at(1_000);
  const fast = await post('/contact/acme', ip, { ...fields(), formToken: token });
  assert.equal(fast.statusCode, 400);
  assert.match(fast.body, /faster than a person can type/);

  at(25 * 3_600_000);
  const old = await post('/contact/acme', ip, { ...fields(), formToken: token });
  assert.equal(old.statusCode, 400);
  assert.match(old.body, /The form is too old/);

  const other = await env.makeAccount('globex');
  void other;
  const otherToken = await freshToken(ip, '/contact/globex');
  at(10_000);
  const cross = await post('/contact/acme', ip, { ...fields(), formToken: otherToken });
  assert.match(cross.body, /could not be verified/);

  const evil = await post('/contact/acme', ip, { ...fields(), formToken: token }, { origin: 'https://evil.example' });
  assert.equal(evil.statusCode, 403);
  assert.match(evil.body, /came from another site/);

  const invalid = await post('/contact/acme', nextIp(), { ...fields({ email: 'not-an-address', message: '' }), formToken: token });
  assert.equal(invalid.statusCode, 400);
  assert.match(invalid.body, /does not look like an email address/);
  assert.match(invalid.body, /Please fill in Message/);

  assert.equal(await count('conversations'), before);
  assert.equal(await count('outbound_emails'), mails);
});

test('a browser posting from the page itself is accepted whatever Origin its referrer policy makes it send; cross-site posts are refused', async () => {
  // Chromium sends `Origin: null` on a form post from a page whose referrer policy is no-referrer, and names the
  // relation in Sec-Fetch-Site. Issue 13: every real submission was refused ("came from another site").
  const send = async (headers: Record<string, string>) => {
    const ip = nextIp();
    const token = await freshToken(ip);
    at(10_000);
    return post('/contact/acme', ip, { ...fields({ subject: `Origin check ${JSON.stringify(headers)}` }), formToken: token }, headers);
  };
  const nullOrigin = await send({ origin: 'null', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' });
  assert.equal(nullOrigin.statusCode, 200, nullOrigin.body);
  assert.match(nullOrigin.body, /Thank you/);
  const own = await send({ origin: 'http://localhost', 'sec-fetch-site': 'same-origin' });
  assert.equal(own.statusCode, 200);
  const typed = await send({ 'sec-fetch-site': 'none' });
  assert.equal(typed.statusCode, 200, 'a user-initiated request (Sec-Fetch-Site: none) is not cross-site');

  const refusedBy = async (headers: Record<string, string>) => {
    const r = await send(headers);
    assert.equal(r.statusCode, 403, `${JSON.stringify(headers)} is refused`);
    assert.match(r.body, /came from another site/);
  };
  const before = await count('conversations');
  await refusedBy({ origin: 'null', 'sec-fetch-site': 'cross-site' }); // a sandboxed frame or a no-referrer page elsewhere
  await refusedBy({ 'sec-fetch-site': 'cross-site' });
  await refusedBy({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
  await refusedBy({ origin: 'http://shop.localhost', 'sec-fetch-site': 'same-site' }); // a sibling subdomain is another site's page
  await refusedBy({ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }); // contradictory: the Origin wins
  await refusedBy({ origin: 'null' }); // an old browser without Sec-Fetch-Site: nothing proves the page was ours
  assert.equal(await count('conversations'), before);
});

test('the public pages ask browsers to send their Origin to this site only (referrer policy same-origin)', async () => {
  for (const url of ['/contact/acme', '/portal/acme']) {
    const r = await page(url, nextIp());
    assert.equal(r.headers['referrer-policy'], 'same-origin', url);
    assert.match(r.body, /<meta name="referrer" content="same-origin">/, url);
  }
  // The sign-in page carries its token in the URL: it keeps sending no referrer at all.
  const s = await page('/portal/acme/signin?token=abc', nextIp());
  assert.equal(s.headers['referrer-policy'], 'no-referrer');
  assert.match(s.body, /<meta name="referrer" content="no-referrer">/);
});

test('sending the form too often from one address answers 429 with a page', async () => {
  const ip = nextIp();
  const limit = Math.ceil(env.config.publicRateLimit / 6);
  for (let i = 0; i < limit; i++) {
    const r = await post('/contact/acme', ip, fields());
    assert.equal(r.statusCode, 400, `request ${i + 1} is refused for its missing token, not limited`);
  }
  const r = await post('/contact/acme', ip, fields());
  assert.equal(r.statusCode, 429);
  assert.match(String(r.headers['content-type']), /text\/html/);
  assert.match(r.body, /Too many attempts from your network/);
  // Another address is not affected.
  assert.equal((await post('/contact/acme', nextIp(), fields())).statusCode, 400);
});

/** A token for the JSON endpoint, fetched at T0; the clock is then moved past the minimum time. */
async function jsonToken(slug = 'acme', wait = 5_000) {
  at(0);
  const r = await env.req('GET', `/api/v1/public/contact/${slug}/form`, { token: '' });
  assert.equal(r.status, 200, r.body);
  at(wait);
  return r.json.formToken as string;
}
const jsonPost = (body: Record<string, unknown>, ip = nextIp(), slug = 'acme') =>
  env.app.inject({ method: 'POST', url: `/api/v1/public/contact/${slug}`, remoteAddress: ip, payload: body as any });
const parsed = (r: { body: string }) => JSON.parse(r.body);

test('JSON contact endpoint for sites with their own form', async () => {
  const form = await env.req('GET', '/api/v1/public/contact/acme/form', { token: '' });
  assert.equal(form.status, 200);
  assert.match(form.json.formToken, /^\d+\.[\w-]+\.[\w-]{43}$/);
  assert.equal(form.json.minSeconds, 3);
  assert.equal(form.json.honeypot, 'website');
  const ok = await jsonPost({ ...fields({ email: 'kari@example.no', subject: 'Teltet mitt', message: 'Stangen brakk.' }), language: 'nb', formToken: await jsonToken() });
  assert.equal(ok.statusCode, 201, ok.body);
  assert.ok(Number.isInteger(parsed(ok).number));
  assert.deepEqual(Object.keys(parsed(ok)), ['number'], 'a public caller learns only the number');
  const conv = (await env.db.query<any>('SELECT id, channel FROM conversations WHERE account_id = $1 AND number = $2', [env.accountId, parsed(ok).number])).rows[0];
  assert.equal(conv.channel, 'web');
  const mail = (await env.db.query<any>('SELECT subject FROM outbound_emails WHERE conversation_id = $1', [conv.id])).rows[0];
  assert.match(mail.subject, /^Vi har mottatt henvendelsen din #\d+$/);

  const token = await jsonToken();
  const hp = await jsonPost({ ...fields(), website: 'x', formToken: token });
  assert.equal(hp.statusCode, 400);
  assert.equal(parsed(hp).error.code, 'spam');
  const bad = await jsonPost({ ...fields({ email: 'nope' }), formToken: token });
  assert.equal(bad.statusCode, 400);
  assert.equal(parsed(bad).error.field, 'email');
  assert.match(parsed(bad).error.message, /email: This does not look like an email address/);
  const missing = await jsonPost({ ...fields({ subject: '  ' }), formToken: token });
  assert.equal(missing.statusCode, 400);
  assert.equal(parsed(missing).error.field, 'subject');
  const unknown = await jsonPost({ ...fields(), formToken: token }, nextIp(), 'nobody-here');
  assert.equal(unknown.statusCode, 404);
  assert.equal((await env.req('GET', '/api/v1/public/contact/nobody-here/form', { token: '' })).status, 404);
});

test('the JSON endpoint has the HTML form\'s protections: form token, minimum time, honeypot', async () => {
  const before = await count(`conversations WHERE subject = 'Cannon'`);
  // No token at all: refused, naming the field, nothing stored or sent.
  const none = await jsonPost(fields({ subject: 'Cannon', email: 'target@example.org' }));
  assert.equal(none.statusCode, 400, none.body);
  assert.equal(parsed(none).error.field, 'formToken');
  // A forged token, and one for another account.
  const forged = await jsonPost({ ...fields({ subject: 'Cannon' }), formToken: `${T0.getTime()}.abcdefgh.${'A'.repeat(43)}` });
  assert.equal(forged.statusCode, 400);
  assert.equal(parsed(forged).error.field, 'formToken');
  await env.makeAccount('other-shop');
  const foreign = await jsonPost({ ...fields({ subject: 'Cannon' }), formToken: await jsonToken('other-shop') });
  assert.equal(foreign.statusCode, 400);
  assert.equal(parsed(foreign).error.field, 'formToken');
  // Sent right after the token was fetched: faster than a person types.
  const fast = await jsonPost({ ...fields({ subject: 'Cannon' }), formToken: await jsonToken('acme', 500) });
  assert.equal(fast.statusCode, 400);
  assert.equal(parsed(fast).error.field, 'formToken');
  assert.match(parsed(fast).error.message, /faster than a person/);
  // The honeypot, with a good token.
  const hp = await jsonPost({ ...fields({ subject: 'Cannon' }), formToken: await jsonToken(), website: 'http://spam.test' });
  assert.equal(hp.statusCode, 400);
  assert.equal(parsed(hp).error.field, 'website');
  assert.equal(await count(`conversations WHERE subject = 'Cannon'`), before);
  assert.equal(await count(`outbound_emails WHERE 'target@example.org' = ANY(to_addresses)`), 0);
});

test('the acknowledgement carries no text of the sender: not the subject, not the name', async () => {
  const r = await jsonPost({
    ...fields({ name: 'Visit evil.test for your refund', email: 'mallory-target@example.org', subject: 'URGENT: your account is blocked, call +1 555' }),
    formToken: await jsonToken(),
  });
  assert.equal(r.statusCode, 201, r.body);
  const mail = (await env.db.query<any>(`SELECT subject, text_body FROM outbound_emails WHERE 'mallory-target@example.org' = ANY(to_addresses)`)).rows[0];
  assert.equal(mail.subject, `We received your request #${parsed(r).number}`);
  assert.doesNotMatch(mail.text_body, /evil\.test|URGENT|555/);
  assert.match(mail.text_body, /Test acme/, 'the account is named');
});

test('an address gets at most five acknowledgements an hour, however it is spelt and through whichever account; further requests are stored without one', async () => {
  await env.makeAccount('third-shop').catch(() => undefined);
  const spellings = ['victim@example.org', 'Victim@Example.org', 'victim+1@example.org', 'VICTIM+x@EXAMPLE.ORG', ' victim@example.org '];
  for (let i = 0; i < 8; i++) {
    const slug = i % 2 ? 'third-shop' : 'acme';
    const r = await jsonPost({ ...fields({ email: spellings[i % spellings.length], subject: `Flood ${i}` }), formToken: await jsonToken(slug) }, nextIp(), slug);
    assert.equal(r.statusCode, 201, r.body);
  }
  assert.equal(await count(`conversations WHERE subject LIKE 'Flood %'`), 8, 'every request is stored');
  assert.equal(await count(`outbound_emails WHERE lower(to_addresses[1]) LIKE 'victim%@example.org'`), 5);
  at(3_700_000);
  const later = await jsonPost({ ...fields({ email: 'victim@example.org' }), formToken: await jsonToken('acme', 3_705_000) });
  assert.equal(later.statusCode, 201);
  assert.equal(await count(`outbound_emails WHERE lower(to_addresses[1]) LIKE 'victim%@example.org'`), 6);
});

test('every text the web channel uses exists in English, German and Norwegian', () => {
  for (const [key, v] of Object.entries(TEXTS)) for (const l of ['en', 'de', 'nb'] as const) assert.ok((v as any)[l]?.trim(), `${key} lacks ${l}`);
  // Keys used in the sources (t(locale, 'key') and the status texts built from STATUSES).
  const dir = join(process.cwd(), 'src/modules/channels/portal');
  const used = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/\bt\(\s*[\w.']+\s*,\s*'(\w+)'/g)) used.add(m[1]);
    for (const m of src.matchAll(/'(err_\w+)'/g)) used.add(m[1]);
  }
  for (const s of STATUSES) used.add(`status_${s}`);
  assert.ok(used.size > 30, `found ${used.size} keys`);
  for (const k of used) assert.ok(k in TEXTS, `text '${k}' is used but not defined`);
});

test('earshot web topic-set / topics / topic-remove / default-queue manage the form topics', { timeout: 120_000 }, async (t) => {
  const dir = tempDataDir(t);
  assert.equal((await run(['account', 'create', 'Acme', '--data', dir])).code, 0);
  const set = await run(['web', 'topic-set', '--account', 'acme', '--key', 'billing', '--label', 'Billing', '--label-de', 'Rechnungen', '--data', dir]);
  assert.equal(set.code, 0, show(set));
  assert.match(set.stdout, /^billing\tBilling \| Rechnungen\t-$/m);
  const badQueue = await run(['web', 'topic-set', '--account', 'acme', '--key', 'x', '--label', 'X', '--queue', 'Nope', '--data', dir]);
  assert.notEqual(badQueue.code, 0);
  assert.match(badQueue.stderr, /no queue 'Nope' in this account/);
  const list = await run(['web', 'topics', '--account', 'acme', '--json', '--data', dir]);
  assert.deepEqual(JSON.parse(list.stdout), { topics: [{ key: 'billing', label: { en: 'Billing', de: 'Rechnungen' }, queueId: null }], defaultQueueId: null });
  const rm = await run(['web', 'topic-remove', '--account', 'acme', '--key', 'billing', '--data', dir]);
  assert.equal(rm.code, 0, show(rm));
  assert.match(rm.stdout, /\(no topics\)/);
  const dq = await run(['web', 'default-queue', 'none', '--account', 'acme', '--data', dir]);
  assert.equal(dq.code, 0, show(dq));
  assert.match(dq.stdout, /default queue: -/);
});
