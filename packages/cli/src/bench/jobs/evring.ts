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

/** A Poller job on one backend. */
export function evringJob(
  name: string,
  factory: BackendFactory,
  modes: readonly BenchMode[],
  options: BackendOptions = {},
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
        poller = new Poller(factory, fdCallback(state, nextWakeByFd(ring), config, edge), {
          embedded: false,
          ...options,
        });
        for (const fd of ring.read) poller.set(fd, edge ? READ | EDGE : READ);
        poller.poll(0);
        const p = poller;
        return timeRounds(config, ring, state, () => p.poll(STALL_MS));
      } finally {
        poller?.destroy();
        closeRing(ring);
      }
    },
  };
}
