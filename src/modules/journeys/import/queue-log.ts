/**
 * Asterisk `queue_log` → contact events.
 *
 * Each line is `epoch|uniqueid|queuename|agent|EVENT|data…`. The data fields after the verb vary by verb and by
 * Asterisk version: the file writer joins them with pipes, the realtime table splits them into data1…data5 (older
 * schemas: one `data` column holding the same pipe-joined text), exports pad with empty trailing fields. Trailing empty
 * fields are therefore dropped before reading, and `NONE` in the queue or agent column means "none". Uniqueids are
 * `<epoch>.<seq>` (`<systemname>-<epoch>.<seq>` when `systemname` is set), `NONE` or `REALTIME` on member events.
 *
 * Verb            Data fields (version notes)                                               Contact events
 * --------------- ------------------------------------------------------------------------- -------------------------
 * ENTERQUEUE      url, callerid[, position (1.8+)]                                           contact.arrived (+ ivr.*)
 *                                                                                            once, queue.entered
 * CONNECT         holdtime[, bridged channel uniqueid (1.4+)[, ringtime s (1.6+)]]           contact.answered
 * RINGNOANSWER    ringtime ms                                                                agent.offered (missed)
 * RINGCANCELED    ringtime ms (13+)                                                          agent.offered (missed)
 * SYSCOMPAT       (none): agent answered but the channels could not be bridged               agent.offered (missed)
 * COMPLETECALLER  holdtime, calltime, origposition                                           contact.resolved
 * COMPLETEAGENT   holdtime, calltime, origposition                                           contact.resolved
 * ABANDON         position, origposition, waittime                                           contact.abandoned
 * EXITWITHTIMEOUT position[, origposition, waittime (1.6+)]                                  contact.abandoned *
 * EXITEMPTY       position, origposition, waittime                                           contact.abandoned *
 * EXITWITHKEY     key, position[, origposition, waittime (1.6+)]                             contact.abandoned *
 * WITHDRAW        position, origposition, waittime[, withdraw info] (17+)                    contact.abandoned *
 * TRANSFER        extension, context[, holdtime, calltime (1.4+)[, origposition (1.6+)]]     contact.transferred +
 *                                                                                            contact.resolved
 * BLINDTRANSFER   extension, context, holdtime, calltime, origposition (12+)                 as TRANSFER
 * ATTENDEDTRANSFER BRIDGE|bridge uniqueid, APP|application or LINK|channel1|channel2, then   as TRANSFER
 *                 holdtime, calltime, origposition (12+): read from the end
 * ADDMEMBER, REMOVEMEMBER (none) · PAUSE, UNPAUSE [reason] · PAUSEALL, UNPAUSEALL (none) · AGENTLOGIN channel ·
 * AGENTLOGOFF channel, logintime · AGENTCALLBACKLOGIN exten@context · AGENTCALLBACKLOGOFF exten@context, logintime,
 * reason · AGENTDUMP (none) · CONFIGRELOAD, QUEUESTART (none) · PENALTY penalty · DID did (FreePBX)
 *                 member, agent and system records: counted in `report.skipped` by verb, no events.
 *
 * holdtime/waittime = seconds since the caller entered this queue; calltime = seconds since the agent answered.
 *
 * Decisions:
 * - Contact = uniqueid. First touch = the uniqueid's epoch (channel creation, i.e. before the voice menu) when it is
 *   not after the queue entry and at most 24 h before it; the span between is emitted as ivr.entered/ivr.left. Else
 *   first touch = the queue entry. A uniqueid is one call: entering another queue later (transfer, overflow, loop)
 *   continues the same contact with another queue.entered.
 * - (*) EXIT verbs take the caller out of the queue without an answer, but the dialplan often sends the call on to
 *   another queue (overflow). So the exit is held: if the same call enters a queue again it becomes a
 *   contact.transferred (data.reason says why), otherwise a contact.abandoned once the call has been quiet for
 *   REENTRY_SECONDS of log time, or at `finish()`. ABANDON (the caller hung up) is final at once.
 * - Orphans (a call whose ENTERQUEUE is not in the input, e.g. in the previous rotated file): their events are emitted
 *   as usual, and the queue entry is reconstructed from the first line that carries the wait (CONNECT holdtime,
 *   ABANDON/EXIT waittime, COMPLETE/TRANSFER holdtime + calltime), with contact.arrived from the uniqueid as above, and
 *   a missing answer from COMPLETE/TRANSFER calltime. These events carry `data.reconstructed: true`. Lines without a
 *   wait (RINGNOANSWER…) before that emit only their own event.
 * - Dedupe keys name the fact, not the line, so that re-reading a file, or reading rotated files that overlap or split
 *   a call, gives the same key to the same fact: `ql:<uid>:<type>` for the once-per-contact events (contact.arrived,
 *   ivr.entered, ivr.left); `ql:<uid>:<type>:<epoch s>:<queue>` for the others, plus `:<agent>` for agent.offered (a
 *   ring-all queue offers one call to many agents in the same second). A reconstructed queue entry or answer thus gets
 *   the key of the real one (Asterisk logs them in the second the durations count from). Two identical lines are one
 *   fact: the second gives no event and is counted as skipped `duplicate` (so is a second key within a call, e.g. the
 *   same agent offered the same call twice in one second).
 * - State is kept per call while it is in a queue or talking (dropped after STALE_SECONDS of log time without a line,
 *   e.g. calls cut by a restart), and for REENTRY_SECONDS after it left a queue (also after ABANDON, so that a
 *   repeated line is recognised).
 */
