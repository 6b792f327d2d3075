/**
 * The analytic formulas against the reference cases in ../shared/data/callcenter/erlang_reference_cases.md
 * (case numbers below). Tolerances are half a unit in the last printed digit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentsNeeded, erlangB, erlangC, expectedFigures, queueMetrics, type QueueInput } from './erlang.js';

/** |actual − expected| ≤ half a unit of the last digit printed in the reference (e.g. decimals 4 → 0.00005). */
function near(actual: number, expected: number, decimals: number, what: string) {
  const tol = 0.5 * 10 ** -decimals + 1e-12;
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} is not ${expected} ± ${tol}`);
}

// Cases 1, 2 (and 9): 100 calls per 30 min, AHT 180 s, threshold 20 s; A = 10 Erlangs.
const case1: QueueInput = { arrivalsPerHour: 200, ahtSeconds: 180, agents: 14, thresholdSeconds: 20 };

test('Erlang B recursion: small cases by hand, and B(N, 0) = 0', () => {
  near(erlangB(1, 1), 0.5, 12, 'B(1,1) = A/(1+A)');
  near(erlangB(2, 1), 0.2, 12, 'B(2,1) = (A²/2)/(1+A+A²/2)');
  assert.equal(erlangB(5, 0), 0);
  assert.equal(erlangB(0, 3), 1);
  // The recursion stays finite where A^N/N! would overflow.
  assert.ok(erlangB(5000, 4900) > 0 && erlangB(5000, 4900) < 1);
});

test('case 1: Erlang C, N = 14: Pw 0.1741, SL 0.8884, ASA 7.84 s, occupancy 0.7143', () => {
  const m = queueMetrics(case1);
  assert.equal(m.model, 'erlang-c');
  assert.equal(m.stable, true);
  near(m.probWait, 0.1741, 4, 'Pw');
  near(m.serviceLevel, 0.8884, 4, 'SL');
  near(m.asaSeconds, 7.84, 2, 'ASA');
  near(m.occupancy, 0.7143, 4, 'occupancy');
  assert.equal(m.abandonProbability, 0);
  assert.equal(m.serviceLevelAllArrivals, m.serviceLevel);
});

test('case 2: Erlang C, N = 11: Pw 0.6821, SL 0.3896, ASA 122.8 s', () => {
  const m = queueMetrics({ ...case1, agents: 11 });
  near(m.probWait, 0.6821, 4, 'Pw');
  near(m.serviceLevel, 0.3896, 4, 'SL');
  near(m.asaSeconds, 122.8, 1, 'ASA');
});

test('case 3: Erlang C, 360 calls/30 min, AHT 240 s, N = 55, t = 15 s: occ 0.8727, Pw 0.2387, ASA 8.18 s, SL 0.8459', () => {
  const m = queueMetrics({ arrivalsPerHour: 720, ahtSeconds: 240, agents: 55, thresholdSeconds: 15 });
  near(m.occupancy, 0.8727, 4, 'occupancy');
  near(m.probWait, 0.2387, 4, 'Pw');
  near(m.asaSeconds, 8.18, 2, 'ASA');
  near(m.serviceLevel, 0.8459, 4, 'SL');
});

test('case 4: Erlang C, 600 calls/h, 120 s: Pw(25) 0.2091, Pw(26) 0.1434, ASA(26) 2.87 s, Pw(30) 0.0250, Pw(30, 23.6 E) 0.1475', () => {
  near(erlangC(25, 20), 0.2091, 4, 'Pw(25)');
  near(erlangC(26, 20), 0.1434, 4, 'Pw(26)');
  near(queueMetrics({ arrivalsPerHour: 600, ahtSeconds: 120, agents: 26, thresholdSeconds: 20 }).asaSeconds, 2.87, 2, 'ASA(26)');
  near(erlangC(30, 20), 0.025, 4, 'Pw(30)');
  near(erlangC(30, 23.6), 0.1475, 4, 'Pw(30, 23.6)');
  // "26 agents for Pw ≤ 15 %": the staffing search agrees.
  assert.equal(agentsNeeded({ arrivalsPerHour: 600, ahtSeconds: 120, thresholdSeconds: 20 }, { maxProbWait: 0.15 }), 26);
});

test('case 5: Tijms Table 5.3.2, the smallest N with Pw ≤ alpha, all 24 values', () => {
  const table: Record<number, [number, number, number]> = {
    1: [2, 3, 3],
    5: [7, 8, 9],
    10: [12, 14, 16],
    50: [54, 58, 61],
    100: [106, 111, 115],
    250: [259, 268, 274],
    500: [512, 525, 533],
    1000: [1017, 1034, 1046],
  };
  for (const [load, expected] of Object.entries(table)) {
    // Load R Erlangs as R arrivals per hour of one hour each.
    const got = [0.5, 0.2, 0.1].map((alpha) => agentsNeeded({ arrivalsPerHour: Number(load), ahtSeconds: 3600, thresholdSeconds: 0 }, { maxProbWait: alpha }));
    assert.deepEqual(got, expected, `R = ${load}`);
  }
});

test('case 6: Halfin–Whitt, beta = 1: exact Pw 0.2370 (R 100) and 0.2303 (R 400) approach the limit 0.2234', () => {
  near(erlangC(110, 100), 0.237, 4, 'R = 100, N = 110');
  near(erlangC(420, 400), 0.2303, 4, 'R = 400, N = 420');
  const limit = 0.2234; // 1 / (1 + β·Φ(β)/φ(β)) at β = 1, from the reference
  const gaps = [100, 400, 10_000].map((R) => erlangC(R + Math.sqrt(R), R) - limit);
  assert.ok(gaps[0]! > gaps[1]! && gaps[1]! > gaps[2]! && gaps[2]! > 0 && gaps[2]! < 0.002, `gaps ${gaps}`);
});

// Cases 7, 8: the pyworkforce Erlang A example: case 1 plus exponential patience with mean 5 min.
// The service level 0.8582 is P(answered and waited ≤ 20 s) over ALL arrivals (serviceLevelAllArrivals);
// P(waited ≤ 20 s | answered), Earshot's serviceLevel, is 0.8801 here, and P(wait ≤ 20 s) counting early hang-ups
// as met would be higher still.
const case7: QueueInput = { ...case1, agents: 13, patienceSeconds: 300 };

test('case 7: Erlang A, N = 13: SL 0.8582, P(ab) 0.0250, Pw 0.2258, E[W] 7.49 s, occupancy 0.750', () => {
  const m = queueMetrics(case7);
  assert.equal(m.model, 'erlang-a');
  near(m.serviceLevelAllArrivals, 0.8582, 4, 'SL (answered within 20 s / offered)');
  near(m.abandonProbability, 0.025, 4, 'P(abandon)');
  near(m.probWait, 0.2258, 4, 'Pw');
  near(m.meanWaitAllSeconds, 7.49, 2, 'E[W] over all arrivals');
  near(m.occupancy, 0.75, 3, 'occupancy');
  // Internal consistency: occupancy = carried load / N, and ASA over answered lies below E[W] over all (abandoners wait longest).
  near(m.occupancy, (10 * (1 - m.abandonProbability)) / 13, 10, 'occupancy = A(1 − P(ab))/N');
  near(m.serviceLevel, m.serviceLevelAllArrivals / (1 - m.abandonProbability), 8, 'SL given answered');
  assert.ok(m.asaSeconds < m.meanWaitAllSeconds);
});

test('case 8: Erlang A, N = 12 and N = 14', () => {
  const m12 = queueMetrics({ ...case7, agents: 12 });
  near(m12.probWait, 0.3318, 4, 'Pw(12)');
  near(m12.abandonProbability, 0.0427, 4, 'P(ab)(12)');
  near(m12.serviceLevelAllArrivals, 0.7723, 4, 'SL(12)');
  const m14 = queueMetrics({ ...case7, agents: 14 });
  near(m14.probWait, 0.1453, 4, 'Pw(14)');
  near(m14.abandonProbability, 0.014, 4, 'P(ab)(14)');
  near(m14.serviceLevelAllArrivals, 0.9168, 4, 'SL(14)');
});

test('case 9: Erlang A with patience → ∞ equals Erlang C case 1', () => {
  const c = queueMetrics(case1);
  for (const patienceSeconds of [1e7, 1e9]) {
    const a = queueMetrics({ ...case1, patienceSeconds });
    assert.equal(a.model, 'erlang-a');
    near(a.probWait, 0.1741, 4, 'Pw');
    near(a.serviceLevelAllArrivals, 0.8884, 4, 'SL');
    for (const k of ['probWait', 'serviceLevel', 'asaSeconds', 'occupancy'] as const) {
      assert.ok(Math.abs(a[k] - c[k]) < 1e-3 * Math.max(1, c[k]), `${k}: ${a[k]} vs ${c[k]} at patience ${patienceSeconds}`);
    }
  }
  // No patience at all is Erlang C itself.
  assert.deepEqual(queueMetrics({ ...case1, patienceSeconds: Infinity }), c);
});

test('unstable Erlang C is flagged, not NaN; its JSON carries null waits', () => {
  for (const agents of [9, 10]) {
    const m = queueMetrics({ ...case1, agents });
    assert.equal(m.stable, false);
    assert.equal(m.probWait, 1);
    assert.equal(m.asaSeconds, Infinity);
    assert.equal(m.serviceLevel, 0);
    const f = JSON.parse(JSON.stringify(expectedFigures(m, { ...case1, agents }, 1)));
    assert.equal(f.asaSeconds, null);
    assert.equal(f.meanWaitAllSeconds, null);
    assert.ok(Object.values(f).every((v) => v === null || Number.isFinite(v)), JSON.stringify(f));
  }
  // The same overload with patience is a finite Erlang A queue: most callers wait, many hang up.
  const a = queueMetrics({ ...case1, agents: 9, patienceSeconds: 300 });
  assert.equal(a.stable, true);
  assert.ok(a.probWait > 0.7 && a.abandonProbability > 0.1 && Number.isFinite(a.asaSeconds));
});

test('expected figures scale with hours and use the reported definitions', () => {
  const m = queueMetrics(case7);
  const f = expectedFigures(m, case7, 8);
  assert.equal(f.offered, 1600);
  near(f.answered + f.abandoned, 1600, 9, 'answered + abandoned');
  near(f.abandonRate!, m.abandonProbability / m.probWait, 12, 'abandon rate = P(ab)/Pw');
  assert.equal(f.serviceLevel, m.serviceLevel);
});

test('staffing: smallest N reaching the target, for Erlang C and Erlang A', () => {
  const base = { arrivalsPerHour: 200, ahtSeconds: 180, thresholdSeconds: 20 };
  // Erlang C: SL 0.6402 (12), 0.7956 (13), 0.8884 (14, case 1).
  assert.equal(agentsNeeded(base, { serviceLevel: 0.79 }), 13);
  assert.equal(agentsNeeded(base, { serviceLevel: 0.8 }), 14);
  assert.equal(agentsNeeded(base, { serviceLevel: 0.6 }), 12);
  // Erlang A (case 7/8): SL 0.7723 (12), 0.8582 (13), 0.9168 (14).
  const withPatience = { ...base, patienceSeconds: 300 };
  assert.equal(agentsNeeded(withPatience, { serviceLevel: 0.77 }), 12);
  assert.equal(agentsNeeded(withPatience, { serviceLevel: 0.8 }), 13);
  assert.equal(agentsNeeded(withPatience, { serviceLevel: 0.9 }), 14);
  // Both criteria: Pw ≤ 0.15 needs 14 with patience (Pw(13) = 0.2258, Pw(14) = 0.1453).
  assert.equal(agentsNeeded(withPatience, { serviceLevel: 0.8, maxProbWait: 0.15 }), 14);
  assert.throws(() => agentsNeeded(base, {}), /target/);
  assert.throws(() => agentsNeeded(base, { serviceLevel: 1 }), /between 0 and 1/);
});

test('large queues stay fast and finite (1000 agents, Erlang A)', () => {
  const started = performance.now();
  const m = queueMetrics({ arrivalsPerHour: 20_000, ahtSeconds: 180, agents: 1000, patienceSeconds: 300, thresholdSeconds: 20 });
  for (const v of Object.values(m)) if (typeof v === 'number') assert.ok(Number.isFinite(v), JSON.stringify(m));
  assert.ok(m.probWait > 0 && m.probWait < 1 && m.serviceLevel > m.serviceLevelAllArrivals);
  assert.ok(performance.now() - started < 1000);
});
