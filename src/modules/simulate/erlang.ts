/**
 * Analytic queueing figures for a contact centre with N identical agents and a first-come-first-served queue:
 * Erlang C (M/M/N, callers never give up) and Erlang A (M/M/N+M, callers give up after an exponential patience).
 *
 * Notation: λ arrival rate, μ = 1/AHT service rate, θ = 1/mean patience, A = λ/μ offered load in Erlangs.
 * Arrivals see the time-stationary state (PASTA), so "probability of waiting" is the stationary P(all agents busy).
 *
 * The figures carry the same names and definitions as the simulator's and Earshot's reported figures
 * (see ContactFigures); where the analytic literature uses a different definition it is returned alongside.
 */

/** The figures Earshot reports for a queue, from measurement (the simulator) or from the formulas here. */
export interface ContactFigures {
  /** Contacts arriving in the period (attempts). */
  offered: number;
  answered: number;
  /** Gave up while queueing. */
  abandoned: number;
  /** Share of offered contacts that had to wait (more than 0 s in the queue). */
  probWait: number | null;
  /** Mean queue wait of answered contacts (answered at once counts 0 s). */
  asaSeconds: number | null;
  /** Answered within the threshold / answered: P(W ≤ t | answered). */
  serviceLevel: number | null;
  thresholdSeconds: number;
  /** Abandoned / queued (queued = had to wait): P(abandon | wait). */
  abandonRate: number | null;
  /** Agent busy time / (agents × time). */
  occupancy: number | null;
  /** Answered within the threshold / offered: P(answered and W ≤ t). Erlang A staffing targets this one. */
  serviceLevelAllArrivals: number | null;
  /** Abandoned / offered: P(abandon), the Erlang A literature's "probability of abandonment". */
  abandonProbability: number | null;
  /** Mean time in queue over all offered contacts, abandoned ones counted until they hung up: E[W] (Little's law). */
  meanWaitAllSeconds: number | null;
}

export interface QueueInput {
  arrivalsPerHour: number;
  ahtSeconds: number;
  agents: number;
  /** Mean patience (exponential). Undefined or Infinity: nobody abandons (Erlang C). */
  patienceSeconds?: number;
  thresholdSeconds: number;
}

/** Stationary figures per arrival: probabilities and mean times, no counts. */
export interface QueueMetrics {
  model: 'erlang-c' | 'erlang-a';
  agents: number;
  loadErlangs: number;
  /** False when an Erlang C queue has A ≥ N: it grows without bound, waits are infinite. */
  stable: boolean;
  probWait: number;
  abandonProbability: number;
  /** P(W ≤ t | answered). */
  serviceLevel: number;
  /** P(answered and W ≤ t): for Erlang C the same as serviceLevel. */
  serviceLevelAllArrivals: number;
  /** E[W | answered] (Infinity when unstable). */
  asaSeconds: number;
  /** E[W] over all arrivals (Infinity when unstable). */
  meanWaitAllSeconds: number;
  /** A/N for Erlang C (1 when unstable: every agent always busy); carried load / N for Erlang A. */
  occupancy: number;
}

/** Erlang B blocking probability B(N, A) by the stable recursion B(n) = A·B(n−1) / (n + A·B(n−1)), B(0) = 1. */
export function erlangB(agents: number, load: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (load * b) / (n + load * b);
  return b;
}

/** Erlang C probability of waiting C(N, A) = N·B / (N − A·(1 − B)); 1 when A ≥ N (unstable). */
export function erlangC(agents: number, load: number): number {
  if (load >= agents) return 1;
  const b = erlangB(agents, load);
  return (agents * b) / (agents - load * (1 - b));
}

function checkInput(q: QueueInput) {
  if (!(q.arrivalsPerHour > 0) || !Number.isFinite(q.arrivalsPerHour)) throw new RangeError('arrivals per hour must be a positive number');
  if (!(q.ahtSeconds > 0) || !Number.isFinite(q.ahtSeconds)) throw new RangeError('AHT must be a positive number of seconds');
  if (!Number.isInteger(q.agents) || q.agents < 1) throw new RangeError('agents must be a whole number ≥ 1');
  if (q.patienceSeconds !== undefined && !(q.patienceSeconds > 0)) throw new RangeError('patience must be a positive number of seconds');
  if (!(q.thresholdSeconds >= 0) || !Number.isFinite(q.thresholdSeconds)) throw new RangeError('threshold must be a number of seconds ≥ 0');
}

/** Erlang C (patience absent or infinite) or Erlang A figures for one staffing level. */
export function queueMetrics(q: QueueInput): QueueMetrics {
  checkInput(q);
  return q.patienceSeconds === undefined || q.patienceSeconds === Infinity ? erlangCMetrics(q) : erlangAMetrics(q);
}

