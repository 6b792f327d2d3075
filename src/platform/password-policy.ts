/**
 * The rule for NEW passwords (issue 14 item 5): at least MIN_PASSWORD characters, and not one of the most common
 * passwords. The list is the passwords dictionary of `@zxcvbn-ts/language-common` (about 50,000 leaked passwords),
 * matched by `@zxcvbn-ts/core`, so the usual disguises count too: capitals, l33t (P@ssw0rd), reversed, and common
 * passwords strung together or followed by a sequence ("password1234", "iloveyou12"). Passwords set before this
 * rule keep working; it applies where a password is chosen (invitation or reset link, admin create or change, CLI).
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { AppError } from './errors.js';

export const MIN_PASSWORD = 10;
const DICTIONARY = 'passwords-common';

let z: ZxcvbnFactory | null = null;
const checker = () => (z ??= new ZxcvbnFactory({ dictionary: { [DICTIONARY]: common.dictionary[DICTIONARY] }, graphs: common.adjacencyGraphs }));

/** Patterns that add nothing a guesser would not try right after the list: 1234, aaaa, qwer, a date, a year. */
const TRIVIAL = new Set(['sequence', 'spatial', 'date', 'regex']);
type Match = { pattern: string; dictionaryName?: string; baseToken?: string };

/**
 * True when the password is made only of common passwords and trivial additions (sequences, repeats, keyboard runs,
 * dates), with at least one common password in it.
 */
export function isCommonPassword(password: string): boolean {
  const pw = password.normalize('NFKC').slice(0, 256);
  let listed = false;
  // A repeat ("passwordpassword") is judged by what it repeats.
  const trivial = (ms: Match[]): boolean =>
    ms.every((m) => {
      if (m.pattern === 'dictionary' && m.dictionaryName === DICTIONARY) {
        listed = true;
        return true;
      }
      if (m.pattern === 'repeat') {
        const common = typeof m.baseToken === 'string' && m.baseToken !== pw && isCommonPassword(m.baseToken);
        if (common) listed = true;
        return common;
      }
      return TRIVIAL.has(m.pattern);
    });
  return trivial(checker().check(pw).sequence as Match[]) && listed;
}

/** Throws a 400 naming `field` when a new password breaks the rule. */
export function checkNewPassword(password: unknown, field = 'password'): void {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD)
    throw new AppError('validation', `${field}: must have at least ${MIN_PASSWORD} characters`, 400, { field });
  if (isCommonPassword(password))
    throw new AppError('password_common', `${field}: is one of the most common passwords (or a variant of one); choose another`, 400, { field });
}
