/**
 * Text analysis of inbound customer messages (issue 6): language, wait claim, urgency, abuse vs criticism, threat,
 * sentiment and frustration — each finding with its evidence span and a confidence.
 *
 * Callers use `analyze()` (or a `Classifier`); the built-in `ruleClassifier` is grammar- and word-list-based and
 * works offline. All language knowledge is data in `lang/*.ts` (one `LangPack` per language, `profiles.ts` for
 * language identification); this file only compiles and applies it. A local model can be added later as another
 * `Classifier` and selected with `setClassifier()` without touching callers.
 */
import { de } from './lang/de.js';
import { en } from './lang/en.js';
import { nb } from './lang/nb.js';
import { PROFILES } from './lang/profiles.js';
import type { LangPack, UrgencyKind } from './lang/types.js';

export interface Span { start: number; end: number; text: string }          // offsets into the input text
export interface Analysis {
  lang: string;                                   // 'en' | 'de' | 'nb' | other ISO code | 'und'
  /** `kind`: what was waited for — 'queue' (us: a reply, the phone, the chat; the default) or 'delivery' (an order, a
   *  parcel, a refund, a repair: held against the conversation's resolution time, not a queue wait). */
  wait: { complaint: boolean; minutes: number | null; evidence: Span | null; confidence: number; kind?: 'queue' | 'delivery' };
  urgency: 'bereavement' | 'medical' | 'travel' | 'deadline' | 'safety' | null;
  urgencyEvidence: Span | null;
  abuse: 'abuse' | 'criticism' | 'none';
  abuseEvidence: Span | null;
  threat: boolean;
  threatEvidence: Span | null;
  sentiment: 'neg' | 'neu' | 'pos';
  frustration: number;                            // 0..1
  confidence: number;                             // overall 0..1
}
export interface Classifier { name: string; analyze(text: string, hint?: { lang?: string }): Analysis }

export type Urgency = NonNullable<Analysis['urgency']>;

// ---------------------------------------------------------------------------------------------------------------
// Compiling the language data

const L = '[\\p{L}\\p{N}]';
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A phrase source with spaces → any white space. Spaces inside character classes are kept literal. */
function spaced(p: string): string {
  let out = '', inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') { out += c + (p[i + 1] ?? ''); i++; continue; }
    if (c === '[') inClass = true; else if (c === ']') inClass = false;
    out += c === ' ' && !inClass ? '\\s+' : c;
  }
  return out;
}
const alt = (list: string[]) => [...list].sort((a, b) => b.length - a.length).map(spaced).join('|');
/** Phrases as one global regex with Unicode word edges. */
function words(list: string[]): RegExp {
  return new RegExp(`(?<!${L})(?:${alt(list)})(?!${L})`, 'giu');
}
const literal = (list: string[]) => list.map(escapeRe);

interface Compiled {
  pack: LangPack;
  numbers: Map<string, number>;
  units: Map<string, number>;
  duration: RegExp;
  fixed: { re: RegExp; minutes: number }[];
  join: RegExp;
  approxTail: RegExp;
  futureTail: RegExp;
  futureHead: RegExp;
  waitVerbs: RegExp;
  waitPhrases: RegExp;
  deliveryWait: RegExp;
  negTail: RegExp;
  breakerHead: RegExp;
  futureWait: RegExp;
  soon: RegExp;
  urgency: { kind: UrgencyKind; strong: RegExp; weak: RegExp | null }[];
  insults: RegExp;
  addrTail: RegExp;
  abuse: RegExp;
  criticism: RegExp;
  threats: RegExp;
  positive: RegExp;
  negative: RegExp;
  intensifiers: RegExp;
}

const URGENCY_ORDER: UrgencyKind[] = ['safety', 'medical', 'bereavement', 'travel', 'deadline'];
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

