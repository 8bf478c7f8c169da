/**
 * Timed rounds for the jobs whose events arrive through Node's own event
 * loop (libuv, the `epoll` package): a round starts the active fds and ends
 * inside the callback that takes the last byte, so the promise plumbing
 * between rounds is not timed. The warm-up rounds ({@link WarmUp}) are not timed.
 *
 * @module
 */

import * as sys from '@evring/sys';
import type { FdRing } from './fd-ring.js';
import {
  type BenchConfig,
  eventsPerRound,
  type JobTimes,
  roundsDone,
  startIndex,
  WarmUp,
} from './job.js';
import { STALL_MS, stalled } from './sync-rounds.js';

const ONE = Buffer.from('e');

/** One round's progress, and how callbacks report the last byte. */
export class AsyncRound {
  fired = 0;
  writes = 0;
  #t0 = 0n;
  #end: (() => void) | undefined;
  readonly times: number[] = [];
  readonly total: number;
  #warm: WarmUp;

  constructor(config: BenchConfig) {
    this.total = eventsPerRound(config);
    this.#warm = new WarmUp(config);
  }

  /** Called by a callback after counting its bytes: ends the round at the last one. */
  check(): void {
    if (this.fired >= this.total && this.#end) {
      // Warm-up rounds are not timed: the JIT compiles the hot path during them.
      if (!this.#warm.roundDone()) this.times.push(Number(process.hrtime.bigint() - this.#t0));
      const end = this.#end;
      this.#end = undefined;
      end();
    }
  }

  /** Runs every round; `kick(fd)` writes a starting byte to a wake fd. */
  async run(config: BenchConfig, ring: FdRing, kick: (wakeFd: number) => void): Promise<JobTimes> {
    while (!roundsDone(config, this.times.length, this.#warm.timedFrom)) {
      let watchdog: NodeJS.Timeout | undefined;
      let last = -1;
      await new Promise<void>((resolve, reject) => {
        this.fired = 0;
        this.writes = 0;
        this.#end = resolve;
        // A lost event fails the job instead of hanging it.
        watchdog = setInterval(() => {
          if (this.fired !== last) last = this.fired;
          else {
            this.#end = undefined;
            reject(stalled(this.fired, this.total));
          }
        }, STALL_MS);
        this.#t0 = process.hrtime.bigint();
        for (let k = 0; k < config.active; k++) kick(ring.wake[startIndex(config, k)]!);
      }).finally(() => clearInterval(watchdog));
    }
    return { times: this.times, timedSince: this.#warm.timedFrom };
  }
}

/** A starting byte written straight to the fd (for jobs that do not own the fds). */
export function kickWithWrite(fd: number): void {
  sys.write(fd, ONE, 0, 1);
}
