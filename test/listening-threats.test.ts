/**
 * Issue 13, items 5 and 15 (a–c), through the API with the built-in rule classifier:
 *   - a threat against staff ("I know where you live and I will find you", and its German and Norwegian equivalents)
 *     raises the priority to urgent with the reason as a system note and an audit entry, marks the conversation
 *     (`threat` in the conversation and list APIs), emails the account's supervisors and admins in their language with
 *     absolute links, sends a realtime change, and is named a threat in the leader's digest and the heart panel;
 *   - an SLA breach detected 14 hours late is stamped with the due time, and the detection time is kept apart;
 *   - every link in the digest is absolute (PUBLIC_URL);
 *   - "ventet i over ti dager på bestillingen" is a delivery wait: not a 240-hour queue wait in the anecdote audit, but
 *     a claim held against the conversation's resolution time.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import { CHANGES_CHANNEL } from '../src/platform/changes.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import { analyzeMessage } from '../src/modules/listening/listening.service.js';

let env: TestEnv;
const PUBLIC = 'https://earshot.example';
const PASSWORD = 'correct horse battery';
const ids: Record<string, string> = {};
const changes: any[] = [];
let stopListening: () => Promise<void>;

before(async () => {
  env = await setup({ publicUrl: `${PUBLIC}/` });
  const sys = systemPrincipal(env.accountId);
  for (const [key, email, name, role, locale] of [
    ['martin', 'martin@acme.test', 'Martin Vogel', 'supervisor', 'de'],
    ['ingrid', 'ingrid@acme.test', 'Ingrid Berg', 'admin', 'nb'],
    ['sam', 'sam@acme.test', 'Sam Reed', 'agent', 'en'],
    ['lea', 'lea@acme.test', 'Lea Leitner', 'leader', 'en'],
  ] as const) {
    ids[key] = (await accounts.addUser(env.ctx, sys, { email, name, role, password: PASSWORD, locale })).id;
  }
  const s = await env.req('PUT', `/api/v1/leaders/${ids.lea}/settings`, { body: { timezone: 'Europe/Berlin', digestHour: 7 } });
  assert.equal(s.status, 200, s.body);
  stopListening = await env.db.listen(CHANGES_CHANNEL, (p) => changes.push(JSON.parse(p)));
});
after(async () => {
  await stopListening?.();
  await env.close();
});

const runJobs = () => env.app.jobs.runDue(new Date((env.clock.now ?? new Date()).getTime() + 1000));
async function open(text: string, email: string, over: Record<string, unknown> = {}) {
  const r = await env.req('POST', '/api/v1/conversations', { body: { customer: { email }, channel: 'email', subject: 'About my order', message: { text }, ...over } });
  assert.equal(r.status, 201, r.body);
  return r.json;
}
/** The internal mails about a conversation (by the link to it they carry). */
const mailsFor = async (conversationId: string) =>
  (await env.db.query<{ to_addresses: string[]; subject: string; text_body: string; headers: any; conversation_id: string | null }>(
    `SELECT to_addresses, subject, text_body, headers, conversation_id FROM outbound_emails
      WHERE kind = 'system' AND position($1 in text_body) > 0 ORDER BY to_addresses[1]`,
    [`/conversations/${conversationId}`],
  )).rows;