function compile(pack: LangPack): Compiled {
  const numbers = new Map<string, number>(Object.entries(pack.numbers).map(([k, v]) => [norm(k), v]));
  const { tens, units: ones, templates } = pack.compounds;
  for (const [t, tv] of Object.entries(tens)) for (const [u, uv] of Object.entries(ones)) for (const tpl of templates) {
    numbers.set(norm(tpl.replace('{t}', t).replace('{u}', u)), tv + uv);
  }
  const units = new Map<string, number>(Object.entries(pack.units).map(([k, v]) => [norm(k), v]));
  const num = `\\d+(?:[.,]\\d+)?|${alt(literal([...numbers.keys()]))}`;
  const halfN = pack.halfAfterNumber.length ? `(${pack.halfAfterNumber.map((h) => spaced(escapeRe(h.trim()))).join('|')})?` : '()';
  const halfU = pack.halfAfterUnit.length ? `(${pack.halfAfterUnit.map((h) => `\\s+${spaced(escapeRe(h.trim()))}`).join('|')})?` : '()';
  const duration = new RegExp(`(?<!${L})(${num})\\s*${halfN}[\\s-]*(${alt(literal([...units.keys()]))})${halfU}(?!${L})`, 'giu');
  const tail = (list: string[]) => new RegExp(`(?<!${L})(?:${alt(list)})\\s*$`, 'iu');
  const head = (list: string[]) => new RegExp(`^\\s*(?:${alt(list)})(?!${L})`, 'iu');
  const urgency = URGENCY_ORDER.map((kind) => ({
    kind,
    strong: words(pack.urgency[kind].strong),
    weak: pack.urgency[kind].weak?.length ? words(pack.urgency[kind].weak!) : null,
  }));
  return {
    pack, numbers, units, duration,
    fixed: pack.fixedDurations.map(([p, minutes]) => ({ re: words([p]), minutes })),
    join: new RegExp(`^\\s*(?:${alt(pack.durationJoin.map(escapeRe))})\\s*$`, 'iu'),
    approxTail: tail(pack.approx),
    futureTail: tail(pack.futureBefore),
    futureHead: head(pack.futureAfter),
    waitVerbs: words(pack.wait.verbs),
    waitPhrases: words(pack.wait.phrases),
    deliveryWait: words(pack.deliveryWait),
    negTail: new RegExp(`(?<!${L})(?:${alt(pack.negations)})(?:[\\s,]+[\\p{L}'’]+){0,3}[\\s,]*$`, 'iu'),
    breakerHead: new RegExp(`^(?:[\\s,]+[\\p{L}'’]+){0,2}[\\s,]+(?:${alt(pack.negationBreakers)})(?!${L})`, 'iu'),
    futureWait: words(pack.futureWait),
    soon: words(pack.soon),
    urgency,
    insults: words(pack.insults),
    addrTail: new RegExp(`(?<!${L})(?:${alt(pack.addressees)})(?:[\\s,]+[\\p{L}'’]+){0,3}[\\s,]*$`, 'iu'),
    abuse: words(pack.abusePhrases),
    criticism: words(pack.criticism),
    threats: words(pack.threats),
    positive: words(pack.positive),
    negative: words(pack.negative),
    intensifiers: words(pack.intensifiers),
  };
}

const PACKS: Record<string, Compiled> = { en: compile(en), de: compile(de), nb: compile(nb) };

// ---------------------------------------------------------------------------------------------------------------
// Language identification

const PROFILE_SETS = Object.entries(PROFILES).map(([code, p]) => ({
  code,
  words: new Set(p.words),
  trigrams: p.trigrams,
  marks: p.marks ? new RegExp(p.marks, 'giu') : null,
}));

