/**
 * The raw-* (C) rows: the benchmark on the kernel interfaces themselves
 * (`c/raw-bench.c`, no event library), the floor every library's row sits
 * on. A target that raw C misses as well is out of reach on this kernel.
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import type { BenchJob, BenchMode, JobMissing, JobTimes } from '../job.js';
import { buildC } from './c-build.js';

const SOURCE = new URL('../../../c/raw-bench.c', import.meta.url);

/**
 * A raw C job on one kernel interface.
 */
export function rawJob(
  backend: 'epoll' | 'iouring' | 'linuxaio',
  modes: readonly BenchMode[],
): BenchJob {
  return {
    name: `raw-${backend} (C)`,
    family: 'raw',
    modes,
    run(config, mode): JobTimes | JobMissing {
      const b = buildC(SOURCE, 'raw-bench');
      if ('missing' in b) return b;
      const args = [
        backend,
        mode,
        config.kind,
        config.n,
        config.active,
        config.writes,
        config.rounds,
      ];
      const res = spawnSync(b.bin, args.map(String), { encoding: 'utf8' });
      if (res.status !== 0)
        return { missing: `raw benchmark exited with ${res.status}: ${res.stderr.trim()}` };
      const lines = res.stdout.trim().split('\n');
      if (lines[0] === 'unavailable')
        return { missing: `the kernel refused ${backend} (${mode}) to the raw benchmark` };
      return { times: lines.map(Number) };
    },
  };
}
