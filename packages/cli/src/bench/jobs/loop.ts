/**
 * The loop-* rows: the same benchmark one layer up, on `@evring/loop` io
 * watchers — what the loop adds over its backend. `loop-X` runs the loop
 * standalone (`run('once')` per turn); `loop-X attached` attaches it to
 * Node's event loop, the default, and lets Node run it: each wake-up is a
 * trip through Node's own epoll and the loop's tick.
 *
 * @module
 */

import type { BackendName } from '@evring/backend';
import { EDGE, Loop, READ } from '@evring/loop';
import { AsyncRound, kickWithWrite } from '../async-rounds.js';
import { closeRing, nextWakeByFd, openRing } from '../fd-ring.js';
import type { BenchJob, BenchMode, JobTimes } from '../job.js';
import { fdCallback, RoundState, STALL_MS, timeRounds } from '../sync-rounds.js';

/** A loop job on one backend. */
export function loopJob(name: string, backend: BackendName, modes: readonly BenchMode[]): BenchJob {
  return {
    name,
    family: 'loop',
    modes,
    run(config, mode): JobTimes {
      const edge = mode === 'edge';
      const ring = openRing(config.kind, config.n);
      const state = new RoundState();
      const onFd = fdCallback(state, nextWakeByFd(ring), config, edge);
      // One callback for every watcher, as libev's benchmark: the fd says which.
      const callback = (w: { fd: number }): void => onFd(w.fd);
      let loop: Loop | undefined;
      try {
        loop = new Loop({ backend, attach: false, env: false, fallback: false });
        for (const fd of ring.read) loop.io(fd, edge ? READ | EDGE : READ, callback).start();
        // Wakes run('once') now and then, so that a lost event fails the job instead of hanging it.
        loop.timer(STALL_MS / 1000, STALL_MS / 1000, () => {}).start();
        loop.run('nowait');
        const l = loop;
        return timeRounds(config, ring, state, () => l.run('once'));
      } finally {
        loop?.destroy();
        closeRing(ring);
      }
    },
  };
}

/** A loop job on one backend, attached to Node's loop (the default in programs). */
export function loopAttachedJob(
  name: string,
  backend: BackendName,
  modes: readonly BenchMode[],
): BenchJob {
  return {
    name,
    family: 'loop',
    modes,
    async run(config, mode): Promise<JobTimes> {
      const edge = mode === 'edge';
      const ring = openRing(config.kind, config.n);
      const round = new AsyncRound(config);
      const onFd = fdCallback(round, nextWakeByFd(ring), config, edge);
      const callback = (w: { fd: number }): void => {
        onFd(w.fd);
        round.check();
      };
      let loop: Loop | undefined;
      try {
        loop = new Loop({ backend, attach: true, env: false, fallback: false });
        for (const fd of ring.read) loop.io(fd, edge ? READ | EDGE : READ, callback).start();
        return await round.run(config, ring, kickWithWrite);
      } finally {
        loop?.destroy();
        closeRing(ring);
      }
    },
  };
}
