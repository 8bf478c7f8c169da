/**
 * Whether an attached tick looks once more for ready fds after an
 * iteration that delivered some.
 *
 * A callback often makes the next fd ready (a chain of pipes, a proxy): one
 * more non-blocking poll then follows the chain inside the tick, instead of
 * a trip through Node's poll per link. When the events come one at a time
 * from outside (a request from another process), that poll finds nothing
 * and costs a system call per event. So the look is a guess, and this
 * keeps its record: each look that found nothing doubles the run of events
 * that go without one (1, 3, then 7 skipped), and one that found something
 * brings the look back at every event. A skipped look delays nothing: a fd
 * made ready meanwhile keeps the backend's fd readable, and Node's poll
 * starts the next iteration.
 *
 * @module
 */

/** Looks in a row that found nothing, counted up to this (then 7 events go without a look). */
const MAX_MISSES = 3;

/** @internal The record of an attached loop's extra looks. */
export class SpinProbe {
  /** Looks in a row that found nothing (at most {@link MAX_MISSES}). */
  #misses = 0;
  /** Events still to go without a look. */
  #skip = 0;

  /** Asked after an iteration that delivered fd events: look again now? */
  wanted(): boolean {
    if (this.#skip === 0) return true;
    this.#skip--;
    return false;
  }

  /** What the look found: fd events (true) or none. */
  found(events: boolean): void {
    if (events) {
      this.#misses = 0;
      return;
    }
    if (this.#misses < MAX_MISSES) this.#misses++;
    this.#skip = (1 << this.#misses) - 1;
  }
}
