/**
 * Pinned memory: sys-owned buffers whose user address may go into SQEs. On
 * every ring the kernel may read through it (the `__kernel_timespec` of
 * IORING_OP_TIMEOUT); on a ring that tracks operations (set up with
 * IORING_SETUP_DEFER_TASKRUN) it is also the only memory READ may write and
 * WRITE may read. Each operation in flight holds its block: freeing the
 * buffer, or losing it to the garbage collector, only detaches it, and the
 * memory goes when the kernel is done with it.
 *
 * @module
 */

import { native } from './load.js';

/**
 * Sys-owned memory (1 byte to 1 MiB, zeroed, 64-byte aligned) whose user
 * address may go into SQEs: any ring's TIMEOUT reads its timespec from it,
 * and on a ring set up with IORING_SETUP_DEFER_TASKRUN it is the only memory
 * a READ may write, a WRITE read, and an OPENAT/STATX/RENAMEAT/UNLINKAT/
 * MKDIRAT/LINKAT/SYMLINKAT path or a statx buffer lie in. Freed by
 * {@link pinnedFree} or when the buffer is collected, but never while an
 * operation in flight holds it: the memory then outlives the buffer until
 * the operation's own completion.
 *
 * @example
 * ```ts
 * import { pinnedAlloc, pinnedFree } from '@evring/sys';
 * import { __kernel_timespec, writeTimespecMs } from '@evring/abi';
 * const ts = pinnedAlloc(__kernel_timespec.size);
 * writeTimespecMs(new DataView(ts.buffer), 0, 100);
 * // ts.address can now go into an IORING_OP_TIMEOUT SQE
 * pinnedFree(ts.buffer);
 * ```
 */
export function pinnedAlloc(size: number): PinnedAllocation {
  const mem = native.pinnedAlloc(size);
  allocations.set(mem.buffer, mem);
  return mem;
}

/**
 * What {@link pinnedAlloc} gives: the buffer, the address the kernel is
 * given, and the size, which {@link pinnedFree} sets to 0.
 *
 * @example
 * ```ts
 * import { type PinnedAllocation, pinnedAlloc, pinnedFree } from '@evring/sys';
 * const mem: PinnedAllocation = pinnedAlloc(4096);
 * pinnedFree(mem.buffer);
 * mem.size; // 0: freed, and nothing had to ask the detached buffer
 * ```
 */
export interface PinnedAllocation {
  readonly buffer: ArrayBuffer;
  readonly address: number;
  /**
   * The block's bytes, 0 once {@link pinnedFree} has freed it. Telling a
   * freed block from this field reads no ArrayBuffer: asking the buffer's
   * `byteLength` is a call into a builtin and two cache lines per operation.
   * Advisory: sys itself checks every address it is given.
   */
  readonly size: number;
}

/** Each live allocation by its buffer, so that pinnedFree can mark its record freed. */
const allocations = new WeakMap<ArrayBuffer, { size: number }>();

/**
 * Detaches and frees a {@link pinnedAlloc} buffer; false if already freed.
 * Any other buffer (a ring's, an AIO context's, a plain one) is refused with
 * a TypeError: those are released by their owner.
 *
 * @example
 * ```ts
 * import { pinnedAlloc, pinnedFree } from '@evring/sys';
 * const mem = pinnedAlloc(16);
 * pinnedFree(mem.buffer); // true; mem.buffer is detached, mem.size is 0
 * pinnedFree(mem.buffer); // false
 * ```
 */
export function pinnedFree(buffer: ArrayBuffer): boolean {
  const freed = native.pinnedFree(buffer);
  const mem = allocations.get(buffer);
  if (mem !== undefined) mem.size = 0;
  return freed;
}

/**
 * This thread's pinned memory: how many blocks are allocated, their bytes,
 * and how many operations in flight hold them (a block freed by JavaScript
 * stays counted until the last of its operations completes).
 *
 * @example
 * ```ts
 * import { pinnedAlloc, pinnedFree, pinnedStats } from '@evring/sys';
 * const before = pinnedStats().blocks;
 * const mem = pinnedAlloc(4096);
 * pinnedStats().blocks - before; // 1
 * pinnedFree(mem.buffer);
 * ```
 */
export const pinnedStats: () => { blocks: number; bytes: number; held: number } =
  native.pinnedStats;
