/**
 * Line input for the import parsers: a file or stdin as numbered lines (UTF-8, byte-order mark dropped, LF or CRLF),
 * and the glue that streams those lines through a parser as event batches for `importParsedEvents`.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { ParsedEvent, ParseReport } from './types.js';

export interface Line {
  /** 1-based. */
  no: number;
  /** Without the line break. */
  text: string;
}

/** What the line-based parsers (queue_log, CSV, SEE lab) have in common. */
export interface LineParser {
  readonly report: ParseReport;
  line(text: string, lineNo: number): ParsedEvent[];
  finish(): ParsedEvent[];
}

/** Adds one to `counts[key]` (report tallies; safe for keys like `constructor` or `__proto__` read from input). */
export function tally(counts: Record<string, number>, key: string): void {
  const value = (Object.hasOwn(counts, key) ? counts[key] : 0) + 1;
  Object.defineProperty(counts, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The lines of a file (`'-'` = stdin) or of a stream. A missing file rejects on the first iteration. */
export async function* readLines(input: string | Readable): AsyncGenerator<Line> {
  const stream = typeof input !== 'string' ? input : input === '-' ? process.stdin : createReadStream(input);
  stream.setEncoding('utf8');
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let no = 0;
  for await (const raw of rl) {
    no++;
    yield { no, text: no === 1 ? raw.replace(/^\uFEFF/, '') : raw };
  }
}

/** Runs lines through a parser, yielding its events in batches of about `batchSize` (last: the `finish()` events). */
export async function* parseLines(parser: LineParser, lines: AsyncIterable<Line> | Iterable<Line>, batchSize = 1000): AsyncGenerator<ParsedEvent[]> {
  let batch: ParsedEvent[] = [];
  for await (const l of lines) {
    const events = parser.line(l.text, l.no);
    for (const e of events) batch.push(e);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  for (const e of parser.finish()) batch.push(e);
  if (batch.length) yield batch;
}