import { tally, type LineParser } from './lines.js';
import { emptyReport, malformed, type ContactEventType, type ParsedEvent, type ParseReport } from './types.js';

/** How long a call that left a queue is remembered, so that entering another queue continues the same contact. */
export const REENTRY_SECONDS = 3600;
/** Calls without any line for this long (log time) are forgotten; also the furthest the uniqueid may predate the queue. */
export const STALE_SECONDS = 24 * 3600;

const SKIPPED_VERBS = new Set([
  'ADDMEMBER', 'REMOVEMEMBER', 'PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL', 'AGENTLOGIN', 'AGENTLOGOFF',
  'AGENTCALLBACKLOGIN', 'AGENTCALLBACKLOGOFF', 'AGENTDUMP', 'CONFIGRELOAD', 'QUEUESTART', 'PENALTY', 'DID',
]);

type ExitReason = 'timeout' | 'empty' | 'key' | 'withdraw';
const EXIT_VERBS: Record<string, ExitReason> = { EXITWITHTIMEOUT: 'timeout', EXITEMPTY: 'empty', EXITWITHKEY: 'key', WITHDRAW: 'withdraw' };
const OFFER_VERBS: Record<string, string> = { RINGNOANSWER: 'noanswer', RINGCANCELED: 'canceled', SYSCOMPAT: 'incompatible' };
const CALL_VERBS = new Set(['ENTERQUEUE', 'CONNECT', 'COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'TRANSFER',
  'BLINDTRANSFER', 'ATTENDEDTRANSFER', ...Object.keys(EXIT_VERBS), ...Object.keys(OFFER_VERBS)]);

const NO_IDENTITY = new Set(['', 'anonymous', 'unknown', 'restricted', 'private', 'unavailable', 'none']);

/** A caller id as an identity: the number of `"Name" <number>`, nothing for empty or withheld ones. */
export function cleanIdentity(raw: string | undefined | null): string | null {
  if (raw == null) return null;
  const s = (/<([^>]*)>/.exec(raw)?.[1] ?? raw).trim();
  return NO_IDENTITY.has(s.toLowerCase()) ? null : s;
}

/** The channel-creation epoch inside an Asterisk uniqueid (`1700000000.12`, `pbx1-1700000000.12`), if any. */
export function uniqueidEpoch(uid: string): number | null {
  const m = /(?:^|-)(\d{9,11})\.\d+$/.exec(uid);
  return m ? Number(m[1]) : null;
}

