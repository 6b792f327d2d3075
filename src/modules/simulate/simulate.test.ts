/**
 * The simulator against the analytic values (Erlang C cases 1 and 3, Erlang A case 7 of
 * ../shared/data/callcenter/erlang_reference_cases.md), its bookkeeping, redials, determinism, the event export and
 * the random distributions.
 *
 * Tolerance of the comparisons: each check runs 20 independent replications (own seed, own warm-up of 1 h) and accepts
 * |mean − analytic| ≤ 4 standard errors of the mean over the replications. Replications are independent, so the
 * standard error is honest (batch means within one run would be correlated); 4 SE is a two-sided p ≈ 0.001 per
 * figure under Student's t with 19 degrees of freedom. So that the check can fail, each case also asserts that the
 * analytic values for one agent fewer and one more lie outside that band.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, contactsToEvents, type SimulationOptions, type SimulationResult, type SimulatedContact } from './simulate.js';
import { queueMetrics, type QueueMetrics } from './erlang.js';
import { parseDist, rng, sampler, type Dist } from './random.js';

const FIGURES = ['probWait', 'asaSeconds', 'serviceLevel', 'serviceLevelAllArrivals', 'abandonProbability', 'abandonRate', 'meanWaitAllSeconds', 'occupancy'] as const;
type Figure = (typeof FIGURES)[number];
type Estimates = Record<Figure, { mean: number; se: number }>;

function replicate(o: Omit<SimulationOptions, 'seed'>, reps: number, firstSeed: number): Estimates {
  const runs: SimulationResult[] = [];
  for (let i = 0; i < reps; i++) runs.push(simulate({ ...o, seed: firstSeed + i }));
  const est = {} as Estimates;
  for (const k of FIGURES) {
    const xs = runs.map((r) => r[k]!);
    const mean = xs.reduce((a, b) => a + b, 0) / reps;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (reps - 1);
    est[k] = { mean, se: Math.sqrt(variance / reps) };
  }
  return est;
}

/** The analytic counterpart of each simulated figure (see the table in simulate.ts). */
const analytic = (m: QueueMetrics): Record<Figure, number> => ({
  probWait: m.probWait,
  asaSeconds: m.asaSeconds,
  serviceLevel: m.serviceLevel,
  serviceLevelAllArrivals: m.serviceLevelAllArrivals,
  abandonProbability: m.abandonProbability,
  abandonRate: m.abandonProbability / m.probWait,
  meanWaitAllSeconds: m.meanWaitAllSeconds,
  occupancy: m.occupancy,
});

/** Every figure within 4 SE of the analytic value; the key waiting figures more than 4 SE away for N ± 1. */
function assertMatches(est: Estimates, o: Omit<SimulationOptions, 'seed'>) {
  const q = { arrivalsPerHour: o.arrivalsPerHour, ahtSeconds: o.ahtSeconds, patienceSeconds: o.patienceSeconds, thresholdSeconds: o.thresholdSeconds ?? 20 };
  const right = analytic(queueMetrics({ ...q, agents: o.agents }));
  const report = FIGURES.map((k) => `${k}: ${est[k].mean.toFixed(5)} ± ${est[k].se.toFixed(5)} (analytic ${right[k].toFixed(5)})`).join('\n');
  for (const k of FIGURES) {
    assert.ok(Math.abs(est[k].mean - right[k]) <= 4 * est[k].se, `${k} off by more than 4 SE\n${report}`);
  }
  for (const agents of [o.agents - 1, o.agents + 1]) {
    const wrong = analytic(queueMetrics({ ...q, agents }));
    for (const k of ['probWait', 'asaSeconds', 'serviceLevelAllArrivals'] as const) {
      assert.ok(Math.abs(est[k].mean - wrong[k]) > 4 * est[k].se, `${k} cannot tell N = ${o.agents} from N = ${agents}\n${report}`);
    }
  }
}

