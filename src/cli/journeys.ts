/**
 * `earshot import …`, `earshot report waits` and `earshot recompute`: call logs in, reported vs lived figures out.
 */
import { createReadStream, statSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { systemPrincipal } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import * as accounts from '../modules/accounts/index.js';
import { validateTimezone } from '../platform/business-hours.js';
import {
  importParsedEvents,
  type ImportSummary,
  parseLines,
  readLines,
  makeParser,
  type Format,
  GROUP_BY,
  type WaitsFigures,
  type WaitsReport,
} from '../modules/journeys/index.js';
import * as journeys from '../modules/journeys/index.js';
import { dbOptions, withDb } from '../platform/cli-db.js';

const seconds = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`'${v}' is not a number of seconds`);
  return n;
};

/** Lines of a file, or of stdin for '-'; reports bytes read so a progress bar can follow. */
function fileLines(file: string) {
  const stream = file === '-' ? process.stdin : createReadStream(file);
  const size = file === '-' ? 0 : statSync(file).size;
  return { lines: readLines(stream), size, read: () => (stream as any).bytesRead ?? 0 };
}

async function runImport(file: string, format: Format, o: any) {
  await withDb(o, async (ctx) => {
    const a = await accounts.findAccount(ctx, o.account);
    const tz = validateTimezone(o.tz ?? a.timezone, 'tz');
    const parser = makeParser(format, { tz, map: o.map, delimiter: o.delimiter });
    const { lines, size, read } = fileLines(file);
    let bar: import('cli-progress').SingleBar | null = null;
    if (process.stderr.isTTY && size > 0) {
      const { SingleBar, Presets } = await import('cli-progress');
      bar = new SingleBar({ format: 'importing [{bar}] {percentage}% | {events} events | {eta_formatted} left', stream: process.stderr }, Presets.shades_classic);
      bar.start(size, 0, { events: 0 });
    }
    let summary: ImportSummary;
    try {
      summary = await importParsedEvents(ctx, systemPrincipal(a.id, 'cli'), parseLines(parser, lines, 10_000), {
        source: format, tz, report: parser.report, progress: (n) => bar?.update(read(), { events: n }),
      });
    } finally {
      bar?.stop();
    }
    if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stderr.write(importText(summary));
    if (parser.report.malformedCount && o.strict) process.exitCode = 2;
  });
}

function importText(s: ImportSummary): string {
  const r = s.report;
  const out = [
    `Imported ${s.source}: ${s.received} events read, ${s.added} added, ${s.duplicates} already there; ${s.contacts} contacts in ${s.seconds} s.`,
  ];
  if (r) {
    out.push(`${r.lines} lines, ${r.contacts} contacts parsed.`);
    const skipped = Object.entries(r.skipped);
    if (skipped.length) out.push(`Not contact events (skipped): ${skipped.map(([k, n]) => `${k} ${n}`).join(', ')}.`);
    const unknown = Object.entries(r.unknown);
    if (unknown.length) out.push(`Unknown (counted, not imported): ${unknown.map(([k, n]) => `${k} ${n}`).join(', ')}.`);
    if (r.warningCount) out.push(`${r.warningCount} line(s) imported with a correction, e.g. line ${r.warnings[0].line}: ${r.warnings[0].reason}.`);
    if (r.malformedCount) {
      out.push(`${r.malformedCount} malformed line(s), not imported:`);
      for (const m of r.malformed.slice(0, 20)) out.push(`  line ${m.line}: ${m.reason}`);
      if (r.malformedCount > 20) out.push(`  … and ${r.malformedCount - 20} more (--json lists the first ${r.malformed.length})`);
    }
  }
  if (s.queuesCreated.length) out.push(`Queues created: ${s.queuesCreated.join(', ')}.`);
  return `${out.join('\n')}\n`;
}

const fmtS = (x: number | null) => (x === null ? '–' : x < 120 ? `${x.toFixed(1)} s` : x < 7200 ? `${(x / 60).toFixed(1)} min` : `${(x / 3600).toFixed(1)} h`);
const fmtP = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);

