import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseLines, readLines } from './lines.js';
import { cleanIdentity, parseQueueLog, QueueLogParser, REENTRY_SECONDS, uniqueidEpoch } from './queue-log.js';
import type { ParsedEvent } from './types.js';

const FIXTURE = 'test/fixtures/queue-log/asterisk.queue_log';
const T0 = 1_700_000_000;

/** contact → ['type@seconds after T0', …] in emission order. */
function timelines(events: ParsedEvent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of events) {
    const list = out[e.contactId] ?? [];
    out[e.contactId] = list;
    list.push(`${e.type}@${e.at.getTime() / 1000 - T0}`);
  }
  return out;
}
/** Key → event, the first one winning (as in the importer). */
const byKey = (events: ParsedEvent[]) => {
  const m = new Map<string, ParsedEvent>();
  for (const e of events) if (!m.has(e.key)) m.set(e.key, e);
  return m;
};
const find = (events: ParsedEvent[], id: string, type: string) => events.filter((e) => e.contactId === id && e.type === type);

async function parseFile(path: string) {
  const parser = new QueueLogParser();
  const events: ParsedEvent[] = [];
  for await (const batch of parseLines(parser, readLines(path), 10)) events.push(...batch);
  return { events, report: parser.report };
}

test('fixture: every verb, old and new layouts, gives the expected contact timelines', async () => {
  const { events, report } = await parseFile(FIXTURE);
  const tl = timelines(events);
  assert.deepEqual(tl, {
    // IVR from the uniqueid epoch, ring-all miss, answer, caller hangs up
    '1700000080.1': ['contact.arrived@80', 'ivr.entered@80', 'ivr.left@100', 'queue.entered@100', 'agent.offered@115', 'contact.answered@120', 'contact.resolved@300'],
    '1700000200.2': ['contact.arrived@200', 'queue.entered@200', 'agent.offered@230', 'contact.abandoned@230'],
    // 1.2/1.4 layouts: ENTERQUEUE without position, EXITWITHTIMEOUT with only the position; held until the end of input
    '1700000395.3': ['contact.arrived@395', 'ivr.entered@395', 'ivr.left@400', 'queue.entered@400', 'contact.abandoned@460'],
    // overflow: time-out in sales, answered in support: one contact, the exit becomes a transfer
    '1700000490.4': ['contact.arrived@490', 'ivr.entered@490', 'ivr.left@500', 'queue.entered@500', 'contact.transferred@560', 'queue.entered@561', 'contact.answered@570', 'contact.resolved@700'],
    '1700000800.5': ['contact.arrived@800', 'queue.entered@800', 'contact.abandoned@800'],
    '1700000890.6': ['contact.arrived@890', 'ivr.entered@890', 'ivr.left@900', 'queue.entered@900', 'contact.abandoned@925'],
    '1700001000.7': ['contact.arrived@1000', 'queue.entered@1000', 'contact.abandoned@1040'],
    '1700001090.8': ['contact.arrived@1090', 'ivr.entered@1090', 'ivr.left@1100', 'queue.entered@1100', 'agent.offered@1105', 'contact.answered@1110', 'contact.transferred@1200', 'contact.resolved@1200'],
    '1700001300.9': ['contact.arrived@1300', 'queue.entered@1300', 'contact.answered@1305', 'contact.transferred@1400', 'contact.resolved@1400'],
    // attended transfer to another queue: the same call goes on
    '1700001500.10': ['contact.arrived@1500', 'queue.entered@1500', 'contact.answered@1502', 'contact.transferred@1600', 'contact.resolved@1600', 'queue.entered@1601', 'contact.answered@1620', 'contact.resolved@1700'],
    '1700001790.11': ['contact.arrived@1790', 'ivr.entered@1790', 'ivr.left@1800', 'queue.entered@1800', 'contact.answered@1805', 'contact.transferred@1900', 'contact.resolved@1900'],
    // orphans (ENTERQUEUE in the previous file): entry rebuilt from CONNECT holdtime / COMPLETE holdtime + calltime
    '1700001880.12': ['contact.arrived@1880', 'ivr.entered@1880', 'ivr.left@1900', 'queue.entered@1900', 'contact.answered@2000', 'contact.resolved@2100'],
    '1700001950.13': ['contact.arrived@1950', 'ivr.entered@1950', 'ivr.left@2050', 'queue.entered@2050', 'contact.answered@2080', 'contact.resolved@2200'],
    // systemname-prefixed uniqueid; uniqueid later than the queue entry (not usable: first touch = entry)
    'pbx1-1700002290.14': ['contact.arrived@2290', 'ivr.entered@2290', 'ivr.left@2300', 'queue.entered@2300', 'contact.abandoned@2310'],
    '1700002500.15': ['contact.arrived@2400', 'queue.entered@2400', 'contact.abandoned@2410'],
    // realtime export padded with empty data fields
    '1700002600.16': ['contact.arrived@2600', 'queue.entered@2600', 'contact.answered@2620', 'contact.resolved@2700'],
  });
  assert.equal(report.lines, 63);
  assert.equal(report.events, events.length);
  assert.equal(report.events, 87);
  assert.equal(report.contacts, 16);
  assert.deepEqual(report.malformed, []);
  assert.deepEqual(report.unknown, { SURVEY: 1 });
  assert.deepEqual(report.skipped, {
    QUEUESTART: 1, CONFIGRELOAD: 1, ADDMEMBER: 2, AGENTLOGIN: 1, PAUSE: 1, AGENTCALLBACKLOGIN: 1, PENALTY: 1, UNPAUSE: 1,
    DID: 1, PAUSEALL: 1, UNPAUSEALL: 1, AGENTDUMP: 1, AGENTLOGOFF: 1, AGENTCALLBACKLOGOFF: 1, REMOVEMEMBER: 1,
  });
  assert.equal(new Set(events.map((e) => e.key)).size, events.length, 'keys are unique');
  assert.ok(events.every((e) => e.channel === 'phone'));
});

