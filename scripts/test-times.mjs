// A node:test reporter that writes each test file's summed test time, slowest first (scripts/test.mjs prints the top).
export default async function* testTimes(source) {
  const perFile = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      const f = event.data.file.replace(`${process.cwd()}/`, '');
      const cur = perFile.get(f) ?? { ms: 0, tests: 0 };
      cur.ms += event.data.details?.duration_ms ?? 0;
      cur.tests += 1;
      perFile.set(f, cur);
    }
  }
  const rows = [...perFile].sort((a, b) => b[1].ms - a[1].ms);
  for (const [f, { ms, tests }] of rows) yield `${(ms / 1000).toFixed(1).padStart(8)} s  ${String(tests).padStart(3)} tests  ${f}\n`;
}