function erlangCMetrics(q: QueueInput): QueueMetrics {
  const N = q.agents;
  const A = (q.arrivalsPerHour * q.ahtSeconds) / 3600;
  const base = { model: 'erlang-c' as const, agents: N, loadErlangs: A, abandonProbability: 0 };
  if (A >= N) {
    return { ...base, stable: false, probWait: 1, serviceLevel: 0, serviceLevelAllArrivals: 0, asaSeconds: Infinity, meanWaitAllSeconds: Infinity, occupancy: 1 };
  }
  const pw = erlangC(N, A);
  // The wait of a caller who has to wait is exponential with rate (N − A)/AHT.
  const sl = 1 - pw * Math.exp((-(N - A) * q.thresholdSeconds) / q.ahtSeconds);
  const asa = (pw * q.ahtSeconds) / (N - A);
  return { ...base, stable: true, probWait: pw, serviceLevel: sl, serviceLevelAllArrivals: sl, asaSeconds: asa, meanWaitAllSeconds: asa, occupancy: A / N };
}

/** States kept at most by the Erlang A chain; beyond this the input is far outside contact-centre territory. */
const MAX_STATES = 5_000_000;
/** Stationary terms smaller than this, relative to the largest, are dropped. */
const NEGLIGIBLE = 1e-17;

/**
 * Erlang A, exactly, from the birth–death chain of the number n of callers in the system: birth rate λ, death rate
 * min(n, N)·μ + max(n − N, 0)·θ. Its stationary distribution is unimodal, so it is built outwards from the mode and cut
 * where terms fall below 1e-17 of the mode's. An arrival finding j = n − N callers ahead in the queue waits
 * V = Σ_{i=0..j} Exp(Nμ + iθ) for an agent and is served when its own patience τ ~ Exp(θ) exceeds V:
 *   P(served | j)              = E[e^{−θV}] = Nμ / (Nμ + (j+1)θ)        (the product telescopes)
 *   P(served, V ≤ t | j)       = P(served | j) · P(V' ≤ t),  V' = Σ_{i=0..j} Exp(Nμ + (i+1)θ)   (exponential tilting)
 *   E[V · 1{served} | j]       = P(served | j) · Σ_{i=0..j} 1 / (Nμ + (i+1)θ)
 * P(V' ≤ t) for all j at once is the absorption probability of one pure-death chain, computed by uniformization.
 * P(abandon) = θ·E[queue]/λ and E[W] = E[queue]/λ follow from Little's law.
 */
function erlangAMetrics(q: QueueInput): QueueMetrics {
  const N = q.agents;
  const lambda = q.arrivalsPerHour / 3600;
  const mu = 1 / q.ahtSeconds;
  const theta = 1 / q.patienceSeconds!;
  const death = (n: number) => (n <= N ? n * mu : N * mu + (n - N) * theta);

  // The mode: the last n with λ ≥ death(n).
  const mode = lambda <= N * mu ? Math.floor(lambda / mu) : N + Math.floor((lambda - N * mu) / theta);
  if (mode > MAX_STATES) throw new RangeError('the queue in this Erlang A model is too long to compute (patience too long for the overload)');
  const below: number[] = []; // terms for mode−1, mode−2, … (relative to the mode's term 1)
  for (let n = mode, t = 1; n > 0; n--) {
    t *= death(n) / lambda;
    if (t < NEGLIGIBLE) break;
    below.push(t);
  }
  const above: number[] = []; // terms for mode+1, mode+2, …
  for (let n = mode + 1, t = 1; ; n++) {
    t *= lambda / death(n);
    if (t < NEGLIGIBLE) break;
    above.push(t);
    if (above.length > MAX_STATES) throw new RangeError('the queue in this Erlang A model is too long to compute');
  }
  const lo = mode - below.length;
  const p = Float64Array.from([...below.reverse(), 1, ...above]); // p[i] ∝ π(lo + i)
  let total = 0;
  for (const x of p) total += x;
  for (let i = 0; i < p.length; i++) p[i] /= total;

  const c = N * mu;
  const K = Math.max(0, lo + p.length - N); // queue positions j = 0 … K−1 carry probability
  let probWait = 0, meanQueue = 0, busy = 0, servedAfterWait = 0, servedWaitSum = 0;
  const weights = new Float64Array(K + 1); // weights[j+1] = π(N + j) · P(served | j), the uniformization start
  let harmonic = 0; // Σ_{i=0..j} 1 / (Nμ + (i+1)θ)
  for (let n = lo; n < lo + p.length; n++) {
    const pn = p[n - lo]!;
    busy += Math.min(n, N) * pn;
  }
  for (let j = 0; j < K; j++) {
    harmonic += 1 / (c + (j + 1) * theta);
    const n = N + j;
    if (n < lo) continue;
    const pn = p[n - lo]!;
    const served = c / (c + (j + 1) * theta);
    probWait += pn;
    meanQueue += j * pn;
    servedAfterWait += pn * served;
    servedWaitSum += pn * served * harmonic;
    weights[j + 1] = pn * served;
  }
  const abandonProbability = (theta * meanQueue) / lambda;
  const servedWithinAfterWait = absorbedBy(q.thresholdSeconds, c, theta, weights);
  const answered = 1 - probWait + servedAfterWait; // equals 1 − abandonProbability up to the truncation
  const slAll = 1 - probWait + servedWithinAfterWait;
  return {
    model: 'erlang-a',
    agents: N,
    loadErlangs: (q.arrivalsPerHour * q.ahtSeconds) / 3600,
    stable: true, // abandonment keeps every Erlang A queue finite
    probWait,
    abandonProbability,
    serviceLevel: slAll / answered,
    serviceLevelAllArrivals: slAll,
    asaSeconds: servedWaitSum / answered,
    meanWaitAllSeconds: meanQueue / lambda,
    occupancy: busy / N,
  };
}

