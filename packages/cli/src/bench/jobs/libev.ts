/**
 * The libev-* (C) rows: the same benchmark on libev itself, compiled here
 * against the system's libev (Debian's `libev-dev`). When libev or a C
 * compiler is missing the rows say how to get them, and the run goes on.
 *
 * @module
 */

import { existsSync } from 'node:fs';
import { type BenchJob, type JobMissing, type JobTimes, warmupRounds } from '../job.js';
import { buildC, runCBench } from './c-bench.js';

/** libev's EVBACKEND_* flags. */
const LIBEV_FLAGS = { epoll: 4, linuxaio: 64, iouring: 128 } as const;

const SOURCE = new URL('../../../c/libev-bench.c', import.meta.url);

function build(): { bin: string } | JobMissing {
  if (!existsSync('/usr/include/ev.h')) {
    return { missing: 'libev is not installed: apt-get install libev-dev (Debian/Ubuntu)' };
  }
  return buildC(SOURCE, 'libev-bench', ['-lev', '-pthread']);
}

/**
 * A libev job on one of its Linux backends (level mode only: libev has no
 * edge-triggered io). `threaded`: with a second thread asleep in the process,
 * as a Node process always has (see c/libev-bench.c for what that costs).
 */
export function libevJob(backend: keyof typeof LIBEV_FLAGS, threaded = false): BenchJob {
  return {
    name: `libev-${backend} (C${threaded ? ', threaded' : ''})`,
    family: 'libev',
    modes: ['level'],
    run(config): JobTimes | JobMissing {
      const { kind, n, active, writes, rounds } = config;
      const warm = warmupRounds(config);
      return runCBench(
        build(),
        [
          LIBEV_FLAGS[backend],
          kind,
          n,
          active,
          writes,
          warm + rounds,
          threaded ? 'threaded' : 'single',
        ],
        `libev, as built on this system, does not offer its ${backend} backend here`,
        warm,
      );
    },
  };
}
