/**
 * A Node-side row run in a child process of its own (see
 * row-child-main.ts for why), optionally with extra environment: the row of
 * Node with libuv's io_uring switched on is Node's callbacks row in a child
 * started with `UV_USE_IO_URING=1` (Node 20 ships it off). Whether libuv
 * then really uses io_uring depends on its version and the kernel; the row
 * says what the environment asked for.
 *
 * @module
 */

import type { FileJob } from '../job.js';
import { openLineChild } from './line-child.js';

// From the package root, so that the same path serves the built file and its source under test.
const CHILD = new URL('../../../dist/files/jobs/row-child-main.js', import.meta.url);

/**
 * `job` (an in-process row) run in a child process; `env` is added to the
 * child's environment, and its name to the row's.
 *
 * @example
 * ```ts
 * import { inChild, makeBenchFile, nodeFileJob } from '@evring/cli';
 * const file = makeBenchFile(16 << 20);
 * const row = inChild(nodeFileJob('callbacks'), { UV_USE_IO_URING: '1' });
 * console.log(row.name); // 'node fs (callbacks), UV_USE_IO_URING=1'
 * const session = await row.open({ kind: 'randread', block: 4096, depth: 64, ops: 5000 }, file);
 * if (!('missing' in session)) console.log(await session.round(), 'ns'), await session.close();
 * file.remove();
 * ```
 */
export function inChild(job: FileJob, env: Record<string, string> = {}): FileJob {
  const extra = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return {
    name: [job.name, ...extra].join(', '),
    family: job.family,
    open: (w, file) =>
      openLineChild(
        process.execPath,
        [CHILD.pathname, job.name, JSON.stringify(w), file.path, String(file.size)],
        { ...process.env, ...env },
        job.countsSyscalls === true,
        `${job.name} is not available here`,
      ),
  };
}
