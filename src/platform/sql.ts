/**
 * Named parameters for SQL that is assembled from parts: `:name` placeholders become `$1, $2 …` in order of first
 * use, and only the values a statement uses are passed, so PostgreSQL never sees a parameter it cannot type.
 * Casts (`::int`) are left alone; do not write `:word` inside a string literal.
 */
export function named(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const order: string[] = [];
  const text = sql.replace(/(?<![:\w]):([a-zA-Z]\w*)/g, (_m, name: string) => {
    if (!(name in values)) throw new Error(`SQL parameter :${name} has no value`);
    let i = order.indexOf(name);
    if (i < 0) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return [text, order.map((n) => values[n])];
}
