/**
 * Response schemas of the journeys, listening, probes, channel, community, knowledge and server routes (issue 15
 * item 4): with the strict response check of every test app on (test/response-check.ts), each answer is exactly what
 * the service returns — no field dropped by the serializer, no null turned into "" — and carries what the screens
 * read. Pages declare what they answer (HTML, a redirect, a file) and say so in their content type.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as journeys from '../src/modules/journeys/journeys.service.js';
import { definitions } from '../src/modules/journeys/definitions.js';
import * as knowledge from '../src/modules/knowledge/knowledge.service.js';
import * as community from '../src/modules/community/community.service.js';
import * as callbacks from '../src/modules/channels/voice/callbacks.js';
import { analyzeMessage, getFindings, listFlags } from '../src/modules/listening/listening.service.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

/** JSON as the service returns it (dates as ISO strings), for comparison with the API's answer. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
const sys = () => systemPrincipal(env.accountId);

const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
/** Two calls of one caller (the first abandoned), a caller who never got through, and a callback request. */
const calls = (day: string) => {
  const at = (hms: string) => `${day}T${hms}Z`;
  const call = (id: string, identity: string, start: string, end: string, outcome: string) => [
    { contactId: id, type: 'contact.arrived', channel: 'phone', at: at(start), identity, queue: 'Support' },
    { contactId: id, type: 'queue.entered', channel: 'phone', at: at(start), queue: 'Support' },
    { contactId: id, type: outcome, channel: 'phone', at: at(end), agent: 'Kari' },
  ];
  return [
    ...call(`${day}-a1`, '+4790000001', '09:00:00', '09:05:00', 'contact.abandoned'),
    ...call(`${day}-a2`, '+4790000001', '09:20:00', '09:22:00', 'contact.answered'),
    ...call(`${day}-b1`, '+4790000002', '10:00:00', '10:03:00', 'contact.abandoned'),
  ];
};

