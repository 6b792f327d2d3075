/**
 * A generic call-detail CSV → contact events: one row is one call, and `--map column=field,…` says which column holds
 * what (see CSV_FIELDS). The first non-blank line is the header; the delimiter (comma, semicolon or tab) is taken
 * from it unless given. Quoted fields follow RFC 4180 (`""` is a quote) and may span lines.
 *
 * Times: ISO 8601 (with or without offset), `YYYY-MM-DD HH:MM[:SS[.fff]]`, epoch seconds (9–11 digits) or epoch
 * milliseconds (12–14 digits). Times without an offset are read in the `tz` option's IANA zone (default UTC). A bare
 * `HH:MM[:SS]` takes its day from the `date` column; one earlier than the arrival is taken as the next day (calls
 * across midnight). `date` + `time` columns can stand for `arrived_at`. Durations: seconds, `MM:SS` or `H:MM:SS`.
 *
 * Missing times are derived from the durations:
 *   queue entry = queue_entered_at, or arrived_at + ivr_seconds, or (answer or abandon) − queue_seconds, or arrived_at;
 *   answer      = answered_at, or ended_at − talk_seconds, or queue entry + queue_seconds;
 *   abandon     = abandoned_at, or ended_at, or queue entry + queue_seconds, or (not queued) arrived_at + ivr_seconds;
 *   end         = ended_at, or answer + talk_seconds.
 * A call is queued when it has a queue entry time, a queue name or queue_seconds > 0; the voice menu (ivr.entered /
 * ivr.left) is the time between arrival and queue entry (or arrival + ivr_seconds). Answered calls with an end get
 * contact.resolved. The outcome comes from the `outcome` column (OUTCOMES; other values are counted in
 * `report.unknown` as `outcome:<value>`), else from which of answered_at, abandoned_at, talk_seconds > 0 is filled; a
 * call with neither gets no answer or abandon. A row whose outcome has no time, whose times run backwards, or that
 * repeats a contact_id is reported as malformed, without events.
 */
import { isTimeZone } from '../../../platform/business-hours.js';
import { DateTime } from 'luxon';
import { tally, type LineParser } from './lines.js';
import { cleanIdentity } from './queue-log.js';
import { emptyReport, malformed, type ContactEventType, type ParsedEvent, type ParseReport } from './types.js';

export const CSV_FIELDS = ['contact_id', 'identity', 'queue', 'agent', 'arrived_at', 'date', 'time', 'ivr_seconds',
  'queue_entered_at', 'queue_seconds', 'answered_at', 'abandoned_at', 'ended_at', 'talk_seconds', 'outcome'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
/** Field → column name in the header. */
export type CsvMap = Partial<Record<CsvField, string>>;

/** Outcome values (compared lower-cased and trimmed). */
export const OUTCOMES: Record<string, 'answered' | 'abandoned'> = {
  answered: 'answered', answer: 'answered', agent: 'answered', connected: 'answered', served: 'answered',
  abandoned: 'abandoned', abandon: 'abandoned', hang: 'abandoned', hangup: 'abandoned', 'hung up': 'abandoned',
};

/** A problem with the options or the header: nothing in the file can be read. */
export class CsvConfigError extends Error {}

export interface CsvCallsOptions {
  /** `parseMap` result, or its `column=field,…` text. */
  map: CsvMap | string;
  /** IANA zone of times written without an offset; default UTC. */
  tz?: string;
  /** Default: detected from the header line. */
  delimiter?: ',' | ';' | '\t';
}

/** Reads `column=field,column=field…` (column names may not contain commas) and checks it. */
export function parseMap(spec: string): CsvMap {
  const map: CsvMap = {};
  for (const item of spec.split(',')) {
    if (!item.trim()) continue;
    const eq = item.lastIndexOf('=');
    if (eq < 0) throw new CsvConfigError(`'${item.trim()}' in the map is not column=field`);
    const column = item.slice(0, eq).trim();
    const field = item.slice(eq + 1).trim();
    if (!column) throw new CsvConfigError(`'${item.trim()}' in the map has no column name`);
    if (!(CSV_FIELDS as readonly string[]).includes(field)) {
      throw new CsvConfigError(`unknown field '${field}' in the map (fields: ${CSV_FIELDS.join(', ')})`);
    }
    if (map[field as CsvField] !== undefined) throw new CsvConfigError(`field '${field}' is mapped twice`);
    map[field as CsvField] = column;
  }
  validateMap(map);
  return map;
}

function validateMap(map: CsvMap): void {
  for (const f of Object.keys(map)) {
    if (!(CSV_FIELDS as readonly string[]).includes(f)) throw new CsvConfigError(`unknown field '${f}' in the map (fields: ${CSV_FIELDS.join(', ')})`);
  }
  if (!map.contact_id) throw new CsvConfigError('the map needs a column for contact_id (e.g. callid=contact_id)');
  if (map.time && !map.date) throw new CsvConfigError("field 'time' needs a 'date' column too");
  if (!map.arrived_at && !map.time) {
    throw new CsvConfigError('the map needs a column for arrived_at, or date and time columns (e.g. start=arrived_at)');
  }
}

/** Splits one record; null when a quoted field is still open at the end (the record goes on on the next line). */
export function splitRecord(text: string, delimiter: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    }
    const d = text.indexOf(delimiter, i);
    field += text.slice(i, d < 0 ? text.length : d); // text after a closing quote is kept, leniently
    fields.push(field);
    if (d < 0) return fields;
    i = d + delimiter.length;
  }
}

