/**
 * The import formats: Asterisk queue_log, the SEE lab call log, call-detail CSV with a column map, and the
 * contact-event vocabulary as JSON lines. Each is a pure, streaming line parser (lines.ts) whose batches go to
 * `importParsedEvents`.
 */
import { AppError } from '../../../platform/errors.js';
import { cleanText, hasUnsafeChars } from '../../../platform/clean-text.js';
import { CsvCallsParser, CsvConfigError } from './csv-calls.js';
import { EventsJsonlParser } from './events-jsonl.js';
import type { Line, LineParser } from './lines.js';
import { malformed, UNSAFE_LINE } from './types.js';
import { QueueLogParser } from './queue-log.js';
import { SeelabParser } from './seelab.js';

export const FORMATS = ['queue-log', 'seelab', 'csv', 'events'] as const;
export type Format = (typeof FORMATS)[number];

export interface ParserOptions {
  /** IANA zone of local times in the input (seelab, csv). */
  tz: string;
  /** csv: `column=field,…` */
  map?: string;
  /** csv: delimiter (default: detected) */
  delimiter?: string;
}

/**
 * A file that does not fit its format as a whole (no header, a mapped column missing) is a 400 naming the problem;
 * anything else a parser throws is a bug and stays a 500 (its message is not shown to the client).
 */
const badFile = (err: unknown) =>
  err instanceof CsvConfigError ? new AppError('bad_file', `The file does not fit the format: ${err.message}`, 400) : err;

export function makeParser(format: Format, o: ParserOptions): LineParser {
  let parser: LineParser;
  try {
    if (format === 'seelab') parser = new SeelabParser(o.tz);
    else if (format === 'events') parser = new EventsJsonlParser(o.tz);
    else if (format === 'queue-log') parser = new QueueLogParser();
    else {
      if (!o.map) throw new AppError('validation', 'map: the csv format needs a column map (column=field,…)', 400, { field: 'map' });
      const delimiter = o.delimiter === undefined ? undefined : o.delimiter === 'tab' || o.delimiter === '\\t' ? '\t' : o.delimiter;
      if (delimiter !== undefined && ![',', ';', '\t'].includes(delimiter))
        throw new AppError('validation', `delimiter: use , ; or tab, not '${o.delimiter}'`, 400, { field: 'delimiter' });
      parser = new CsvCallsParser({ map: o.map, tz: o.tz, delimiter: delimiter as ',' | ';' | '\t' | undefined });
    }
  } catch (err) {
    throw err instanceof CsvConfigError ? new AppError('validation', `map: ${err.message}`, 400, { field: 'map' }) : err;
  }
  return {
    report: parser.report,
    line(text, no) {
      // Binary in a call log line: the line is not trusted (and PostgreSQL could not store it); reported, not imported.
      if (hasUnsafeChars(text)) {
        parser.report.lines++;
        // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is shown as \0 in the report, so this pattern must find it
        malformed(parser.report, no, UNSAFE_LINE, cleanText(text.replace(/\u0000/g, '\\0')));
        return [];
      }
      try {
        return parser.line(text, no);
      } catch (err) {
        throw badFile(err);
      }
    },
    finish() {
      try {
        return parser.finish();
      } catch (err) {
        throw badFile(err);
      }
    },
  };
}

/** The lines of a text held in memory (an API request body), numbered from 1, LF or CRLF, without a BOM. */
export function* textLines(text: string): Generator<Line> {
  let start = 0;
  let no = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    no++;
    yield { no, text: no === 1 ? line.replace(/^\uFEFF/, '') : line };
    start = end + 1;
  }
}