test('fixture: identity, queue, agent and data', () => {
  const { events } = parseQueueLog(readFileSync(FIXTURE, 'utf8'));
  const one = (id: string, type: string) => {
    const found = find(events, id, type);
    assert.equal(found.length, 1, `${id} ${type}`);
    return found[0];
  };
  assert.equal(one('1700000080.1', 'contact.arrived').identity, '+15551230001');
  assert.equal(one('1700000200.2', 'contact.arrived').identity, null, 'anonymous is no identity');
  assert.equal(one('1700000395.3', 'contact.arrived').identity, '5550002', 'old "Name" <number> caller id');
  const answered = one('1700000080.1', 'contact.answered');
  assert.equal(answered.agent, 'PJSIP/202');
  assert.equal(answered.queue, 'sales');
  assert.deepEqual(answered.data, { holdSeconds: 20, agentCallId: '1700000115.5', ringSeconds: 5 });
  assert.deepEqual(one('1700000080.1', 'agent.offered').data, { answered: false, reason: 'noanswer', ringSeconds: 15 });
  assert.deepEqual(one('1700000080.1', 'queue.entered').data, { position: 1 });
  assert.deepEqual(one('1700000200.2', 'contact.abandoned').data, { reason: 'abandon', position: 1, origPosition: 1, waitSeconds: 30 });
  assert.deepEqual(one('1700000395.3', 'contact.abandoned').data, { reason: 'timeout', position: 1 });
  assert.deepEqual(one('1700000890.6', 'contact.abandoned').data, { reason: 'key', key: '0', position: 2, origPosition: 2, waitSeconds: 25 });
  assert.deepEqual(one('1700001000.7', 'contact.abandoned').data, { reason: 'withdraw', position: 1, origPosition: 1, waitSeconds: 40, info: 'callback-requested' });
  const overflow = one('1700000490.4', 'contact.transferred');
  assert.equal(overflow.queue, 'sales');
  assert.deepEqual(overflow.data, { reason: 'timeout', position: 1, origPosition: 1, waitSeconds: 60, toQueue: 'support' });
  assert.deepEqual(find(events, '1700000490.4', 'queue.entered').map((e) => e.queue), ['sales', 'support']);
  assert.deepEqual(one('1700001090.8', 'contact.transferred').data, { extension: '2000', context: 'from-internal', holdSeconds: 10, talkSeconds: 90, origPosition: 1, kind: 'blind' });
  assert.deepEqual(one('1700001300.9', 'contact.transferred').data, { method: 'LINK', target: 'PJSIP/301-0000000a|PJSIP/2000-0000000b', holdSeconds: 5, talkSeconds: 95, origPosition: 1, kind: 'attended' });
  assert.deepEqual(one('1700001790.11', 'contact.transferred').data, { extension: '300', context: 'default', holdSeconds: 5, talkSeconds: 95, kind: 'transfer' });
  assert.deepEqual(one('1700001090.8', 'agent.offered').data, { answered: false, reason: 'incompatible' });
  assert.deepEqual(one('1700001950.13', 'contact.answered').data, { reconstructed: true });
  assert.equal(one('1700001950.13', 'contact.answered').agent, 'PJSIP/202');
  assert.equal(one('1700001880.12', 'queue.entered').data?.reconstructed, true);
  assert.deepEqual(one('1700000080.1', 'contact.resolved').data, { holdSeconds: 20, talkSeconds: 180, origPosition: 1, by: 'caller' });
  assert.equal(one('1700000080.1', 'contact.arrived').key, 'ql:1700000080.1:contact.arrived');
  assert.equal(answered.key, 'ql:1700000080.1:contact.answered:1700000120:sales');
});

