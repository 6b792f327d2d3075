/**
 * `earshot simulate` and `earshot staffing` through the real CLI (src/cli/run.ts via tsx) in a child process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, show } from './cli-run.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function json(args: string[]): Promise<Record<string, any>> {
  const r = await run([...args, '--json']);
  assert.equal(r.code, 0, show(r));
  return JSON.parse(r.stdout);
}

const FIGURES = ['offered', 'answered', 'abandoned', 'probWait', 'asaSeconds', 'serviceLevel', 'thresholdSeconds', 'abandonRate', 'occupancy'];
// Case 1 of the Erlang reference cases: 100 calls / 30 min, AHT 180 s, 14 agents, 20 s.
const CASE1 = ['--arrivals-per-hour', '200', '--aht', '180', '--agents', '14'];

test('simulate --json: the figures, close to staffing (Erlang C), and the same for the same seed', { timeout: 120_000 }, async () => {
  const args = ['simulate', ...CASE1, '--hours', '1000', '--seed', '11'];
  const [sim, again, analytic] = await Promise.all([json(args), json(args), json(['staffing', ...CASE1, '--hours', '999'])]);
  for (const k of FIGURES) assert.equal(typeof sim[k], 'number', `${k} in ${JSON.stringify(sim)}`);
  assert.deepEqual(again, sim);
  assert.equal(sim.thresholdSeconds, 20);
  assert.equal(sim.warmupHours, 1);
  assert.equal(sim.answered + sim.abandoned, sim.offered);
  assert.equal(sim.abandoned, 0);
  // 999 counted hours at 200/h: Poisson count, sd ≈ 447.
  assert.ok(Math.abs(sim.offered - analytic.offered) < 5 * Math.sqrt(analytic.offered), `offered ${sim.offered} vs ${analytic.offered}`);
  // Tolerances: 5 × the standard deviation of one 1000 h run of this queue (from 30 seeds: Pw 0.0034, SL 0.0030,
  // ASA 0.35 s, occupancy 0.0019).
  const tol: Record<string, number> = { probWait: 0.017, serviceLevel: 0.015, asaSeconds: 1.8, occupancy: 0.0095 };
  for (const [k, t] of Object.entries(tol)) assert.ok(Math.abs(sim[k] - analytic[k]) < t, `${k}: simulated ${sim[k]}, Erlang C ${analytic[k]}`);

  const table = await run(args);
  assert.equal(table.code, 0, show(table));
  assert.match(table.stdout, /^probability of waiting\s+\d+\.\d %$/m, show(table));
  assert.match(table.stdout, /^service level ≤ 20 s \(of answered\)\s+\d+\.\d %$/m, show(table));
});

test('staffing: Erlang C and Erlang A reference values, agents needed, unstable load', { timeout: 120_000 }, async () => {
  const [c, a, unstable] = await Promise.all([
    json(['staffing', ...CASE1]),
    // Cases 7/8: patience 5 min; 13 agents are the fewest reaching 80 % answered within 20 s of all offered.
    json(['staffing', '--arrivals-per-hour', '200', '--aht', '180', '--patience', '300', '--target-sl', '0.8']),
    json(['staffing', '--arrivals-per-hour', '200', '--aht', '180', '--agents', '10']),
  ]);
  assert.equal(c.model, 'erlang-c');
  assert.equal(c.stable, true);
  assert.equal(c.offered, 200);
  assert.equal(c.probWait.toFixed(4), '0.1741');
  assert.equal(c.serviceLevel.toFixed(4), '0.8884');
  assert.equal(c.asaSeconds.toFixed(2), '7.84');
  assert.equal(c.occupancy.toFixed(4), '0.7143');

  assert.equal(a.model, 'erlang-a');
  assert.equal(a.agentsNeeded, 13);
  assert.equal(a.agents, 13);
  assert.equal(a.serviceLevelAllArrivals.toFixed(4), '0.8582');
  assert.equal(a.abandonProbability.toFixed(4), '0.0250');
  assert.equal(a.probWait.toFixed(4), '0.2258');
  assert.equal(a.meanWaitAllSeconds.toFixed(2), '7.49');
  for (const k of FIGURES) assert.equal(typeof a[k], 'number', k);

  assert.equal(unstable.stable, false);
  assert.equal(unstable.probWait, 1);
  assert.equal(unstable.asaSeconds, null);

  const text = await run(['staffing', ...CASE1]);
  assert.equal(text.code, 0, show(text));
  assert.match(text.stdout, /^model\s+erlang-c$/m, show(text));
});

test('bad flags are named, exit code ≠ 0', { timeout: 120_000 }, async () => {
  const cases: [string[], RegExp][] = [
    [['simulate', '--arrivals-per-hour', '200', '--aht', '180', '--agents', '0', '--hours', '1', '--seed', '1'], /'0' is not a whole number of agents/],
    [['simulate', ...CASE1, '--hours', '1', '--seed', '1', '--service-dist', 'gamma'], /'gamma' is not a distribution/],
    [['simulate', ...CASE1, '--hours', '1', '--seed', '1', '--redial', '1.5'], /'1.5' is not a probability/],
    [['simulate', ...CASE1, '--hours', 'x', '--seed', '1'], /'x' is not a positive number/],
    [['simulate', ...CASE1, '--hours', '1'], /--seed <n>' not specified/],
    [['simulate', ...CASE1, '--hours', '1', '--seed', '1', '--start', 'yesterday'], /'yesterday' is not a date/],
    [['staffing', '--arrivals-per-hour', '200', '--aht', '180'], /give --agents, or --target-sl/],
    [['staffing', ...CASE1, '--target-sl', '80'], /'80' is not a fraction/],
  ];
  const results = await Promise.all(cases.map(([args]) => run(args)));
  results.forEach((r, i) => {
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, cases[i]![1], show(r));
  });
});

test('simulate --into writes the contacts as events; the waits report agrees; re-running adds nothing', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-sim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const created = await run(['account', 'create', 'Sim', '--data', dir]);
  assert.equal(created.code, 0, show(created));

  const args = [
    'simulate', '--arrivals-per-hour', '200', '--aht', '180', '--agents', '12', '--patience', '120', '--ivr', '10',
    '--redial', '0.5', '--hours', '4', '--warmup', '0', '--seed', '5', '--into', 'sim', '--start', '2025-03-03T08:00:00Z',
    '--queue', 'sales', '--data', dir,
  ];
  const first = await run([...args, '--json']);
  assert.equal(first.code, 0, show(first));
  const sim = JSON.parse(first.stdout);
  assert.match(first.stderr, new RegExp(`Imported ${sim.offered} simulated contacts into 'sim'`), show(first));
  assert.match(first.stderr, /queues created: sales/, show(first));

  const second = await run(args);
  assert.equal(second.code, 0, show(second));
  assert.match(second.stderr, / 0 added, (\d+) already there/, show(second));

  const rep = await json(['report', 'waits', '--account', 'sim', '--data', dir]);
  // With no warm-up every simulated contact is counted on both sides.
  assert.equal(rep.contacts, sim.offered);
  assert.equal(rep.answered, sim.answered);
  assert.equal(rep.abandonedInQueue, sim.abandoned);
  // "Queued" means the same on both sides: the caller found no free agent and had to wait.
  assert.equal(rep.queued, sim.queued);
  assert.ok(Math.abs(rep.reported.abandonRate - sim.abandonRate) < 1e-5, `abandon rate ${rep.reported.abandonRate} vs ${sim.abandonRate}`);
  // Event times hold whole milliseconds and the report rounds: allow 0.01 s, and one contact crossing the threshold.
  assert.ok(Math.abs(rep.reported.asaSeconds - sim.asaSeconds) < 0.01, `ASA ${rep.reported.asaSeconds} vs ${sim.asaSeconds}`);
  assert.ok(Math.abs(rep.reported.serviceLevel - sim.serviceLevel) <= 1 / sim.answered + 1e-6, `SL ${rep.reported.serviceLevel} vs ${sim.serviceLevel}`);
  // Redials (same identity, same day) make multi-attempt journeys.
  assert.ok(rep.journeys.multiAttempt > 0, JSON.stringify(rep.journeys));
  assert.equal(sim.offered - sim.customers, rep.contacts - rep.journeys.answered - rep.journeys.neverServed);
});
