/**
 * The demo account: a small outdoor shop with customers writing in English, German and Norwegian, queues in Berlin and
 * Oslo, agents, a supervisor, a leader and an admin, and a few days of history written through the real services
 * (so the event log, SLA clocks and audit entries are the same as in real use).
 */
import type { Ctx, Principal } from '../platform/context.js';
import { MODULES, type DemoSeed } from '../modules/index.js';
import { systemPrincipal } from '../platform/context.js';
import * as accounts from '../modules/accounts/index.js';
import * as queues from '../modules/queues/index.js';
import { createMailbox, claimDomain } from '../modules/channels/email/index.js';
import * as conv from '../modules/conversations/index.js';
import { createMacro } from '../modules/macros/index.js';
import { importParsedEvents } from '../modules/journeys/index.js';
import { contactsToEvents, simulate } from '../modules/simulate/index.js';
import { holdQueuedEmails } from '../modules/channels/email/index.js';
import { DateTime } from 'luxon';
import { verifyPassword } from '../platform/password.js';

export const DEMO_ACCOUNT = 'demo';
export const DEMO_PASSWORD = 'earshot-demo';

export const DEMO_USERS = [
  { email: 'admin@demo.earshot.test', name: 'Alex Admin', role: 'admin', locale: 'en' },
  { email: 'ingrid@demo.earshot.test', name: 'Ingrid Berg', role: 'leader', locale: 'nb' },
  { email: 'martin@demo.earshot.test', name: 'Martin Vogel', role: 'supervisor', locale: 'de' },
  { email: 'lena@demo.earshot.test', name: 'Lena Schmidt', role: 'agent', locale: 'de' },
  { email: 'ola@demo.earshot.test', name: 'Ola Nordmann', role: 'agent', locale: 'nb' },
  { email: 'sam@demo.earshot.test', name: 'Sam Carter', role: 'agent', locale: 'en' },
] as const;

/**
 * The demo users (in any account) that still sign in with the published DEMO_PASSWORD. `earshot serve` and
 * `earshot demo` refuse to listen beyond loopback while there are any, unless told explicitly.
 */
export async function demoPasswordsInUse(ctx: Ctx): Promise<string[]> {
  const r = await ctx.db.query<{ email: string; password_hash: string }>(
    `SELECT email, password_hash FROM users WHERE lower(email) = ANY($1::text[]) AND disabled_at IS NULL AND password_hash IS NOT NULL`,
    [DEMO_USERS.map((u) => u.email)],
  );
  const found: string[] = [];
  for (const u of r.rows) if (await verifyPassword(DEMO_PASSWORD, u.password_hash)) found.push(u.email);
  return [...new Set(found)].sort();
}

const WEEKDAYS: [string, string][] = [['08:00', '18:00']];
const HOURS = { week: { mon: WEEKDAYS, tue: WEEKDAYS, wed: WEEKDAYS, thu: WEEKDAYS, fri: WEEKDAYS, sat: [['10:00', '14:00']] as [string, string][] } };

interface Story {
  daysAgo: number;
  hour: number;
  queue: 'de' | 'no' | 'en';
  customer: { name: string; email?: string; phone?: string };
  channel: 'email' | 'chat' | 'web' | 'phone';
  subject: string;
  text: string;
  tags?: string[];
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  /** [minutes after the previous step, who, text, status after] */
  steps?: [number, 'agent' | 'customer' | 'note', string, conv.Status?][];
}

