/**
 * `earshot import events FILE.jsonl`: the contact-event vocabulary as JSON lines, for telephony and chat systems that
 * can export their own events. One object per line:
 *   {"contactId": "c-1", "type": "queue.entered", "channel": "phone", "at": "2026-03-02T09:00:05Z",
 *    "identity"?: "+4722334455", "queue"?: "Support", "agent"?: "Kari", "key"?: "…", "data"?: {…}}
 * `occurredAt` is accepted for `at`; a date-time without an offset is read in the import's time zone (`--tz`). Without `key`, the key is a hash of the line, so re-importing a file adds nothing.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { isTimeZone } from '../../../platform/business-hours.js';
import { tally } from './lines.js';
import { CONTACT_VOCABULARY } from '../projection.js';
import { hasUnsafeDeep } from '../../../platform/clean-text.js';
import { emptyReport, malformed, UNSAFE_LINE, type ContactEventType, type ParsedEvent, type ParseReport } from './types.js';

const CHANNELS = ['phone', 'chat', 'email', 'web', 'api'] as const;
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

export class EventsJsonlParser {
  readonly report: ParseReport = emptyReport();
  private contacts = new Set<string>();

  /** `tz`: the zone of date-times written without an offset. */
  constructor(private readonly tz = 'UTC') {}

  line(text: string, lineNo: number): ParsedEvent[] {
    this.report.lines++;
    const raw = text.replace(/\r$/, '');
    if (!raw.trim()) return [];
    const bad = (reason: string) => {
      malformed(this.report, lineNo, reason, raw);
      return [];
    };
    let o: any;
    try {
      o = JSON.parse(raw);
    } catch (e: any) {
      return bad(`not JSON: ${e.message}`);
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) return bad('not a JSON object');
    // Escaped (\u0000, a lone \ud800): the raw line is clean text, the values are not.
    if (hasUnsafeDeep(o)) return bad(UNSAFE_LINE);
    const contactId = str(o.contactId);
    if (!contactId) return bad('contactId missing');
    if (typeof o.type !== 'string') return bad('type missing');
    if (!CONTACT_VOCABULARY.includes(o.type)) {
      tally(this.report.unknown, o.type);
      return [];
    }
    if (!CHANNELS.includes(o.channel)) return bad(`channel must be one of ${CHANNELS.join(', ')}`);
    const when = o.at ?? o.occurredAt;
    // ISO 8601; without an offset it is a local time in the import's zone. Numbers are epoch milliseconds.
    const at = typeof when === 'number' ? new Date(when)
      : typeof when === 'string' ? DateTime.fromISO(when, { zone: this.tz, setZone: true }).toJSDate() : new Date(NaN);
    if (Number.isNaN(at.getTime())) return bad(`at '${when}' is not an ISO 8601 date-time`);
    if (o.data !== undefined && (typeof o.data !== 'object' || o.data === null || Array.isArray(o.data))) return bad('data must be an object');
    if (o.data?.tz !== undefined && !isTimeZone(o.data.tz)) return bad(`data.tz '${o.data.tz}' is not a time zone (use an IANA name such as Europe/Oslo)`);
    this.contacts.add(contactId);
    this.report.contacts = this.contacts.size;
    this.report.events++;
    return [{
      contactId,
      type: o.type as ContactEventType,
      channel: o.channel,
      at,
      identity: str(o.identity),
      queue: str(o.queue),
      agent: str(o.agent),
      key: str(o.key) ?? `ev:${createHash('sha256').update(raw).digest('base64url').slice(0, 32)}`,
      data: o.data,
    }];
  }

  finish(): ParsedEvent[] {
    return [];
  }
}
