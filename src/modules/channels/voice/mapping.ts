/**
 * Phone events → the contact-event vocabulary (docs/metrics.md). Pure: no database, no clock of its own.
 *
 * - `mapAmiEvent(state, message, receivedAt)`: one Asterisk Manager Interface event (Asterisk 12+ field layout, as
 *   Asterisk 18/20 send it) to contact events. One contact per call: contact id `ami:<Linkedid>` (the Linkedid is the
 *   Uniqueid of the oldest channel of the call, so the caller's channel, the agents' channels and Local channels of one
 *   call share it). The in-flight state (which calls are in which queue, answered, left without an answer) lives in
 *   `state` so a caller can keep it across reconnects; every event is written as it comes, so losing the state (a
 *   restart) loses no written event.
 * - `mapCtiItem(item, index)`: one item of the generic CTI webhook (JSON) to contact events, or a validation error that
 *   names the index and the field.
 *
 * AMI mapping:
 *   Newchannel (Uniqueid = Linkedid)   remembered: creation time and caller number (no event: most channels are not
 *                                      customer calls)
 *   QueueCallerJoin                    contact.arrived on the call's first queue entry (at channel creation: the
 *                                      Newchannel time, else the epoch in the Linkedid, else the join), ivr.entered and
 *                                      ivr.left for the time between creation and the queue, queue.entered
 *   AgentCalled                        agent.offered (agent = MemberName, else Interface)
 *   AgentConnect                       contact.answered (data: holdSeconds, ringSeconds)
 *   QueueCallerAbandon                 contact.abandoned (data: position, origPosition, holdSeconds)
 *   QueueCallerLeave without answer    held: a later QueueCallerJoin makes it contact.transferred (overflow to another
 *                                      queue), the caller's Hangup makes it contact.abandoned at the leave time
 *   BlindTransfer / AttendedTransfer   contact.transferred
 *   AgentComplete                      contact.resolved (data: holdSeconds, talkSeconds, by: caller|agent|transfer)
 *   Hangup of the caller's channel     contact.resolved after an answer (if AgentComplete did not come), or
 *                                      contact.abandoned when the caller was still in a queue
 * Event times: the `Timestamp` header (manager.conf `timestampevents = yes`, recommended) else the time received.
 * Dedupe keys name the fact, so a replayed event adds nothing: `ami:<Linkedid>:<type>` for once-per-call facts
 * (arrived, ivr, resolved), else `ami:<Linkedid>:<type>:<epoch s>:<queue>[:<member>]`.
 */
import { invalid } from '../../../platform/errors.js';
import type { ContactEventType } from '../../events/index.js';
import { normaliseIdentity } from '../../customers/index.js';
import { cleanIdentity, uniqueidEpoch } from '../../journeys/index.js';

export interface VoiceEvent {
  /** Full contact id, with the source prefix (`ami:…`, `cti:…`, `queue-log:…`). */
  contactId: string;
  type: ContactEventType;
  at: Date;
  /** The caller: a normalised phone number when it is one (see phoneIdentity), else the caller id as given. */
  identity: string | null;
  queue: string | null;
  /** Agent as the source names it (member name, interface); mapped to a user when one has that name or email. */
  agent: string | null;
  /** Full dedupe key. */
  key: string;
  data?: Record<string, unknown>;
}

const PHONE = /^\+?\d{3,20}$/;
export const isPhone = (s: string | null | undefined): s is string => !!s && PHONE.test(s);

/** A caller id as an identity: normalised like customer phone identities when it is a number; null when withheld. */
export function phoneIdentity(raw: string | null | undefined): string | null {
  const c = cleanIdentity(raw ?? null);
  if (!c) return null;
  try {
    return normaliseIdentity('phone', c);
  } catch {
    return c;
  }
}

// ---------------------------------------------------------------- AMI

export type AmiMessage = Record<string, string>;

interface AmiCall {
  linkedid: string;
  identity: string | null;
  queue: string | null;
  entered: boolean;
  answered: boolean;
  abandoned: boolean;
  resolved: boolean;
  /** Left a queue without an answer (timeout, key, empty): decided by what comes next. */
  left: { at: number; queue: string | null } | null;
  seen: number;
}

