/**
 * The raw-* (C) rows: the benchmark on the kernel interfaces themselves
 * (`c/raw-bench.c`, no event library), the floor every library's row sits
 * on. A target that raw C misses as well is out of reach on this kernel.
 *
 * @module
 */

import {
  type BenchJob,
  type BenchMode,
  type JobMissing,
  type JobTimes,
  warmupRounds,
} from '../job.js';
import { buildC, runCBench } from './c-bench.js';

const SOURCE = new URL('../../../c/raw-bench.c', import.meta.url);

/**
 * A raw C job on one kernel interface. `linuxaio-eventfd` is Linux AIO as
 * an embedder must use it (an eventfd on every iocb, the outer loop
 * sleeping on it): the floor of `loop-linuxaio attached`.
 */
export function rawJob(
  backend: 'epoll' | 'iouring' | 'linuxaio' | 'linuxaio-eventfd',
  modes: readonly BenchMode[],
): BenchJob {
  return {
    name: `raw-${backend} (C)`,
    family: 'raw',
    modes,
    run(config, mode): JobTimes | JobMissing {
      const { kind, n, active, writes, rounds } = config;
      const warm = warmupRounds(config);
      return runCBench(
        buildC(SOURCE, 'raw-bench'),
        [backend, mode, kind, n, active, writes, warm + rounds],
        `the kernel refused ${backend} (${mode}) to the raw benchmark`,
        warm,
      );
    },
  };
}