/** Identify the language: function words, character trigrams and distinctive letters. 'und' when unsure. */
export function detectLanguage(text: string): { lang: string; confidence: number } {
  const lower = text.toLowerCase().replace(/’/g, "'");
  const tokens = lower.match(/[\p{L}']+/gu) ?? [];
  if (tokens.length === 0) return { lang: 'und', confidence: 0 };
  const padded = `_${tokens.join('_')}_`;
  const scores = PROFILE_SETS.map((p) => {
    let s = 0;
    for (const t of tokens) if (p.words.has(t)) s += 1;
    for (const g of p.trigrams) { let i = padded.indexOf(g); while (i !== -1) { s += 0.25; i = padded.indexOf(g, i + 1); } }
    if (p.marks) s += 1.5 * (lower.match(p.marks)?.length ?? 0);
    return { code: p.code, s };
  }).sort((a, b) => b.s - a.s);
  const [best, second] = scores;
  if (best.s < 1.5) return { lang: 'und', confidence: 0 };
  // Norwegian and Danish share most function words: decide between them on what only one of them uses.
  const other = scores.find((s) => s.code === (best.code === 'nb' ? 'da' : 'nb'))!;
  if ((best.code === 'nb' || best.code === 'da') && other.s >= 0.6 * best.s) {
    const nbP = PROFILE_SETS.find((p) => p.code === 'nb')!, daP = PROFILE_SETS.find((p) => p.code === 'da')!;
    let nbOnly = 0, daOnly = 0;
    for (const t of tokens) { if (nbP.words.has(t) && !daP.words.has(t)) nbOnly++; if (daP.words.has(t) && !nbP.words.has(t)) daOnly++; }
    daOnly += 1.5 * (lower.match(daP.marks!)?.length ?? 0);
    const winner = daOnly > nbOnly ? 'da' : 'nb';
    const margin = Math.min(1, Math.abs(daOnly - nbOnly) / 3);
    return { lang: winner, confidence: Math.min(1, 0.5 + margin / 2 + Math.min(tokens.length, 10) / 40) };
  }
  const margin = (best.s - second.s) / best.s;
  if (margin < 0.05) return { lang: 'und', confidence: 0.2 };
  return { lang: best.code, confidence: Math.min(1, 0.5 + margin + Math.min(tokens.length, 10) / 40) };
}

// ---------------------------------------------------------------------------------------------------------------
// The rule classifier

interface Dur { start: number; end: number; minutes: number; future: boolean }
interface Hit { start: number; end: number }

const mk = (text: string, start: number, end: number): Span => ({ start, end, text: text.slice(start, end) });
function all(re: RegExp, text: string): RegExpExecArray[] { re.lastIndex = 0; return [...text.matchAll(re)]; }
function first(re: RegExp, text: string): RegExpExecArray | null { re.lastIndex = 0; return re.exec(text); }

function sentences(text: string): Hit[] {
  const out: Hit[] = [];
  const re = /[^.!?\n]+[.!?\n]*/g;
  for (const m of text.matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length });
  return out.length ? out : [{ start: 0, end: text.length }];
}
const sentenceOf = (ss: Hit[], pos: number) => ss.find((s) => pos >= s.start && pos < s.end) ?? ss[ss.length - 1];

function durations(c: Compiled, text: string): Dur[] {
  const candidates: Dur[] = [];
  for (const f of c.fixed) for (const m of all(f.re, text)) candidates.push({ start: m.index, end: m.index + m[0].length, minutes: f.minutes, future: false });
  for (const m of all(c.duration, text)) {
    const start = m.index, end = start + m[0].length;
    const raw = m[1].toLowerCase().replace(/\s+/g, ' ');
    const n = /^\d/.test(raw) ? Number(raw.replace(',', '.')) : c.numbers.get(raw);
    const unit = c.units.get(m[3].toLowerCase().replace(/\s+/g, ' '));
    if (n === undefined || unit === undefined) continue;
    const value = (n + (m[2] ? 0.5 : 0) + (m[4] ? 0.5 : 0)) * unit;
    candidates.push({ start, end, minutes: value, future: false });
  }
  // Overlaps ("half an hour" vs "an hour", "to og en halv time" vs "en halv time"): the longest reading wins.
  candidates.sort((a, b) => (b.end - b.start) - (a.end - a.start));
  const found: Dur[] = [];
  for (const d of candidates) if (!found.some((f) => d.start < f.end && d.end > f.start)) found.push(d);
  found.sort((a, b) => a.start - b.start);
  // "an hour and a quarter", "en time og et kvarter": adjacent durations joined by "and" add up.
  const merged: Dur[] = [];
  for (const d of found) {
    const prev = merged[merged.length - 1];
    if (prev && c.join.test(text.slice(prev.end, d.start)) && d.minutes < prev.minutes) { prev.end = d.end; prev.minutes += d.minutes; }
    else merged.push({ ...d });
  }
  for (const d of merged) {
    d.minutes = Math.round(d.minutes * 100) / 100;
    let before = text.slice(Math.max(0, d.start - 40), d.start);
    const ax = c.approxTail.exec(before);
    if (ax) before = before.slice(0, ax.index);
    d.future = c.futureTail.test(before) || c.futureHead.test(text.slice(d.end, d.end + 20));
  }
  return merged;
}

function analyzeWait(c: Compiled, text: string, ss: Hit[]): Analysis['wait'] {
  const future = all(c.futureWait, text).map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const cues: (Hit & { phrase: boolean })[] = [];
  let negated = 0;
  const verbs = all(c.waitVerbs, text);
  for (const m of [...verbs, ...all(c.waitPhrases, text)]) {
    const start = m.index, end = start + m[0].length;
    if (future.some((f) => start < f.end && end > f.start)) { negated++; continue; }
    const s = sentenceOf(ss, start);
    const before = text.slice(s.start, start);
    if (c.negTail.test(before) && !c.breakerHead.test(text.slice(end, end + 40))) { negated++; continue; }
    cues.push({ start, end, phrase: !verbs.includes(m) });
  }
  // A wait FOR something that is not us ("ten days for my order", "på bestillingen"): a delivery wait, unless a queue
  // phrase ("on hold", "in the queue") sits in the same stretch.
  const kindOf = (cue: Hit, d?: Dur): 'queue' | 'delivery' => {
    const s = sentenceOf(ss, cue.start);
    const from = Math.min(cue.start, d?.start ?? cue.start);
    const to = Math.min(s.end, Math.max(cue.end, d?.end ?? cue.end) + 40);
    const stretch = text.slice(from, to);
    if (!first(c.deliveryWait, stretch)) return 'queue';
    return cues.some((q) => q.phrase && q.start < to && q.end > from) ? 'queue' : 'delivery';
  };
  const durs = durations(c, text).filter((d) => !d.future);
  if (cues.length === 0) {
    return { complaint: false, minutes: null, evidence: null, confidence: negated || durs.length ? 0.7 : 0.9, kind: 'queue' };
  }
  cues.sort((a, b) => a.start - b.start);
  // The stated duration closest to a complaint cue, in the same sentence first, else anywhere nearby.
  let best: { cue: Hit; d: Dur; dist: number } | null = null;
  for (const cue of cues) for (const d of durs) {
    const dist = d.end <= cue.start ? cue.start - d.end : d.start >= cue.end ? d.start - cue.end : 0;
    const same = sentenceOf(ss, cue.start) === sentenceOf(ss, d.start);
    const score = dist + (same ? 0 : 1000);
    if (!same && dist > 120) continue;
    if (!best || score < best.dist) best = { cue, d, dist: score };
  }
  if (best) {
    const start = Math.min(best.cue.start, best.d.start), end = Math.max(best.cue.end, best.d.end);
    const kind = kindOf(best.cue, best.d);
    const evEnd = kind === 'delivery' ? Math.max(end, deliveryEnd(c, text, start, ss)) : end;
    return { complaint: true, minutes: best.d.minutes, evidence: mk(text, start, evEnd), confidence: best.dist < 1000 ? 0.9 : 0.75, kind };
  }
  return { complaint: true, minutes: null, evidence: mk(text, cues[0].start, cues[0].end), confidence: 0.8, kind: kindOf(cues[0]) };
}

/** Where the delivery phrase after a wait ends (so the evidence reads "ventet i over ti dager på bestillingen"). */
function deliveryEnd(c: Compiled, text: string, from: number, ss: Hit[]): number {
  const s = sentenceOf(ss, from);
  c.deliveryWait.lastIndex = 0;
  const m = c.deliveryWait.exec(text.slice(from, s.end));
  return m ? from + m.index + m[0].length : from;
}

function analyzeUrgency(c: Compiled, text: string, ss: Hit[]): { kind: Urgency | null; span: Span | null; confidence: number } {
  for (const u of c.urgency) {
    const m = first(u.strong, text);
    if (m) return { kind: u.kind, span: mk(text, m.index, m.index + m[0].length), confidence: 0.85 };
    if (!u.weak) continue;
    for (const w of all(u.weak, text)) {
      const s = sentenceOf(ss, w.index);
      const sentence = text.slice(s.start, s.end);
      const wStart = w.index - s.start, wEnd = wStart + w[0].length;
      const soon = all(c.soon, sentence).find((x) => x.index >= wEnd || x.index + x[0].length <= wStart);
      if (soon) {
        const a = Math.min(w.index, s.start + soon.index), b = Math.max(w.index + w[0].length, s.start + soon.index + soon[0].length);
        return { kind: u.kind, span: mk(text, a, b), confidence: 0.75 };
      }
    }
  }
  return { kind: null, span: null, confidence: 0.8 };
}

function analyzeAbuse(c: Compiled, text: string, ss: Hit[]): { kind: Analysis['abuse']; span: Span | null; confidence: number } {
  const direct = first(c.abuse, text);
  if (direct) return { kind: 'abuse', span: mk(text, direct.index, direct.index + direct[0].length), confidence: 0.9 };
  for (const m of all(c.insults, text)) {
    const s = sentenceOf(ss, m.index);
    const before = text.slice(s.start, m.index);
    const addr = c.addrTail.exec(before);
    if (addr) return { kind: 'abuse', span: mk(text, s.start + addr.index, m.index + m[0].length), confidence: 0.85 };
    // A bare insult as the whole address: "Idiot!" at the start of a sentence.
    if (/^[\s"'“]*$/u.test(before) && /^\s*[,!]/u.test(text.slice(m.index + m[0].length))) {
      return { kind: 'abuse', span: mk(text, m.index, m.index + m[0].length), confidence: 0.7 };
    }
  }
  const crit = first(c.criticism, text);
  if (crit) return { kind: 'criticism', span: mk(text, crit.index, crit.index + crit[0].length), confidence: 0.8 };
  return { kind: 'none', span: null, confidence: 0.85 };
}

function classify(c: Compiled, text: string, lang: string, langConfidence: number): Analysis {
  const t = text.replace(/’/g, "'");
  const ss = sentences(t);
  const wait = analyzeWait(c, t, ss);
  const urgency = analyzeUrgency(c, t, ss);
  const abuse = analyzeAbuse(c, t, ss);
  const threatM = first(c.threats, t);
  const threatEvidence = threatM ? mk(t, threatM.index, threatM.index + threatM[0].length) : null;

  let pos = 0, neg = 0;
  for (const m of all(c.positive, t)) {
    const before = t.slice(Math.max(0, m.index - 25), m.index);
    if (/(?<![\p{L}])(?:not|nicht|ikke|kein|keine|no|never|nie|aldri)\s+(?:[\p{L}]+\s+)?$/iu.test(before)) neg++; else pos++;
  }
  neg += all(c.negative, t).length;
  if (wait.complaint) neg += 2;
  if (abuse.kind !== 'none') neg += 2;
  if (threatM) neg += 2;
  if (urgency.kind === 'safety') neg += 1;
  const sentiment: Analysis['sentiment'] = neg > pos ? 'neg' : pos > neg ? 'pos' : 'neu';

  const intens = all(c.intensifiers, t).length + Math.min(3, (t.match(/!/g) ?? []).length) * 0.5
    + ((t.match(/(?<!\p{L})\p{Lu}{3,}(?!\p{L})/gu) ?? []).length ? 1 : 0);
  let frustration = 0;
  if (sentiment === 'neg') frustration = 0.3;
  if (wait.complaint) frustration = Math.max(frustration, 0.5);
  if (abuse.kind !== 'none') frustration = Math.max(frustration, 0.85);
  if (threatM) frustration = 1;
  if (sentiment !== 'pos') frustration = Math.min(1, frustration + 0.15 * intens);
  frustration = Math.round(frustration * 100) / 100;

  const confidence = Math.round(((wait.confidence + urgency.confidence + abuse.confidence + (threatM ? 0.85 : 0.85)) / 4) * langConfidence * 100) / 100;
  return {
    lang,
    wait,
    urgency: urgency.kind, urgencyEvidence: urgency.span,
    abuse: abuse.kind, abuseEvidence: abuse.span,
    threat: !!threatM, threatEvidence,
    sentiment, frustration,
    confidence,
  };
}

function ruleAnalyze(text: string, hint?: { lang?: string }): Analysis {
  const hinted = hint?.lang?.toLowerCase().split(/[-_]/)[0];
  const detected = hinted ? { lang: hinted === 'no' || hinted === 'nn' ? 'nb' : hinted, confidence: 1 } : detectLanguage(text);
  const lang = detected.lang;
  const pack = PACKS[lang];
  if (pack) return classify(pack, text, lang, 0.7 + 0.3 * detected.confidence);
  // Another language: apply the closest pack (Danish and Swedish are read with the Norwegian one, others with
  // English, which covers digits and international words), at a lower confidence, and report the language as it is.
  if (lang === 'und') {
    // Unsure which language: read with each pack and keep the reading that finds the most.
    let best: Analysis | null = null, bestSignal = -1;
    for (const p of Object.values(PACKS)) {
      const a = classify(p, text, lang, 0.4);
      const signal = (a.wait.complaint ? 1 : 0) + (a.wait.minutes !== null ? 1 : 0) + (a.urgency ? 1 : 0) + (a.abuse !== 'none' ? 1 : 0) + (a.threat ? 1 : 0);
      if (signal > bestSignal) { best = a; bestSignal = signal; }
    }
    return best!;
  }
  const closest = lang === 'da' || lang === 'sv' ? PACKS.nb : PACKS.en;
  return classify(closest, text, lang, 0.4);
}

export const ruleClassifier: Classifier = { name: 'rules', analyze: ruleAnalyze };

let current: Classifier = ruleClassifier;
/** Select the classifier `analyze()` uses (e.g. a local model later). */
export function setClassifier(c: Classifier): void { current = c; }
export function getClassifier(): Classifier { return current; }

export function analyze(text: string, hint?: { lang?: string }): Analysis {
  return current.analyze(text, hint);
}
