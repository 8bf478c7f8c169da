/**
 * Reads the sys layer's syscall counters around a round: every syscall
 * evring made (SQEs sys refused before the kernel saw them excluded), and of
 * those the waits.
 *
 * @module
 */

import * as sys from '@evring/sys';

const REJECTED = sys.syscallCountNames.indexOf('sqe_rejected');
const WAITS = ['io_uring_enter', 'epoll_wait', 'io_getevents'].map((n) =>
  sys.syscallCountNames.indexOf(n),
);

/** Sums counters into reusable storage: no allocation per sample. */
export class SyscallMeter {
  #counts = new Float64Array(sys.syscallCountNames.length);
  /** Syscalls so far (after the last {@link sample}). */
  all = 0;
  /** Waits so far (after the last {@link sample}). */
  waits = 0;

  /** Reads the counters. */
  sample(): void {
    sys.syscallCountsInto(this.#counts);
    let all = 0;
    for (let k = 0; k < this.#counts.length; k++) if (k !== REJECTED) all += this.#counts[k]!;
    let waits = 0;
    for (const k of WAITS) if (k >= 0) waits += this.#counts[k]!;
    this.all = all;
    this.waits = waits;
  }
}
