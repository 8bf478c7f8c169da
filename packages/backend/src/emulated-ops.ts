/**
 * Operations the backend does not hand to the kernel, done by the `Poller`
 * itself with a direct syscall, as libev treats regular files: always
 * ready, so a read or write runs at once. The completion is queued and
 * delivered by the next `poll()`, like a kernel's, never from `submit`.
 *
 * Only regular files (and block devices) are emulated for now: on a pipe,
 * socket or tty the syscall could block the thread, and waiting for
 * readiness first is still to come. Other fds complete with -EOPNOTSUPP.
 *
 * @module
 */

import { fdatasyncSync, fstatSync, fsyncSync, readSync, writeSync } from 'node:fs';
import {
  OP_FDATASYNC,
  OP_FSYNC,
  OP_READ,
  OP_WRITE,
  type OpCode,
  type PinnedMemory,
} from './ops.js';

const EOPNOTSUPP = 95;
const EINVAL = 22;

/** The result of a Node fs error as −errno (Node's `errno` is already negative). */
function negErrno(err: unknown): number {
  const e = (err as { errno?: unknown }).errno;
  return typeof e === 'number' && e < 0 ? e : -EINVAL;
}

/** Runs one operation now; returns its result (bytes, 0, or −errno). */
export function runEmulated(
  op: OpCode,
  fd: number,
  mem: PinnedMemory,
  offset: number,
  length: number,
  position: number,
): number {
  try {
    const st = fstatSync(fd);
    if (!st.isFile() && !st.isBlockDevice() && !st.isDirectory()) return -EOPNOTSUPP;
    switch (op) {
      case OP_READ:
        return readSync(
          fd,
          new Uint8Array(mem.buffer, offset, length),
          0,
          length,
          position < 0 ? null : position,
        );
      case OP_WRITE:
        return writeSync(
          fd,
          new Uint8Array(mem.buffer, offset, length),
          0,
          length,
          position < 0 ? null : position,
        );
      case OP_FSYNC:
        fsyncSync(fd);
        return 0;
      case OP_FDATASYNC:
        fdatasyncSync(fd);
        return 0;
      default:
        return -EINVAL;
    }
  } catch (err) {
    return negErrno(err);
  }
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
