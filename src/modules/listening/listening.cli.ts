/**
 * `earshot analyze [FILE] [--json]`: JSON lines `{"id","text","lang"?}` in (FILE, or stdin when FILE is absent or
 * '-'), one analysis per input out. Lines that cannot be read are reported on stderr with their line number and
 * skipped; the rest are analysed (exit code 1 when any line was bad).
 */
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { readLines } from '../journeys/index.js';
import { analyze, type Analysis } from './analyze.js';

export interface AnalyzeInput { id: string | number; text: string; lang?: string }

/** The issue's output shape, plus the evidence spans, frustration and confidence. */
export function toOutput(id: string | number, a: Analysis) {
  return {
    id,
    lang: a.lang,
    wait: { complaint: a.wait.complaint, minutes: a.wait.minutes },
    urgency: a.urgency,
    abuse: a.abuse,
    threat: a.threat,
    sentiment: a.sentiment,
    frustration: a.frustration,
    confidence: a.confidence,
    evidence: {
      wait: a.wait.evidence,
      urgency: a.urgencyEvidence,
      abuse: a.abuseEvidence,
      threat: a.threatEvidence,
    },
  };
}

/** Checks one input line; returns the input or the reason it is unusable. */
export function parseInputLine(text: string): AnalyzeInput | string {
  let v: unknown;
  try { v = JSON.parse(text); } catch (e: any) { return `not JSON (${e.message})`; }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'expected a JSON object {"id","text","lang"?}';
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string' && typeof o.id !== 'number') return '"id" is missing or not a string or number';
  if (typeof o.text !== 'string') return '"text" is missing or not a string';
  if (o.lang !== undefined && o.lang !== null && typeof o.lang !== 'string') return '"lang" must be a string when given';
  return { id: o.id, text: o.text, lang: typeof o.lang === 'string' && o.lang ? o.lang : undefined };
}

const quote = (s: { text: string } | null) => (s ? `«${s.text}»` : '');

/** One readable line for a terminal. */
export function toText(id: string | number, a: Analysis): string {
  const parts = [
    `${id}`, a.lang,
    a.wait.complaint ? `wait claim${a.wait.minutes !== null ? ` ${a.wait.minutes} min` : ''} ${quote(a.wait.evidence)}` : 'no wait claim',
    a.urgency ? `urgency ${a.urgency} ${quote(a.urgencyEvidence)}` : null,
    a.abuse !== 'none' ? `${a.abuse} ${quote(a.abuseEvidence)}` : null,
    a.threat ? `THREAT ${quote(a.threatEvidence)}` : null,
    `${a.sentiment}, frustration ${a.frustration}`,
  ];
  return parts.filter(Boolean).join(' | ');
}

/** Analyses JSON lines from input; writes results through `out`, problems through `err`. */
export async function analyzeLines(input: string | Readable, out: (line: string) => void, err: (line: string) => void, opts: { json: boolean }) {
  let ok = 0, bad = 0;
  for await (const line of readLines(input)) {
    if (!line.text.trim()) continue;
    const parsed = parseInputLine(line.text);
    if (typeof parsed === 'string') { bad++; err(`line ${line.no}: ${parsed}`); continue; }
    const a = analyze(parsed.text, parsed.lang ? { lang: parsed.lang } : undefined);
    out(opts.json ? JSON.stringify(toOutput(parsed.id, a)) : toText(parsed.id, a));
    ok++;
  }
  return { ok, bad };
}

export function registerListeningCommands(program: Command): void {
  program.command('analyze')
    .description('Analyse customer messages: JSON lines {"id","text","lang"?} from FILE or stdin → one JSON line per message (language, wait claim and minutes, urgency, abuse/criticism, threat, sentiment, with evidence)')
    .argument('[file]', "JSON-lines file ('-' or absent: stdin)")
    .option('--json', 'JSON lines (also the default when stdout is not a terminal)')
    .action(async (file: string | undefined, o: { json?: boolean }) => {
      const json = !!o.json || !process.stdout.isTTY;
      let res: Awaited<ReturnType<typeof analyzeLines>>;
      try {
        res = await analyzeLines(file ?? '-', (l) => process.stdout.write(`${l}\n`), (l) => process.stderr.write(`${l}\n`), { json });
      } catch (e: any) {
        process.stderr.write(`analyze: cannot read ${file}: ${e.message}\n`);
        process.exitCode = 1;
        return;
      }
      if (res.bad) {
        process.stderr.write(`analyze: ${res.ok} analysed, ${res.bad} bad line(s) skipped\n`);
        process.exitCode = 1;
      }
    });
}