test('journeys: the import summary, waits report (exact, sketch, grouped), distribution, live wall, journeys and definitions are what the services return', async () => {
  const imp = await env.req('POST', '/api/v1/imports/events?tz=UTC', { body: jsonl(calls('2026-03-02')), headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(imp.status, 201, imp.body);
  assert.deepEqual(Object.keys(imp.json.report).sort(), ['contacts', 'events', 'lines', 'malformed', 'malformedCount', 'skipped', 'unknown', 'warningCount', 'warnings']);
  const q = { from: '2026-03-02', to: '2026-03-03', tz: 'UTC' };
  const variants: Record<string, string>[] = [{}, { path: 'sketch' }, { by: 'hour' }, { window: '30m' }];
  for (const extra of variants) {
    const qs = new URLSearchParams({ ...q, ...extra }).toString();
    const r = await env.req('GET', `/api/v1/reports/waits?${qs}`);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json, plain(await journeys.waitsReport(env.ctx, sys(), { ...q, ...extra })));
  }
  const grouped = await env.req('GET', '/api/v1/reports/waits?from=2026-03-02&to=2026-03-03&tz=UTC&by=hour');
  assert.ok(grouped.json.groups.length >= 2 && grouped.json.groups.every((g: any) => g.key && g.label && g.lived.contactWaitSeconds), 'groups carry their figures');

  const dist = await env.req('GET', '/api/v1/reports/waits/distribution?from=2026-03-02&to=2026-03-03&tz=UTC');
  assert.equal(dist.status, 200, dist.body);
  assert.deepEqual(dist.json, plain(await journeys.distribution(env.ctx, sys(), q)));
  assert.equal(dist.json.contactWaits.counts.length, dist.json.edges.length);

  const list = await env.req('GET', '/api/v1/journeys?from=2026-03-02&to=2026-03-03');
  assert.equal(list.status, 200, list.body);
  assert.deepEqual(list.json.items, plain(await journeys.listJourneys(env.ctx, sys(), { from: '2026-03-02', to: '2026-03-03' })));
  const multi = list.json.items.find((j: any) => j.attempts === 2);
  assert.equal(multi.customer.identity, '+4790000001');
  assert.equal(multi.contacts[0].queue, 'Support');
  assert.equal(multi.contacts[0].answeredAt, null, 'a null time stays null');

  // The wall's waits count up to now: the clock stands still while the API's answer and the service's are compared.
  env.clock.now = new Date();
  await env.req('POST', '/api/v1/conversations', { body: convBody() });
  const live = await env.req('GET', '/api/v1/reports/live');
  assert.equal(live.status, 200, live.body);
  const wall = plain(await journeys.live(env.ctx, sys()));
  env.clock.now = null;
  assert.deepEqual(live.json, wall);
  assert.ok(live.json.queues.some((x: any) => x.id === null && x.waiting.total === 1), 'the no-queue row, with its id null');

  const defs = await env.req('GET', '/api/v1/definitions');
  assert.deepEqual(defs.json, plain(definitions()));
  const re = await env.req('POST', '/api/v1/journeys/recompute');
  assert.equal(re.status, 200, re.body);
  assert.equal(typeof re.json.contacts, 'number');
});

test('listening and voice: anecdotes, findings, flags, callbacks and the CTI summary are what the services return', async () => {
  const anecdotes = await env.req('GET', '/api/v1/reports/anecdotes?by=week&from=2026-01-01');
  assert.equal(anecdotes.status, 200, anecdotes.body);
  assert.deepEqual(Object.keys(anecdotes.json).sort(), ['alerts', 'by', 'delivery', 'from', 'groups', 'timezone', 'to', 'total']);
  const conv = await env.req('POST', '/api/v1/conversations', { body: convBody({ message: { text: 'You idiots, I have waited 40 minutes on hold!' } }) });
  const messageId = (await env.req('GET', `/api/v1/conversations/${conv.json.id}`)).json.messages[0].id;
  const before = await env.req('GET', `/api/v1/messages/${messageId}/findings`);
  assert.equal(before.status, 200, before.body);
  assert.equal(before.json.findings, null, 'null until the analysis job ran');
  await analyzeMessage(env.ctx, { messageId });
  const after = await env.req('GET', `/api/v1/messages/${messageId}/findings`);
  assert.deepEqual(after.json, plain(await getFindings(env.ctx, sys(), messageId)));
  assert.equal(after.json.findings.wait.complaint, true);
  assert.ok(after.json.findings.evidence.wait.text, 'the evidence span passes through');
  const flags = await env.req('GET', '/api/v1/listening/flags');
  assert.equal(flags.status, 200, flags.body);
  assert.deepEqual(flags.json, plain(await listFlags(env.ctx, sys(), {})));
  assert.ok(flags.json.items.some((f: any) => f.messageId === messageId && f.conversationNumber === conv.json.number), 'the abusive message, with its conversation number');

  const cti = await env.req('POST', '/api/v1/voice/events', {
    body: [
      { callId: 'c-1', type: 'call.started', at: '2026-03-03T09:00:00Z', from: '+4791111111', queue: 'Support' },
      { callId: 'c-1', type: 'queue.entered', at: '2026-03-03T09:00:05Z', queue: 'Support' },
      { callId: 'c-1', type: 'call.abandoned', at: '2026-03-03T09:02:00Z', from: '+4791111111', queue: 'Support' },
    ],
  });
  assert.equal(cti.status, 201, cti.body);
  assert.equal(cti.json.callbacksOpened.length, 1);
  const id = cti.json.callbacksOpened[0];
  const list = await env.req('GET', '/api/v1/callbacks?status=all');
  assert.deepEqual(list.json.items, plain(await callbacks.listCallbacks(env.ctx, sys(), { status: 'all' })));
  assert.equal(list.json.items[0].madeAt, null);
  const attempt = await env.req('POST', `/api/v1/callbacks/${id}/attempts`, { body: { outcome: 'no_answer', note: 'voicemail full' } });
  assert.equal(attempt.status, 201, attempt.body);
  assert.deepEqual(attempt.json, plain(await callbacks.getCallback(env.ctx, sys(), id)));
  assert.equal(attempt.json.attemptLog[0].note, 'voicemail full');
});

test('knowledge and community: articles, lists, public search and article, moderation overview are what the services return', async () => {
  const art = await env.req('POST', '/api/v1/kb/articles', { body: { translations: { en: { title: 'Returns', body: 'Send it back within **30 days**.' } } } });
  assert.equal(art.status, 201, art.body);
  assert.deepEqual(art.json, plain(await knowledge.getArticle(env.ctx, sys(), art.json.id)));
  assert.equal(art.json.translations.de, undefined, 'missing translations stay missing');
  assert.equal(art.json.publishedAt, null);
  const pub = await env.req('POST', `/api/v1/kb/articles/${art.json.id}/publish`);
  assert.equal(pub.json.status, 'published');
  const list = await env.req('GET', '/api/v1/kb/articles?q=returns');
  assert.deepEqual(list.json.items, plain(await knowledge.listArticles(env.ctx, sys(), { q: 'returns' })));
  assert.ok(list.json.items[0].snippet, 'a search hit has its snippet');
  const search = await env.req('GET', '/api/v1/public/kb/acme/search?q=returns', { token: '' });
  assert.equal(search.status, 200, search.body);
  assert.equal(search.json.items[0].url, `/help/acme/${art.json.slug}?lang=en`);
  const one = await env.req('GET', `/api/v1/public/kb/acme/articles/${art.json.slug}`, { token: '' });
  assert.equal(one.json.html.includes('<strong>30 days</strong>'), true);

  const ov = await env.req('GET', '/api/v1/community/overview');
  assert.equal(ov.status, 200, ov.body);
  assert.deepEqual(ov.json, plain(await community.overview(env.ctx, sys())));
  const held = await env.req('GET', '/api/v1/community/held');
  assert.deepEqual(held.json.items, plain(await community.heldPosts(env.ctx, sys())));
});

test('email and web channel settings: mailboxes, their settings, a conversation’s emails, contact form settings', async () => {
  const m = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'help@acme.test', name: 'Help' } });
  assert.equal(m.status, 201, m.body);
  assert.equal(m.json.queueId, null);
  assert.equal(m.json.onClosed, 'reopen');
  assert.deepEqual((await env.req('GET', '/api/v1/mailboxes')).json.items, [m.json]);
  const s = await env.req('PUT', `/api/v1/mailboxes/${m.json.id}/settings`, { body: { autoAck: true } });
  assert.deepEqual(s.json, { mailboxId: m.json.id, autoAck: true });
  const c = await env.req('POST', '/api/v1/conversations', { body: convBody() });
  await env.req('POST', `/api/v1/conversations/${c.json.id}/replies`, { body: { text: 'We are on it.' } });
  const emails = await env.req('GET', `/api/v1/conversations/${c.json.id}/emails`);
  assert.equal(emails.status, 200, emails.body);
  assert.ok(emails.json.items.length >= 1 && emails.json.items[0].to.length >= 1, 'the reply email with its recipients');
  assert.equal(emails.json.items[0].sentAt, null, 'not sent yet: null, not ""');
  const ws = await env.req('PUT', '/api/v1/web/settings', { body: { topics: [{ key: 'billing', label: { en: 'Billing' }, queueId: null }] } });
  assert.deepEqual(ws.json, { topics: [{ key: 'billing', label: { en: 'Billing' }, queueId: null }], defaultQueueId: null });
});

