/**
 * Every row of `evring bench files`, in the order the table shows them.
 *
 * @module
 */

import type { FileJob } from '../job.js';
import { inChild } from './child-row.js';
import { evringFileJob } from './evring.js';
import { liburingFileJob } from './liburing.js';
import { nodeFileJob } from './node.js';
import { promiseFloorJob } from './promise-floor.js';
import { ringFloorJob } from './ring-floor.js';

/**
 * The rows that run in the process that opens them: evring's and Node's own.
 *
 * @example
 * ```ts
 * import { inProcessFileJobs } from '@evring/cli';
 * console.log(inProcessFileJobs().map((j) => j.name));
 * ```
 */
export function inProcessFileJobs(): FileJob[] {
  return [
    ringFloorJob(),
    evringFileJob('iouring', 'callback'),
    evringFileJob('iouring', 'callback, attached'),
    evringFileJob('iouring', 'promise, attached'),
    promiseFloorJob(),
    evringFileJob('linuxaio', 'callback'),
    evringFileJob('epoll', 'callback'),
    nodeFileJob('promises'),
    nodeFileJob('callbacks'),
    nodeFileJob('sync'),
  ];
}

/**
 * The file benchmark's rows, in the order the table shows them: the C
 * floor, then every Node-side row in a child process of its own (one
 * backend, one file API per process, as in a real program).
 *
 * @example
 * ```ts
 * import { fileJobs } from '@evring/cli';
 * console.log(fileJobs().map((j) => j.name));
 * ```
 */
export function fileJobs(): FileJob[] {
  const rows = inProcessFileJobs().map((job) => inChild(job));
  const callbacks = nodeFileJob('callbacks');
  const at = rows.findIndex((r) => r.name === callbacks.name) + 1;
  rows.splice(at, 0, inChild(callbacks, { UV_USE_IO_URING: '1' }));
  return [liburingFileJob(), ...rows];
}