const DELIMITERS = [',', ';', '\t'] as const;
/** The candidate delimiter that occurs most often outside quotes in the header; comma when none does. */
export function detectDelimiter(header: string): ',' | ';' | '\t' {
  const bare = header.replace(/"(?:[^"]|"")*"/g, '');
  let best: ',' | ';' | '\t' = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const n = bare.split(d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

/** A record spanning more lines than this is taken as an unbalanced quote: its first line is reported. */
const MAX_RECORD_LINES = 50;

class RowError extends Error {}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;
const LOCAL = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(.*)$/;

/** Incremental CSV call parser: feed lines in file order, then call `finish()`. */
export class CsvCallsParser implements LineParser {
  readonly report: ParseReport = emptyReport();
  private readonly map: CsvMap;
  private readonly tz: string;
  private delimiter: string | undefined;
  private index: Partial<Record<CsvField, number>> | null = null;
  private columns = 0;
  /** Lines of a record whose quoted field is still open. */
  private open: { text: string; no: number }[] = [];
  /** contact_id → line, to report repeats. */
  private readonly seen = new Map<string, number>();

  constructor(opts: CsvCallsOptions) {
    this.map = typeof opts.map === 'string' ? parseMap(opts.map) : { ...opts.map };
    validateMap(this.map);
    this.tz = opts.tz ?? 'UTC';
    if (!isTimeZone(this.tz)) throw new CsvConfigError(`unknown time zone '${this.tz}'`);
    this.delimiter = opts.delimiter;
  }

  /** One line of the file (1-based). Throws CsvConfigError when the header does not fit the map. */
  line(text: string, lineNo: number): ParsedEvent[] {
    this.report.lines++;
    return this.feed(lineNo === 1 ? text.replace(/^\uFEFF/, '') : text, lineNo);
  }

  /** End of input: a record left open by a quote is reported, and its other lines are read on their own. */
  finish(): ParsedEvent[] {
    return this.reportOpen();
  }

  private feed(text: string, no: number): ParsedEvent[] {
    text = text.replace(/\r$/, '');
    if (!this.open.length && !text.trim()) return [];
    this.open.push({ text, no });
    const record = this.open.map((l) => l.text).join('\n');
    this.delimiter ??= detectDelimiter(record);
    const fields = splitRecord(record, this.delimiter);
    if (!fields) return this.open.length >= MAX_RECORD_LINES ? this.reportOpen() : [];
    const first = this.open[0];
    this.open = [];
    if (!this.index) {
      this.header(fields);
      return [];
    }
    try {
      return this.row(fields, first.no);
    } catch (e) {
      if (!(e instanceof RowError)) throw e;
      malformed(this.report, first.no, e.message, record);
      return [];
    }
  }

  private reportOpen(): ParsedEvent[] {
    if (!this.open.length) return [];
    const [first, ...rest] = this.open;
    this.open = [];
    malformed(this.report, first.no, 'quoted field never closed', first.text);
    return rest.flatMap((l) => this.feed(l.text, l.no));
  }

  private header(fields: string[]): void {
    const names = fields.map((f) => f.trim());
    const index: Partial<Record<CsvField, number>> = {};
    for (const [field, column] of Object.entries(this.map) as [CsvField, string][]) {
      let i = names.indexOf(column);
      if (i < 0) {
        const loose = names.flatMap((n, j) => (n.toLowerCase() === column.toLowerCase() ? [j] : []));
        if (loose.length === 1) i = loose[0];
      }
      if (i < 0) throw new CsvConfigError(`column '${column}' (mapped to ${field}) is not in the header (columns: ${names.join(', ')})`);
      index[field] = i;
    }
    this.index = index;
    this.columns = fields.length;
  }

  private row(fields: string[], no: number): ParsedEvent[] {
    if (fields.length !== this.columns) throw new RowError(`${fields.length} fields, the header has ${this.columns}`);
    const get = (f: CsvField) => {
      const i = this.index![f];
      return i === undefined ? '' : fields[i].trim();
    };
    const id = get('contact_id');
    if (!id) throw new RowError('no contact_id');
    const earlier = this.seen.get(id);
    if (earlier !== undefined) throw new RowError(`contact_id '${id}' already on line ${earlier}`);

    const day = get('date');
    if (day && !DAY.test(day)) throw new RowError(`date '${day}' is not YYYY-MM-DD`);
    const A = this.map.arrived_at ? this.time(get('arrived_at'), 'arrived_at', day) : this.time(get('time'), 'time', day);
    if (A === undefined) throw new RowError(`no arrival time (${this.map.arrived_at ? 'arrived_at' : 'date and time'})`);
    const at = (f: CsvField) => this.time(get(f), f, day, A);
    const ivr = duration(get('ivr_seconds'), 'ivr_seconds');
    const qs = duration(get('queue_seconds'), 'queue_seconds');
    const talk = duration(get('talk_seconds'), 'talk_seconds');
    let Q = at('queue_entered_at');
    let N = at('answered_at');
    let B = at('abandoned_at');
    let E = at('ended_at');
    const queue = get('queue') || null;
    const agent = get('agent') || null;

    const rawOutcome = get('outcome');
    const o = rawOutcome.toLowerCase();
    let outcome: 'answered' | 'abandoned' | null = Object.hasOwn(OUTCOMES, o) ? OUTCOMES[o] : null;
    const unknownOutcome = rawOutcome && !outcome ? `outcome:${rawOutcome}` : null;
    if (N !== undefined && B !== undefined) throw new RowError('both answered_at and abandoned_at are set');
    if (outcome === 'answered' && B !== undefined) throw new RowError(`outcome '${rawOutcome}' but abandoned_at is set`);
    if (outcome === 'abandoned' && N !== undefined) throw new RowError(`outcome '${rawOutcome}' but answered_at is set`);
    outcome ??= N !== undefined || (talk ?? 0) > 0 ? 'answered' : B !== undefined ? 'abandoned' : null;

    if (outcome === 'answered' && N === undefined && E !== undefined && talk !== undefined) N = E - talk;
    if (outcome === 'abandoned') B ??= E;
    const queued = Q !== undefined || queue !== null || (qs ?? 0) > 0;
    if (queued && Q === undefined) {
      const end = outcome === 'answered' ? N : B;
      Q = ivr !== undefined ? A + ivr : end !== undefined && qs !== undefined ? end - qs : A;
    }
    if (Q !== undefined && qs !== undefined) {
      if (outcome === 'answered') N ??= Q + qs;
      if (outcome === 'abandoned') B ??= Q + qs;
    }
    if (outcome === 'answered') {
      if (N === undefined) throw new RowError('answered, but no answer time (map answered_at, or queue_seconds, or ended_at and talk_seconds)');
      if (E === undefined && talk !== undefined) E = N + talk;
    }
    const ivrEnd = Q ?? (ivr !== undefined ? A + ivr : undefined);
    if (outcome === 'abandoned' && !queued) B ??= ivrEnd;
    if (outcome === 'abandoned' && B === undefined) throw new RowError('abandoned, but no time for it (map abandoned_at, ended_at, queue_seconds or ivr_seconds)');

    const order: [string, number | undefined, string, number | undefined][] = [
      ['arrival', A, 'end of the voice menu', ivrEnd], ['queue entry', Q, 'answer', N], ['answer', N, 'end', E],
      ['arrival', A, 'abandon', B], ['queue entry', Q, 'abandon', B], ['arrival', A, 'answer', N],
    ];
    for (const [n1, t1, n2, t2] of order) {
      if (t1 !== undefined && t2 !== undefined && t2 < t1) throw new RowError(`${n2} (${iso(t2)}) is before ${n1} (${iso(t1)})`);
    }

    this.seen.set(id, no);
    this.report.contacts++;
    if (unknownOutcome) tally(this.report.unknown, unknownOutcome);
    const identity = cleanIdentity(get('identity'));
    const out: ParsedEvent[] = [];
    const emit = (type: ContactEventType, t: number, withAgent = false) => {
      const e: ParsedEvent = { contactId: id, type, channel: 'phone', at: new Date(t), identity, queue, key: `csv:${id}:${type}` };
      if (withAgent && agent) e.agent = agent;
      out.push(e);
    };
    emit('contact.arrived', A);
    if (ivrEnd !== undefined && ivrEnd > A) {
      emit('ivr.entered', A);
      emit('ivr.left', ivrEnd);
    }
    if (Q !== undefined) emit('queue.entered', Q);
    if (outcome === 'answered') {
      emit('contact.answered', N!, true);
      if (E !== undefined) emit('contact.resolved', E, true);
    }
    if (outcome === 'abandoned') emit('contact.abandoned', B!);
    this.report.events += out.length;
    return out;
  }

  /** Epoch ms of a time cell; `after`: a bare clock time earlier than this is on the next day. */
  private time(v: string, field: string, day: string, after?: number): number | undefined {
    if (!v) return undefined;
    if (/^\d{9,11}(?:\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
    if (/^\d{12,14}$/.test(v)) return Number(v);
    let dt: DateTime;
    const clock = CLOCK.exec(v);
    if (clock) {
      if (!day) throw new RowError(`${field} '${v}' has no day (map a date column)`);
      dt = DateTime.fromISO(`${day}T${clock[1].padStart(2, '0')}:${clock[2]}${clock[3] ? `:${clock[3]}` : ''}`, { zone: this.tz });
      if (dt.isValid && after !== undefined && dt.toMillis() < after) dt = dt.plus({ days: 1 });
    } else {
      const local = LOCAL.exec(v);
      const [, d, hm, rest] = local ?? [];
      dt = DateTime.fromISO(local ? `${d}T${hm.replace(/^(\d):/, '0$1:')}${rest.trim()}` : v, { zone: this.tz });
    }
    if (!dt.isValid) throw new RowError(`${field} '${v}' is not a time (ISO 8601, YYYY-MM-DD HH:MM[:SS] or epoch seconds)`);
    return dt.toMillis();
  }
}

/** Seconds → ms, from `12`, `12.5`, `MM:SS` or `H:MM:SS`. */
function duration(v: string, field: string): number | undefined {
  if (!v) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(v);
  if (m) return (Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000;
  throw new RowError(`${field} '${v}' is not a duration (seconds, MM:SS or H:MM:SS)`);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Parses a whole CSV text. */
export function parseCsvCalls(text: string, opts: CsvCallsOptions): { events: ParsedEvent[]; report: ParseReport } {
  const p = new CsvCallsParser(opts);
  const events: ParsedEvent[] = [];
  for (const [i, l] of text.split(/\r?\n/).entries()) events.push(...p.line(l, i + 1));
  events.push(...p.finish());
  return { events, report: p.report };
}