export interface AmiState {
  calls: Map<string, AmiCall>;
  /** Linkedid → creation time and caller number of the call's first channel. */
  channels: Map<string, { at: number; identity: string | null }>;
  /** Latest event time seen (seconds): the clock for forgetting calls. */
  now: number;
  count: number;
}

export const newAmiState = (): AmiState => ({ calls: new Map(), channels: new Map(), now: 0, count: 0 });

/** Calls and channels without an event for this long are forgotten (a lost Hangup). */
const FORGET_SECONDS = 24 * 3600;

const numOrUndef = (v: string | undefined) => (v === undefined || v === '' || !/^-?\d+(\.\d+)?$/.test(v) ? undefined : Number(v));
const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));
const noneToNull = (v: string | undefined) => (v && v !== '<unknown>' ? v : null);

/** Event time in seconds: the Timestamp header when Asterisk sends one, else when it was received. */
export function amiTime(m: AmiMessage, receivedAt: Date): number {
  const ts = numOrUndef(m.Timestamp);
  return ts !== undefined ? ts : receivedAt.getTime() / 1000;
}

export function mapAmiEvent(state: AmiState, m: AmiMessage, receivedAt: Date): VoiceEvent[] {
  const name = m.Event;
  if (!name) return [];
  const t = amiTime(m, receivedAt);
  if (t > state.now) state.now = t;
  if (++state.count % 1000 === 0) forget(state);
  const out: VoiceEvent[] = [];
  const L = m.Linkedid || m.TransfererLinkedid || m.Uniqueid;
  if (!L) return out;

  switch (name) {
    case 'Newchannel':
      if (m.Uniqueid === m.Linkedid && !state.channels.has(L)) state.channels.set(L, { at: t, identity: phoneIdentity(m.CallerIDNum) });
      return out;
    case 'QueueCallerJoin': {
      const c = callFor(state, L, m, t);
      const queue = noneToNull(m.Queue);
      if (c.left) {
        emit(out, c, 'contact.transferred', c.left.at, { queue: c.left.queue, data: { reason: 'left-queue', toQueue: queue } });
        c.left = null;
      }
      c.queue = queue ?? c.queue;
      c.answered = false;
      if (!c.entered) arrive(state, out, c, t, false, { position: numOrUndef(m.Position) });
      else emit(out, c, 'queue.entered', t, { data: compact({ position: numOrUndef(m.Position) }) });
      return out;
    }
    case 'AgentCalled': {
      const c = callFor(state, L, m, t);
      const agent = noneToNull(m.MemberName) ?? noneToNull(m.Interface) ?? noneToNull(m.AgentName);
      emit(out, c, 'agent.offered', t, { agent, data: compact({ interface: m.Interface }) });
      return out;
    }
    case 'AgentConnect': {
      const c = callFor(state, L, m, t);
      const hold = numOrUndef(m.HoldTime);
      if (!c.entered && hold !== undefined) arrive(state, out, c, t - hold, true, {});
      c.left = null;
      c.answered = true;
      const agent = noneToNull(m.MemberName) ?? noneToNull(m.Interface);
      emit(out, c, 'contact.answered', t, { agent, data: compact({ holdSeconds: hold, ringSeconds: numOrUndef(m.RingTime), interface: m.Interface }) });
      return out;
    }
    case 'QueueCallerAbandon': {
      const c = callFor(state, L, m, t);
      const hold = numOrUndef(m.HoldTime);
      if (!c.entered && hold !== undefined) arrive(state, out, c, t - hold, true, {});
      c.left = null;
      c.abandoned = true;
      emit(out, c, 'contact.abandoned', t, {
        data: compact({ reason: 'abandon', position: numOrUndef(m.Position), origPosition: numOrUndef(m.OriginalPosition), holdSeconds: hold }),
      });
      return out;
    }
    case 'QueueCallerLeave': {
      const c = state.calls.get(L);
      if (!c) return out;
      c.seen = t;
      // Asterisk sends the leave before AgentConnect when a member answers; the connect clears it again.
      if (!c.answered && !c.abandoned) c.left = { at: t, queue: noneToNull(m.Queue) ?? c.queue };
      return out;
    }
    case 'BlindTransfer':
    case 'AttendedTransfer': {
      const c = state.calls.get(L);
      if (!c?.entered) return out;
      c.seen = t;
      emit(out, c, 'contact.transferred', t, {
        data: compact({ kind: name === 'BlindTransfer' ? 'blind' : 'attended', result: m.Result, extension: m.Extension, context: m.Context }),
      });
      return out;
    }
    case 'AgentComplete': {
      const c = callFor(state, L, m, t);
      const hold = numOrUndef(m.HoldTime);
      const talk = numOrUndef(m.TalkTime);
      const agent = noneToNull(m.MemberName) ?? noneToNull(m.Interface);
      if (!c.entered && hold !== undefined && talk !== undefined) arrive(state, out, c, t - talk - hold, true, {});
      if (!c.answered && talk !== undefined) {
        c.answered = true;
        emit(out, c, 'contact.answered', t - talk, { agent, data: { reconstructed: true } });
      }
      c.resolved = true;
      emit(out, c, 'contact.resolved', t, { agent, data: compact({ holdSeconds: hold, talkSeconds: talk, by: m.Reason }) });
      return out;
    }
    case 'Hangup': {
      if (m.Uniqueid !== m.Linkedid) return out; // an agent's or a Local channel: the call goes on
      state.channels.delete(L);
      const c = state.calls.get(L);
      if (!c) return out;
      state.calls.delete(L);
      const cause = compact({ cause: numOrUndef(m.Cause), causeText: m['Cause-txt'] });
      if (c.answered && !c.resolved) emit(out, c, 'contact.resolved', t, { data: { by: 'hangup', ...cause } });
      else if (!c.answered && !c.abandoned && c.left) emit(out, c, 'contact.abandoned', c.left.at, { queue: c.left.queue, data: { reason: 'left-queue', ...cause } });
      else if (c.entered && !c.answered && !c.abandoned) emit(out, c, 'contact.abandoned', t, { data: { reason: 'hangup', ...cause } });
      return out;
    }
    default:
      return out;
  }
}