interface PendingExit {
  at: number;
  queue: string | null;
  reason: ExitReason;
  data: Record<string, unknown>;
}

interface Call {
  uid: string;
  identity: string | null;
  queue: string | null;
  /** contact.arrived (and a queue.entered) emitted. */
  entered: boolean;
  /** An answer seen since the last queue entry. */
  answered: boolean;
  pending: PendingExit | null;
  /** Log time of the last line (active calls) or of leaving the queue (ended calls). */
  stamp: number;
  /** Keys emitted for the call (duplicates are dropped). */
  keys: Set<string>;
}

class LineError extends Error {}

const NUMBER = /^\d+(?:\.\d+)?$/;
const num = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined || v === '') return undefined;
  if (!NUMBER.test(v)) throw new LineError(`${name} '${v}' is not a number`);
  return Number(v);
};
const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

/** Incremental queue_log parser: feed lines in file order, then call `finish()`. */
export class QueueLogParser implements LineParser {
  readonly report: ParseReport = emptyReport();
  /** Calls waiting or talking, least recently seen first. */
  private readonly active = new Map<string, Call>();
  /** Calls that left a queue (possibly with a held exit), earliest first. */
  private readonly ended = new Map<string, Call>();
  /** Latest log time seen: the clock for forgetting calls (logs are nearly, not strictly, in time order). */
  private now = 0;

  /** One line of the file (1-based line number); returns the events it completes. Never throws on bad input. */
  line(text: string, lineNo: number): ParsedEvent[] {
    this.report.lines++;
    const raw = text.replace(/^\uFEFF/, '').trim();
    if (!raw) return [];
    const out: ParsedEvent[] = [];
    try {
      this.read(raw, out);
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      malformed(this.report, lineNo, e.message, raw);
    }
    return out;
  }

  /** End of input: held exits become abandons; calls still in a queue stay open (their end is in a later file). */
  finish(): ParsedEvent[] {
    const out: ParsedEvent[] = [];
    for (const c of this.ended.values()) this.flushExit(c, out);
    this.ended.clear();
    this.active.clear();
    return out;
  }

  /**
   * Live following (voice channel): moves the log clock to `t` (epoch seconds, e.g. the wall clock) without a line, so
   * that exits held for REENTRY_SECONDS become abandons even when the log stays quiet. Returns the events this completes.
   */
  advanceTo(t: number): ParsedEvent[] {
    const out: ParsedEvent[] = [];
    this.advance(t, out);
    return out;
  }

  /** Live following: the call ids whose exit is held (not yet an abandon or a transfer). */
  heldCalls(): string[] {
    return [...this.ended.values()].filter((c) => c.pending).map((c) => c.uid);
  }

  private read(raw: string, out: ParsedEvent[]): void {
    const f = raw.split('|');
    if (f.length < 5) throw new LineError(`too few fields (${f.length}; need time|callid|queue|agent|event)`);
    const [ts, uid, queueField, agentField, verb, ...data] = f.map((s) => s.trim());
    while (data.length && data[data.length - 1] === '') data.pop();
    if (!NUMBER.test(ts)) throw new LineError(`time '${ts}' is not a number`);
    if (!verb) throw new LineError('no event verb');
    const t = Number(ts);
    if (SKIPPED_VERBS.has(verb)) {
      this.advance(t, out);
      tally(this.report.skipped, verb);
      return;
    }
    if (!CALL_VERBS.has(verb)) {
      this.advance(t, out);
      tally(this.report.unknown, verb);
      return;
    }
    if (!uid || uid === 'NONE' || uid === 'REALTIME') throw new LineError(`${verb} without a call id`);
    const queue = queueField && queueField !== 'NONE' ? queueField : null;
    const agent = agentField && agentField !== 'NONE' ? agentField : null;
    this.callLine(t, uid, queue, agent, verb, data, out);
  }

