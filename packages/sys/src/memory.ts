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
export const pinnedAlloc: (size: number) => { buffer: ArrayBuffer; address: number } =
  native.pinnedAlloc;

/**
 * Detaches and frees a {@link pinnedAlloc} buffer; false if already freed.
 * Any other buffer (a ring's, an AIO context's, a plain one) is refused with
 * a TypeError: those are released by their owner.
 *
 * @example
 * ```ts
 * import { pinnedAlloc, pinnedFree } from '@evring/sys';
 * const mem = pinnedAlloc(16);
 * pinnedFree(mem.buffer); // true; mem.buffer is detached
 * pinnedFree(mem.buffer); // false
 * ```
 */
export const pinnedFree: (buffer: ArrayBuffer) => boolean = native.pinnedFree;

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
