// The long API fuzz run (a benchmark-style run of test/fuzz-api.test.ts): `npm run fuzz -- [runs] [seed]`.
// runs: inputs per operation and caller (the CI run uses 4); seed: default a new one, printed so a failure can be
// replayed with `npm run fuzz -- <runs> <seed>`. Add TEST_DATABASE_URL to run it on PostgreSQL.
import { spawnSync } from 'node:child_process';

const runs = Number(process.argv[2] ?? 100);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [runs per operation and caller] [seed]');
  process.exit(2);
}
console.log(`API fuzz: ${runs} inputs per operation and caller, seed ${seed}`);
const t = Date.now();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-timeout=0', 'test/fuzz-api.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed) },
});
console.log(`API fuzz: ${r.status === 0 ? 'no problem found' : 'PROBLEMS FOUND'} in ${((Date.now() - t) / 1000).toFixed(0)} s (seed ${seed}, ${runs} runs)`);
process.exit(r.status ?? 1);
