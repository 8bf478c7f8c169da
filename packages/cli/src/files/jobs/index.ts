/**
 * Every row of `evring bench files`, in the order the table shows them.
 *
 * @module
 */

import type { FileJob } from '../job.js';
import { evringFileJob } from './evring.js';
import { liburingFileJob } from './liburing.js';
import { nodeFileJob } from './node.js';
import { nodeUringFileJob } from './node-uring.js';

/**
 * The file benchmark's rows.
 *
 * @example
 * ```ts
 * import { fileJobs } from '@evring/cli';
 * console.log(fileJobs().map((j) => j.name));
 * ```
 */
export function fileJobs(): FileJob[] {
  return [
    liburingFileJob(),
    evringFileJob('iouring', 'callback'),
    evringFileJob('iouring', 'callback, attached'),
    evringFileJob('iouring', 'promise, attached'),
    evringFileJob('linuxaio', 'callback'),
    evringFileJob('epoll', 'callback'),
    nodeFileJob('promises'),
    nodeFileJob('callbacks'),
    nodeUringFileJob(),
    nodeFileJob('sync'),
  ];
}