/**
 * Mass absorbed in state 0 by time t of the pure-death chain with rate c + kθ in state k ≥ 1, started from the
 * (sub-probability) vector `start` over k = 0 … K. Uniformization: with Λ = c + Kθ, the transient vector is
 * Σ_n Poisson(n; Λt) · start·Pⁿ, P = I + Q/Λ. Time is cut into pieces with Λ·Δ ≤ 20 so e^{−ΛΔ} never underflows.
 */
function absorbedBy(t: number, c: number, theta: number, start: Float64Array): number {
  const K = start.length - 1;
  const rate = c + K * theta;
  if (K === 0 || t === 0) return 0;
  const pieces = Math.ceil((rate * t) / 20);
  const L = (rate * t) / pieces;
  let v = Float64Array.from(start);
  const term = new Float64Array(K + 1);
  for (let piece = 0; piece < pieces; piece++) {
    term.set(v);
    let weight = Math.exp(-L);
    let cumulative = weight;
    const out = v.map((x) => x * weight);
    for (let n = 1; 1 - cumulative > 1e-16 && n < 10 * L + 100; n++) {
      // term ← term·P: state k keeps 1 − r_k/Λ of its mass and receives r_{k+1}/Λ of state k+1's (ascending k reads old values).
      for (let k = 0; k < K; k++) {
        const stay = k === 0 ? 1 : 1 - (c + k * theta) / rate;
        term[k] = term[k]! * stay + term[k + 1]! * ((c + (k + 1) * theta) / rate);
      }
      term[K] = term[K]! * (1 - (c + K * theta) / rate);
      weight *= L / n;
      cumulative += weight;
      for (let k = 0; k <= K; k++) out[k]! += weight * term[k]!;
    }
    v = out;
  }
  return v[0]!;
}

export interface StaffingTarget {
  /** Reach at least this service level: P(W ≤ t | answered) for Erlang C, P(answered and W ≤ t) for Erlang A. */
  serviceLevel?: number;
  /** And at most this probability of waiting. */
  maxProbWait?: number;
}

/**
 * The smallest number of agents meeting the target. Both criteria improve monotonically with N, so the search
 * doubles an upper bound and then bisects. Erlang A targets the service level over all arrivals because the one over
 * answered contacts is not monotone: with short patience only the quickly answered are answered at all, and an
 * understaffed queue would look good.
 */
export function agentsNeeded(q: Omit<QueueInput, 'agents'>, target: StaffingTarget): number {
  const { serviceLevel, maxProbWait } = target;
  if (serviceLevel === undefined && maxProbWait === undefined) throw new RangeError('give a service-level target or a maximum probability of waiting');
  if (serviceLevel !== undefined && !(serviceLevel > 0 && serviceLevel < 1)) throw new RangeError('the service-level target must lie between 0 and 1');
  if (maxProbWait !== undefined && !(maxProbWait > 0 && maxProbWait < 1)) throw new RangeError('the maximum probability of waiting must lie between 0 and 1');
  const meets = (agents: number) => {
    const m = queueMetrics({ ...q, agents });
    const sl = m.model === 'erlang-a' ? m.serviceLevelAllArrivals : m.serviceLevel;
    return m.stable && (serviceLevel === undefined || sl >= serviceLevel) && (maxProbWait === undefined || m.probWait <= maxProbWait);
  };
  const load = (q.arrivalsPerHour * q.ahtSeconds) / 3600;
  const erlangCModel = q.patienceSeconds === undefined || q.patienceSeconds === Infinity;
  let lo = erlangCModel ? Math.floor(load) : 0; // lo never meets the target (Erlang C needs N > A)
  let step = 1;
  while (!meets(lo + step)) {
    lo += step;
    step *= 2;
  }
  let hi = lo + step;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Expected counts and figures for `hours` of traffic: the analytic counterpart of a simulation run. */
export function expectedFigures(m: QueueMetrics, q: QueueInput, hours: number): ContactFigures {
  const offered = q.arrivalsPerHour * hours;
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    offered,
    answered: m.stable ? offered * (1 - m.abandonProbability) : offered * Math.min(1, q.agents / m.loadErlangs),
    abandoned: offered * m.abandonProbability,
    probWait: m.probWait,
    asaSeconds: finite(m.asaSeconds),
    serviceLevel: m.serviceLevel,
    thresholdSeconds: q.thresholdSeconds,
    abandonRate: m.probWait > 0 ? m.abandonProbability / m.probWait : null,
    occupancy: m.occupancy,
    serviceLevelAllArrivals: m.serviceLevelAllArrivals,
    abandonProbability: m.abandonProbability,
    meanWaitAllSeconds: finite(m.meanWaitAllSeconds),
  };
}
