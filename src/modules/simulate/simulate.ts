/**
 * A discrete-event simulator of one contact-centre queue: Poisson arrivals, an optional voice menu (IVR) before the
 * queue, a first-come-first-served queue served by N identical agents (the longest-idle free agent takes the call),
 * callers who hang up when their patience runs out before an agent is free, and optional redials of those who hung
 * up. Pure: no database, no clock; the same options and seed give the same result.
 *
 * Reported figures follow Earshot's definitions (ContactFigures in erlang.ts). How they relate to the analytic values
 * of queueMetrics (Erlang C / Erlang A), which describe an arrival seeing the stationary queue:
 *   probWait                  = queued / offered                      ↔ probWait (PASTA)
 *   asaSeconds                = Σ wait of answered / answered         ↔ asaSeconds = E[W | answered]
 *   serviceLevel              = answered within t / answered          ↔ serviceLevel = P(W ≤ t | answered)
 *   serviceLevelAllArrivals   = answered within t / offered           ↔ serviceLevelAllArrivals (the Erlang A "SL")
 *   abandonRate               = abandoned / queued                    ↔ abandonProbability / probWait
 *   abandonProbability        = abandoned / offered                   ↔ abandonProbability
 *   meanWaitAllSeconds        = Σ time in queue of all / offered      ↔ meanWaitAllSeconds = E[W]
 *   occupancy                 = busy time / (N × measured time)       ↔ occupancy
 * The voice menu is an infinite-server delay, so the queue still sees Poisson arrivals and the formulas still apply;
 * redials add arrivals the formulas do not know about.
 *
 * Only contacts arriving after the warm-up and before the end of the horizon count; no new contacts arrive after the
 * horizon, but those already there are played out to the end, so every returned contact is complete.
 */
import type { ContactFigures } from './erlang.js';
import { rng, sampler, type Dist } from './random.js';
import type { ParsedEvent } from '../journeys/index.js';

export interface SimulationOptions {
  arrivalsPerHour: number;
  ahtSeconds: number;
  agents: number;
  /** Mean patience; undefined: callers wait as long as it takes. */
  patienceSeconds?: number;
  /** Mean time in the voice menu before the queue; default 0 (straight into the queue). */
  ivrSeconds?: number;
  /** Service-level threshold; default 20 s. */
  thresholdSeconds?: number;
  hours: number;
  /** Contacts arriving in this first part of the horizon are simulated but not counted; default min(1 h, 5 % of hours). */
  warmupHours?: number;
  seed: number;
  /** Default exponential. */
  serviceDist?: Dist;
  /** Default exponential (the Erlang A assumption). */
  patienceDist?: Dist;
  /** Default constant. */
  ivrDist?: Dist;
  /** Probability that a caller who hung up calls again; default 0. */
  redialProbability?: number;
  /** Mean (exponential) time from hanging up to calling again; default 300 s. */
  redialDelaySeconds?: number;
  /** Return every contact (memory: a few hundred bytes per contact). */
  keepContacts?: boolean;
}

/** One attempt. Times are seconds from the start of the simulation. */
export interface SimulatedContact {
  id: string;
  /** The customer's identity: the same on every attempt of one customer. */
  customer: string;
  /** 1 for the first call, 2 for the first redial … */
  attempt: number;
  arrivalAt: number;
  /** Equals arrivalAt when there is no voice menu. */
  ivrExitAt: number;
  /** Every caller reaches the queue (nobody hangs up in the voice menu): equals ivrExitAt. */
  queueEnteredAt: number;
  answeredAt: number | null;
  abandonedAt: number | null;
  endedAt: number;
  /** Index (0-based) of the agent who answered. */
  agent: number | null;
}

export interface SimulationResult extends ContactFigures {
  agents: number;
  hours: number;
  warmupHours: number;
  seed: number;
  /** Offered contacts that had to wait. */
  queued: number;
  /** Distinct customers among the offered contacts. */
  customers: number;
  contacts?: SimulatedContact[];
}

const ARRIVE = 0, QUEUE = 1, ABANDON = 2, END = 3;

/** A binary min-heap of events on parallel typed arrays: time, kind, and a reference (contact or pending redial). */
class EventHeap {
  size = 0;
  /** The event pop() removed last. */
  topTime = 0;
  topKind = 0;
  topRef = 0;
  private time = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private ref = new Int32Array(1024);

