/**
 * What every importer and the simulator produce: contact events in the shared vocabulary, before they are bound to an
 * account. Parsers are pure (text in, events out); `import.service.ts` resolves queue names, writes the events in bulk
 * and keeps the projections (contact facts, wait sketches) up to date.
 */

import type { ContactEventType } from '../../events/index.js';

export type { ContactEventType };

export interface ParsedEvent {
  /** Contact id within the source (a call id, a simulated contact number). One contact = one attempt. */
  contactId: string;
  type: ContactEventType;
  channel: 'phone' | 'chat' | 'email' | 'web' | 'api';
  at: Date;
  /** Who the customer is, when known (caller number, customer number). Contacts without one form no journey. */
  identity?: string | null;
  /** Queue name as the source calls it; the importer maps names to the account's queues (created when missing). */
  queue?: string | null;
  /** Agent name as the source calls it (kept in the event data; not a user of the account). */
  agent?: string | null;
  /** Unique within the source, stable across re-reads of the same input: importing the same file twice adds nothing. */
  key: string;
  data?: Record<string, unknown>;
}

/** A problem with one line of input: reported with its line number, never fatal to the rest of the file. */
export interface LineProblem {
  line: number;
  reason: string;
  text?: string;
}

/** What a parser says about its input besides the events. */
export interface ParseReport {
  lines: number;
  events: number;
  contacts: number;
  /** The first MAX_LISTED malformed lines (not imported); `malformedCount` counts them all. */
  malformed: LineProblem[];
  malformedCount: number;
  /** The first MAX_LISTED lines imported with a correction (e.g. a negative duration taken as 0); `warningCount` counts all. */
  warnings: LineProblem[];
  warningCount: number;
  /** Verbs (or record kinds) the parser does not know: counted, not fatal. */
  unknown: Record<string, number>;
  /** Records read but deliberately not turned into contact events (agent/pause events, PHANTOM calls …), by kind. */
  skipped: Record<string, number>;
}

export const emptyReport = (): ParseReport => ({
  lines: 0, events: 0, contacts: 0, malformed: [], malformedCount: 0, warnings: [], warningCount: 0, unknown: {}, skipped: {},
});

/** How many problems a report lists; beyond that they are only counted, so a wrong file cannot exhaust memory. */
export const MAX_LISTED = 1000;

/** The reason given for a line holding a NUL byte or a lone UTF-16 surrogate (issue 14 item 10). */
export const UNSAFE_LINE = 'NUL byte or lone surrogate in the line (binary data, not text)';

/** Records a malformed line (its text cut to 200 characters). */
export function malformed(report: ParseReport, line: number, reason: string, text?: string) {
  report.malformedCount++;
  if (report.malformed.length < MAX_LISTED) report.malformed.push({ line, reason, ...(text !== undefined ? { text: text.slice(0, 200) } : {}) });
}

/** Records a line imported with a correction. */
export function warning(report: ParseReport, line: number, reason: string) {
  report.warningCount++;
  if (report.warnings.length < MAX_LISTED) report.warnings.push({ line, reason });
}
