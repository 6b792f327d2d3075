/**
 * `earshot simulate` (discrete-event simulation of one queue, optionally written into an account as contact events) and
 * `earshot staffing` (the same figures from the Erlang C / Erlang A formulas, and the agents a target needs).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { dbOptions, withDb } from '../platform/cli-db.js';
import { findAccount } from '../modules/accounts/index.js';
import { systemPrincipal } from '../platform/context.js';
import { importParsedEvents, type ParsedEvent } from '../modules/journeys/index.js';
import {
  agentsNeeded,
  expectedFigures,
  queueMetrics,
  type ContactFigures,
  type QueueInput,
  contactsToEvents,
  simulate,
  type SimulatedContact,
  type SimulationOptions,
  parseDist,
} from '../modules/simulate/index.js';

const numberArg = (rule: string, ok: (n: number) => boolean) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new InvalidArgumentError(`'${v}' is not ${rule}`);
  return n;
};
const positiveArg = numberArg('a positive number', (n) => n > 0);
const nonNegativeArg = numberArg('a number ≥ 0', (n) => n >= 0);
const agentsArg = numberArg('a whole number of agents ≥ 1', (n) => Number.isInteger(n) && n >= 1);
const seedArg = numberArg('a whole number', Number.isSafeInteger);
const redialArg = numberArg('a probability from 0 up to (not including) 1', (n) => n >= 0 && n < 1);
const fractionArg = numberArg('a fraction between 0 and 1 (exclusive)', (n) => n > 0 && n < 1);
const distArg = (v: string) => {
  const d = parseDist(v);
  if (!d) throw new InvalidArgumentError(`'${v}' is not a distribution; use exp, const, erlang2, uniform or lognormal[:cv]`);
  return d;
};
const dateArg = (v: string) => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`'${v}' is not a date (ISO 8601, e.g. 2025-03-01T08:00:00Z)`);
  return d;
};

/** Contacts per import batch: at most five events each, so batches stay around 10,000 events. */
const BATCH_CONTACTS = 2000;

function* eventBatches(contacts: SimulatedContact[], start: Date, seed: number, queue: string): Generator<ParsedEvent[]> {
  for (let i = 0; i < contacts.length; i += BATCH_CONTACTS) {
    yield contactsToEvents(contacts.slice(i, i + BATCH_CONTACTS), start, { seed, queue });
  }
}