function callFor(state: AmiState, L: string, m: AmiMessage, t: number): AmiCall {
  let c = state.calls.get(L);
  if (!c) {
    c = {
      linkedid: L, identity: null, queue: noneToNull(m.Queue), entered: false, answered: false, abandoned: false, resolved: false, left: null, seen: t,
    };
    state.calls.set(L, c);
  }
  c.seen = t;
  // The caller's number: from the caller's own channel (on agent events CallerIDNum is the caller's too, as the
  // Channel fields describe the caller side; Dest* describe the member).
  c.identity ??= state.channels.get(L)?.identity ?? phoneIdentity(m.CallerIDNum);
  if (m.Queue) c.queue ??= noneToNull(m.Queue);
  return c;
}

function arrive(state: AmiState, out: VoiceEvent[], c: AmiCall, entry: number, reconstructed: boolean, entryData: Record<string, unknown>) {
  c.entered = true;
  const created = state.channels.get(c.linkedid)?.at ?? uniqueidEpoch(c.linkedid);
  const first = created !== null && created <= entry && entry - created <= FORGET_SECONDS ? created : entry;
  const mark = reconstructed ? { reconstructed: true } : undefined;
  emit(out, c, 'contact.arrived', first, { data: mark });
  if (first < entry) {
    emit(out, c, 'ivr.entered', first, { data: mark });
    emit(out, c, 'ivr.left', entry, { data: mark });
  }
  emit(out, c, 'queue.entered', entry, { data: compact({ ...entryData, ...mark }) });
}

const ONCE: ReadonlySet<string> = new Set(['contact.arrived', 'ivr.entered', 'ivr.left', 'contact.resolved']);

function emit(out: VoiceEvent[], c: AmiCall, type: ContactEventType, at: number,
  o: { queue?: string | null; agent?: string | null; data?: Record<string, unknown> }) {
  const queue = o.queue === undefined ? c.queue : o.queue;
  let key = `ami:${c.linkedid}:${type}`;
  if (!ONCE.has(type)) key += `:${Math.floor(at)}:${queue ?? ''}${type === 'agent.offered' ? `:${o.agent ?? ''}` : ''}`;
  const e: VoiceEvent = { contactId: `ami:${c.linkedid}`, type, at: new Date(Math.round(at * 1000)), identity: c.identity, queue, agent: o.agent ?? null, key };
  if (o.data && Object.keys(o.data).length) e.data = o.data;
  out.push(e);
}