test('Erlang C case 1 (200/h, AHT 180 s, N 14, t 20 s): 20 × 250 h within 4 SE', () => {
  const o = { arrivalsPerHour: 200, ahtSeconds: 180, agents: 14, thresholdSeconds: 20, hours: 250 };
  const est = replicate(o, 20, 1000);
  assertMatches(est, o);
  assert.equal(est.abandonProbability.mean, 0);
});

test('Erlang C case 3 (720/h, AHT 240 s, N 55, t 15 s) behind a uniform 0–60 s voice menu: 20 × 70 h within 4 SE', () => {
  // The voice menu is an infinite-server delay: the queue still sees Poisson arrivals, so Erlang C still holds.
  const o = { arrivalsPerHour: 720, ahtSeconds: 240, agents: 55, thresholdSeconds: 15, hours: 70, ivrSeconds: 30, ivrDist: { kind: 'uniform' } as Dist };
  assertMatches(replicate(o, 20, 2000), o);
});

test('Erlang A case 7 (case 1 with patience 300 s, N 13): 20 × 250 h within 4 SE', () => {
  const o = { arrivalsPerHour: 200, ahtSeconds: 180, agents: 13, patienceSeconds: 300, thresholdSeconds: 20, hours: 250 };
  const est = replicate(o, 20, 3000);
  assertMatches(est, o);
  assert.ok(est.abandonProbability.mean > 0.02);
});

/** One small run with every feature on, contacts kept. */
const busy: SimulationOptions = {
  arrivalsPerHour: 240,
  ahtSeconds: 200,
  agents: 12,
  patienceSeconds: 60,
  patienceDist: { kind: 'lognormal', cv: 0.5 },
  serviceDist: { kind: 'erlang2' },
  ivrSeconds: 15,
  ivrDist: { kind: 'exp' },
  redialProbability: 0.6,
  redialDelaySeconds: 120,
  hours: 8,
  seed: 7,
  keepContacts: true,
};

test('same seed → identical output; different seed → different output', () => {
  const a = simulate(busy);
  assert.deepEqual(simulate(busy), a);
  const b = simulate({ ...busy, seed: 8 });
  assert.notDeepEqual(b.contacts!.slice(0, 10).map((c) => c.arrivalAt), a.contacts!.slice(0, 10).map((c) => c.arrivalAt));
  assert.notEqual(b.offered, a.offered);
});

test('bookkeeping: agents serve one caller at a time, FCFS, warm-up contacts kept but not counted, figures add up', () => {
  const r = simulate(busy);
  const contacts = r.contacts!;
  const warmup = r.warmupHours * 3600;
  assert.equal(r.warmupHours, 0.4); // default: 5 % of 8 h
  const counted = contacts.filter((c) => c.arrivalAt >= warmup);
  assert.ok(contacts.length > counted.length);
  assert.equal(r.offered, counted.length);
  assert.equal(r.answered + r.abandoned, r.offered);
  assert.equal(r.answered, counted.filter((c) => c.answeredAt !== null).length);
  assert.equal(r.queued, counted.filter((c) => (c.answeredAt ?? c.abandonedAt!) > c.queueEnteredAt).length);
  assert.equal(r.probWait, r.queued / r.offered);
  assert.equal(r.abandonRate, r.abandoned / r.queued);
  assert.ok(r.occupancy! > 0 && r.occupancy! <= 1);

  const byAgent = new Map<number, SimulatedContact[]>();
  for (const c of contacts) {
    assert.ok(c.arrivalAt <= c.ivrExitAt && c.ivrExitAt === c.queueEnteredAt);
    assert.ok((c.answeredAt === null) !== (c.abandonedAt === null), 'answered or abandoned, never both');
    if (c.answeredAt === null) {
      assert.equal(c.agent, null);
      assert.ok(c.abandonedAt! > c.queueEnteredAt && c.endedAt === c.abandonedAt);
      continue;
    }
    assert.ok(c.agent! >= 0 && c.agent! < busy.agents);
    assert.ok(c.answeredAt >= c.queueEnteredAt && c.endedAt > c.answeredAt);
    byAgent.set(c.agent!, [...(byAgent.get(c.agent!) ?? []), c]);
  }
  for (const served of byAgent.values()) {
    served.sort((x, y) => x.answeredAt! - y.answeredAt!);
    for (let i = 1; i < served.length; i++) assert.ok(served[i]!.answeredAt! >= served[i - 1]!.endedAt, 'an agent took a call while busy');
  }
  const answered = contacts.filter((c) => c.answeredAt !== null).sort((x, y) => x.queueEnteredAt - y.queueEnteredAt);
  for (let i = 1; i < answered.length; i++) assert.ok(answered[i]!.answeredAt! >= answered[i - 1]!.answeredAt!, 'answered out of queue order');
});

