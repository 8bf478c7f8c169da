/**
 * The row of Node with libuv's own io_uring switched on: `fs` callbacks in
 * a child process started with `UV_USE_IO_URING=1` (Node 20 ships it off).
 * Whether libuv then really uses io_uring depends on its version and the
 * kernel; the row says what the environment asked for.
 *
 * @module
 */

import type { FileJob } from '../job.js';
import { openLineChild } from './line-child.js';
import { NODE_FILE_ROWS } from './node.js';

// From the package root, so that the same path serves the built file and its source under test.
const CHILD = new URL('../../../dist/files/jobs/node-child-main.js', import.meta.url);

/**
 * `fs` callbacks in a child with `UV_USE_IO_URING=1`.
 *
 * @example
 * ```ts
 * import { makeBenchFile, nodeUringFileJob } from '@evring/cli';
 * const file = makeBenchFile(16 << 20);
 * const session = await nodeUringFileJob().open({ kind: 'randread', block: 4096, depth: 64, ops: 5000 }, file);
 * if (!('missing' in session)) console.log(await session.round(), 'ns'), await session.close();
 * file.remove();
 * ```
 */
export function nodeUringFileJob(): FileJob {
  return {
    name: `${NODE_FILE_ROWS.callbacks}, UV_USE_IO_URING=1`,
    family: 'node',
    open: (w, file) =>
      openLineChild(
        process.execPath,
        [CHILD.pathname, 'callbacks', JSON.stringify(w), file.path, String(file.size)],
        { ...process.env, UV_USE_IO_URING: '1' },
        false,
        'Node could not start',
      ),
  };
}