test('rotated files: split anywhere, the two halves give the keys and times of the whole', () => {
  const lines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
  const whole = byKey(parseQueueLog(lines.join('\n')).events);
  for (let k = 1; k < lines.length; k++) {
    const parts = [...parseQueueLog(lines.slice(0, k).join('\n')).events, ...parseQueueLog(lines.slice(k).join('\n')).events];
    const union = byKey(parts);
    for (const [key, e] of whole) {
      // The one fact that depends on both halves: an exit followed by entry into another queue (overflow) is a
      // transfer when both lines are read together, an abandon when the file ends between them.
      if (k === 21 && key === 'ql:1700000490.4:contact.transferred:1700000560:sales') continue;
      assert.ok(union.has(key), `split at ${k}: ${key} missing`);
      assert.equal(union.get(key)!.at.getTime(), e.at.getTime(), `split at ${k}: ${key} time`);
    }
  }
});

test('reading the same input twice gives identical events; identical lines are one fact', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  assert.deepEqual(parseQueueLog(text).events, parseQueueLog(text).events);
  const doubled = text.trimEnd().split('\n').flatMap((l) => [l, l]).join('\n');
  const twice = parseQueueLog(doubled);
  assert.deepEqual(twice.events.map((e) => e.key).sort(), parseQueueLog(text).events.map((e) => e.key).sort());
  assert.ok(twice.report.skipped.duplicate > 0);
});

test('malformed lines are reported with their line number and reason; the rest still parses', () => {
  const text = [
    '1700000000|1700000000.1|q|NONE|ENTERQUEUE||555|1', // 1
    '', // 2 blank: ignored
    'garbage without pipes', // 3
    '1700000001|1700000000.1|q', // 4
    'yesterday|1700000000.1|q|NONE|ENTERQUEUE||555|1', // 5
    '1700000002||q|NONE|CONNECT|2|x|1', // 6
    '1700000002|NONE|q|NONE|ABANDON|1|1|2', // 7
    '1700000003|1700000000.1|q|A|CONNECT|soon|1700000001.2|1', // 8
    '1700000004|1700000000.1|q|A|RINGNOANSWER|-5', // 9
    '1700000005|1700000000.1|q|A||', // 10
    '1700000006|1700000000.1|q|A|CONNECT|6|1700000001.2|1', // 11
    '1700000007|1700000000.1|q|A|WEIRD|1', // 12
    '1700000007|1700000000.1|q|A|constructor|1', // 13
    '1700000007|1700000000.1|q|A|__proto__|1', // 14
  ].join('\r\n');
  const { events, report } = parseQueueLog(text);
  assert.deepEqual(report.malformed.map((m) => m.line), [3, 4, 5, 6, 7, 8, 9, 10]);
  assert.match(report.malformed[0].reason, /too few fields/);
  assert.match(report.malformed[2].reason, /time 'yesterday' is not a number/);
  assert.match(report.malformed[3].reason, /CONNECT without a call id/);
  assert.match(report.malformed[5].reason, /holdtime 'soon' is not a number/);
  assert.match(report.malformed[6].reason, /ringtime '-5' is not a number/);
  assert.match(report.malformed[7].reason, /no event verb/);
  assert.equal(report.malformed[0].text, 'garbage without pipes');
  assert.deepEqual(report.unknown, { WEIRD: 1, constructor: 1, ['__proto__']: 1 });
  assert.deepEqual(timelines(events), { '1700000000.1': ['contact.arrived@0', 'queue.entered@0', 'contact.answered@6'] });
  assert.equal(report.lines, 14);
});