test('redials: a caller who hung up calls again as the same customer, after hanging up', () => {
  const r = simulate(busy);
  const journeys = new Map<string, SimulatedContact[]>();
  for (const c of r.contacts!) journeys.set(c.customer, [...(journeys.get(c.customer) ?? []), c]);
  const multi = [...journeys.values()].filter((j) => j.length > 1);
  assert.ok(multi.length > 50, `only ${multi.length} customers called more than once`);
  assert.ok(multi.some((j) => j.length >= 3));
  for (const j of multi) {
    for (const [i, c] of j.entries()) assert.equal(c.attempt, i + 1);
    for (let i = 1; i < j.length; i++) {
      assert.notEqual(j[i - 1]!.abandonedAt, null, 'only callers who hung up call again');
      assert.ok(j[i]!.arrivalAt > j[i - 1]!.abandonedAt!);
    }
  }
  assert.ok(r.customers < r.offered);

  const once = simulate({ ...busy, redialProbability: 0 });
  assert.ok(once.contacts!.every((c) => c.attempt === 1));
  assert.equal(once.customers, once.offered);
});

test('constant handling time: every call lasts exactly the AHT', () => {
  const r = simulate({ arrivalsPerHour: 100, ahtSeconds: 300, agents: 10, hours: 4, seed: 3, serviceDist: { kind: 'const' }, keepContacts: true });
  for (const c of r.contacts!) assert.ok(Math.abs(c.endedAt - c.answeredAt! - 300) < 1e-9);
});

test('contactsToEvents: the event sequence per contact, keys stable per seed, agents and identities', () => {
  const start = new Date('2025-03-03T08:00:00Z');
  const r = simulate({ ...busy, hours: 2 });
  const events = contactsToEvents(r.contacts!, start, { seed: busy.seed });
  const keys = new Set(events.map((e) => e.key));
  assert.equal(keys.size, events.length, 'keys are unique');
  assert.deepEqual(contactsToEvents(r.contacts!, start, { seed: busy.seed }), events, 'the same run gives the same keys');

  const byContact = new Map<string, typeof events>();
  for (const e of events) byContact.set(e.contactId, [...(byContact.get(e.contactId) ?? []), e]);
  assert.equal(byContact.size, r.contacts!.length);
  const waits = r.contacts!.map((c) => c.answeredAt === null || c.answeredAt > c.queueEnteredAt);
  assert.ok(waits.includes(true) && waits.includes(false), 'the run has callers who waited and callers connected at once');
  for (const c of r.contacts!) {
    const evs = byContact.get(c.id)!;
    const end = c.answeredAt !== null ? ['contact.answered', 'contact.resolved'] : ['contact.abandoned'];
    // Only callers who had to wait enter the queue; one connected at once is answered without queueing.
    const waited = c.answeredAt === null || c.answeredAt > c.queueEnteredAt;
    assert.deepEqual(evs.map((e) => e.type), ['contact.arrived', 'ivr.entered', 'ivr.left', ...(waited ? ['queue.entered'] : []), ...end]);
    for (const e of evs) {
      assert.equal(e.channel, 'phone');
      assert.equal(e.queue, 'simulated');
      assert.equal(e.identity, c.customer);
      assert.equal(e.key, `sim:${busy.seed}:${c.id}:${e.type}`);
    }
    // Dates hold whole milliseconds.
    assert.ok(Math.abs(evs[0]!.at.getTime() - (start.getTime() + c.arrivalAt * 1000)) < 1);
    assert.deepEqual(evs[0]!.data, { attempt: c.attempt });
    assert.ok(Math.abs(evs.at(-1)!.at.getTime() - (start.getTime() + c.endedAt * 1000)) < 1);
    if (c.answeredAt !== null) assert.equal(evs[4]!.agent, `agent-${c.agent! + 1}`);
    for (let i = 1; i < evs.length; i++) assert.ok(evs[i]!.at >= evs[i - 1]!.at);
  }

  // No voice menu: no ivr events. Another seed: other contact ids, so nothing collides.
  const plain = simulate({ arrivalsPerHour: 60, ahtSeconds: 120, agents: 3, hours: 1, seed: 9, keepContacts: true });
  const plainEvents = contactsToEvents(plain.contacts!, start, { seed: 9, queue: 'billing' });
  assert.ok(plainEvents.every((e) => !e.type.startsWith('ivr.') && e.queue === 'billing'));
  assert.ok(plainEvents.every((e) => !keys.has(e.key) && e.contactId.startsWith('sim-9-')));
});

