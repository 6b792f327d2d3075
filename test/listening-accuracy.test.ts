/**
 * Accuracy of the text analyser, per language and per field, on three sets:
 *  - the shared labelled set (../shared/data/text/messages-labelled.json; skipped with a message when missing),
 *  - our grown labelled set (test/fixtures/listening/grown.json, written before the rules were tuned),
 *  - round 1 (test/fixtures/listening/round1.json): the first held-out set; its misses were then fixed, so it is
 *    in-sample now,
 *  - a held-out set (test/fixtures/listening/held-out.json, written after the second tuning round, never tuned on).
 * The thresholds are asserted on the labelled, grown and round-1 sets; the held-out figures are printed and
 * held to a lower floor, because in-sample figures flatter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/modules/listening/analyze.js';

interface Labelled {
  id: string; lang: string; text: string;
  wait: { complaint: boolean; minutes: number | null };
  urgency: string | null; abuse: 'abuse' | 'criticism' | 'none'; threat: boolean; sentiment: string;
}
interface Figures {
  n: number; lang: number; wait: number; minutesStated: number; minutesExact: number; abuseN: number; abuseFound: number;
  criticismAsAbuse: number; noneAsAbuse: number; abuseClass: number; urgency: number; threat: number; threatN: number; threatFound: number; sentiment: number;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const LABELLED = here('../../shared/data/text/messages-labelled.json');
const load = (p: string): Labelled[] => JSON.parse(readFileSync(p, 'utf8'));

function score(set: Labelled[]): Map<string, Figures> {
  const per = new Map<string, Figures>();
  for (const m of set) {
    const a = analyze(m.text);
    let f = per.get(m.lang);
    if (!f) {
      f = { n: 0, lang: 0, wait: 0, minutesStated: 0, minutesExact: 0, abuseN: 0, abuseFound: 0, criticismAsAbuse: 0, noneAsAbuse: 0, abuseClass: 0, urgency: 0, threat: 0, threatN: 0, threatFound: 0, sentiment: 0 };
      per.set(m.lang, f);
    }
    f.n++;
    if (a.lang === m.lang) f.lang++;
    if (a.wait.complaint === m.wait.complaint) f.wait++;
    if (m.wait.minutes !== null) { f.minutesStated++; if (a.wait.minutes === m.wait.minutes) f.minutesExact++; }
    if (m.abuse === 'abuse') { f.abuseN++; if (a.abuse === 'abuse') f.abuseFound++; }
    if (m.abuse === 'criticism' && a.abuse === 'abuse') f.criticismAsAbuse++;
    if (m.abuse === 'none' && a.abuse === 'abuse') f.noneAsAbuse++;
    if (a.abuse === m.abuse) f.abuseClass++;
    if (a.urgency === m.urgency) f.urgency++;
    if (a.threat === m.threat) f.threat++;
    if (m.threat) { f.threatN++; if (a.threat) f.threatFound++; }
    if (a.sentiment === m.sentiment) f.sentiment++;
  }
  return per;
}

const pct = (a: number, b: number) => (b === 0 ? null : a / b);
const show = (a: number, b: number) => (b === 0 ? '  n/a' : `${(100 * a / b).toFixed(0).padStart(4)}% (${a}/${b})`);
function report(name: string, per: Map<string, Figures>) {
  const lines = [`${name}:`];
  for (const [lang, f] of per) {
    lines.push(`  ${lang}  n=${f.n}  language ${show(f.lang, f.n)}  wait claim ${show(f.wait, f.n)}  exact minutes ${show(f.minutesExact, f.minutesStated)}  ` +
      `abuse recall ${show(f.abuseFound, f.abuseN)}  criticism→abuse ${f.criticismAsAbuse}  none→abuse ${f.noneAsAbuse}  abuse/criticism/none ${show(f.abuseClass, f.n)}  ` +
      `urgency ${show(f.urgency, f.n)}  threats ${show(f.threat, f.n)} (recall ${show(f.threatFound, f.threatN)})  sentiment ${show(f.sentiment, f.n)}`);
  }
  console.log(lines.join('\n'));
}

/** The acceptance thresholds, per language. */
function assertThresholds(name: string, per: Map<string, Figures>) {
  for (const lang of ['en', 'de', 'nb']) {
    const f = per.get(lang);
    assert.ok(f, `${name}: no ${lang} messages`);
    const at = (what: string, v: number | null, min: number) => { if (v !== null) assert.ok(v >= min, `${name} ${lang}: ${what} ${(100 * v).toFixed(0)}% < ${100 * min}%`); };
    at('wait-claim detection', pct(f.wait, f.n), 0.9);
    at('exact claimed minutes', pct(f.minutesExact, f.minutesStated), 0.85);
    at('abuse recall', pct(f.abuseFound, f.abuseN), 0.8);
    assert.equal(f.criticismAsAbuse, 0, `${name} ${lang}: criticism classed as abuse`);
    at('urgency', pct(f.urgency, f.n), 0.85);
    at('threats', pct(f.threat, f.n), 0.8);
    at('threat recall', pct(f.threatFound, f.threatN), 0.8);
  }
}

test('shared labelled set: the issue thresholds per language; other languages reported as themselves', (t) => {
  if (!existsSync(LABELLED)) { t.skip(`labelled set missing: ${LABELLED}`); return; }
  const set = load(LABELLED);
  const per = score(set);
  report('labelled set (../shared/data/text/messages-labelled.json)', per);
  assertThresholds('labelled', per);
  for (const m of set.filter((x) => !['en', 'de', 'nb'].includes(x.lang))) {
    const lang = analyze(m.text).lang;
    assert.ok(!['en', 'de', 'nb'].includes(lang), `${m.id} (${m.lang}) was guessed into ${lang}`);
  }
});

test('grown labelled set: the issue thresholds per language, and ≥ 30 messages per language', () => {
  const set = load(here('fixtures/listening/grown.json'));
  const per = score(set);
  report('grown set (test/fixtures/listening/grown.json)', per);
  for (const lang of ['en', 'de', 'nb']) assert.ok((per.get(lang)?.n ?? 0) >= 30, `grown set: fewer than 30 ${lang} messages`);
  assertThresholds('grown', per);
});

test('round-1 set (held out first, tuned on since): the issue thresholds per language', () => {
  const per = score(load(here('fixtures/listening/round1.json')));
  report('round-1 set (test/fixtures/listening/round1.json)', per);
  assertThresholds('round 1', per);
});

test('held-out set (written after tuning): figures printed, a 60 % floor, and never criticism as abuse', () => {
  const set = load(here('fixtures/listening/held-out.json'));
  const per = score(set);
  report('held-out set (test/fixtures/listening/held-out.json)', per);
  for (const lang of ['en', 'de', 'nb']) {
    const f = per.get(lang)!;
    assert.ok(f.n >= 15, `held-out set: fewer than 15 ${lang} messages`);
    assert.equal(f.criticismAsAbuse, 0, `held-out ${lang}: criticism classed as abuse`);
    // Per field over all messages of the language (detection, class and flag accuracy); the exact-minutes figure
    // rests on 3–4 stated durations per language, so it is reported rather than held to the floor. The floor guards
    // against regressions; the figures themselves are in docs/listening.md.
    for (const [what, v] of [['wait-claim detection', f.wait], ['abuse/criticism/none', f.abuseClass], ['urgency', f.urgency], ['threats', f.threat]] as const) {
      assert.ok(v / f.n >= 0.6, `held-out ${lang}: ${what} ${(100 * v / f.n).toFixed(0)}% < 60%`);
    }
  }
});
