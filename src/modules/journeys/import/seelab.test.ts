import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeelabParser } from './seelab.js';

const HEADER = 'vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver';
const row = (f: Partial<Record<string, string>>) => {
  const d: Record<string, string> = {
    'vru+line': 'AA0101', call_id: '1', customer_id: '42', priority: '0', type: 'PS', date: '990201', vru_entry: '7:02:47',
    vru_exit: '7:02:56', vru_time: '9', q_start: '7:02:56', q_exit: '7:03:26', q_time: '30', outcome: 'AGENT',
    ser_start: '7:03:25', ser_exit: '7:05:41', ser_time: '135', server: 'DORIT', ...f,
  };
  return HEADER.split('\t').map((c) => d[c]).join('\t');
};
const parse = (tz: string, lines: string[]) => {
  const p = new SeelabParser(tz);
  const events = [HEADER, ...lines].flatMap((l, i) => p.line(l, i + 1));
  return { events, report: p.report };
};

test('one call: voice menu, queue, answer at entry + vru_time + q_time, resolved after the talk', () => {
  const { events, report } = parse('Asia/Jerusalem', [row({})]);
  assert.deepEqual(events.map((e) => e.type), ['contact.arrived', 'ivr.entered', 'ivr.left', 'queue.entered', 'contact.answered', 'contact.resolved']);
  const t = (type: string) => events.find((e) => e.type === type)!.at.toISOString();
  assert.equal(t('contact.arrived'), '1999-02-01T05:02:47.000Z'); // 07:02:47 in Israel (UTC+2)
  assert.equal(t('queue.entered'), '1999-02-01T05:02:56.000Z');
  assert.equal(t('contact.answered'), '1999-02-01T05:03:26.000Z');
  assert.equal(events[0].contactId, 'AA0101-1');
  assert.equal(events[0].identity, '42');
  assert.equal(events[0].queue, 'PS');
  assert.equal(events.find((e) => e.type === 'contact.answered')!.agent, 'DORIT');
  assert.equal(report.contacts, 1);
});

test('wall-clock times on a daylight-saving day; impossible clock times are malformed', () => {
  // 2026-03-29: Oslo moves from UTC+1 to UTC+2 at 02:00. 10:00 local is 08:00Z, not 09:00Z.
  const { events, report } = parse('Europe/Oslo', [
    row({ date: '260329', vru_entry: '10:00:00', call_id: '1' }),
    row({ date: '260329', vru_entry: '02:30:00', call_id: '2' }),
    row({ date: '260329', vru_entry: '99:99:99', call_id: '3' }),
    row({ date: '260329', vru_entry: '10:00:00', call_id: '4', customer_id: '0', outcome: 'PHANTOM' }),
  ]);
  const arrived = events.filter((e) => e.type === 'contact.arrived');
  assert.equal(arrived[0].at.toISOString(), '2026-03-29T08:00:00.000Z');
  assert.equal(arrived.length, 2);
  assert.match(report.warnings[0].reason, /02:30:00 does not exist/);
  assert.deepEqual(report.malformed.map((m) => m.line), [4]);
  assert.match(report.malformed[0].reason, /not a time of day/);
  assert.equal(report.skipped.PHANTOM, 1);
});

test('hang-ups, calls answered without queueing, negative voice-menu times, unidentified callers', () => {
  const { events, report } = parse('UTC', [
    row({ call_id: '1', outcome: 'HANG', q_time: '40' }),
    row({ call_id: '2', q_start: '0:00:00', q_time: '0' }),
    row({ call_id: '3', vru_time: '-57', customer_id: '0' }),
    row({ call_id: '4', outcome: 'BUSY' }),
  ]);
  const of = (id: string) => events.filter((e) => e.contactId === `AA0101-${id}`).map((e) => e.type);
  assert.deepEqual(of('1'), ['contact.arrived', 'ivr.entered', 'ivr.left', 'queue.entered', 'contact.abandoned']);
  assert.deepEqual(of('2'), ['contact.arrived', 'ivr.entered', 'ivr.left', 'contact.answered', 'contact.resolved']);
  const c3 = events.filter((e) => e.contactId === 'AA0101-3');
  assert.equal(c3[0].identity, null);
  assert.equal(c3.find((e) => e.type === 'queue.entered')!.at.getTime(), c3[0].at.getTime(), 'voice menu taken as 0 s');
  assert.equal(report.warningCount, 1);
  assert.match(report.malformed[0].reason, /unknown outcome 'BUSY'/);
});

test('a file without the header is refused as a whole, naming the missing column', () => {
  const p = new SeelabParser('UTC');
  assert.throws(() => p.line('call_id\tdate', 1), /not a SEE lab call log header \(column 'vru\+line' missing\)/);
  assert.throws(() => new SeelabParser('UTC+3'), /unknown time zone 'UTC\+3'/);
});
