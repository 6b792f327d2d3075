/**
 * Text that PostgreSQL cannot store, made storable at the edges (issue 14 item 10). PostgreSQL refuses a NUL
 * character in `text` and `jsonb` (and a `\u0000` escape in `jsonb`), and a lone UTF-16 surrogate is not a character
 * at all. Every inbound path passes what it received through here before it reaches a service:
 *
 * - HTTP: bodies, queries and route parameters (a `preValidation` hook in `server/app.ts`);
 * - email (SMTP and IMAP): every decoded text of a parsed message (`channels/email/parse.ts`); the raw source is
 *   stored as bytes, untouched;
 * - chat: every WebSocket frame and upload (`channels/chat/chat.routes.ts`);
 * - imports: a line holding such a character is not cleaned but reported as malformed with its number
 *   (`journeys/import/lines.ts`, `events-jsonl.ts`), because a call log line with binary in it is not trustworthy.
 *
 * The rule: a NUL is removed; a lone surrogate becomes U+FFFD (the replacement character), as a UTF-8 decoder does
 * for a broken byte sequence.
 */

// NUL, a high surrogate not followed by a low one, a low surrogate not preceded by a high one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is what this pattern is for
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_G = new RegExp(UNSAFE.source, 'g');

/** True when `s` holds a NUL or a lone surrogate. */
export function hasUnsafeChars(s: string): boolean {
  return UNSAFE.test(s);
}

/** `s` without NULs and with lone surrogates replaced by U+FFFD. */
export function cleanText(s: string): string {
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE_G, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

/** True when any string (or key) in a JSON-like value holds a NUL or a lone surrogate. */
export function hasUnsafeDeep(v: unknown): boolean {
  let found = false;
  walk(v, (s) => {
    if (UNSAFE.test(s)) found = true;
    return s;
  });
  return found;
}

/**
 * Cleans every string and object key of a JSON-like value in place (arrays and plain objects; Buffers and other
 * objects are left alone) and returns it; a string is returned cleaned. Iterative, so any nesting depth is fine.
 */
export function cleanDeep<T>(v: T): T {
  if (typeof v === 'string') return cleanText(v) as T;
  walk(v, cleanText);
  return v;
}

function walk(root: unknown, fix: (s: string) => string) {
  if (typeof root === 'string') {
    fix(root);
    return;
  }
  const stack: unknown[] = [root];
  while (stack.length) {
    const o = stack.pop();
    if (!o || typeof o !== 'object') continue;
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        const x = o[i];
        if (typeof x === 'string') {
          const c = fix(x);
          if (c !== x) o[i] = c;
        } else if (x && typeof x === 'object') stack.push(x);
      }
      continue;
    }
    const proto = Object.getPrototypeOf(o);
    // Plain objects, including the null-prototype ones query-string parsers make (`new Empty()`, Empty.prototype =
    // Object.create(null)); Buffers, Dates and other class instances are left alone.
    if (proto !== Object.prototype && proto !== null && Object.getPrototypeOf(proto) !== null) continue;
    const rec = o as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const x = rec[k];
      let val = x;
      if (typeof x === 'string') val = fix(x);
      else if (x && typeof x === 'object') stack.push(x);
      const ck = fix(k);
      if (ck !== k) {
        delete rec[k];
        if (!Object.hasOwn(rec, ck)) Object.defineProperty(rec, ck, { value: val, enumerable: true, writable: true, configurable: true });
      } else if (val !== x) rec[k] = val;
    }
  }
}
