/**
 * Benchmark: text analysis throughput on one core.
 *
 *   node --import tsx bench/listening.ts        (BENCH_LISTENING_MESSAGES=5000, BENCH_LISTENING_SECONDS=3)
 *
 * Messages: a few thousand mixed en/de/nb (and some da/sv/fr) customer messages built from the labelled, grown, round-1 and
 * held-out sets, each wrapped in a varying greeting, order number and sign-off so lengths and texts vary (one-liners
 * to short emails). Figure: messages/s through `analyze()` (the rule classifier, language detected, no hint).
 * Baseline, same run, same texts: a plain lower-casing + Unicode tokenising pass (`toLowerCase().match(/[\p{L}\p{N}]+/gu)`),
 * the least any text analysis must do; the ratio says how many such passes one analysis costs. Target: ≥ 2,000/s.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/modules/listening/analyze.js';
import { fmt, printTable, ratio } from './common.js';

const N = Number(process.env.BENCH_LISTENING_MESSAGES ?? 5000);
const SECONDS = Number(process.env.BENCH_LISTENING_SECONDS ?? 3);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const sources = [here('../../shared/data/text/messages-labelled.json'), here('../test/fixtures/listening/grown.json'), here('../test/fixtures/listening/round1.json'), here('../test/fixtures/listening/held-out.json')]
  .filter(existsSync)
  .flatMap((p) => JSON.parse(readFileSync(p, 'utf8')) as { text: string; lang: string }[]);

const WRAP: Record<string, { hello: string[]; bye: string[]; order: string }> = {
  en: { hello: ['', 'Hi,', 'Hello there.', 'Dear support team,'], bye: ['', 'Thanks.', 'Regards, Sam', 'Please sort this out today.'], order: 'Order number' },
  de: { hello: ['', 'Hallo,', 'Guten Tag,', 'Sehr geehrte Damen und Herren,'], bye: ['', 'Danke.', 'Mit freundlichen Grüßen, Jana', 'Bitte melden Sie sich.'], order: 'Bestellnummer' },
  nb: { hello: ['', 'Hei,', 'Hei hei.', 'Til kundeservice,'], bye: ['', 'Takk.', 'Hilsen Kari', 'Ta kontakt snarest.'], order: 'Ordrenummer' },
};

function messages(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const m = sources[i % sources.length];
    const w = WRAP[m.lang] ?? WRAP.en;
    const k = Math.floor(i / sources.length);
    const parts = [w.hello[k % w.hello.length], m.text, k % 3 === 1 ? `${w.order} ${100000 + i}.` : '', w.bye[(k + i) % w.bye.length]];
    if (k % 5 === 4) parts.splice(2, 0, m.text); // some longer, repetitive ones
    out.push(parts.filter(Boolean).join(' '));
  }
  return out;
}

function measure(texts: string[], fn: (t: string) => unknown): { perSecond: number; runs: number } {
  for (const t of texts.slice(0, 500)) fn(t); // warm-up
  let done = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(SECONDS * 1e9));
  let now = start;
  while (now < deadline || done === 0) {
    for (const t of texts) fn(t);
    done += texts.length;
    now = process.hrtime.bigint();
  }
  return { perSecond: done / (Number(now - start) / 1e9), runs: done / texts.length };
}

if (sources.length === 0) {
  console.log('listening bench skipped: no message sets found');
} else {
  const texts = messages(N);
  let sink = 0;
  const base = measure(texts, (t) => { sink += t.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.length ?? 0; });
  const full = measure(texts, (t) => { const a = analyze(t); sink += a.wait.complaint ? 1 : 0; });
  const avgLen = texts.reduce((s, t) => s + t.length, 0) / texts.length;
  console.log(`Text analysis, one core: ${fmt(texts.length)} mixed messages (${new Set(sources.map((s) => s.lang)).size} languages, ${fmt(avgLen)} characters on average), ${SECONDS} s each`);
  printTable([
    ['pass', 'messages/s', 'µs/message', 'passes over the set'],
    ['baseline: lower-case + tokenise', fmt(base.perSecond), fmt(1e6 / base.perSecond, 2), fmt(base.runs, 1)],
    ['analyze() (rule classifier)', fmt(full.perSecond), fmt(1e6 / full.perSecond, 2), fmt(full.runs, 1)],
  ]);
  console.log(`analyze() costs ${fmt(ratio(base.perSecond, full.perSecond), 1)}× the baseline pass; target ≥ 2,000 messages/s: ${full.perSecond >= 2000 ? 'met' : 'NOT met'}`);
  if (sink < 0) console.log(sink);
}
