/**
 * `earshot analyze [FILE] [--json]` run as a real process: JSON lines from a file and from stdin, the output
 * shape, bad lines reported on stderr with their line numbers while the rest are kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { analyzeLines, registerListeningCommands } from '../src/modules/listening/listening.cli.js';

const ENTRY = `import { Command } from 'commander';
import { registerListeningCommands } from './src/modules/listening/listening.cli.ts';
const program = new Command('earshot');
registerListeningCommands(program);
await program.parseAsync(process.argv.slice(1), { from: 'user' });`;

function run(args: string[], stdin?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ENTRY, ...args], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin ?? '');
  });
}

const INPUT = `${[
  JSON.stringify({ id: 'm1', text: 'Ich habe 40 Minuten in der Warteschleife gehangen' }),
  JSON.stringify({ id: 2, text: 'Flyet mitt går om to timer og jeg har ikke fått billetten.', lang: 'nb' }),
  JSON.stringify({ id: 'm3', text: 'Your product is garbage and your CEO should be ashamed.' }),
].join('\n')}\n`;

test('earshot analyze FILE --json: one JSON line per input in the issue shape, with evidence', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-analyze-'));
  try {
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, INPUT);
    const r = await run(['analyze', file, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(rows.length, 3);
    assert.deepEqual({ id: rows[0].id, lang: rows[0].lang, wait: rows[0].wait, urgency: rows[0].urgency, abuse: rows[0].abuse, threat: rows[0].threat, sentiment: rows[0].sentiment },
      { id: 'm1', lang: 'de', wait: { complaint: true, minutes: 40 }, urgency: null, abuse: 'none', threat: false, sentiment: 'neg' });
    assert.equal(rows[0].evidence.wait.text, '40 Minuten in der Warteschleife');
    assert.equal(rows[1].id, 2);
    assert.equal(rows[1].lang, 'nb');
    assert.deepEqual(rows[1].wait, { complaint: false, minutes: null });
    assert.equal(rows[1].urgency, 'travel');
    assert.equal(rows[2].abuse, 'criticism');
    assert.equal(rows[2].lang, 'en');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('earshot analyze from stdin: bad lines are reported with line numbers on stderr and the rest kept', async () => {
  const input = [
    JSON.stringify({ id: 'a', text: 'I was on hold for 45 mins and nobody picked up.' }),
    '{not json',
    '',
    JSON.stringify({ id: 'b' }),
    JSON.stringify(['x']),
    JSON.stringify({ id: 'c', text: 'Jeg slapp å vente, tusen takk!' }),
  ].join('\n');
  const r = await run(['analyze', '--json'], input);
  assert.equal(r.code, 1);
  const rows = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((x) => [x.id, x.wait.complaint, x.wait.minutes]), [['a', true, 45], ['c', false, null]]);
  assert.match(r.err, /line 2: not JSON/);
  assert.match(r.err, /line 4: "text" is missing/);
  assert.match(r.err, /line 5: expected a JSON object/);
  assert.doesNotMatch(r.err, /line 3/);
  assert.match(r.err, /2 analysed, 3 bad line\(s\) skipped/);
});

test('earshot analyze: a missing file is a clear error; the readable form (used without --json on a terminal)', async () => {
  const r = await run(['analyze', '/nonexistent/earshot-in.jsonl', '--json']);
  assert.equal(r.code, 1);
  assert.match(r.err, /cannot read \/nonexistent\/earshot-in\.jsonl/);
  const lines: string[] = [];
  const res = await analyzeLines(Readable.from([INPUT]), (l) => lines.push(l), () => {}, { json: false });
  assert.deepEqual(res, { ok: 3, bad: 0 });
  assert.match(lines[0], /^m1 \| de \| wait claim 40 min «40 Minuten in der Warteschleife»/);
  assert.match(lines[1], /urgency travel/);
  assert.match(lines[2], /criticism «garbage»/);
  const program = new Command('earshot');
  registerListeningCommands(program);
  assert.ok(program.commands.some((c) => c.name() === 'analyze'));
});
