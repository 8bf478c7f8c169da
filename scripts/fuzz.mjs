// `pnpm fuzz`: the differential tests (packages/loop/test/differential.test.ts,
// the readiness rules against libev's; file-differential.test.ts, loop.fs
// against a model of the files), file-lifecycle.test.ts (handles, aborts
// and a destroyed loop leave nothing behind), file-handle-vs-node.test.ts
// (a LoopFileHandle call for call against Node's), file-paths-vs-node.test.ts
// (loop.fs' path calls against node:fs') and argument-sweep.test.ts (wrong
// arguments against node:fs', in pairs too) with many more sequences and a
// random seed, printed so a divergence can be replayed:
// EVRING_FUZZ_SEED=<seed> EVRING_FUZZ_RUNS=<n> pnpm fuzz.
import { spawnSync } from 'node:child_process';

const seed = process.env.EVRING_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.EVRING_FUZZ_RUNS ?? '2000';
console.log(
  `differential fuzz: seed ${seed}, ${runs} readiness sequences, ${Math.round(runs / 15)} file sequences, ${Math.round(runs / 40)} lifecycle sequences, ${Math.round(runs / 40)} handle-against-Node and ${Math.round(runs / 15)} paths-against-Node sequences per backend, ${Math.round(runs / 10)} pairs of wrong arguments per call`,
);
const res = spawnSync(
  'pnpm',
  [
    '--filter',
    '@evring/loop',
    'exec',
    'vitest',
    'run',
    'test/differential.test.ts',
    'test/file-differential.test.ts',
    'test/file-lifecycle.test.ts',
    'test/file-handle-vs-node.test.ts',
    'test/file-paths-vs-node.test.ts',
    'test/argument-sweep.test.ts',
  ],
  { stdio: 'inherit', env: { ...process.env, EVRING_FUZZ_SEED: seed, EVRING_FUZZ_RUNS: runs } },
);
console.log(`differential fuzz: seed ${seed} ${res.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(res.status ?? 1);
