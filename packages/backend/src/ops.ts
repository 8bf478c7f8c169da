/**
 * Operations, beside readiness: the kernel (or, where it cannot, the
 * backend's owner) reads, writes or syncs a file and reports the result
 * once. A backend that does some natively offers {@link Operations}; the
 * `Poller` emulates everything else with a direct syscall, so an owner sees
 * the same API, and the same results, on every backend.
 *
 * Memory an operation reads or writes is pinned memory (`pinnedAlloc` of
 * `@evring/sys`): sys holds it until the operation's own completion, so
 * nothing JavaScript frees in the meantime can be written by the kernel.
 *
 * @module
 */

/**
 * What an operation does.
 *
 * @example
 * ```ts
 * import { OP_READ, type OpCode } from '@evring/backend';
 * const op: OpCode = OP_READ; // pread(2) into pinned memory
 * ```
 */
export type OpCode = typeof OP_READ | typeof OP_WRITE | typeof OP_FSYNC | typeof OP_FDATASYNC;

/** pread(2) (position −1: read(2) at the file's offset) into pinned memory. */
export const OP_READ = 0;
/** pwrite(2) (position −1: write(2)) from pinned memory. */
export const OP_WRITE = 1;
/** fsync(2). */
export const OP_FSYNC = 2;
/** fdatasync(2). */
export const OP_FDATASYNC = 3;

/**
 * Pinned memory as `pinnedAlloc` returns it: the buffer, and the address
 * the kernel is given.
 *
 * @example
 * ```ts
 * import type { PinnedMemory } from '@evring/backend';
 * import { pinnedAlloc } from '@evring/sys';
 * const mem: PinnedMemory = pinnedAlloc(4096);
 * ```
 */
export interface PinnedMemory {
  readonly buffer: ArrayBuffer;
  readonly address: number;
}

/**
 * Receives an operation's completion, exactly once: the token it was
 * submitted with and its result (bytes moved, 0, or −errno).
 *
 * @example
 * ```ts
 * import type { OpCompletionHandler } from '@evring/backend';
 * const done: OpCompletionHandler = (token, res) => {
 *   if (res < 0) console.log('operation', token, 'failed with errno', -res);
 * };
 * ```
 */
export type OpCompletionHandler = (token: number, res: number) => void;

/**
 * The operations a backend hands to the kernel itself. Completions reach
 * the owner's `opComplete` from the backend's `poll()`.
 *
 * @example
 * ```ts
 * import type { Backend } from '@evring/backend';
 * declare const backend: Backend;
 * console.log(backend.ops?.native ?? 'every operation is emulated');
 * ```
 */
export interface Operations {
  /** The opcodes the kernel carries out for this backend. */
  readonly native: readonly OpCode[];
  /**
   * Starts `op` on `fd` over `length` bytes of `mem` from `offset`, at file
   * `position` (−1: the file's offset). `token` comes back with the
   * completion. False when this backend does not take this one (Linux AIO
   * has no "current offset", or its slots are all busy): the `Poller` then
   * emulates it.
   */
  submit(
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
    token: number,
  ): boolean;
  /** Asks the kernel to cancel the operation with `token`; its completion still comes, once. */
  cancel(token: number): void;
}
