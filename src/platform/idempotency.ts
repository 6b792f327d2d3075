/**
 * Idempotent creates (issue 14 item 16). A request carrying an `Idempotency-Key` runs its handler inside an
 * AsyncLocalStorage claim; the first database transaction the handler opens writes the key row before its own work
 * (db.ts calls `writeClaim`), so the key commits together with what the request created, or not at all. A second
 * request with the same key then either finds the row (and gets the stored answer) or, while the first is still
 * running, waits on the row's unique index and is told to send it again (409). Never a second create.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Queryable } from './queryable.js';
import { AppError } from './errors.js';

export interface IdempotencyClaim {
  scope: string;
  key: string;
  hash: string;
  /** The key row was written by a transaction of this request that is open or committed. */
  claimed: boolean;
  /** That transaction committed: the request's answer must be stored. */
  committed: boolean;
}

const store = new AsyncLocalStorage<IdempotencyClaim>();

export const runWithClaim = <T>(claim: IdempotencyClaim, fn: () => T): T => store.run(claim, fn);

/** The claim of the current request that no transaction has written yet (db.ts, at the start of a transaction). */
export function takeClaim(): IdempotencyClaim | null {
  const c = store.getStore();
  if (!c || c.claimed) return null;
  c.claimed = true;
  return c;
}

export async function writeClaim(tx: Queryable, c: IdempotencyClaim) {
  try {
    await tx.query('INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)', [c.scope, c.key, c.hash]);
  } catch (err: any) {
    if (err?.code === '23505')
      throw new AppError('idempotency_key_in_use', 'Idempotency-Key: a request with this key was carried out just now; send it again to get its answer', 409, { field: 'Idempotency-Key' });
    throw err;
  }
}

/** Bookkeeping after the transaction: committed, or rolled back (a later transaction of the request may claim). */
export function settleClaim(c: IdempotencyClaim, committed: boolean) {
  if (committed) c.committed = true;
  else c.claimed = false;
}
