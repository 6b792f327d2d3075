/**
 * The shape of a language pack: everything language-specific the rule classifier knows, as data.
 *
 * Phrase lists are regular-expression sources matched case-insensitively with the `u` flag and Unicode word edges
 * (a match never starts or ends inside a word). A plain space in a phrase matches any run of white space. Use
 * `\p{L}*` rather than `\w*` (which is ASCII-only).
 */
export type UrgencyKind = 'bereavement' | 'medical' | 'travel' | 'deadline' | 'safety';

export interface UrgencyRules {
  /** Phrases that are urgent on their own ("passed away", "Krankenhaus"). */
  strong: string[];
  /** Phrases that are urgent only when one of `soon` occurs in the same sentence ("flight" + "tomorrow"). */
  weak?: string[];
}

export interface LangPack {
  code: 'en' | 'de' | 'nb';
  /** Number words → value (articles meaning "one" included: "an hour", "eine Stunde", "en time"). */
  numbers: Record<string, number>;
  /** Generated tens+units compounds: tens words, unit words 1–9, and templates with {t} and {u}. */
  compounds: { tens: Record<string, number>; units: Record<string, number>; templates: string[] };
  /** Unit word → minutes. */
  units: Record<string, number>;
  /** Between a number and its unit: adds one half ("zwei-einhalb", "to og en halv"). */
  halfAfterNumber: string[];
  /** After a unit: adds one half of the unit ("an hour and a half"). */
  halfAfterUnit: string[];
  /** Whole expressions with a fixed length in minutes ("half an hour", "eine halbe Stunde"). */
  fixedDurations: [string, number][];
  /** Hedges kept out of the number: "over", "more than", "über", "mehr als", "i over", "om lag" (the stated number counts). */
  approx: string[];
  /** Words that join two durations into one sum ("an hour and a quarter"... "en time og et kvarter"). */
  durationJoin: string[];
  /** Immediately before a duration: it lies ahead, so it is not a wait already lived ("in 3 hours", "om to timer"). */
  futureBefore: string[];
  /** Immediately after a duration: it lies ahead ("two hours from now"). */
  futureAfter: string[];
  /** Complaints about waiting. `verbs` are the waiting verbs a nearby negation cancels; `phrases` are complaints
   *  on their own ("on hold", "keine Antwort", "ingen svar"). */
  wait: { verbs: string[]; phrases: string[] };
  /** What the customer waited FOR when it is a delivery, an order, a refund or a repair rather than us ("for my order",
   *  "auf meine Bestellung", "på bestillingen"): matched at or right after a wait cue in the same sentence, it makes the
   *  claim a delivery wait (held against the conversation's resolution time), not a queue wait. */
  deliveryWait: string[];
  /** Negation words that cancel a waiting verb up to three words later ("did not have to wait"). */
  negations: string[];
  /** Phrases that make a waiting verb a complaint again despite a negation ("can't wait any longer"). */
  negationBreakers: string[];
  /** Statements that the wait lies ahead rather than behind ("I'll be waiting", "ich werde warten"). */
  futureWait: string[];
  /** Words that make a weak urgency phrase imminent ("tomorrow", "in 3 hours", "i kveld"). */
  soon: string[];
  urgency: Record<UrgencyKind, UrgencyRules>;
  /** Insults aimed at a person (nouns, name-calling); abuse when addressed to someone (see `addressees`). */
  insults: string[];
  /** Words that point an insult at the reader or at staff: "you", "du", "din", "your agent". */
  addressees: string[];
  /** Abuse on their own: "shut up", "fuck you", slurs. */
  abusePhrases: string[];
  /** Harsh or profane criticism of the company or product: never abuse. */
  criticism: string[];
  /** Threats of harm to a person. */
  threats: string[];
  positive: string[];
  negative: string[];
  /** Raise frustration: "ridiculous", "unbelievable", "Frechheit", "lei av". */
  intensifiers: string[];
}