test('a held exit becomes an abandon once the call has been quiet for the re-entry window', () => {
  const p = new QueueLogParser();
  p.line(`${T0}|${T0}.1|q|NONE|ENTERQUEUE||555|1`, 1);
  p.line(`${T0 + 30}|${T0}.1|q|NONE|EXITWITHTIMEOUT|1|1|30`, 2);
  assert.deepEqual(p.line(`${T0 + 30 + REENTRY_SECONDS}|NONE|q|A|PAUSE|`, 3), []);
  const out = p.line(`${T0 + 31 + REENTRY_SECONDS}|NONE|q|A|UNPAUSE|`, 4);
  assert.deepEqual(out.map((e) => `${e.type}@${e.at.getTime() / 1000 - T0}`), ['contact.abandoned@30']);
  assert.deepEqual(p.finish(), []);
});

test('uniqueid epochs and caller ids', () => {
  assert.equal(uniqueidEpoch('1700000000.123'), 1_700_000_000);
  assert.equal(uniqueidEpoch('asterisk-eu-1700000000.7'), 1_700_000_000);
  assert.equal(uniqueidEpoch('NONE'), null);
  assert.equal(uniqueidEpoch('SIP-abc'), null);
  assert.equal(cleanIdentity(' +4420 7946 0000 '), '+4420 7946 0000');
  assert.equal(cleanIdentity('"Jane" <1234>'), '1234');
  for (const none of ['', 'anonymous', 'Unknown', '<unknown>', undefined]) assert.equal(cleanIdentity(none), null);
});

test('a uniqueid far older than the queue entry is not the first touch', () => {
  const { events } = parseQueueLog(`${T0}|${T0 - 2 * 86400}.1|q|NONE|ENTERQUEUE||555|1\n${T0 + 5}|${T0 - 2 * 86400}.1|q|NONE|ABANDON|1|1|5`);
  assert.deepEqual(Object.values(timelines(events)), [['contact.arrived@0', 'queue.entered@0', 'contact.abandoned@5']]);
});

test('readLines: CRLF, byte-order mark, no final newline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-lines-'));
  const file = join(dir, 'q.log');
  writeFileSync(file, '\uFEFFone\r\ntwo\r\n\r\nfour');
  const got = [];
  for await (const l of readLines(file)) got.push(l);
  assert.deepEqual(got, [{ no: 1, text: 'one' }, { no: 2, text: 'two' }, { no: 3, text: '' }, { no: 4, text: 'four' }]);
  await assert.rejects(async () => {
    for await (const _ of readLines(join(dir, 'missing'))) void _;
  }, /ENOENT/);
});

// ---- property tests -------------------------------------------------------------------------------------------------

