/**
 * The libev-* (C) rows: the same benchmark on libev itself, compiled here
 * against the system's libev (Debian's `libev-dev`). When libev or a C
 * compiler is missing the rows say how to get them, and the run goes on.
 *
 * @module
 */

import { existsSync } from 'node:fs';
import type { BenchJob, JobMissing, JobTimes } from '../job.js';
import { buildC, runCBench } from './c-bench.js';

/** libev's EVBACKEND_* flags. */
const LIBEV_FLAGS = { epoll: 4, linuxaio: 64, iouring: 128 } as const;

const SOURCE = new URL('../../../c/libev-bench.c', import.meta.url);

function build(): { bin: string } | JobMissing {
  if (!existsSync('/usr/include/ev.h')) {
    return { missing: 'libev is not installed: apt-get install libev-dev (Debian/Ubuntu)' };
  }
  return buildC(SOURCE, 'libev-bench', ['-lev']);
}

/** A libev job on one of its Linux backends (level mode only: libev has no edge-triggered io). */
export function libevJob(backend: keyof typeof LIBEV_FLAGS): BenchJob {
  return {
    name: `libev-${backend} (C)`,
    family: 'libev',
    modes: ['level'],
    run(config): JobTimes | JobMissing {
      const { kind, n, active, writes, rounds } = config;
      return runCBench(
        build(),
        [LIBEV_FLAGS[backend], kind, n, active, writes, rounds],
        `libev, as built on this system, does not offer its ${backend} backend here`,
      );
    },
  };
}