  push(t: number, kind: number, ref: number) {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.time[parent]! <= t) break;
      this.move(parent, i);
      i = parent;
    }
    this.time[i] = t;
    this.kind[i] = kind;
    this.ref[i] = ref;
  }

  /** Removes the earliest event into topTime / topKind / topRef. */
  pop() {
    this.topTime = this.time[0]!;
    this.topKind = this.kind[0]!;
    this.topRef = this.ref[0]!;
    const last = --this.size;
    const t = this.time[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.time[child + 1]! < this.time[child]!) child++;
      if (this.time[child]! >= t) break;
      this.move(child, i);
      i = child;
    }
    this.time[i] = t;
    this.kind[i] = this.kind[last]!;
    this.ref[i] = this.ref[last]!;
  }

  private move(from: number, to: number) {
    this.time[to] = this.time[from]!;
    this.kind[to] = this.kind[from]!;
    this.ref[to] = this.ref[from]!;
  }

  private grow() {
    const n = this.time.length * 2;
    this.time = grown(this.time, n);
    this.kind = grown(this.kind, n);
    this.ref = grown(this.ref, n);
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Contacts on parallel typed arrays (NaN / −1 for "not yet" / "none"), growing as needed. */
class ContactTable {
  count = 0;
  arrival = new Float64Array(1024);
  queueAt = new Float64Array(1024);
  answered = new Float64Array(1024);
  abandoned = new Float64Array(1024);
  ended = new Float64Array(1024);
  service = new Float64Array(1024);
  patience = new Float64Array(1024);
  agent = new Int32Array(1024);
  customer = new Int32Array(1024);
  attempt = new Int32Array(1024);

  add(arrival: number, customer: number, attempt: number): number {
    if (this.count === this.arrival.length) this.grow(this.count * 2);
    const c = this.count++;
    this.arrival[c] = arrival;
    this.queueAt[c] = this.answered[c] = this.abandoned[c] = this.ended[c] = NaN;
    this.agent[c] = -1;
    this.customer[c] = customer;
    this.attempt[c] = attempt;
    return c;
  }

  private grow(n: number) {
    this.arrival = grown(this.arrival, n);
    this.queueAt = grown(this.queueAt, n);
    this.answered = grown(this.answered, n);
    this.abandoned = grown(this.abandoned, n);
    this.ended = grown(this.ended, n);
    this.service = grown(this.service, n);
    this.patience = grown(this.patience, n);
    this.agent = grown(this.agent, n);
    this.customer = grown(this.customer, n);
    this.attempt = grown(this.attempt, n);
  }
}

function check(o: SimulationOptions) {
  const positive = (x: number | undefined) => x !== undefined && x > 0 && Number.isFinite(x);
  if (!positive(o.arrivalsPerHour)) throw new RangeError('arrivals per hour must be a positive number');
  if (!positive(o.ahtSeconds)) throw new RangeError('AHT must be a positive number of seconds');
  if (!Number.isInteger(o.agents) || o.agents < 1) throw new RangeError('agents must be a whole number ≥ 1');
  if (o.patienceSeconds !== undefined && !(o.patienceSeconds > 0)) throw new RangeError('patience must be a positive number of seconds');
  if (o.ivrSeconds !== undefined && !(o.ivrSeconds >= 0 && Number.isFinite(o.ivrSeconds))) throw new RangeError('IVR time must be a number of seconds ≥ 0');
  if (o.thresholdSeconds !== undefined && !(o.thresholdSeconds >= 0)) throw new RangeError('threshold must be a number of seconds ≥ 0');
  if (!positive(o.hours)) throw new RangeError('hours must be a positive number');
  if (o.warmupHours !== undefined && !(o.warmupHours >= 0 && o.warmupHours < o.hours)) throw new RangeError('the warm-up must be shorter than the horizon');
  if (!Number.isSafeInteger(o.seed)) throw new RangeError('the seed must be a whole number');
  if (o.redialProbability !== undefined && !(o.redialProbability >= 0 && o.redialProbability < 1)) throw new RangeError('the redial probability must lie in [0, 1)');
  if (o.redialDelaySeconds !== undefined && !positive(o.redialDelaySeconds)) throw new RangeError('the redial delay must be a positive number of seconds');
}

export function simulate(o: SimulationOptions): SimulationResult {
  check(o);
  const N = o.agents;
  const horizon = o.hours * 3600;
  const warmupHours = o.warmupHours ?? Math.min(1, 0.05 * o.hours);
  const warmup = warmupHours * 3600;
  const threshold = o.thresholdSeconds ?? 20;
  const redialP = o.redialProbability ?? 0;
  const patient = o.patienceSeconds === undefined || o.patienceSeconds === Infinity;

  // One random stream per purpose (common random numbers across runs that differ in, say, N).
  const interArrival = sampler({ kind: 'exp' }, 3600 / o.arrivalsPerHour, rng(o.seed, 0));
  const serviceTime = sampler(o.serviceDist ?? { kind: 'exp' }, o.ahtSeconds, rng(o.seed, 1));
  const patienceTime = patient ? () => Infinity : sampler(o.patienceDist ?? { kind: 'exp' }, o.patienceSeconds!, rng(o.seed, 2));
  const ivrTime = o.ivrSeconds ? sampler(o.ivrDist ?? { kind: 'const' }, o.ivrSeconds, rng(o.seed, 3)) : () => 0;
  const redialDraw = rng(o.seed, 4);
  const redialDelay = sampler({ kind: 'exp' }, o.redialDelaySeconds ?? 300, rng(o.seed, 5));

  const events = new EventHeap();
  const contacts = new ContactTable();
  // Redials scheduled but not yet arrived: the ARRIVE event's ref indexes these (−1: a new customer).
  const redialCustomer: number[] = [];
  const redialAttempt: number[] = [];
  let customers = 0;
  // Waiting callers in arrival order; those who hung up stay until they reach the head and are skipped there.
  const waiting: number[] = [];
  let head = 0;
  // Free agents, longest idle first (a ring buffer of N).
  const free = new Int32Array(N);
  let freeHead = 0, freeCount = N;
  for (let a = 0; a < N; a++) free[a] = a;
  let busy = 0; // agent-seconds inside [warmup, horizon]

  const answer = (c: number, agent: number, t: number) => {
    const end = t + contacts.service[c]!;
    contacts.answered[c] = t;
    contacts.agent[c] = agent;
    contacts.ended[c] = end;
    busy += Math.max(0, Math.min(end, horizon) - Math.max(t, warmup));
    events.push(end, END, c);
  };
  const enterQueue = (c: number, t: number) => {
    contacts.queueAt[c] = t;
    if (freeCount > 0) {
      const agent = free[freeHead]!;
      freeHead = (freeHead + 1) % N;
      freeCount--;
      answer(c, agent, t);
    } else {
      waiting.push(c);
      if (!patient) events.push(t + contacts.patience[c]!, ABANDON, c);
    }
  };

  const first = interArrival();
  if (first < horizon) events.push(first, ARRIVE, -1);
  while (events.size > 0) {
    events.pop();
    const t = events.topTime, ref = events.topRef;
    switch (events.topKind) {
      case ARRIVE: {
        const c = ref < 0 ? contacts.add(t, customers++, 1) : contacts.add(t, redialCustomer[ref]!, redialAttempt[ref]!);
        if (ref < 0) {
          const next = t + interArrival();
          if (next < horizon) events.push(next, ARRIVE, -1);
        }
        // Drawn for every contact, in arrival order, so each stream stays aligned across runs.
        contacts.service[c] = serviceTime();
        contacts.patience[c] = patienceTime();
        const ivr = ivrTime();
        if (ivr > 0) events.push(t + ivr, QUEUE, c);
        else enterQueue(c, t);
        break;
      }
      case QUEUE:
        enterQueue(ref, t);
        break;
      case ABANDON:
        if (Number.isNaN(contacts.answered[ref]!)) {
          contacts.abandoned[ref] = contacts.ended[ref] = t;
          if (redialP > 0 && redialDraw() < redialP) {
            const at = t + redialDelay();
            if (at < horizon) {
              events.push(at, ARRIVE, redialCustomer.length);
              redialCustomer.push(contacts.customer[ref]!);
              redialAttempt.push(contacts.attempt[ref]! + 1);
            }
          }
        }
        break;
      case END: {
        const agent = contacts.agent[ref]!;
        while (head < waiting.length && !Number.isNaN(contacts.abandoned[waiting[head]!]!)) head++;
        if (head < waiting.length) answer(waiting[head++]!, agent, t);
        else {
          free[(freeHead + freeCount) % N] = agent;
          freeCount++;
        }
        if (head > 65_536 && head * 2 > waiting.length) {
          waiting.splice(0, head);
          head = 0;
        }
        break;
      }
    }
  }

  let offered = 0, queued = 0, answered = 0, within = 0, abandoned = 0, answeredWait = 0, allWait = 0;
  const counted = new Set<number>();
  for (let c = 0; c < contacts.count; c++) {
    if (contacts.arrival[c]! < warmup) continue;
    offered++;
    counted.add(contacts.customer[c]!);
    const answeredAt = contacts.answered[c]!;
    const wait = (Number.isNaN(answeredAt) ? contacts.abandoned[c]! : answeredAt) - contacts.queueAt[c]!;
    if (wait > 0) queued++;
    allWait += wait;
    if (Number.isNaN(answeredAt)) abandoned++;
    else {
      answered++;
      answeredWait += wait;
      if (wait <= threshold) within++;
    }
  }
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

  const result: SimulationResult = {
    offered,
    answered,
    abandoned,
    probWait: ratio(queued, offered),
    asaSeconds: ratio(answeredWait, answered),
    serviceLevel: ratio(within, answered),
    thresholdSeconds: threshold,
    abandonRate: ratio(abandoned, queued),
    occupancy: busy / (N * (horizon - warmup)),
    serviceLevelAllArrivals: ratio(within, offered),
    abandonProbability: ratio(abandoned, offered),
    meanWaitAllSeconds: ratio(allWait, offered),
    agents: N,
    hours: o.hours,
    warmupHours,
    seed: o.seed,
    queued,
    customers: counted.size,
  };
  if (o.keepContacts) result.contacts = contactList(contacts, o.seed);
  return result;
}

function contactList(t: ContactTable, seed: number): SimulatedContact[] {
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  const out: SimulatedContact[] = new Array(t.count);
  for (let c = 0; c < t.count; c++) {
    out[c] = {
      id: `sim-${seed}-${c + 1}`,
      customer: `sim-${seed}-customer-${t.customer[c]! + 1}`,
      attempt: t.attempt[c]!,
      arrivalAt: t.arrival[c]!,
      ivrExitAt: t.queueAt[c]!,
      queueEnteredAt: t.queueAt[c]!,
      answeredAt: orNull(t.answered[c]!),
      abandonedAt: orNull(t.abandoned[c]!),
      endedAt: t.ended[c]!,
      agent: t.agent[c]! < 0 ? null : t.agent[c]!,
    };
  }
  return out;
}

export interface ContactEventOptions {
  /** The seed of the run: part of every dedupe key, so re-importing the same run adds nothing. */
  seed: number;
  /** Queue name; default 'simulated'. */
  queue?: string;
}

/**
 * The contacts as contact events on the phone channel, `start` being simulation time 0: contact.arrived,
 * ivr.entered / ivr.left (when there was a voice menu), queue.entered (when the caller had to wait), then contact.answered and contact.resolved
 * (agents named agent-1 … agent-N) or contact.abandoned.
 */
export function contactsToEvents(contacts: Iterable<SimulatedContact>, start: Date, opts: ContactEventOptions): ParsedEvent[] {
  const queue = opts.queue ?? 'simulated';
  const t0 = start.getTime();
  const out: ParsedEvent[] = [];
  for (const c of contacts) {
    const agent = c.agent === null ? null : `agent-${c.agent + 1}`;
    const event = (type: ParsedEvent['type'], at: number, extra: Partial<ParsedEvent> = {}) =>
      out.push({
        contactId: c.id,
        type,
        channel: 'phone',
        at: new Date(t0 + at * 1000),
        identity: c.customer,
        queue,
        key: `sim:${opts.seed}:${c.id}:${type}`,
        ...extra,
      });
    event('contact.arrived', c.arrivalAt, { data: { attempt: c.attempt } });
    if (c.ivrExitAt > c.arrivalAt) {
      event('ivr.entered', c.arrivalAt);
      event('ivr.left', c.ivrExitAt);
    }
    // Like an ACD's queue_log, and like the report's definition of "queued": only callers who found no free agent
    // enter the queue; one who is connected at once is answered without queueing (queue wait 0).
    if (c.answeredAt === null || c.answeredAt > c.queueEnteredAt) event('queue.entered', c.queueEnteredAt);
    if (c.answeredAt !== null) {
      event('contact.answered', c.answeredAt, { agent });
      event('contact.resolved', c.endedAt, { agent });
    } else if (c.abandonedAt !== null) event('contact.abandoned', c.abandonedAt);
  }
  return out;
}