function forget(state: AmiState) {
  const before = state.now - FORGET_SECONDS;
  for (const [k, c] of state.calls) if (c.seen < before) state.calls.delete(k);
  for (const [k, ch] of state.channels) if (ch.at < before) state.channels.delete(k);
}

// ---------------------------------------------------------------- CTI webhook

/** The CTI webhook's own event names and the vocabulary type each becomes. Vocabulary names are accepted as well. */
export const CTI_TYPES: Record<string, ContactEventType> = {
  'call.started': 'contact.arrived',
  'ivr.entered': 'ivr.entered',
  'ivr.left': 'ivr.left',
  'queue.entered': 'queue.entered',
  'agent.ringing': 'agent.offered',
  'call.answered': 'contact.answered',
  'call.abandoned': 'contact.abandoned',
  'call.transferred': 'contact.transferred',
  'call.ended': 'contact.resolved',
  'callback.requested': 'callback.requested',
  // the vocabulary names themselves
  'contact.arrived': 'contact.arrived',
  'agent.offered': 'agent.offered',
  'contact.answered': 'contact.answered',
  'contact.abandoned': 'contact.abandoned',
  'contact.transferred': 'contact.transferred',
  'contact.resolved': 'contact.resolved',
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** One webhook item to its event; throws a validation error naming `body/<index>/<field>`. */
export function mapCtiItem(item: unknown, index: number): VoiceEvent {
  const f = (field: string) => `body/${index}/${field}`;
  if (!item || typeof item !== 'object' || Array.isArray(item)) throw invalid(`body/${index}`, 'must be an object');
  const it = item as Record<string, unknown>;
  for (const k of Object.keys(it))
    if (!['callId', 'type', 'at', 'from', 'queue', 'agent', 'data'].includes(k)) throw invalid(f(k), 'is not a known field');
  if (typeof it.callId !== 'string' || !it.callId.trim()) throw invalid(f('callId'), 'is required (the telephony system\'s id of the call)');
  if (it.callId.length > 200) throw invalid(f('callId'), 'is longer than 200 characters');
  if (typeof it.type !== 'string' || !it.type) throw invalid(f('type'), 'is required');
  const type = Object.hasOwn(CTI_TYPES, it.type) ? CTI_TYPES[it.type] : undefined;
  if (!type) throw invalid(f('type'), `unknown type '${it.type}' (use one of ${Object.keys(CTI_TYPES).slice(0, 10).join(', ')})`);
  if (typeof it.at !== 'string' || !it.at) throw invalid(f('at'), 'is required (ISO 8601 date-time with an offset)');
  const at = new Date(it.at);
  if (!ISO.test(it.at) || Number.isNaN(at.getTime())) throw invalid(f('at'), `not an ISO 8601 date-time with an offset: '${it.at}'`);
  let identity: string | null = null;
  if (it.from !== undefined && it.from !== null) {
    if (typeof it.from !== 'string') throw invalid(f('from'), 'must be a string (the caller number)');
    const clean = cleanIdentity(it.from);
    if (clean) {
      try {
        identity = normaliseIdentity('phone', clean);
      } catch {
        throw invalid(f('from'), `not a phone number: '${it.from}'`);
      }
    }
  }
  for (const k of ['queue', 'agent'] as const) {
    const v = it[k];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 200)) throw invalid(f(k), 'must be a string of at most 200 characters');
  }
  if (it.data !== undefined && (typeof it.data !== 'object' || it.data === null || Array.isArray(it.data))) throw invalid(f('data'), 'must be an object');
  const callId = it.callId.trim();
  return {
    contactId: `cti:${callId}`,
    type,
    at,
    identity,
    queue: (it.queue as string | undefined)?.trim() || null,
    agent: (it.agent as string | undefined)?.trim() || null,
    key: `cti:${callId}:${type}:${at.toISOString()}`,
    ...(it.data ? { data: it.data as Record<string, unknown> } : {}),
  };
}
