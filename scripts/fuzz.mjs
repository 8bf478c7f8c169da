// `pnpm fuzz`: the differential test (packages/loop/test/differential.test.ts)
// with many more sequences and a random seed, printed so a divergence can be
// replayed: EVRING_FUZZ_SEED=<seed> EVRING_FUZZ_RUNS=<n> pnpm fuzz.
import { spawnSync } from 'node:child_process';

const seed = process.env.EVRING_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.EVRING_FUZZ_RUNS ?? '2000';
console.log(`differential fuzz: seed ${seed}, ${runs} sequences per backend`);
const res = spawnSync(
  'pnpm',
  ['--filter', '@evring/loop', 'exec', 'vitest', 'run', 'test/differential.test.ts'],
  { stdio: 'inherit', env: { ...process.env, EVRING_FUZZ_SEED: seed, EVRING_FUZZ_RUNS: runs } },
);
console.log(`differential fuzz: seed ${seed} ${res.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(res.status ?? 1);