test('server pages and public pages: health and the docs JSON are checked; HTML pages, redirects and scripts declare what they serve', async () => {
  const h = await env.req('GET', '/api/health', { token: '' });
  assert.equal(h.status, 200, h.body);
  assert.deepEqual(Object.keys(h.json).sort(), ['database', 'dbLatencyMs', 'status', 'version']);
  const doc = await env.req('GET', '/api/docs/json', { token: '' });
  assert.equal(doc.status, 200);
  assert.ok(doc.json.paths['/api/v1/reports/waits'], 'the whole document passes the check');

  const schemas = (env.app as any)[Symbol.for('earshot.route-schemas')] as Map<string, any>;
  const answers = (route: string) => schemas.get(route)?.response ?? {};
  for (const page of ['GET /contact/:account', 'POST /contact/:account', 'GET /portal/:account', 'GET /help/:account', 'GET /community/:account', 'GET /api/docs'])
    assert.ok(answers(page)[200]?.content?.['text/html'], `${page} declares its HTML`);
  for (const redirect of ['POST /community/:account/ask', 'GET /portal/:account/community'])
    assert.ok(answers(redirect)[303], `${redirect} declares its redirect`);
  assert.ok(answers('GET /widget.js')[200]?.content?.['application/javascript'], 'the widget script');
  assert.ok(answers('GET /api/docs/static/*')[200]?.content?.['*/*'], 'the documentation page’s files');

  const page = await env.req('GET', '/contact/acme', { token: '' });
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'], /^text\/html/);
  const help = await env.req('GET', '/help/acme?q=x', { token: '' });
  assert.match(help.headers['content-type'], /^text\/html/);
  const js = await env.req('GET', '/widget.js', { token: '' });
  assert.match(js.headers['content-type'], /^application\/javascript/);
});
