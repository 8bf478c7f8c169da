/**
 * The floor: the same workload on io_uring from C through liburing
 * (`c/files-bench.c`), with no event library and no safety bookkeeping.
 * Built when liburing's headers are installed (`apt-get install
 * liburing-dev`, `dnf install liburing-devel`, or liburing built from
 * https://github.com/axboe/liburing); otherwise the row says so.
 *
 * @module
 */

import { buildC } from '../../bench/jobs/c-bench.js';
import type { FileJob } from '../job.js';
import { openLineChild } from './line-child.js';

const SOURCE = new URL('../../../c/files-bench.c', import.meta.url);

/**
 * The liburing row.
 *
 * @example
 * ```ts
 * import { liburingFileJob, makeBenchFile } from '@evring/cli';
 * const file = makeBenchFile(16 << 20);
 * const session = await liburingFileJob().open({ kind: 'randread', block: 4096, depth: 64, ops: 5000 }, file);
 * if ('missing' in session) console.log(session.missing);
 * else console.log(await session.round(), 'ns'), await session.close();
 * file.remove();
 * ```
 */
export function liburingFileJob(): FileJob {
  return {
    name: 'raw-iouring (C, liburing)',
    family: 'c',
    async open(w, file) {
      const built = buildC(SOURCE, 'files-bench', ['-luring']);
      if ('missing' in built) {
        return {
          missing: `needs liburing's headers (apt-get install liburing-dev): ${built.missing}`,
        };
      }
      const args = [w.kind, file.path, w.block, w.depth, w.ops].map(String);
      return openLineChild(
        built.bin,
        args,
        process.env,
        true,
        'io_uring is refused by this kernel',
      );
    },
  };
}
