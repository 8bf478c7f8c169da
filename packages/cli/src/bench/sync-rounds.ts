/**
 * What the synchronous evring jobs share: the callbacks every watcher runs
 * (read one byte, or drain; then wake the next fd) and the timed rounds
 * around a blocking `turn()` of whatever is being measured.
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
import { SyscallMeter } from './syscall-meter.js';

const ONE = Buffer.from('e');
const SCRATCH = Buffer.alloc(4096);

/** Progress of the round under way, written by the callbacks. */
export class RoundState {
  fired = 0;
  writes = 0;
}

/** The per-fd callback: level reads one byte as libev's benchmark; EDGE drains the fd. */
export function fdCallback(
  state: RoundState,
  next: Int32Array,
  config: BenchConfig,
  edge: boolean,
): (fd: number) => void {
  const max = config.writes;
  return edge
    ? (fd) => {
        // A short read emptied the pipe or stream socket: anything arriving
        // later is a new edge, so no read is spent to see EAGAIN.
        for (;;) {
          const got = sys.read(fd, SCRATCH, 0, SCRATCH.length);
          if (got > 0) state.fired += got;
          if (got < SCRATCH.length) break;
        }
        if (state.writes < max && sys.write(next[fd]!, ONE, 0, 1) === 1) state.writes++;
      }
    : (fd) => {
        if (sys.read(fd, SCRATCH, 0, 1) === 1) state.fired++;
        if (state.writes < max && sys.write(next[fd]!, ONE, 0, 1) === 1) state.writes++;
      };
}

/** A round making no progress for this long has lost events: the job fails rather than hang. */
export const STALL_MS = 10_000;

/**
 * Times `config.rounds` rounds, after the untimed warm-up ({@link WarmUp}):
 * start the active fds, then `turn()` until every event arrived. `turn()` must return at least every {@link STALL_MS}
 * even when nothing happens, so that a lost event fails the job.
 */
export function timeRounds(
  config: BenchConfig,
  ring: FdRing,
  state: RoundState,
  turn: () => void,
): JobTimes {
  const total = eventsPerRound(config);
  const times: number[] = [];
  const meter = new SyscallMeter();
  let syscalls = 0;
  let waits = 0;
  const warm = new WarmUp(config);
  while (!roundsDone(config, times.length, warm.timedFrom)) {
    state.fired = 0;
    state.writes = 0;
    meter.sample();
    const all0 = meter.all;
    const waits0 = meter.waits;
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < config.active; k++) sys.write(ring.wake[startIndex(config, k)]!, ONE, 0, 1);
    let stallFrom = 0;
    while (state.fired < total) {
      const before = state.fired;
      turn();
      if (state.fired !== before) stallFrom = 0;
      else if (stallFrom === 0) stallFrom = Date.now();
      else if (Date.now() - stallFrom > STALL_MS) throw stalled(state.fired, total);
    }
    if (warm.roundDone()) continue; // untimed: the JIT compiles the hot path during these
    times.push(Number(process.hrtime.bigint() - t0));
    meter.sample();
    syscalls += meter.all - all0;
    waits += meter.waits - waits0;
  }
  const events = times.length * total;
  return {
    times,
    syscallsPerEvent: syscalls / events,
    waitsPerEvent: waits / events,
    timedSince: warm.timedFrom,
  };
}

/** The error a stalled round fails its job with. */
export function stalled(fired: number, total: number): Error {
  return Object.assign(
    new Error(
      `round stalled: ${fired} of ${total} bytes arrived, then nothing for ${STALL_MS / 1000} s`,
    ),
    {
      code: 'ERR_EVRING_BENCH_STALLED',
    },
  );
}