test('a threat against staff (en, de, nb): urgent with the reason, marked in the list and the conversation, supervisors emailed in their language, a realtime change', async () => {
  const cases = [
    { lang: 'en', text: 'I know where you live and I will find you', evidence: 'know where you live', note: /^Priority raised: normal → urgent, because of a threat against staff \("know where you live"\)$/ },
    { lang: 'de', text: 'Ich weiß, wo du wohnst, ich werde dich finden', evidence: 'weiß, wo du wohnst', note: /^Priorität erhöht: normal → dringend, wegen einer Drohung gegen Mitarbeitende \(„weiß, wo du wohnst“\)$/ },
    { lang: 'nb', text: 'Jeg vet hvor du bor, og jeg skal finne deg', evidence: 'vet hvor du bor', note: /^Prioritet hevet: normal → haster, på grunn av en trussel mot ansatte \(«vet hvor du bor»\)$/ },
  ];
  const convs: any[] = [];
  for (const c of cases) convs.push(await open(c.text, `threat-${c.lang}@example.com`, { customer: { email: `threat-${c.lang}@example.com`, language: c.lang } }));
  const calm = await open('Hello, my order has not arrived yet. Can you help?', 'calm@example.com');
  for (const c of [...convs, calm]) assert.equal(c.priority, 'normal');
  await runJobs();

  for (const [i, c] of cases.entries()) {
    const conv: any = (await env.req('GET', `/api/v1/conversations/${convs[i].id}`, { token: env.tokens.agent })).json;
    assert.equal(conv.priority, 'urgent', `${c.lang}: priority raised`);
    assert.equal(conv.threat, true, `${c.lang}: the conversation is marked`);
    const note = conv.messages.find((m: any) => m.kind === 'note' && m.authorType === 'system');
    assert.match(note?.text ?? '', c.note);
    const f = await env.req('GET', `/api/v1/messages/${convs[i].messages[0].id}/findings`, { token: env.tokens.agent });
    assert.equal(f.json.findings.threat, true);
    assert.equal(f.json.findings.evidence.threat.text, c.evidence);
    assert.deepEqual(f.json.findings.actions, { priority: { from: 'normal', to: 'urgent' } });

    // Supervisors and admins (not agents or leaders), each in their language, with absolute links.
    const mails = await mailsFor(convs[i].id);
    assert.deepEqual(mails.map((m) => m.to_addresses), [['ingrid@acme.test'], ['martin@acme.test']]);
    const [nb, de] = mails;
    assert.equal(de.subject, `Drohung gegen Mitarbeitende in Konversation #${conv.number}`);
    assert.equal(nb.subject, `Trussel mot ansatte i samtale #${conv.number}`);
    assert.ok(de.text_body.includes(`„${c.evidence}“`), de.text_body);
    assert.ok(de.text_body.includes(`Konversation öffnen: ${PUBLIC}/conversations/${conv.id}`), de.text_body);
    assert.ok(nb.text_body.includes(`Åpne samtalen: ${PUBLIC}/conversations/${conv.id}`), nb.text_body);
    assert.equal(de.headers['Auto-Submitted'], 'auto-generated');
    assert.equal(de.conversation_id, null, 'an internal mail, not in the customer\'s thread');
    // A realtime change for open screens.
    assert.ok(changes.some((x) => x.type === 'threat.flagged' && x.conversationId === conv.id && x.accountId === env.accountId), 'threat.flagged change');
  }
  // The audit names the reason.
  const audits = (await env.req('GET', '/api/v1/audit?action=conversation.priority_raised')).json.items;
  const a = audits.find((x: any) => x.data.messageId === convs[0].messages[0].id);
  assert.deepEqual(a.data, { from: 'normal', to: 'urgent', threat: true, messageId: convs[0].messages[0].id, evidence: 'know where you live' });

  // The list API carries the mark; a calm conversation has none and no mail went out for it.
  const list = (await env.req('GET', '/api/v1/conversations?limit=50', { token: env.tokens.agent })).json.items;
  for (const c of convs) assert.equal(list.find((x: any) => x.id === c.id).threat, true);
  assert.equal(list.find((x: any) => x.id === calm.id).threat, false);
  assert.equal((await env.req('GET', `/api/v1/conversations/${calm.id}`)).json.priority, 'normal');
  assert.deepEqual(await mailsFor(calm.id), []);

  // Re-running the job changes nothing (no second note, no second mail).
  await analyzeMessage(env.ctx, { messageId: convs[0].messages[0].id });
  assert.equal((await mailsFor(convs[0].id)).length, 2);
  assert.equal((await env.req('GET', `/api/v1/conversations/${convs[0].id}`)).json.messages.filter((m: any) => m.kind === 'note').length, 1);

  // The heart panel names the threat as why the priority went up.
  const heart = await env.req('GET', `/api/v1/heart/conversations/${convs[0].id}`, { token: env.tokens.agent });
  assert.equal(heart.status, 200, heart.body);
  assert.equal(heart.json.urgency[0].urgency, 'threat');
  assert.deepEqual(heart.json.urgency[0].priority, { from: 'normal', to: 'urgent' });

  // The leader's digest names it a threat (not abuse), and its link is absolute.
  const digest = await env.req('GET', `/api/v1/leaders/${ids.lea}/digest`);
  assert.equal(digest.status, 200, digest.body);
  const voice = digest.json.voices.find((v: any) => v.conversationId === convs[0].id);
  assert.ok(voice, 'the threat is among the voices of the day');
  assert.equal(voice.findings.threat, true);
  assert.match(digest.json.text, /"I know where you live and I will find you"\n {3}\(language: en, email; THREAT AGAINST STAFF\)/);
  assert.doesNotMatch(digest.json.text, /; abuse\b/);
});

test('digest: every link is absolute (PUBLIC_URL), in the text and the HTML', async () => {
  for (const [lang, label] of [['en', 'Open Earshot'], ['de', 'In Earshot öffnen'], ['nb', 'Åpne Earshot']] as const) {
    assert.equal((await env.req('PATCH', `/api/v1/users/${ids.lea}`, { body: { locale: lang } })).status, 200);
    const d = (await env.req('GET', `/api/v1/leaders/${ids.lea}/digest`)).json;
    assert.ok(d.text.includes(`${label}: ${PUBLIC}/leaders`), d.text.slice(-200));
    assert.ok(d.html.includes(`<a href="${PUBLIC}/leaders">${label}</a>`), d.html.slice(-300));
    // No relative path anywhere: every "/word" in the mail is part of an absolute URL.
    for (const body of [d.text, d.html]) {
      const relative = [...body.matchAll(/(?<![\w.:/-])\/(?:leaders|inbox|conversations|respect|heart|dashboard)\b/g)];
      assert.deepEqual(relative.map((m) => m[0]), [], `${lang}: relative links in the digest`);
      for (const href of body.matchAll(/href="([^"]*)"/g)) assert.match(href[1], /^https:\/\/earshot\.example\//);
    }
  }
});

