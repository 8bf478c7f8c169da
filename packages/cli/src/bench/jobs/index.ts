/**
 * Every row of the benchmark, in the order the table shows them.
 *
 * @module
 */

import { IORING_SETUP_COOP_TASKRUN, IORING_SETUP_TASKRUN_FLAG } from '@evring/abi';
import type { BackendFactory, BackendOptions } from '@evring/backend';
import { epollBackend } from '@evring/backend-epoll';
import { iouringBackend } from '@evring/backend-iouring';
import { linuxaioBackend } from '@evring/backend-linuxaio';
import type { BenchJob } from '../job.js';
import { epollNpmJob } from './epoll-npm.js';
import { evringJob } from './evring.js';
import { libevJob } from './libev.js';
import { libuvJob } from './libuv.js';
import { loopAttachedJob, loopJob } from './loop.js';
import { rawJob } from './raw.js';
import { rawJsJob } from './raw-js.js';

/**
 * Which optional rows to add.
 *
 * @example
 * ```ts
 * import { allJobs, type JobSelection, QUICK, runBench } from '@evring/cli';
 * const selection: JobSelection = { iouringVariants: true };
 * await runBench({ matrix: QUICK, jobs: allJobs(selection), only: ['iouring'] });
 * ```
 */
export interface JobSelection {
  /** io_uring setup variants: a tracking ring (SINGLE_ISSUER + DEFER_TASKRUN, a Loop's default), COOP_TASKRUN, an unregistered ring fd. */
  iouringVariants?: boolean;
}

/** io_uring with setup options other than the backend's defaults, to measure them. */
function iouringVariants(): BenchJob[] {
  const factory = iouringBackend as BackendFactory;
  const both = ['level', 'edge'] as const;
  return [
    evringJob('iouring tracking ring', factory, both, { tracking: true } as BackendOptions),
    evringJob('iouring COOP_TASKRUN', factory, both, {
      setupFlags: IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
    } as BackendOptions),
    evringJob('iouring unregistered fd', factory, both, { registerRing: false } as BackendOptions),
  ];
}

/**
 * The benchmark's rows.
 *
 * @example
 * ```ts
 * import { allJobs } from '@evring/cli';
 * console.log(allJobs().map((j) => `${j.name} (${j.modes.join('/')})`));
 * ```
 */
export function allJobs(selection: JobSelection = {}): BenchJob[] {
  return [
    rawJob('epoll', ['level', 'edge']),
    rawJob('epoll-nested', ['level']),
    rawJob('linuxaio', ['level']),
    rawJob('linuxaio-eventfd', ['level']),
    rawJob('iouring', ['level', 'edge']),
    rawJob('iouring-after', ['level']),
    // The same loops in JavaScript on sys: the floor of any library over sys.
    rawJsJob('epoll', ['level', 'edge']),
    rawJsJob('linuxaio', ['level']),
    rawJsJob('iouring', ['level', 'edge']),
    rawJsJob('iouring', ['level'], 'after poll'),
    libevJob('epoll'),
    libevJob('linuxaio'),
    libevJob('iouring'),
    libevJob('epoll', true),
    libevJob('iouring', true),
    evringJob('evring-epoll', epollBackend, ['level', 'edge']),
    evringJob('evring-linuxaio', linuxaioBackend as BackendFactory, ['level']),
    evringJob('evring-iouring', iouringBackend as BackendFactory, ['level', 'edge']),
    ...(selection.iouringVariants ? iouringVariants() : []),
    // Callbacks after the poll, as a loop runs them, each on the ring a Loop uses.
    evringJob('evring-epoll, after poll', epollBackend, ['level'], {}, 'after poll'),
    evringJob(
      'evring-linuxaio, after poll',
      linuxaioBackend as BackendFactory,
      ['level'],
      {},
      'after poll',
    ),
    evringJob(
      'evring-iouring, after poll',
      iouringBackend as BackendFactory,
      ['level'],
      { tracking: true } as BackendOptions,
      'after poll',
    ),
    loopJob('loop-epoll', 'epoll', ['level', 'edge']),
    loopJob('loop-linuxaio', 'linuxaio', ['level']),
    loopJob('loop-iouring', 'iouring', ['level', 'edge']),
    loopAttachedJob('loop-epoll attached', 'epoll', ['level', 'edge']),
    loopAttachedJob('loop-linuxaio attached', 'linuxaio', ['level']),
    loopAttachedJob('loop-iouring attached', 'iouring', ['level', 'edge']),
    libuvJob(),
    epollNpmJob(),
  ];
}
