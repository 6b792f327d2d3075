/**
 * Benchmark: memory of the SMTP listener under large mail (issue 14 item 13).
 *
 *   node --import tsx bench/email-memory.ts     (BENCH_MAIL_MIB=20, BENCH_MAIL_CONCURRENT=10)
 *
 * The real server (`earshot serve --smtp-port`, its own process) on PostgreSQL when reachable (a fresh database,
 * dropped at the end), else on an embedded data folder. Its peak resident memory (VmHWM, Linux /proc) is read after
 *  1. the baseline, same run: ONE mail of BENCH_MAIL_MIB MiB (a PDF-like base64 attachment) on a fresh server;
 *  2. BENCH_MAIL_CONCURRENT such mails sent at once from as many SMTP connections, on another fresh server.
 * Printed per phase: idle RSS, peak RSS, peak growth per MiB received, RSS 5 s after the last 250, and the ratio of the
 * concurrent phase's growth to the single mail's. With large messages bounded (SMTP_LARGE_CONCURRENCY) the growth of
 * the concurrent phase stays within a small multiple of one mail's instead of growing with the number of senders.
 * Every mail must get 250 (a 4xx is counted and retried after 1 s, as an MTA would, sooner).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
// The registry registers the modules' hooks (journeys' projection of contact events), as every Earshot process does.
import '../src/modules/index.js';
import { openDb } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { loadConfig } from '../src/platform/config.js';
import { systemPrincipal } from '../src/platform/context.js';
import { createAccount } from '../src/modules/accounts/accounts.service.js';
import { createMailbox } from '../src/modules/channels/email/mailboxes.service.js';
import { benchPostgresUrl, fmt, printTable, ratio } from './common.js';
import { freePort } from '../test/cli-run.js';

const MIB = Number(process.env.BENCH_MAIL_MIB ?? 20);
const CONCURRENT = Number(process.env.BENCH_MAIL_CONCURRENT ?? 10);
const ROOT = new URL('..', import.meta.url).pathname;

const status = (pid: number) => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
};

/** A mail of about `mib` MiB: a short text and one base64 attachment of random bytes. */
function bigMail(tag: string, mib: number): Buffer {
  const data = randomBytes(Math.floor((mib * 1024 * 1024 * 3) / 4) - 2048).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      `From: Big Sender <big.${tag}@example.com>`, 'To: support@bench.test', `Subject: Large attachment ${tag}`, `Message-ID: <big-${tag}@example.com>`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="bb"', '', '--bb', 'Content-Type: text/plain; charset=utf-8', '',
      'Please find the scan attached.', '--bb', 'Content-Type: application/pdf', 'Content-Disposition: attachment; filename="scan.pdf"',
      'Content-Transfer-Encoding: base64', '', data, '--bb--', '',
    ].join('\r\n'),
  );
}

async function prepare(dbArgs: string[], open: () => Promise<import('../src/platform/db.js').Db>) {
  const db = await open();
  await migrate(db);
  const ctx = { db, config: loadConfig({}, {}), now: () => new Date() };
  const a = await createAccount(ctx as any, { name: 'Bench', slug: `bench-${randomBytes(3).toString('hex')}` });
  await createMailbox(ctx as any, systemPrincipal(a.id), { address: 'support@bench.test' });
  await db.close();
  return dbArgs;
}

function serve(dbArgs: string[], smtpPort: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'serve', '--port', '0', '--host', '127.0.0.1', '--smtp-port', String(smtpPort), '--no-jobs', ...dbArgs], {
      cwd: ROOT,
      env: { ...process.env, SMTP_HOST: '127.0.0.1', LOG_LEVEL: 'error', SMTP_MAX_BYTES: String((MIB + 5) * 1024 * 1024) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d) => {
      err += d;
      if (/SMTP on /.test(err)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${err}`)));
  });
}

async function send(port: number, raw: Buffer, tag: string): Promise<number> {
  let retries = 0;
  for (;;) {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, socketTimeout: 600_000 } as any);
    try {
      await t.sendMail({ envelope: { from: `big.${tag}@example.com`, to: ['support@bench.test'] }, raw });
      return retries;
    } catch (err: any) {
      if (!(err.responseCode >= 400 && err.responseCode < 500)) throw err;
      retries++;
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      t.close();
    }
  }
}

async function phase(dbArgs: string[], n: number, label: string) {
  const port = await freePort();
  const child = await serve(dbArgs, port);
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idle = status(child.pid!);
    const mails = Array.from({ length: n }, (_, i) => bigMail(`${label}-${i}-${randomBytes(3).toString('hex')}`, MIB));
    const received = mails.reduce((s, m) => s + m.length, 0) / 1024 / 1024;
    const t0 = Date.now();
    const retries = (await Promise.all(mails.map((m, i) => send(port, m, `${label}-${i}`)))).reduce((a, b) => a + b, 0);
    const secs = (Date.now() - t0) / 1000;
    const peak = status(child.pid!).hwm;
    await new Promise((r) => setTimeout(r, 5000));
    const after = status(child.pid!).rss;
    return { label, n, received, idle: idle.rss, peak, growth: peak - idle.rss, perMib: (peak - idle.rss) / received, after, retries, secs };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-mem-'));
  let drop = async () => {};
  let backend = 'embedded PGlite';
  let dbArgs: string[];
  const admin = new pg.Client({ connectionString: benchPostgresUrl(), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    const name = `earshot_bench_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(benchPostgresUrl());
    u.pathname = `/${name}`;
    dbArgs = ['--database-url', u.toString()];
    backend = 'PostgreSQL';
    await prepare(dbArgs, () => openDb({ databaseUrl: u.toString() }));
    drop = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end().catch(() => {});
    };
  } catch {
    await admin.end().catch(() => {});
    dbArgs = ['--data', join(dir, 'data')];
    await prepare(dbArgs, () => openDb({ dataDir: join(dir, 'data') }));
  }
  try {
    console.log(`Large mail: ${MIB} MiB each; server on ${backend}; peak = VmHWM of the server process`);
    const one = await phase(dbArgs, 1, 'one');
    const many = await phase(dbArgs, CONCURRENT, 'many');
    printTable([
      ['phase', 'mails', 'MiB received', 'idle RSS MiB', 'peak RSS MiB', 'growth MiB', 'growth per MiB received', 'RSS 5 s later MiB', '4xx retries', 'seconds'],
      ...[one, many].map((p) => [
        p.label === 'one' ? 'baseline: 1 mail' : `${p.n} at once`, String(p.n), fmt(p.received, 1), fmt(p.idle), fmt(p.peak), fmt(p.growth), fmt(p.perMib, 2), fmt(p.after), String(p.retries), fmt(p.secs, 1),
      ]),
    ]);
    console.log(`growth ${CONCURRENT} at once / 1 mail: ${fmt(ratio(many.growth, one.growth), 2)}× (unbounded would be about ${CONCURRENT}×)`);
  } finally {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