type Path = 'abandon' | 'answer' | 'timeout' | 'empty' | 'key' | 'withdraw' | 'blind' | 'attended' | 'overflow' | 'oldtimeout';
interface GenCall {
  start: number; // seconds after T0 of the channel creation
  ivr: number;
  wait: number;
  talk: number;
  path: Path;
  misses: number; // RINGNOANSWER before the end of the wait
  queue: string;
  agent: string;
  caller: string | null;
  uidUsable: boolean;
}
interface Expect {
  uid: string;
  arrived: number;
  entries: number[];
  answered: number[];
  abandoned: number | null;
  resolved: number;
  transferred: number;
  offers: number;
  identity: string | null;
}

const QUEUES = ['sales', 'support', 'billing'];
const AGENTS = ['PJSIP/201', 'PJSIP/202', 'Agent/3001', 'SIP/sip-agent-9'];
const callArb: fc.Arbitrary<GenCall> = fc.record({
  start: fc.integer({ min: 0, max: 20_000 }),
  ivr: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
  wait: fc.integer({ min: 0, max: 900 }),
  talk: fc.integer({ min: 1, max: 1800 }),
  path: fc.constantFrom<Path>('abandon', 'answer', 'timeout', 'empty', 'key', 'withdraw', 'blind', 'attended', 'overflow', 'oldtimeout'),
  misses: fc.integer({ min: 0, max: 3 }),
  queue: fc.constantFrom(...QUEUES),
  agent: fc.constantFrom(...AGENTS),
  caller: fc.option(fc.stringMatching(/^\+?[1-9]\d{5,11}$/), { nil: null }),
  uidUsable: fc.boolean(),
});

/** Renders generated calls (plus member events) as a time-ordered queue_log, with what each call must produce. */
function render(calls: GenCall[], memberEvents: { at: number; line: string }[]): { text: string; expect: Expect[] } {
  const rows: { at: number; seq: number; line: string }[] = [];
  let seq = 0;
  const add = (at: number, line: string) => rows.push({ at, seq: seq++, line: `${T0 + at}|${line}` });
  const expect = calls.map((c, i): Expect => {
    // An unusable uniqueid: its epoch is after the queue entry (clock skew), so the entry is the first touch.
    const uid = c.uidUsable ? `${T0 + c.start}.${i}` : `${T0 + c.start + c.ivr + 1}.${i}`;
    const enter = c.start + c.ivr;
    const first = c.uidUsable ? c.start : enter;
    const e: Expect = { uid, arrived: first, entries: [enter], answered: [], abandoned: null, resolved: 0, transferred: 0, offers: c.misses, identity: c.caller };
    const q = c.queue;
    add(enter, `${uid}|${q}|NONE|ENTERQUEUE||${c.caller ?? 'anonymous'}|1`);
    const missStep = c.wait / (c.misses + 1);
    for (let m = 1; m <= c.misses; m++) add(enter + Math.floor(m * missStep), `${uid}|${q}|${AGENTS[m % AGENTS.length]}|RINGNOANSWER|${Math.floor(missStep * 1000)}`);
    const end = enter + c.wait;
    const answer = (queue: string, entered: number) => {
      const at = entered + c.wait;
      add(at, `${uid}|${queue}|${c.agent}|CONNECT|${c.wait}|${T0 + at}.9${i}|2`);
      e.answered.push(at);
      return at;
    };
    switch (c.path) {
      case 'abandon':
        add(end, `${uid}|${q}|NONE|ABANDON|1|1|${c.wait}`);
        e.abandoned = end;
        break;
      case 'timeout':
      case 'empty':
      case 'withdraw':
        add(end, `${uid}|${q}|NONE|${{ timeout: 'EXITWITHTIMEOUT', empty: 'EXITEMPTY', withdraw: 'WITHDRAW' }[c.path]}|1|1|${c.wait}`);
        e.abandoned = end;
        break;
      case 'oldtimeout':
        add(end, `${uid}|${q}|NONE|EXITWITHTIMEOUT|1`);
        e.abandoned = end;
        break;
      case 'key':
        add(end, `${uid}|${q}|NONE|EXITWITHKEY|5|1|1|${c.wait}`);
        e.abandoned = end;
        break;
      case 'answer': {
        const at = answer(q, enter);
        add(at + c.talk, `${uid}|${q}|${c.agent}|${c.talk % 2 ? 'COMPLETECALLER' : 'COMPLETEAGENT'}|${c.wait}|${c.talk}|1`);
        e.resolved = 1;
        break;
      }
      case 'blind':
      case 'attended': {
        const at = answer(q, enter);
        const dest = c.path === 'blind' ? `BLINDTRANSFER|2000|from-internal` : `ATTENDEDTRANSFER|BRIDGE|b-${i}`;
        add(at + c.talk, `${uid}|${q}|${c.agent}|${dest}|${c.wait}|${c.talk}|1`);
        e.transferred = 1;
        e.resolved = 1;
        break;
      }
      case 'overflow': {
        // time-out in the first queue, straight into another one, answered and completed there
        const q2 = QUEUES[(QUEUES.indexOf(q) + 1) % QUEUES.length];
        add(end, `${uid}|${q}|NONE|EXITWITHTIMEOUT|1|1|${c.wait}`);
        add(end + 1, `${uid}|${q2}|NONE|ENTERQUEUE||${c.caller ?? ''}|1`);
        e.entries.push(end + 1);
        e.transferred = 1;
        const at = answer(q2, end + 1);
        add(at + c.talk, `${uid}|${q2}|${c.agent}|COMPLETEAGENT|${c.wait}|${c.talk}|1`);
        e.resolved = 1;
        break;
      }
    }
    return e;
  });
  for (const m of memberEvents) add(m.at, m.line);
  rows.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return { text: `${rows.map((r) => r.line).join('\n')}\n`, expect };
}

