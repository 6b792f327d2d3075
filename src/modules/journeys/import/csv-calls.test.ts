import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { CSV_FIELDS, CsvCallsParser, CsvConfigError, detectDelimiter, parseCsvCalls, parseMap, splitRecord } from './csv-calls.js';
import type { ParsedEvent } from './types.js';

/** contact → ['type@ISO time', …]. */
function timelines(events: ParsedEvent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of events) {
    const list = Object.hasOwn(out, e.contactId) ? out[e.contactId] : [];
    out[e.contactId] = list;
    list.push(`${e.type}@${e.at.toISOString()}`);
  }
  return out;
}

test('parseMap reads column=field and names what is wrong', () => {
  assert.deepEqual(parseMap('Call ID=contact_id, Start = arrived_at,Caller=identity,'), { contact_id: 'Call ID', arrived_at: 'Start', identity: 'Caller' });
  assert.deepEqual(parseMap('id=contact_id,day=date,clock=time'), { contact_id: 'id', date: 'day', time: 'clock' });
  assert.throws(() => parseMap('id=contact_id,start=arrived_at,who=caller'), (e: Error) => {
    assert.ok(e instanceof CsvConfigError);
    assert.match(e.message, /unknown field 'caller'/);
    for (const f of CSV_FIELDS) assert.ok(e.message.includes(f));
    return true;
  });
  assert.throws(() => parseMap('start=arrived_at'), /needs a column for contact_id/);
  assert.throws(() => parseMap('id=contact_id'), /needs a column for arrived_at, or date and time/);
  assert.throws(() => parseMap('id=contact_id,day=date'), /needs a column for arrived_at/);
  assert.throws(() => parseMap('id=contact_id,start=arrived_at,clock=time'), /'time' needs a 'date' column/);
  assert.throws(() => parseMap('id=contact_id,a=arrived_at,b=arrived_at'), /'arrived_at' is mapped twice/);
  assert.throws(() => parseMap('id=contact_id,arrived_at'), /'arrived_at' in the map is not column=field/);
  assert.throws(() => new CsvCallsParser({ map: { contact_id: 'id', arrived_at: 's', nope: 'x' } as never }), /unknown field 'nope'/);
});

test('the header must hold every mapped column; names match exactly, else ignoring case', () => {
  const p = new CsvCallsParser({ map: 'id=contact_id,start=arrived_at,wait=queue_seconds' });
  assert.throws(() => p.line('ID,Start,Queue', 1), (e: Error) => e instanceof CsvConfigError && /column 'wait' \(mapped to queue_seconds\) is not in the header \(columns: ID, Start, Queue\)/.test(e.message));
  const ok = parseCsvCalls('ID,Start,Wait\nc1,2024-05-01T10:00:00Z,30\n', { map: 'id=contact_id,start=arrived_at,wait=queue_seconds' });
  assert.deepEqual(timelines(ok.events), { c1: ['contact.arrived@2024-05-01T10:00:00.000Z', 'queue.entered@2024-05-01T10:00:00.000Z'] });
  assert.throws(() => new CsvCallsParser({ map: 'id=contact_id,s=arrived_at', tz: 'Mars/Olympus' }), /unknown time zone 'Mars\/Olympus'/);
});

