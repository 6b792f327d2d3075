/**
 * The call-log format of the Technion SEE lab call-centre data (the "Anonymous Bank" log): tab-separated, one call per
 * line, header row. Definitions (docs/metrics.md): one call is one contact; PHANTOM calls are left out; first touch is
 * `vru_entry`; a call is queued when `q_time > 0` or `q_start` is not `0:00:00`; AGENT is answered, HANG abandoned.
 *
 * Times are placed from `vru_entry` and the recorded durations: the voice menu ends at vru_entry + vru_time, the queue
 * wait ends (answer or hang-up) q_time later. The log's own `ser_start` clock is kept in the event data but not used
 * for the answer time: in the bank log it disagrees with vru_entry + vru_time + q_time by 1–2 s in most calls, is
 * `0:00:00` in 50 and hours off in about 60, while the durations are consistent. So lived wait is exactly
 * vru_time + q_time and the queue wait exactly q_time, as the definitions say.
 *
 * A call is identified by `vru+line` and `call_id` together (call ids repeat across lines). A negative `vru_time`
 * (23 calls in the bank log, where `vru_exit` is before `vru_entry`: the two clocks disagree) is taken as 0 and the call
 * is kept, with a warning naming the line.
 */
import { DateTime } from 'luxon';
import { AppError } from '../../../platform/errors.js';
import { validateTimezone } from '../../../platform/business-hours.js';
import { emptyReport, malformed, warning, type ParsedEvent, type ParseReport } from './types.js';

const COLUMNS = ['vru+line', 'call_id', 'customer_id', 'priority', 'type', 'date', 'vru_entry', 'vru_exit', 'vru_time',
  'q_start', 'q_exit', 'q_time', 'outcome', 'ser_start', 'ser_exit', 'ser_time', 'server'] as const;
type Col = (typeof COLUMNS)[number];

const CLOCK = /^(\d{1,2}):(\d{2}):(\d{2})$/;
/** H:MM:SS as hour, minute, second; null when malformed or out of range. */
const clock = (s: string) => {
  const m = CLOCK.exec(s);
  if (!m) return null;
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return hour > 23 || minute > 59 || second > 59 ? null : { hour, minute, second };
};

export class SeelabParser {
  readonly report: ParseReport = emptyReport();
  private index: Record<Col, number> | null = null;

  constructor(private readonly tz: string) {
    validateTimezone(tz, 'tz');
  }

  /** One line of the file (1-based line number); the first non-blank line must be the header. */
  line(text: string, lineNo: number): ParsedEvent[] {
    this.report.lines++;
    const raw = text.replace(/\r$/, '');
    if (!raw.trim()) return [];
    const f = raw.split('\t');
    if (!this.index) {
      const idx = {} as Record<Col, number>;
      for (const c of COLUMNS) {
        const i = f.indexOf(c);
        if (i < 0) throw new AppError('bad_file', `line ${lineNo}: not a SEE lab call log header (column '${c}' missing)`, 400);
        idx[c] = i;
      }
      this.index = idx;
      return [];
    }
    const bad = (reason: string) => {
      malformed(this.report, lineNo, reason, raw);
      return [];
    };
    const get = (c: Col) => (f[this.index![c]] ?? '').trim();
    if (f.length < COLUMNS.length) return bad(`expected ${COLUMNS.length} tab-separated fields, found ${f.length}`);
    const callId = get('call_id');
    if (!/^\d+$/.test(callId)) return bad(`call_id '${callId}' is not a number`);
    const contactId = `${get('vru+line')}-${callId}`;
    const outcome = get('outcome');
    if (outcome === 'PHANTOM') {
      this.report.skipped.PHANTOM = (this.report.skipped.PHANTOM ?? 0) + 1;
      return [];
    }
    if (outcome !== 'AGENT' && outcome !== 'HANG') return bad(`unknown outcome '${outcome}' (AGENT, HANG or PHANTOM)`);
    const date = /^(\d{2})(\d{2})(\d{2})$/.exec(get('date'));
    if (!date) return bad(`date '${get('date')}' is not YYMMDD`);
    const entry = clock(get('vru_entry'));
    if (entry === null) return bad(`vru_entry '${get('vru_entry')}' is not a time of day (H:MM:SS)`);
    const nums: Record<string, number> = {};
    for (const c of ['vru_time', 'q_time', 'ser_time'] as const) {
      const v = get(c);
      if (!/^-?\d+$/.test(v)) return bad(`${c} '${v}' is not a whole number of seconds`);
      nums[c] = Number(v);
      if (nums[c] < 0) {
        if (c !== 'vru_time') return bad(`${c} is negative (${v})`);
        warning(this.report, lineNo, `vru_time is negative (${v}); voice-menu time taken as 0`);
        nums[c] = 0;
      }
    }
    const yy = Number(date[1]);
    // The wall-clock time on that date in the log's zone (on a daylight-saving day this is not midnight + seconds).
    const start = DateTime.fromObject(
      { year: yy < 70 ? 2000 + yy : 1900 + yy, month: Number(date[2]), day: Number(date[3]), ...entry },
      { zone: this.tz },
    );
    if (!start.isValid) return bad(`date '${get('date')}' ${get('vru_entry')} is not a valid time in ${this.tz}`);
    if (start.hour !== entry.hour || start.minute !== entry.minute)
      warning(this.report, lineNo, `${get('vru_entry')} does not exist on that day in ${this.tz} (clocks changed); taken as ${start.toFormat('HH:mm:ss')}`);
    const t0 = start.toMillis();
    const at = (s: number) => new Date(t0 + s * 1000);
    const queued = nums.q_time > 0 || get('q_start') !== '0:00:00';
    const customer = get('customer_id');
    const identity = customer && customer !== '0' ? customer : null;
    const queue = get('type') || null;
    const server = get('server');
    const base = { contactId, channel: 'phone' as const, identity, queue };
    const ev = (type: ParsedEvent['type'], offset: number, extra: Partial<ParsedEvent> = {}): ParsedEvent => ({
      ...base, type, at: at(offset), key: `${contactId}:${type}`, ...extra,
    });
    const ivrEnd = nums.vru_time;
    const waitEnd = ivrEnd + nums.q_time;
    const out: ParsedEvent[] = [
      ev('contact.arrived', 0, { data: { tz: this.tz, line: get('vru+line'), priority: Number(get('priority')) || 0, type: get('type') } }),
      ev('ivr.entered', 0),
      ev('ivr.left', ivrEnd),
    ];
    if (queued) out.push(ev('queue.entered', ivrEnd));
    if (outcome === 'AGENT') {
      const agent = server && server !== 'NO_SERVER' ? server : null;
      out.push(ev('contact.answered', waitEnd, { agent, data: { serStart: get('ser_start') } }));
      out.push(ev('contact.resolved', waitEnd + nums.ser_time, { agent, data: { talkSeconds: nums.ser_time } }));
    } else {
      out.push(ev('contact.abandoned', waitEnd, { data: { inQueue: queued } }));
    }
    this.report.contacts++;
    this.report.events += out.length;
    return out;
  }

  finish(): ParsedEvent[] {
    if (!this.index && this.report.lines > 0) throw new AppError('bad_file', 'the file has no SEE lab header row', 400);
    return [];
  }
}
