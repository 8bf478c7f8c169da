/**
 * Operations the backend does not hand to the kernel are done by the
 * `Poller` itself with a direct syscall (sys's `fileIoSync`, which checks
 * the fd's type and makes the call in one crossing), as libev treats
 * regular files: always ready, so a read or write runs at once. Their
 * completions wait here and are delivered by the next `poll()`, like a
 * kernel's, never from `submit`.
 *
 * On a pipe, socket or tty the syscall could block the thread: there the
 * Poller tries a non-blocking read or write (sys's `ioNowait`) and, on
 * EAGAIN, waits for the backend to report the fd ready, then tries again
 * (poller.ts).
 *
 * @module
 */

/** Completions of emulated operations, waiting for the next poll. */
export class EmulatedQueue {
  #tokens: number[] = [];
  #results: number[] = [];
  #count = 0;

  get count(): number {
    return this.#count;
  }

  push(token: number, res: number): void {
    this.#tokens[this.#count] = token;
    this.#results[this.#count] = res;
    this.#count++;
  }

  /** Hands every queued completion to `deliver`, in submission order; those queued meanwhile wait. */
  drain(deliver: (token: number, res: number) => void): void {
    const n = this.#count;
    for (let i = 0; i < n; i++) deliver(this.#tokens[i]!, this.#results[i]!);
    const left = this.#count - n;
    for (let i = 0; i < left; i++) {
      this.#tokens[i] = this.#tokens[n + i]!;
      this.#results[i] = this.#results[n + i]!;
    }
    this.#count = left;
  }
}
