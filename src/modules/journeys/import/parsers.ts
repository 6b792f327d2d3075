/**
 * The importers' common shape: a line parser (pure, streaming) and a driver that turns lines into batches of events
 * for `importParsedEvents`. Formats: Asterisk queue_log, the SEE lab call log, call-detail CSV with a column map, and
 * the contact-event vocabulary as JSON lines.
 */
import { invalid } from '../../../platform/errors.js';
import { EventsJsonlParser } from './events-jsonl.js';
import { SeelabParser } from './seelab.js';
import type { ParsedEvent, ParseReport } from './types.js';

export interface LineParser {
  readonly report: ParseReport;
  line(text: string, lineNo: number): ParsedEvent[];
  finish(): ParsedEvent[];
}

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

export function makeParser(format: Format, o: ParserOptions): LineParser {
  switch (format) {
    case 'seelab':
      return new SeelabParser(o.tz);
    case 'events':
      return new EventsJsonlParser();
    default:
      throw invalid('format', `format '${format}' is not available`);
  }
}

/** Feeds lines (with 1-based numbers) through a parser and yields batches of at most `size` events. */
export async function* batches(lines: AsyncIterable<string> | Iterable<string>, parser: LineParser, size = 10_000): AsyncGenerator<ParsedEvent[]> {
  let buf: ParsedEvent[] = [];
  let n = 0;
  for await (const line of lines) {
    n++;
    const out = parser.line(n === 1 ? line.replace(/^\uFEFF/, '') : line, n);
    for (const e of out) buf.push(e);
    if (buf.length >= size) {
      yield buf;
      buf = [];
    }
  }
  buf.push(...parser.finish());
  if (buf.length) yield buf;
}

/** Splits a text into lines (LF or CRLF), without a trailing empty line. */
export function* textLines(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    yield text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
  }
}