test('a realistic export: semicolons, local times in a zone, quoted fields, durations, outcomes', () => {
  const csv = [
    '\uFEFFCall;Caller;Queue;Agent;Start;IVR;Wait;Talk;Result;Note',
    '1001;+33 1 23 45 67 89;Ventes;"Durand; Marie";2024-03-04 09:00:05;0:00:20;45;00:03:10;ANSWERED;',
    '1002;anonymous;Ventes;;2024-03-04 09:01;10;1:05;;hangup;"said ""bye""',
    'then hung up"',
    '1003;0612345678;Support;;2024-03-04 09:02:00;;;;voicemail;',
    '1005;;Support;;2024-03-04 09:04:00;;;;constructor;',
    '',
    '1004;0699999999;;;2024-03-04 09:03:00;30;;;Abandoned;ivr hang-up',
  ].join('\r\n');
  const { events, report } = parseCsvCalls(csv, { map: 'Call=contact_id,Caller=identity,Queue=queue,Agent=agent,Start=arrived_at,IVR=ivr_seconds,Wait=queue_seconds,Talk=talk_seconds,Result=outcome', tz: 'Europe/Paris' });
  assert.deepEqual(report.malformed, []);
  assert.deepEqual(timelines(events), {
    1001: ['contact.arrived@2024-03-04T08:00:05.000Z', 'ivr.entered@2024-03-04T08:00:05.000Z', 'ivr.left@2024-03-04T08:00:25.000Z',
      'queue.entered@2024-03-04T08:00:25.000Z', 'contact.answered@2024-03-04T08:01:10.000Z', 'contact.resolved@2024-03-04T08:04:20.000Z'],
    1002: ['contact.arrived@2024-03-04T08:01:00.000Z', 'ivr.entered@2024-03-04T08:01:00.000Z', 'ivr.left@2024-03-04T08:01:10.000Z',
      'queue.entered@2024-03-04T08:01:10.000Z', 'contact.abandoned@2024-03-04T08:02:15.000Z'],
    // an outcome the parser does not know: counted, the call keeps what is certain (arrival, queue entry)
    1003: ['contact.arrived@2024-03-04T08:02:00.000Z', 'queue.entered@2024-03-04T08:02:00.000Z'],
    // no queue: hung up in the voice menu
    1004: ['contact.arrived@2024-03-04T08:03:00.000Z', 'ivr.entered@2024-03-04T08:03:00.000Z', 'ivr.left@2024-03-04T08:03:30.000Z',
      'contact.abandoned@2024-03-04T08:03:30.000Z'],
    1005: ['contact.arrived@2024-03-04T08:04:00.000Z', 'queue.entered@2024-03-04T08:04:00.000Z'],
  });
  assert.deepEqual(report.unknown, { 'outcome:voicemail': 1, 'outcome:constructor': 1 });
  assert.deepEqual({ lines: report.lines, events: report.events, contacts: report.contacts }, { lines: 8, events: 19, contacts: 5 });
  const answered = events.find((e) => e.contactId === '1001' && e.type === 'contact.answered')!;
  assert.deepEqual([answered.agent, answered.queue, answered.identity, answered.key, answered.channel], ['Durand; Marie', 'Ventes', '+33 1 23 45 67 89', 'csv:1001:contact.answered', 'phone']);
  assert.equal(events.find((e) => e.contactId === '1002')!.identity, null);
});

test('timestamps columns, epoch times, and date + time columns across midnight and DST', () => {
  const times = parseCsvCalls([
    'id\tin\tq\tans\taband\tend',
    'a\t2024-05-01T10:00:00+02:00\t2024-05-01T10:00:30+02:00\t2024-05-01T10:01:00+02:00\t\t2024-05-01T10:05:00+02:00',
    'b\t1714550400\t1714550410\t\t1714550470\t',
    'c\t1714550400000\t\t\t\t1714550420',
  ].join('\n'), { map: 'id=contact_id,in=arrived_at,q=queue_entered_at,ans=answered_at,aband=abandoned_at,end=ended_at' });
  assert.deepEqual(times.report.malformed, []);
  assert.deepEqual(timelines(times.events), {
    a: ['contact.arrived@2024-05-01T08:00:00.000Z', 'ivr.entered@2024-05-01T08:00:00.000Z', 'ivr.left@2024-05-01T08:00:30.000Z',
      'queue.entered@2024-05-01T08:00:30.000Z', 'contact.answered@2024-05-01T08:01:00.000Z', 'contact.resolved@2024-05-01T08:05:00.000Z'],
    b: ['contact.arrived@2024-05-01T08:00:00.000Z', 'ivr.entered@2024-05-01T08:00:00.000Z', 'ivr.left@2024-05-01T08:00:10.000Z',
      'queue.entered@2024-05-01T08:00:10.000Z', 'contact.abandoned@2024-05-01T08:01:10.000Z'],
    c: ['contact.arrived@2024-05-01T08:00:00.000Z'], // no outcome, no queue: only the arrival
  });

  const split = parseCsvCalls([
    'id,day,at,answered,end,queue',
    'n1,2024-10-26,23:59:50,00:00:20,00:04:00,Night', // answer and end after midnight: next day
    'n2,2024-10-27,01:50:00,03:10:00,,Night', // Paris leaves summer time (03:00 → 02:00) in between
    'n3,2024-03-31,01:59:59,03:00:00,,Night', // 02:00 → 03:00: one second later
  ].join('\n'), { map: 'id=contact_id,day=date,at=time,answered=answered_at,end=ended_at,queue=queue', tz: 'Europe/Paris' });
  assert.deepEqual(split.report.malformed, []);
  const answers = Object.fromEntries(split.events.filter((e) => e.type === 'contact.answered').map((e) => [e.contactId, e.at.toISOString()]));
  assert.deepEqual(answers, { n1: '2024-10-26T22:00:20.000Z', n2: '2024-10-27T02:10:00.000Z', n3: '2024-03-31T01:00:00.000Z' });
  assert.equal(split.events.find((e) => e.contactId === 'n1' && e.type === 'contact.resolved')!.at.toISOString(), '2024-10-26T22:04:00.000Z');
  assert.equal(split.events.find((e) => e.contactId === 'n3' && e.type === 'contact.arrived')!.at.toISOString(), '2024-03-31T00:59:59.000Z');
});