const STORIES: Story[] = [
  {
    daysAgo: 4, hour: 9, queue: 'de', channel: 'email', customer: { name: 'Jonas Weber', email: 'jonas.weber@example.de' },
    subject: 'Zelt undicht nach dem ersten Regen',
    text: 'Hallo, mein neues Zelt ist nach dem ersten Regen undicht. Ich habe schon zweimal angerufen und jedes Mal über zwanzig Minuten in der Warteschleife gewartet. Was kann ich tun?',
    tags: ['reklamation'],
    steps: [[95, 'agent', 'Hallo Herr Weber, das tut uns leid. Wir schicken Ihnen sofort ein Ersatzzelt, die Rücksendung ist kostenlos.', 'pending'],
      [300, 'customer', 'Danke, das Ersatzzelt ist angekommen und dicht!'], [20, 'agent', 'Wunderbar, viel Spaß beim Zelten!', 'solved']],
  },
  {
    daysAgo: 3, hour: 11, queue: 'no', channel: 'chat', customer: { name: 'Kari Hansen', email: 'kari.hansen@example.no' },
    subject: 'Bestilling ikke kommet',
    text: 'Hei, jeg har ventet i over ti dager på bestillingen min og har ikke fått noe svar. Ordrenummer 48213.',
    steps: [[12, 'agent', 'Hei Kari! Pakken sto fast hos Posten; den er på vei nå og kommer i morgen.', 'pending']],
  },
  {
    daysAgo: 3, hour: 14, queue: 'en', channel: 'email', customer: { name: 'Emily Clarke', email: 'emily.clarke@example.co.uk' },
    subject: 'Boots for my grandfather before his flight',
    text: 'Hello, my grandfather flies to Tromsø tomorrow morning and the hiking boots we ordered have not arrived. Is there anything you can do today?',
    priority: 'urgent', tags: ['travel'],
    steps: [[8, 'note', 'Courier can deliver tonight; goodwill: free express.'],
      [4, 'agent', 'Hi Emily, we are sending the boots by courier tonight at our cost. Your grandfather will have them before his flight.', 'solved']],
  },
  {
    daysAgo: 2, hour: 10, queue: 'de', channel: 'phone', customer: { name: 'Petra Klein', phone: '+49 30 1234567' },
    subject: 'Rückruf: Frage zur Garantie',
    text: 'Anruf: Kundin fragt, ob die Garantie auch für den Reißverschluss der Jacke gilt.',
    steps: [[30, 'agent', 'Ja, zwei Jahre Garantie gelten auch für den Reißverschluss. Schicken Sie die Jacke gern ein.', 'solved']],
  },
  {
    daysAgo: 2, hour: 15, queue: 'en', channel: 'web', customer: { name: 'Daniel Brooks', email: 'dan.brooks@example.com' },
    subject: 'Your app is garbage',
    text: 'Honestly your app is garbage, checkout crashed three times. I still want the stove though.',
    tags: ['app'],
    steps: [[45, 'agent', 'Sorry about the crashes, Daniel. I placed the order for you by hand; the team is fixing checkout.', 'solved']],
  },
  {
    daysAgo: 1, hour: 9, queue: 'no', channel: 'email', customer: { name: 'Lars Johansen', email: 'lars.j@example.no' },
    subject: 'Feil størrelse på jakken',
    text: 'Hei! Jakken jeg fikk er i feil størrelse. Kan jeg bytte den til en større? Takk.',
    steps: [[60, 'agent', 'Hei Lars, selvfølgelig. Du får en returlapp på e-post nå.', 'pending']],
  },
  {
    daysAgo: 1, hour: 13, queue: 'de', channel: 'chat', customer: { name: 'Sabine Wolf', email: 'sabine.wolf@example.at' },
    subject: 'Lieferadresse ändern',
    text: 'Hallo, kann ich die Lieferadresse meiner Bestellung noch ändern? Ich bin nächste Woche nicht zu Hause.',
  },
  {
    daysAgo: 1, hour: 16, queue: 'en', channel: 'email', customer: { name: 'Michael Chen', email: 'm.chen@example.com' },
    subject: 'Still waiting for a refund',
    text: 'I returned the sleeping bag two weeks ago and still no refund. I waited 40 minutes on the phone yesterday.',
    priority: 'high', tags: ['refund'],
  },
  {
    daysAgo: 0, hour: 8, queue: 'no', channel: 'web', customer: { name: 'Ingeborg Dahl', email: 'ingeborg.dahl@example.no' },
    subject: 'Spørsmål om gavekort',
    text: 'Hei, kan gavekortet brukes i nettbutikken også? Mvh Ingeborg',
  },
  {
    daysAgo: 0, hour: 9, queue: 'de', channel: 'email', customer: { name: 'Jonas Weber', email: 'jonas.weber@example.de' },
    subject: 'Noch eine Frage zum Zelt',
    text: 'Guten Morgen, gibt es für das Ersatzzelt auch passende Heringe? Danke!',
  },
];

