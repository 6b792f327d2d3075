/** The query interface shared by a database and a transaction (src/platform/db.ts). Its own file so that the
 *  helpers db.ts uses (idempotency.ts) can name it without importing db.ts back. */
export interface Queryable {
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}