  private callLine(t: number, uid: string, queue: string | null, agent: string | null, verb: string, d: string[], out: ParsedEvent[]): void {
    const exit = EXIT_VERBS[verb];
    const offer = OFFER_VERBS[verb];
    // Read every number first, so that a bad line changes nothing (not even the clock).
    let entry: number | undefined; // queue entry time, when this line says
    let answer: number | undefined; // answer time, when this line says
    let data: Record<string, unknown> = {};
    if (verb === 'ENTERQUEUE') {
      data = compact({ position: num(d[2], 'position') });
    } else if (verb === 'CONNECT') {
      const hold = num(d[0], 'holdtime');
      data = compact({ holdSeconds: hold, agentCallId: d[1], ringSeconds: num(d[2], 'ringtime') });
      entry = hold === undefined ? undefined : t - hold;
    } else if (offer) {
      const ms = num(d[0], 'ringtime');
      data = compact({ answered: false, reason: offer, ringSeconds: ms === undefined ? undefined : ms / 1000 });
    } else if (verb === 'ABANDON' || exit) {
      const [pos, opos, wait, extra] = exit === 'key' ? d.slice(1) : d;
      const waitSeconds = num(wait, 'waittime');
      data = compact({
        reason: exit ?? 'abandon', key: exit === 'key' ? d[0] : undefined, position: num(pos, 'position'),
        origPosition: num(opos, 'origposition'), waitSeconds, info: exit === 'withdraw' ? extra : undefined,
      });
      entry = waitSeconds === undefined ? undefined : t - waitSeconds;
    } else {
      // COMPLETE* and the transfers: holdtime, calltime (+ origposition) at known places.
      let dest: Record<string, unknown> = {};
      let times: string[];
      if (verb === 'COMPLETECALLER' || verb === 'COMPLETEAGENT') times = d;
      else if (verb === 'ATTENDEDTRANSFER') {
        const end = d.length >= 5 ? d.length - 3 : d.length;
        times = d.slice(end);
        dest = { method: d[0], target: d.slice(1, end).join('|') || undefined };
      } else {
        times = d.slice(2);
        dest = { extension: d[0], context: d[1] };
      }
      const hold = num(times[0], 'holdtime');
      const talk = num(times[1], 'calltime');
      data = compact({ ...dest, holdSeconds: hold, talkSeconds: talk, origPosition: num(times[2], 'origposition') });
      if (talk !== undefined) {
        answer = t - talk;
        if (hold !== undefined) entry = answer - hold;
      }
    }

    this.advance(t, out);
    const c = this.callFor(uid);
    if (queue) c.queue = queue;
    if (verb === 'ENTERQUEUE') {
      if (c.pending) {
        const p = c.pending;
        c.pending = null;
        this.emit(out, c, 'contact.transferred', p.at, { queue: p.queue, data: { ...p.data, toQueue: queue } });
      }
      c.identity ??= cleanIdentity(d[1]);
      c.answered = false;
      if (!c.entered) this.arrive(c, t, false, out, data);
      else this.emit(out, c, 'queue.entered', t, { data });
      this.touch(c);
      return;
    }
    if (!c.entered && entry !== undefined) this.arrive(c, entry, true, out, {});
    if (verb === 'CONNECT') {
      c.answered = true;
      this.emit(out, c, 'contact.answered', t, { agent, data });
      this.touch(c);
    } else if (offer) {
      this.emit(out, c, 'agent.offered', t, { agent, data });
      this.touch(c);
    } else if (verb === 'ABANDON') {
      this.flushExit(c, out);
      this.emit(out, c, 'contact.abandoned', t, { agent, data });
      this.end(c);
    } else if (exit) {
      c.pending = { at: t, queue: c.queue, reason: exit, data };
      this.end(c);
    } else {
      if (!c.answered && answer !== undefined) {
        c.answered = true;
        this.emit(out, c, 'contact.answered', answer, { agent, data: { reconstructed: true } });
      }
      if (verb === 'COMPLETECALLER' || verb === 'COMPLETEAGENT') {
        this.emit(out, c, 'contact.resolved', t, { agent, data: { ...data, by: verb === 'COMPLETECALLER' ? 'caller' : 'agent' } });
      } else {
        const kind = verb === 'TRANSFER' ? 'transfer' : verb === 'BLINDTRANSFER' ? 'blind' : 'attended';
        this.emit(out, c, 'contact.transferred', t, { agent, data: { ...data, kind } });
        this.emit(out, c, 'contact.resolved', t, { agent, data: { by: 'transfer' } });
      }
      this.end(c);
    }
  }

