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

/** The interfaces and variants `c/raw-bench.c` drives. */
export type RawCBackend =
  | 'epoll'
  | 'epoll-nested'
  | 'iouring'
  | 'iouring-after'
  | 'linuxaio'
  | 'linuxaio-eventfd';

/**
 * A raw C job on one kernel interface. Two variants drive an interface as
 * a loop that another loop sleeps on must (the floors of the attached
 * rows): `epoll-nested`, an epoll whose fd sits in an outer epoll that
 * sleeps when the inner one has nothing (`loop-epoll attached`), and
 * `linuxaio-eventfd`, Linux AIO with an eventfd on every iocb and the
 * outer loop sleeping on it (`loop-linuxaio attached`). `iouring-after`
 * runs the callbacks once the wait has returned, as an event loop does
 * (row `raw-iouring, after poll (C)`): the floor of `evring-iouring, after
 * poll` and of the loop. The epoll and Linux AIO loops run them so already.
 */
export function rawJob(backend: RawCBackend, modes: readonly BenchMode[]): BenchJob {
  return {
    name: backend === 'iouring-after' ? 'raw-iouring, after poll (C)' : `raw-${backend} (C)`,
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
