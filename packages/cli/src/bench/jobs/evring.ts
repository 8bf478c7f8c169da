/**
 * The evring-* rows: the benchmark straight on a backend through
 * `@evring/backend`'s Poller, run standalone (not embedded: the Poller waits
 * in poll(), so linuxaio attaches no completion eventfd) — the cost of the
 * backend and the sys crossings, nothing above them.
 *
 * @module
 */

import { type BackendFactory, type BackendOptions, EDGE, Poller, READ } from '@evring/backend';
import { closeRing, nextWakeByFd, openRing } from '../fd-ring.js';
import type { BenchJob, BenchMode, JobTimes } from '../job.js';
import { fdCallback, RoundState, STALL_MS, timeRounds } from '../sync-rounds.js';

/**
 * When a job runs its callbacks: inside the backend's reap (a callback's
 * write can complete the next poll before the reap ends), or after the wait
 * has returned, as an event loop runs them.
 *
 * @example
 * ```ts
 * import { type CallbackOrder, QUICK, rawJsJob, runBench } from '@evring/cli';
 * const order: CallbackOrder = 'after poll';
 * const { rows } = await runBench({ matrix: QUICK, jobs: [rawJsJob('iouring', ['level'], order)] });
 * console.log(rows[0]?.job, rows[0]?.waitsPerEvent); // 'raw-iouring, after poll (JS)'
 * ```
 */
export type CallbackOrder = 'in reap' | 'after poll';

/** A Poller job on one backend. */
export function evringJob(
  name: string,
  factory: BackendFactory,
  modes: readonly BenchMode[],
  options: BackendOptions = {},
  order: CallbackOrder = 'in reap',
): BenchJob {
  return {
    name,
    family: 'evring',
    modes,
    run(config, mode): JobTimes {
      const edge = mode === 'edge';
      const ring = openRing(config.kind, config.n);
      const state = new RoundState();
      let poller: Poller | undefined;
      try {
        const callback = fdCallback(state, nextWakeByFd(ring), config, edge);
        // After poll: the fds reported by one poll, run once it returns.
        let ready = new Int32Array(config.n);
        let readyCount = 0;
        const record = (fd: number): void => {
          // A multishot poll may report one fd twice in a poll.
          if (readyCount === ready.length) {
            const grown = new Int32Array(ready.length * 2);
            grown.set(ready);
            ready = grown;
          }
          ready[readyCount++] = fd;
        };
        poller = new Poller(factory, order === 'in reap' ? callback : record, {
          embedded: false,
          ...options,
        });
        for (const fd of ring.read) poller.set(fd, edge ? READ | EDGE : READ);
        poller.poll(0);
        readyCount = 0;
        const p = poller;
        const turn =
          order === 'in reap'
            ? () => p.poll(STALL_MS)
            : () => {
                p.poll(STALL_MS);
                const count = readyCount;
                readyCount = 0;
                for (let i = 0; i < count; i++) callback(ready[i]!);
              };
        return timeRounds(config, ring, state, turn);
      } finally {
        poller?.destroy();
        closeRing(ring);
      }
    },
  };
}