/** Creates the demo account unless it exists; returns whether it was created. */
export async function seedDemo(baseCtx: Ctx): Promise<boolean> {
  const exists = await baseCtx.db.query('SELECT 1 FROM accounts WHERE slug = $1', [DEMO_ACCOUNT]);
  if (exists.rows.length) return false;
  let clock = new Date();
  const ctx: Ctx = { ...baseCtx, now: () => clock };
  const account = await accounts.createAccount(ctx, { name: 'Nordlicht Outdoor', slug: DEMO_ACCOUNT, timezone: 'Europe/Berlin', locale: 'en' });
  const sys = systemPrincipal(account.id);
  const users: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const created = await accounts.addUser(ctx, sys, { ...u, password: DEMO_PASSWORD });
    users[u.email] = created.id;
  }
  const de = await accounts.createTeam(ctx, sys, { name: 'Team DACH', memberIds: [users['lena@demo.earshot.test'], users['martin@demo.earshot.test']] });
  const no = await accounts.createTeam(ctx, sys, { name: 'Team Norge', memberIds: [users['ola@demo.earshot.test']] });
  const en = await accounts.createTeam(ctx, sys, { name: 'Team International', memberIds: [users['sam@demo.earshot.test']] });
  const sla = await queues.createSlaPolicy(ctx, sys, { name: 'Standard', firstReplyMinutes: 240, nextReplyMinutes: 480, resolutionMinutes: 2880, businessHours: true });
  const q = {
    de: await queues.createQueue(ctx, sys, { name: 'Kundenservice DE', timezone: 'Europe/Berlin', businessHours: HOURS, teamId: de.id, assignment: 'round_robin', slaPolicyId: sla.id }),
    no: await queues.createQueue(ctx, sys, { name: 'Kundeservice Norge', timezone: 'Europe/Oslo', businessHours: HOURS, teamId: no.id, assignment: 'load', slaPolicyId: sla.id }),
    en: await queues.createQueue(ctx, sys, { name: 'Support EN', timezone: 'Europe/Berlin', businessHours: HOURS, teamId: en.id, assignment: 'round_robin', slaPolicyId: sla.id }),
  };
  // Mailboxes, so `earshot demo --smtp-port 2525` takes mail for them (and replies go out from them).
  // The demo is started by the operator (`earshot demo`), so its mail domain is an operator claim, also on an install
  // that has other accounts (docs/hardening.md).
  await claimDomain(ctx, account.id, 'demo.earshot.test');
  await createMailbox(ctx, sys, { address: 'kundenservice@demo.earshot.test', name: 'Nordlicht Kundenservice', queueId: q.de.id });
  await createMailbox(ctx, sys, { address: 'kundeservice@demo.earshot.test', name: 'Nordlicht Kundeservice', queueId: q.no.id });
  await createMailbox(ctx, sys, { address: 'support@demo.earshot.test', name: 'Nordlicht Support', queueId: q.en.id });
  await createMacro(ctx, sys, {
    name: 'Thanks, solved',
    language: 'en',
    body: 'Hi {{customer.first_name|there}},\n\nglad we could help. Just reply if anything else comes up.\n\n{{agent.first_name}}, {{account.name}}',
    actions: { status: 'solved' },
  });
  await createMacro(ctx, sys, {
    name: 'Danke, gelöst',
    language: 'de',
    body: 'Hallo {{customer.name|}},\n\nschön, dass wir helfen konnten. Antworten Sie einfach, falls noch etwas ist.\n\n{{agent.first_name}}, {{account.name}}',
    actions: { status: 'solved' },
  });
  await createMacro(ctx, sys, {
    name: 'Takk, løst',
    language: 'nb',
    body: 'Hei {{customer.first_name|}},\n\nså bra at vi kunne hjelpe. Bare svar om det er noe mer.\n\n{{agent.first_name}}, {{account.name}}',
    actions: { status: 'solved' },
  });

  const agentFor = { de: users['lena@demo.earshot.test'], no: users['ola@demo.earshot.test'], en: users['sam@demo.earshot.test'] };
  const start = new Date();
  for (const s of STORIES) {
    const day = new Date(start.getTime() - s.daysAgo * 86_400_000);
    day.setUTCHours(s.hour - 1, 7 * s.hour % 60, 0, 0);
    if (day > start) day.setTime(start.getTime() - 30 * 60_000);
    clock = day;
    const agent: Principal = { accountId: account.id, role: 'agent', kind: 'user', userId: agentFor[s.queue], tokenId: null };
    const c = await conv.createConversation(ctx, sys, {
      customer: { ...s.customer }, channel: s.channel, subject: s.subject, message: { text: s.text }, queueId: q[s.queue].id,
      priority: s.priority, tags: s.tags, assigneeId: s.steps?.length ? agentFor[s.queue] : undefined,
    });
    for (const [minutes, who, text, status] of s.steps ?? []) {
      clock = new Date(clock.getTime() + minutes * 60_000);
      if (clock > start) clock = new Date(start.getTime() - 60_000);
      if (who === 'agent') await conv.reply(ctx, agent, c.id, { text, status });
      else if (who === 'note') await conv.addNote(ctx, agent, c.id, { text });
      else await conv.addCustomerMessage(ctx, sys, c.id, { text });
    }
  }
  // The phone hotline of the last five days, simulated (what `earshot simulate --into demo` does): 4 agents for a
  // load of 3 Erlangs, callers who give up after a few minutes and half of them call again. So the waits report shows
  // the gap between the dashboard's ASA and what the redialling callers lived through.
  // One import of the five days (one batch each): the sketches are rebuilt and the import audited once.
  const days = [5, 4, 3, 2, 1].map((d) => {
    const open = DateTime.fromJSDate(start, { zone: 'Europe/Berlin' }).minus({ days: d }).set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
    const sim = simulate({
      arrivalsPerHour: 45, ahtSeconds: 240, agents: 4, patienceSeconds: 150, ivrSeconds: 35, hours: 10, warmupHours: 0,
      seed: 1000 + d, redialProbability: 0.5, redialDelaySeconds: 900, keepContacts: true,
    });
    return contactsToEvents(sim.contacts!, open.toJSDate(), { seed: 1000 + d, queue: 'Hotline' });
  });
  await importParsedEvents(ctx, sys, days, { source: 'simulate', tz: 'Europe/Berlin' });
  // The stories above are history: their replies were queued as outgoing mail to example.* addresses. Nothing of
  // that is sent; the rows stay, marked as never sent, so the delivery status shows why.
  await ctx.db.transaction((tx) => holdQueuedEmails(tx, account.id, 'demo history: not sent'));
  // Everyone but the admin starts available, so new conversations get assigned.
  for (const u of DEMO_USERS.filter((u) => u.role !== 'admin'))
    await accounts.setPresence(ctx, { accountId: account.id, role: u.role, kind: 'user', userId: users[u.email], tokenId: null }, 'available');
  // The people side (issue 7): each module adds its own demo data (leaders' sample, articles, community, …).
  clock = new Date();
  const seed: DemoSeed = {
    accountId: account.id, users,
    queues: { de: q.de.id, no: q.no.id, en: q.en.id },
    teams: { de: de.id, no: no.id, en: en.id },
  };
  for (const m of MODULES) await m.demo?.(ctx, seed);
  return true;
}