const memberArb = fc.array(
  fc.record({
    at: fc.integer({ min: 0, max: 25_000 }),
    line: fc.constantFrom('NONE|sales|PJSIP/201|PAUSE|break', 'NONE|sales|PJSIP/201|UNPAUSE|', 'NONE|NONE|Agent/3001|AGENTLOGIN|PJSIP/301',
      'NONE|support|PJSIP/202|ADDMEMBER|', 'NONE|support|PJSIP/202|REMOVEMEMBER|', 'NONE|NONE|NONE|QUEUESTART|', 'NONE|NONE|PJSIP/201|PAUSEALL|'),
  }),
  { maxLength: 20 },
);

test('property: generated logs give one arrival per call, the right answers, abandons and counts, stable keys', () => {
  fc.assert(
    fc.property(fc.array(callArb, { minLength: 1, maxLength: 25 }), memberArb, (calls, members) => {
      const { text, expect } = render(calls, members);
      const { events, report } = parseQueueLog(text);
      const again = parseQueueLog(text).events;
      assert.deepEqual(again.map((e) => e.key), events.map((e) => e.key), 'same keys on a second read');
      assert.equal(new Set(events.map((e) => e.key)).size, events.length, 'keys unique');
      assert.deepEqual(report.malformed, []);
      assert.deepEqual(report.unknown, {});
      assert.equal(report.contacts, calls.length);
      assert.equal(report.events, events.length);
      assert.equal(Object.values(report.skipped).reduce((a, b) => a + b, 0), members.length);
      let total = 0;
      for (const x of expect) {
        const mine = events.filter((e) => e.contactId === x.uid);
        const times = (type: string) => mine.filter((e) => e.type === type).map((e) => e.at.getTime() / 1000 - T0);
        const arrived = times('contact.arrived');
        assert.deepEqual(arrived, [x.arrived], `${x.uid} arrival`);
        const entries = times('queue.entered');
        assert.deepEqual(entries, x.entries, `${x.uid} entries`);
        assert.ok(arrived[0] <= entries[0]);
        const ivr = x.arrived < x.entries[0] ? 2 : 0;
        assert.deepEqual(times('ivr.entered').length + times('ivr.left').length, ivr);
        assert.deepEqual(times('contact.answered'), x.answered, `${x.uid} answers`);
        assert.deepEqual(times('contact.abandoned'), x.abandoned === null ? [] : [x.abandoned], `${x.uid} abandon`);
        assert.equal(times('contact.transferred').length, x.transferred);
        assert.equal(times('contact.resolved').length, x.resolved);
        assert.equal(times('agent.offered').length, x.offers);
        assert.ok(mine.every((e) => e.identity === x.identity));
        const n = 1 + ivr + x.entries.length + x.answered.length + (x.abandoned === null ? 0 : 1) + x.transferred + x.resolved + x.offers;
        assert.equal(mine.length, n, `${x.uid} event count`);
        total += n;
      }
      assert.equal(events.length, total);
    }),
    { numRuns: 200 },
  );
});