const percent = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
const seconds = (x: number | null) => (x === null ? '–' : `${x.toFixed(1)} s`);
const count = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** The figures as an aligned two-column table. */
function table(f: ContactFigures, head: [string, string][]): string {
  const rows: [string, string][] = [
    ...head,
    ['offered', count(f.offered)],
    ['answered', count(f.answered)],
    ['abandoned', count(f.abandoned)],
    ['probability of waiting', percent(f.probWait)],
    ['ASA (answered)', seconds(f.asaSeconds)],
    ['mean wait (all offered)', seconds(f.meanWaitAllSeconds)],
    [`service level ≤ ${f.thresholdSeconds} s (of answered)`, percent(f.serviceLevel)],
    [`service level ≤ ${f.thresholdSeconds} s (of offered)`, percent(f.serviceLevelAllArrivals)],
    ['abandon rate (of queued)', percent(f.abandonRate)],
    ['abandoned (of offered)', percent(f.abandonProbability)],
    ['occupancy', percent(f.occupancy)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}

export function registerSimulateCommands(program: Command): void {
  dbOptions(
    program
      .command('simulate')
      .description('simulate a queue (Poisson arrivals, N agents, optional patience, voice menu and redials) and print its figures')
      .addOption(new Option('--arrivals-per-hour <rate>', 'mean arrivals per hour (Poisson)').argParser(positiveArg).makeOptionMandatory())
      .addOption(new Option('--aht <seconds>', 'mean handling time').argParser(positiveArg).makeOptionMandatory())
      .addOption(new Option('--agents <n>', 'agents serving the queue').argParser(agentsArg).makeOptionMandatory())
      .addOption(new Option('--patience <seconds>', 'mean patience before hanging up (default: callers never hang up)').argParser(positiveArg))
      .addOption(new Option('--ivr <seconds>', 'mean time in the voice menu before the queue').argParser(nonNegativeArg).default(0))
      .addOption(new Option('--threshold <seconds>', 'service-level threshold').argParser(nonNegativeArg).default(20))
      .addOption(new Option('--hours <hours>', 'simulated time').argParser(positiveArg).makeOptionMandatory())
      .addOption(new Option('--warmup <hours>', 'initial hours not counted in the figures (default: 1 h or 5 % of --hours, the shorter)').argParser(nonNegativeArg))
      .addOption(new Option('--seed <n>', 'random seed: the same seed gives the same contacts').argParser(seedArg).makeOptionMandatory())
      .addOption(new Option('--service-dist <dist>', 'handling-time distribution: exp, const, erlang2, uniform, lognormal[:cv]').argParser(distArg))
      .addOption(new Option('--patience-dist <dist>', 'patience distribution (default exp)').argParser(distArg))
      .addOption(new Option('--ivr-dist <dist>', 'voice-menu time distribution (default const)').argParser(distArg))
      .addOption(new Option('--redial <p>', 'probability that a caller who hung up calls again').argParser(redialArg))
      .addOption(new Option('--redial-delay <seconds>', 'mean time before calling again (exponential), default 300').argParser(positiveArg))
      .option('--json', 'print the figures as JSON')
      .option('--into <account>', 'write the simulated contacts as events into this account (slug or id)')
      .addOption(new Option('--start <date>', 'with --into: when the simulation starts (default: --hours before the current hour)').argParser(dateArg))
      .option('--queue <name>', 'with --into: queue name of the contacts', 'simulated'),
  ).action(async (o) => {
    const opts: SimulationOptions = {
      arrivalsPerHour: o.arrivalsPerHour,
      ahtSeconds: o.aht,
      agents: o.agents,
      patienceSeconds: o.patience,
      ivrSeconds: o.ivr,
      thresholdSeconds: o.threshold,
      hours: o.hours,
      warmupHours: o.warmup,
      seed: o.seed,
      serviceDist: o.serviceDist,
      patienceDist: o.patienceDist,
      ivrDist: o.ivrDist,
      redialProbability: o.redial,
      redialDelaySeconds: o.redialDelay,
      keepContacts: Boolean(o.into),
    };
    const { contacts, ...figures } = simulate(opts);
    process.stdout.write(
      o.json
        ? `${JSON.stringify(figures, null, 2)}\n`
        : table(figures, [
            ['agents', String(figures.agents)],
            ['hours (warm-up)', `${figures.hours} (${figures.warmupHours})`],
            ['seed', String(figures.seed)],
          ]),
    );
    if (!contacts) return;
    const hourStart = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const start: Date = o.start ?? new Date(hourStart - o.hours * 3_600_000);
    await withDb(o, async (ctx) => {
      const account = await findAccount(ctx, o.into);
      const s = await importParsedEvents(ctx, systemPrincipal(account.id, 'cli'), eventBatches(contacts, start, o.seed, o.queue), { source: 'simulate' });
      const created = s.queuesCreated.length ? `; queues created: ${s.queuesCreated.join(', ')}` : '';
      process.stderr.write(
        `Imported ${s.contacts} simulated contacts into '${account.slug}' from ${start.toISOString()}: ` +
          `${s.received} events, ${s.added} added, ${s.duplicates} already there${created} (${s.seconds.toFixed(1)} s).\n`,
      );
    });
  });

  program
    .command('staffing')
    .description('queue figures from Erlang C (no --patience) or Erlang A, and the agents needed for a target')
    .addOption(new Option('--arrivals-per-hour <rate>', 'mean arrivals per hour').argParser(positiveArg).makeOptionMandatory())
    .addOption(new Option('--aht <seconds>', 'mean handling time').argParser(positiveArg).makeOptionMandatory())
    .addOption(new Option('--agents <n>', 'agents serving the queue (default: the agents needed for --target-sl)').argParser(agentsArg))
    .addOption(new Option('--patience <seconds>', 'mean patience (exponential): Erlang A; without it Erlang C').argParser(positiveArg))
    .addOption(new Option('--threshold <seconds>', 'service-level threshold').argParser(nonNegativeArg).default(20))
    .addOption(new Option('--hours <hours>', 'period for the counts (offered = arrivals per hour × hours)').argParser(positiveArg).default(1))
    .addOption(
      new Option('--target-sl <fraction>', 'service level to reach (Erlang A: answered within the threshold / offered); adds agentsNeeded').argParser(fractionArg),
    )
    .addOption(new Option('--max-wait-prob <fraction>', 'with the agents needed: at most this probability of waiting').argParser(fractionArg))
    .option('--json', 'print the figures as JSON')
    .action(function (this: Command, o) {
      const base: Omit<QueueInput, 'agents'> = {
        arrivalsPerHour: o.arrivalsPerHour,
        ahtSeconds: o.aht,
        patienceSeconds: o.patience,
        thresholdSeconds: o.threshold,
      };
      const targeted = o.targetSl !== undefined || o.maxWaitProb !== undefined;
      if (o.agents === undefined && !targeted) this.error('error: give --agents, or --target-sl / --max-wait-prob to compute the agents needed');
      const needed = targeted ? agentsNeeded(base, { serviceLevel: o.targetSl, maxProbWait: o.maxWaitProb }) : undefined;
      const q: QueueInput = { ...base, agents: o.agents ?? needed! };
      const m = queueMetrics(q);
      const out = {
        ...expectedFigures(m, q, o.hours),
        model: m.model,
        stable: m.stable,
        agents: q.agents,
        loadErlangs: m.loadErlangs,
        hours: o.hours,
        ...(needed !== undefined ? { agentsNeeded: needed } : {}),
      };
      const head: [string, string][] = [
        ['model', `${m.model}${m.stable ? '' : ' (unstable: load ≥ agents, the queue grows without bound)'}`],
        ['load', `${m.loadErlangs.toFixed(2)} Erlangs`],
        ['agents', String(q.agents)],
        ...(needed !== undefined ? [['agents needed', String(needed)] as [string, string]] : []),
        ['hours', String(o.hours)],
      ];
      process.stdout.write(o.json ? `${JSON.stringify(out, null, 2)}\n` : table(out, head));
    });
}