  /** First touch of a contact, then its queue entry at `entry`. */
  private arrive(c: Call, entry: number, reconstructed: boolean, out: ParsedEvent[], entryData: Record<string, unknown>): void {
    c.entered = true;
    this.report.contacts++;
    const born = uniqueidEpoch(c.uid);
    const first = born !== null && born <= entry && entry - born <= STALE_SECONDS ? born : entry;
    const mark = reconstructed ? { reconstructed: true } : undefined;
    this.emit(out, c, 'contact.arrived', first, { data: mark });
    if (first < entry) {
      this.emit(out, c, 'ivr.entered', first, { data: mark });
      this.emit(out, c, 'ivr.left', entry, { data: mark });
    }
    this.emit(out, c, 'queue.entered', entry, { data: { ...entryData, ...mark } });
  }

  private emit(out: ParsedEvent[], c: Call, type: ContactEventType, at: number,
    o: { queue?: string | null; agent?: string | null; data?: Record<string, unknown> }): void {
    const queue = o.queue === undefined ? c.queue : o.queue;
    let key = `ql:${c.uid}:${type}`;
    if (type !== 'contact.arrived' && type !== 'ivr.entered' && type !== 'ivr.left') {
      key += `:${Math.floor(at)}:${queue ?? ''}${type === 'agent.offered' ? `:${o.agent ?? ''}` : ''}`;
    }
    if (c.keys.has(key)) {
      tally(this.report.skipped, 'duplicate');
      return;
    }
    c.keys.add(key);
    const e: ParsedEvent = { contactId: c.uid, type, channel: 'phone', at: new Date(at * 1000), identity: c.identity, queue, key };
    if (o.agent) e.agent = o.agent;
    if (o.data && Object.keys(o.data).length) e.data = o.data;
    out.push(e);
    this.report.events++;
  }

  private callFor(uid: string): Call {
    const c = this.active.get(uid) ?? this.ended.get(uid);
    if (c) return c;
    return { uid, identity: null, queue: null, entered: false, answered: false, pending: null, stamp: this.now, keys: new Set() };
  }

  private touch(c: Call): void {
    this.ended.delete(c.uid);
    this.active.delete(c.uid); // re-insert: the map stays ordered by last line
    c.stamp = Math.max(this.now, c.stamp);
    this.active.set(c.uid, c);
  }

  private end(c: Call): void {
    this.active.delete(c.uid);
    this.ended.delete(c.uid);
    c.stamp = Math.max(this.now, c.stamp);
    this.ended.set(c.uid, c);
  }

  private flushExit(c: Call, out: ParsedEvent[]): void {
    if (!c.pending) return;
    const p = c.pending;
    c.pending = null;
    this.emit(out, c, 'contact.abandoned', p.at, { queue: p.queue, data: p.data });
  }

  /** Moves the log clock to `t` and forgets calls that have been quiet for too long. */
  private advance(t: number, out: ParsedEvent[]): void {
    if (t <= this.now) return;
    this.now = t;
    for (const c of this.ended.values()) {
      if (c.stamp + REENTRY_SECONDS >= t) break;
      this.flushExit(c, out);
      this.ended.delete(c.uid);
    }
    for (const c of this.active.values()) {
      if (c.stamp + STALE_SECONDS >= t) break;
      this.active.delete(c.uid);
    }
  }
}

/** Parses a whole queue_log text (lines split on LF or CRLF). */
export function parseQueueLog(text: string): { events: ParsedEvent[]; report: ParseReport } {
  const p = new QueueLogParser();
  const events: ParsedEvent[] = [];
  for (const [i, l] of text.split(/\r?\n/).entries()) events.push(...p.line(l, i + 1));
  events.push(...p.finish());
  return { events, report: p.report };
}
