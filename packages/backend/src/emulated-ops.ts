/**
 * Operations the backend does not hand to the kernel, done by the `Poller`
 * itself with a direct syscall, as libev treats regular files: always
 * ready, so a read or write runs at once. The completion is queued and
 * delivered by the next `poll()`, like a kernel's, never from `submit`.
 *
 * On a pipe, socket or tty the syscall could block the thread: there the
 * Poller tries a non-blocking read or write (sys's `ioNowait`) and, on
 * EAGAIN, waits for the backend to report the fd ready, then tries again
 * (poller.ts).
 *
 * @module
 */

import { fileIoSync } from '@evring/sys';
import type { OpCode, PinnedMemory } from './ops.js';

/**
 * Runs one operation now; returns its result (bytes, 0, or −errno). sys
 * checks the fd's type and makes the syscall in one crossing, allocating
 * nothing: −EOPNOTSUPP for what could block (pipes, sockets, ttys).
 */
export function runEmulated(
  op: OpCode,
  fd: number,
  mem: PinnedMemory,
  offset: number,
  length: number,
  position: number,
): number {
  return fileIoSync(op, fd, mem.buffer, offset, length, position);
}

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