test('row problems are reported with their line numbers; the other rows parse', () => {
  const csv = [
    'id,start,wait,result,answered', // 1
    'ok1,2024-05-01 10:00:00,30,answered,', // 2
    'short,2024-05-01 10:00:00,30', // 3
    'badtime,tomorrow,30,answered,', // 4
    ',2024-05-01 10:00:00,30,answered,', // 5
    'ok1,2024-05-01 10:00:00,30,answered,', // 6
    'backwards,2024-05-01 10:00:00,,answered,2024-05-01 09:59:00', // 7
    'untimed,2024-05-01 10:00:00,,answered,', // 8
    'badwait,2024-05-01 10:00:00,soon,abandoned,', // 9
    'clash,2024-05-01 10:00:00,10,abandoned,2024-05-01 10:00:10', // 10
    'nodate,10:00,10,abandoned,', // 11
    'ok2,2024-05-01 10:10:00,5,abandoned,', // 12
    'open,2024-05-01 10:20:00,5,"abandoned,', // 13: quote never closed
    'ok3,2024-05-01 10:30:00,5,abandoned,', // 14: read on its own at the end
  ].join('\n');
  const { events, report } = parseCsvCalls(csv, { map: 'id=contact_id,start=arrived_at,wait=queue_seconds,result=outcome,answered=answered_at' });
  assert.deepEqual(report.malformed.map((m) => [m.line, m.reason]), [
    [3, '3 fields, the header has 5'],
    [4, "arrived_at 'tomorrow' is not a time (ISO 8601, YYYY-MM-DD HH:MM[:SS] or epoch seconds)"],
    [5, 'no contact_id'],
    [6, "contact_id 'ok1' already on line 2"],
    [7, 'answer (2024-05-01T09:59:00.000Z) is before arrival (2024-05-01T10:00:00.000Z)'],
    [8, 'answered, but no answer time (map answered_at, or queue_seconds, or ended_at and talk_seconds)'],
    [9, "queue_seconds 'soon' is not a duration (seconds, MM:SS or H:MM:SS)"],
    [10, "outcome 'abandoned' but answered_at is set"],
    [11, "arrived_at '10:00' has no day (map a date column)"],
    [13, 'quoted field never closed'],
  ]);
  assert.deepEqual(Object.keys(timelines(events)), ['ok1', 'ok2', 'ok3']);
  assert.equal(report.contacts, 3);
});

test('record splitting and delimiter detection', () => {
  assert.deepEqual(splitRecord('a,"b,c",,"d ""e"""', ','), ['a', 'b,c', '', 'd "e"']);
  assert.deepEqual(splitRecord('"multi\nline";x', ';'), ['multi\nline', 'x']);
  assert.equal(splitRecord('a,"open', ','), null);
  assert.deepEqual(splitRecord('', ','), ['']);
  assert.equal(detectDelimiter('a;b;"c,d,e"'), ';');
  assert.equal(detectDelimiter('a\tb\tc'), '\t');
  assert.equal(detectDelimiter('a,b'), ',');
  assert.equal(detectDelimiter('single'), ',');
});

// ---- property: generated calls → CSV → events --------------------------------------------------------------------

interface GenCall {
  id: string;
  caller: string | null;
  queue: string;
  agent: string;
  arrived: number; // epoch s
  ivr: number;
  wait: number;
  talk: number;
  outcome: 'answered' | 'abandoned';
  note: string;
}
const TZ = 'Asia/Kolkata'; // no DST: every local time names one instant
const NAMES = ['Doe, Jane', 'Bob "B" Smith', 'Ann;Lee', 'Tab\tby', 'plain'];

const genCalls = fc.uniqueArray(
  fc.record({
    id: fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/).filter((id) => id !== '__proto__'), // the test's plain-object maps
    caller: fc.option(fc.stringMatching(/^\+?\d{6,12}$/), { nil: null }),
    queue: fc.constantFrom(...NAMES),
    agent: fc.constantFrom(...NAMES),
    arrived: fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }),
    ivr: fc.integer({ min: 0, max: 300 }),
    wait: fc.integer({ min: 0, max: 3000 }),
    talk: fc.integer({ min: 1, max: 5000 }),
    outcome: fc.constantFrom<'answered' | 'abandoned'>('answered', 'abandoned'),
    note: fc.constantFrom('', 'fine', 'two\nlines', 'said "hi", left'),
  }),
  { selector: (c) => c.id, minLength: 1, maxLength: 30 },
);