test('1 million arrivals in a few seconds', () => {
  const started = performance.now();
  const r = simulate({ arrivalsPerHour: 2000, ahtSeconds: 180, agents: 110, patienceSeconds: 300, hours: 500, seed: 1 });
  const ms = performance.now() - started;
  assert.ok(r.offered > 990_000);
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
});

test('option checks name the problem', () => {
  const o = { arrivalsPerHour: 100, ahtSeconds: 180, agents: 5, hours: 1, seed: 1 };
  assert.throws(() => simulate({ ...o, agents: 0 }), /agents/);
  assert.throws(() => simulate({ ...o, warmupHours: 1 }), /warm-up/);
  assert.throws(() => simulate({ ...o, redialProbability: 1 }), /redial probability/);
  assert.throws(() => simulate({ ...o, seed: 1.5 }), /seed/);
});

test('random: uniforms in (0, 1), reproducible, independent streams', () => {
  const a = rng(42), b = rng(42), other = rng(42, 1), seed43 = rng(43);
  const xs = Array.from({ length: 100_000 }, () => a());
  assert.ok(xs.every((x) => x > 0 && x < 1));
  assert.ok(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5) < 0.005);
  assert.deepEqual(Array.from({ length: 100_000 }, () => b()), xs);
  assert.notEqual(other(), rng(42)());
  assert.notEqual(seed43(), rng(42)());
});

test('random: each distribution has the requested mean and its coefficient of variation', () => {
  const cases: [Dist, number][] = [
    [{ kind: 'exp' }, 1],
    [{ kind: 'const' }, 0],
    [{ kind: 'erlang2' }, Math.SQRT1_2],
    [{ kind: 'uniform' }, 1 / Math.sqrt(3)],
    [{ kind: 'lognormal' }, 1],
    [{ kind: 'lognormal', cv: 0.5 }, 0.5],
  ];
  const n = 200_000;
  for (const [dist, cv] of cases) {
    const draw = sampler(dist, 50, rng(5));
    const xs = Array.from({ length: n }, draw);
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    // Standard errors at n = 200,000: mean ≤ 0.23 % of the mean (cv 1); sd ≤ 0.7 % (lognormal, the heaviest tail).
    assert.ok(Math.abs(mean / 50 - 1) < 0.01, `${JSON.stringify(dist)}: mean ${mean}`);
    assert.ok(Math.abs(sd / mean - cv) < 0.03, `${JSON.stringify(dist)}: cv ${sd / mean}, expected ${cv}`);
    assert.ok(xs.every((x) => x >= 0));
  }
});

test('parseDist', () => {
  assert.deepEqual(parseDist('exp'), { kind: 'exp' });
  assert.deepEqual(parseDist('lognormal:0.5'), { kind: 'lognormal', cv: 0.5 });
  for (const bad of ['gamma', 'exp:2', 'lognormal:', 'lognormal:-1', 'lognormal:0.5:1', '']) assert.equal(parseDist(bad), null, bad);
});