/** The readable table of `report waits`. */
export function waitsText(r: WaitsReport): string {
  const cols: [string, WaitsFigures][] = [['all', r]];
  for (const g of r.groups ?? []) cols.push([g.label, g]);
  const rows: [string, (f: WaitsFigures) => string][] = [
    ['contacts', (f) => String(f.contacts)],
    ['answered', (f) => String(f.answered)],
    ['queued', (f) => String(f.queued)],
    ['abandoned in queue', (f) => String(f.abandonedInQueue)],
    ['REPORTED', () => ''],
    ['  ASA (mean queue wait)', (f) => fmtS(f.reported.asaSeconds)],
    [`  service level (${r.reported.thresholdSeconds} s)`, (f) => fmtP(f.reported.serviceLevel)],
    ['  abandon rate', (f) => fmtP(f.reported.abandonRate)],
    ['LIVED (first touch → human)', () => ''],
    ['  contact wait mean', (f) => fmtS(f.lived.contactWaitSeconds.mean)],
    ['  contact wait p50', (f) => fmtS(f.lived.contactWaitSeconds.p50)],
    ['  contact wait p90', (f) => fmtS(f.lived.contactWaitSeconds.p90)],
    ['  contact wait p99', (f) => fmtS(f.lived.contactWaitSeconds.p99)],
    ['JOURNEYS', () => ''],
    ['  answered', (f) => String(f.journeys.answered)],
    ['  never served', (f) => String(f.journeys.neverServed)],
    ['  multi-attempt (answered)', (f) => String(f.journeys.multiAttempt)],
    ['  journey wait p50', (f) => fmtS(f.journeys.waitSeconds.p50)],
    ['  journey wait p90', (f) => fmtS(f.journeys.waitSeconds.p90)],
    ['  multi-attempt wait p50', (f) => fmtS(f.journeys.multiAttemptWaitSeconds.p50)],
    ['  multi-attempt wait p90', (f) => fmtS(f.journeys.multiAttemptWaitSeconds.p90)],
    ['  still waiting after 10 min', (f) => fmtP(f.journeys.survival.points.find((p) => p.seconds === 600)?.stillWaiting ?? null)],
    ['GAP lived p90 / reported ASA', (f) => (f.gap.livedP90OverReportedAsa === null ? '–' : `${f.gap.livedP90OverReportedAsa.toFixed(1)}×`)],
  ];
  const width = Math.max(...rows.map(([l]) => l.length));
  const colW = cols.map(([label, f]) => Math.max(label.length, ...rows.map(([, fn]) => fn(f).length)));
  const line = (label: string, vals: string[]) => label.padEnd(width) + vals.map((v, i) => `  ${v.padStart(colW[i])}`).join('');
  const head = line('', cols.map(([l]) => l));
  const window = r.journeyWindow === 'day' ? 'journeys by day' : `journeys while gaps ≤ ${r.journeyWindow.gapSeconds} s`;
  const period = `${r.period.from ?? 'beginning'} – ${r.period.to ?? 'now'} (${r.path} path, ${window}, definitions v${r.definitions})`;
  return `${[period, head, ...rows.map(([l, fn]) => line(l, cols.map(([, f]) => fn(f))))].join('\n')}\n`;
}

export function registerJourneyCommands(program: Command) {
  const imp = program.command('import').description('import contact events: call logs, queue_log, event files');
  const common = (cmd: Command) =>
    dbOptions(
      cmd
        .requiredOption('--account <account>', 'account slug or id')
        .option('--tz <zone>', 'IANA time zone of local times in the file (journey days); default the account’s')
        .option('--json', 'print the summary as JSON on stdout')
        .option('--strict', 'exit with code 2 when some lines were malformed'),
    );
  common(imp.command('queue-log <file>').description('Asterisk queue_log (native pipe format); - reads stdin')).action((f, o) => runImport(f, 'queue-log', o));
  common(
    imp
      .command('calls <file>')
      .description('call-detail records: --format seelab (SEE lab / bank call log) or csv with --map; - reads stdin')
      .addOption(new Option('--format <format>', 'file format').choices(['seelab', 'csv']).makeOptionMandatory())
      .option('--map <map>', 'csv: column=field,… (fields: see docs/metrics.md)')
      .option('--delimiter <char>', 'csv: field delimiter , ; or tab (default: detected)'),
  ).action((f, o) => {
    if (o.format === 'csv' && !o.map) throw new AppError('validation', '--format csv needs --map column=field,… (fields: docs/metrics.md, README)');
    return runImport(f, o.format, o);
  });
  common(imp.command('events <file>').description('contact events as JSON lines; - reads stdin')).action((f, o) => runImport(f, 'events', o));

  const report = program.command('report').description('reports');
  dbOptions(
    report
      .command('waits')
      .description('reported (dashboard) vs lived waits and customer journeys')
      .requiredOption('--account <account>', 'account slug or id')
      .addOption(new Option('--threshold <seconds>', 'service-level threshold').argParser(seconds).default(20))
      .option('--from <date>', 'start (ISO date or date-time, inclusive)')
      .option('--to <date>', 'end (exclusive)')
      .addOption(new Option('--by <group>', 'group by').choices([...GROUP_BY]))
      .option('--queue <queue>', 'only this queue (name or id)')
      .option('--channel <channel>', 'only this channel')
      .option('--tz <zone>', 'time zone for --by hour|day|weekday; default the account’s')
      .addOption(new Option('--path <path>', 'exact, or sketch (approximate, constant cost)').choices(['exact', 'sketch']).default('exact'))
      .option('--window <window>', 'journey window for calls and chats: day (default), or a gap between contacts such as 30m or 4h')
      .option('--json', 'print JSON'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const r = await journeys.waitsReport(ctx, systemPrincipal(a.id, 'cli'), {
        from: o.from, to: o.to, threshold: o.threshold, by: o.by, queue: o.queue, channel: o.channel, tz: o.tz, path: o.path, window: o.window,
      });
      process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : waitsText(r));
    });
  });

  dbOptions(
    program
      .command('recompute')
      .description('rebuild contact facts and wait sketches from the event log (after a metric definition changed)')
      .requiredOption('--account <account>', 'account slug or id'),
  ).action(async (o) => {
    await withDb(o, async (ctx) => {
      const a = await accounts.findAccount(ctx, o.account);
      const r = await journeys.recompute(ctx, systemPrincipal(a.id, 'cli'));
      process.stderr.write(`Recomputed ${r.contacts} contacts and the sketches of ${r.days} days.\n`);
    });
  });
}
