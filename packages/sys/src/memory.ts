/**
 * Pinned memory: sys-owned buffers whose user address may go into SQEs the
 * kernel only reads through (the `__kernel_timespec` of IORING_OP_TIMEOUT).
 *
 * @module
 */

import { native } from './load.js';

/**
 * Sys-owned memory whose user address may go into SQEs the kernel only reads
 * through (the `__kernel_timespec` of IORING_OP_TIMEOUT). Zeroed and 64-byte
 * aligned. Freed by {@link pinnedFree} or when the buffer is collected. An
 * SQE that would make the kernel *write* through a pointer is still refused.
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