function renderCsv(calls: GenCall[], delimiter: string, variant: 'times' | 'durations', format: 'iso' | 'local' | 'epoch'): string {
  const cell = (v: string) => (/[",;\t\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const time = (s: number | undefined) =>
    s === undefined ? '' : format === 'epoch' ? String(s) : format === 'iso' ? new Date(s * 1000).toISOString()
      : DateTime.fromSeconds(s, { zone: TZ }).toFormat('yyyy-MM-dd HH:mm:ss');
  const head = variant === 'times'
    ? ['id', 'from', 'queue', 'agent', 'start', 'entered', 'answered', 'abandoned', 'ended', 'note']
    : ['id', 'from', 'queue', 'agent', 'start', 'ivr', 'wait', 'talk', 'result', 'note'];
  const rows = calls.map((c) => {
    const q = c.arrived + c.ivr;
    const end = q + c.wait;
    const common = [c.id, c.caller ?? '', c.queue, c.agent, time(c.arrived)];
    const rest = variant === 'times'
      ? [time(q), time(c.outcome === 'answered' ? end : undefined), time(c.outcome === 'abandoned' ? end : undefined), time(c.outcome === 'answered' ? end + c.talk : end)]
      : [String(c.ivr), String(c.wait), c.outcome === 'answered' ? String(c.talk) : '', c.outcome === 'answered' ? 'Served' : 'HANGUP'];
    return [...common, ...rest, c.note].map(cell).join(delimiter);
  });
  return [head.join(delimiter), ...rows].join('\n');
}

function expected(c: GenCall): string[] {
  const iso = (s: number) => new Date(s * 1000).toISOString();
  const q = c.arrived + c.ivr;
  const end = q + c.wait;
  return [
    `contact.arrived@${iso(c.arrived)}`,
    ...(c.ivr > 0 ? [`ivr.entered@${iso(c.arrived)}`, `ivr.left@${iso(q)}`] : []),
    `queue.entered@${iso(q)}`,
    ...(c.outcome === 'answered' ? [`contact.answered@${iso(end)}`, `contact.resolved@${iso(end + c.talk)}`] : [`contact.abandoned@${iso(end)}`]),
  ];
}

test('property: generated calls rendered as CSV parse back to their events', () => {
  fc.assert(
    fc.property(genCalls, fc.constantFrom(',', ';', '\t'), fc.constantFrom<'times' | 'durations'>('times', 'durations'), fc.constantFrom<'iso' | 'local' | 'epoch'>('iso', 'local', 'epoch'), fc.boolean(),
      (calls, delimiter, variant, format, giveDelimiter) => {
        const map = variant === 'times'
          ? 'id=contact_id,from=identity,queue=queue,agent=agent,start=arrived_at,entered=queue_entered_at,answered=answered_at,abandoned=abandoned_at,ended=ended_at'
          : 'id=contact_id,from=identity,queue=queue,agent=agent,start=arrived_at,ivr=ivr_seconds,wait=queue_seconds,talk=talk_seconds,result=outcome';
        const text = renderCsv(calls, delimiter, variant, format);
        const { events, report } = parseCsvCalls(text, { map, tz: TZ, delimiter: giveDelimiter ? (delimiter as ',' | ';' | '\t') : undefined });
        assert.deepEqual(report.malformed, []);
        assert.equal(report.contacts, calls.length);
        assert.equal(report.events, events.length);
        assert.deepEqual(timelines(events), Object.fromEntries(calls.map((c) => [c.id, expected(c)])));
        assert.equal(new Set(events.map((e) => e.key)).size, events.length);
        for (const c of calls) {
          const mine = events.filter((e) => e.contactId === c.id);
          assert.ok(mine.every((e) => e.identity === c.caller && e.queue === c.queue));
          if (c.outcome === 'answered') assert.equal(mine.find((e) => e.type === 'contact.answered')!.agent, c.agent);
        }
      }),
    { numRuns: 300 },
  );
});

test('property: broken rows are reported at their line and do not disturb the others', () => {
  fc.assert(
    fc.property(genCalls, fc.array(fc.tuple(fc.nat(), fc.constantFrom('x,y', 'id-only', ',,,,,,,,,', 'z,not a time,q,a,then,,,,,')), { maxLength: 8 }), (calls, junk) => {
      const clean = renderCsv(calls.map((c) => ({ ...c, note: '' })), ',', 'times', 'iso').split('\n');
      const lines = [...clean];
      const at: number[] = [];
      for (const [pos, j] of junk) {
        const i = 1 + (pos % lines.length); // after the header
        lines.splice(i, 0, j);
        for (let k = 0; k < at.length; k++) if (at[k] >= i) at[k]++;
        at.push(i);
      }
      const map = 'id=contact_id,from=identity,queue=queue,agent=agent,start=arrived_at,entered=queue_entered_at,answered=answered_at,abandoned=abandoned_at,ended=ended_at';
      const broken = parseCsvCalls(lines.join('\n'), { map });
      assert.deepEqual(broken.report.malformed.map((m) => m.line), at.map((i) => i + 1).sort((a, b) => a - b));
      assert.deepEqual(broken.events, parseCsvCalls(clean.join('\n'), { map }).events);
    }),
    { numRuns: 200 },
  );
});
