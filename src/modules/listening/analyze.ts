/**
 * Text analysis of inbound customer messages (issue 6): language, wait claim, urgency, abuse vs criticism, threat,
 * sentiment and frustration — each finding with its evidence span and a confidence.
 *
 * Callers use `analyze()` (or a `Classifier`); the built-in `ruleClassifier` is grammar- and word-list-based.
 * A local model can be added later as another `Classifier` and selected with `setClassifier()` without touching callers.
 */
import { guessLanguage } from '../../platform/lang.js';

export interface Span { start: number; end: number; text: string }          // offsets into the input text
export interface Analysis {
  lang: string;                                   // 'en' | 'de' | 'nb' | other ISO code | 'und'
  wait: { complaint: boolean; minutes: number | null; evidence: Span | null; confidence: number };
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

function span(text: string, m: RegExpExecArray | null): Span | null {
  return m ? { start: m.index, end: m.index + m[0].length, text: m[0] } : null;
}

/** Placeholder rules (replaced by the data-driven engine). */
function simpleAnalyze(text: string, hint?: { lang?: string }): Analysis {
  const lang = hint?.lang ?? guessLanguage(text) ?? 'und';
  const wait = /(?<![\p{L}\p{N}])(hold|waiting|warte\w*|ventet|kø)(?![\p{L}\p{N}])/iu.exec(text);
  const num = /(\d+)\s*(min|minutes|minuten|minutter)/iu.exec(text);
  return {
    lang,
    wait: { complaint: !!wait, minutes: wait && num ? Number(num[1]) : null, evidence: span(text, wait), confidence: wait ? 0.6 : 0.5 },
    urgency: null, urgencyEvidence: null,
    abuse: 'none', abuseEvidence: null,
    threat: false, threatEvidence: null,
    sentiment: wait ? 'neg' : 'neu',
    frustration: wait ? 0.5 : 0,
    confidence: 0.5,
  };
}

export const ruleClassifier: Classifier = { name: 'rules', analyze: simpleAnalyze };

let current: Classifier = ruleClassifier;
/** Select the classifier `analyze()` uses (e.g. a local model later). */
export function setClassifier(c: Classifier): void { current = c; }
export function getClassifier(): Classifier { return current; }

export function analyze(text: string, hint?: { lang?: string }): Analysis {
  return current.analyze(text, hint);
}