/** Verbs the parser knows: a random "unknown" verb must not be one of them. */
const KNOWN = new Set(['ENTERQUEUE', 'CONNECT', 'COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY',
  'EXITWITHKEY', 'WITHDRAW', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER', 'RINGNOANSWER', 'RINGCANCELED', 'SYSCOMPAT',
  'ADDMEMBER', 'REMOVEMEMBER', 'PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL', 'AGENTLOGIN', 'AGENTLOGOFF', 'AGENTCALLBACKLOGIN',
  'AGENTCALLBACKLOGOFF', 'AGENTDUMP', 'CONFIGRELOAD', 'QUEUESTART', 'PENALTY', 'DID']);

const sortKeys = (events: ParsedEvent[]) => events.map((e) => `${e.key}@${e.at.toISOString()}`).sort();

test('property: garbage, truncated lines and unknown verbs are reported at their line; everything else parses as before', () => {
  const junkArb = fc.oneof(
    fc.stringMatching(/^[^|\r\n]{1,40}$/).filter((v) => v.replace(/^\uFEFF/, '').trim() !== '').map((s) => ({ kind: 'malformed' as const, make: () => s })),
    fc.constantFrom('x', 'ENTERQUEUE', '').map((s) => ({ kind: 'malformed' as const, make: (prev: string) => `notanumber|${prev.split('|')[1] ?? 'x'}|q|NONE|${s}` })),
    fc.nat(3).map((cut) => ({ kind: 'malformed' as const, make: (prev: string) => prev.split('|').slice(0, cut + 1).join('|') })),
    fc.constant({ kind: 'malformed' as const, make: (prev: string) => `${prev.split('|')[0]}||q|NONE|CONNECT|1|x|1` }),
    fc.stringMatching(/^[A-Z]{3,12}$/).filter((v) => !KNOWN.has(v)).map((verb) => ({
      kind: 'unknown' as const, verb, make: (prev: string) => `${prev.split('|')[0]}|junk.${verb}|q|NONE|${verb}|1`,
    })),
  );
  fc.assert(
    fc.property(fc.array(callArb, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(), junkArb), { maxLength: 15 }), (calls, junk) => {
      const { text } = render(calls, []);
      const clean = text.trimEnd().split('\n');
      const lines = [...clean];
      // Insert from the back of the list so earlier positions stay valid; prev = the valid line before the junk.
      const inserted: { at: number; kind: string; verb?: string }[] = [];
      for (const [pos, j] of junk) {
        const at = pos % (lines.length + 1);
        const prev = lines.slice(0, at).reverse().find((l) => clean.includes(l)) ?? clean[0];
        const made = j.make(prev);
        lines.splice(at, 0, made);
        for (const x of inserted) if (x.at >= at) x.at++;
        inserted.push({ at, kind: j.kind, verb: j.kind === 'unknown' ? j.verb : undefined });
      }
      let result!: ReturnType<typeof parseQueueLog>;
      assert.doesNotThrow(() => {
        result = parseQueueLog(lines.join('\n'));
      });
      const wantMalformed = inserted.filter((x) => x.kind === 'malformed').map((x) => x.at + 1).sort((a, b) => a - b);
      assert.deepEqual(result.report.malformed.map((m) => m.line), wantMalformed);
      const unknown: Record<string, number> = {};
      for (const x of inserted) if (x.verb) unknown[x.verb] = (unknown[x.verb] ?? 0) + 1;
      assert.deepEqual(result.report.unknown, unknown);
      assert.deepEqual(sortKeys(result.events), sortKeys(parseQueueLog(text).events));
    }),
    { numRuns: 200 },
  );
});