test('SLA: a breach detected 14 hours late is stamped with the due time; the detection time is kept apart', async () => {
  const sla = await env.req('POST', '/api/v1/sla-policies', { body: { name: 'Quick', firstReplyMinutes: 30, businessHours: false } });
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Quick queue', slaPolicyId: sla.json.id } });
  env.clock.now = new Date('2026-11-25T10:00:00Z');
  try {
    const c = await open('Hello, where is my parcel?', 'late@example.com', { queueId: q.json.id });
    assert.equal(new Date(c.sla.firstReplyDueAt).toISOString(), '2026-11-25T10:30:00.000Z');
    // The server was down: the check runs 14 hours after the due time.
    env.clock.now = new Date('2026-11-26T00:30:00Z');
    await env.app.jobs.runDue(env.clock.now);
    const conv = (await env.req('GET', `/api/v1/conversations/${c.id}`)).json;
    assert.deepEqual(conv.sla.breached, ['first_reply']);
    assert.equal(conv.sla.breaches.length, 1);
    assert.equal(conv.sla.breaches[0].metric, 'first_reply');
    for (const k of ['dueAt', 'breachedAt']) assert.equal(new Date(conv.sla.breaches[0][k]).toISOString(), '2026-11-25T10:30:00.000Z', k);
    assert.equal(new Date(conv.sla.breaches[0].detectedAt).toISOString(), '2026-11-26T00:30:00.000Z');
    const ev = (await env.req('GET', `/api/v1/contact-events?conversation=${c.id}&type=sla.breached`, { token: env.tokens.supervisor })).json.items;
    assert.equal(ev.length, 1);
    assert.equal(new Date(ev[0].occurredAt).toISOString(), '2026-11-25T10:30:00.000Z', 'the breach happened at the due time');
    assert.equal(ev[0].data.detectedAt, '2026-11-26T00:30:00.000Z');
    assert.equal(ev[0].data.dueAt, '2026-11-25T10:30:00.000Z');
  } finally {
    env.clock.now = null;
  }
});

test('anecdote audit: "ventet i over ti dager på bestillingen" is a delivery wait held against the resolution time, not a 240-hour queue wait', async () => {
  const before = (await env.req('GET', '/api/v1/reports/anecdotes')).json;
  // A Norwegian customer who wrote about the order three days ago and writes again now.
  const t0 = new Date(Date.now() - 3 * 86_400_000);
  env.clock.now = t0;
  let c: any;
  try {
    c = await open('Hei, hvor er bestillingen min?', 'kari@example.no', { customer: { email: 'kari@example.no', language: 'nb' } });
  } finally {
    env.clock.now = null;
  }
  const m = await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'Jeg har ventet i over ti dager på bestillingen. Nå er jeg lei.' } });
  assert.equal(m.status, 201, m.body);
  // A queue claim from someone else stays a queue claim.
  const q = await open('Jeg ventet i 40 minutter i telefonkøen før noen svarte.', 'ola@example.no', { customer: { email: 'ola@example.no', language: 'nb' } });
  await runJobs();

  const conv = (await env.req('GET', `/api/v1/conversations/${c.id}`)).json;
  const msg = conv.messages.filter((x: any) => x.kind === 'message').at(-1);
  const f = (await env.req('GET', `/api/v1/messages/${msg.id}/findings`, { token: env.tokens.agent })).json;
  assert.equal(f.findings.wait.complaint, true);
  assert.equal(f.findings.wait.minutes, 14400);
  assert.equal(f.findings.wait.kind, 'delivery');
  assert.equal(f.findings.evidence.wait.text, 'ventet i over ti dager på bestillingen');
  assert.equal(f.anecdote.claim, 'delivery');
  assert.equal(f.anecdote.measuredContactSeconds, null, 'not held against queue waits');
  assert.ok(Math.abs(f.anecdote.measuredResolutionSeconds - 3 * 86_400) < 120, `held against the conversation open for three days (${f.anecdote.measuredResolutionSeconds})`);
  assert.equal(f.anecdote.verdict, 'contradicted', 'ten days claimed against three days open: the data sees less than the customer lived');

  const qf = (await env.req('GET', `/api/v1/messages/${q.messages[0].id}/findings`, { token: env.tokens.agent })).json;
  assert.equal(qf.findings.wait.kind, 'queue');
  assert.equal(qf.anecdote.claim, 'queue');

  const after = (await env.req('GET', '/api/v1/reports/anecdotes')).json;
  assert.equal(after.total.claims, before.total.claims + 1, 'only the queue claim counts among the queue-wait claims');
  assert.equal(after.delivery.claims, before.delivery.claims + 1, 'the delivery claim is reported apart');
  assert.equal(after.delivery.contradicted, before.delivery.contradicted + 1);
  assert.ok(!after.total.examples.contradicted.some((e: any) => e.messageId === msg.id), 'not a queue-wait example');
  assert.equal(after.delivery.examples.contradicted[0].messageId, msg.id);
});
