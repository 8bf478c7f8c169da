/**
 * Loads and stores of the words a ring shares with the kernel (io_uring's
 * heads and tails, the AIO completion ring's): acquire loads and release
 * stores, as the rings' protocol needs.
 *
 * On x86 the hardware already orders every load after earlier loads and
 * every store after earlier stores (TSO), so a plain typed-array access is
 * an acquire load or a release store, and V8 compiles it to one
 * instruction. `Atomics.load` and `Atomics.store` are builtin calls in the
 * V8 of Node 20 (not inlined): about 5 ns each when warm, and several
 * times that right after a syscall on a VM that flushes the TLB at every
 * kernel entry (page-table isolation without PCID), where an idle loop
 * makes a handful per iteration. Elsewhere (arm64), `Atomics` it is.
 *
 * The compiler does not move these accesses across a call (a syscall is
 * one), which is where the kernel changes the words: every loop over a
 * ring reads the tail again after calling out.
 *
 * @module
 */

/** True where plain loads and stores are acquire and release (x86's TSO). */
const TSO = process.arch === 'x64' || process.arch === 'ia32';

/**
 * Reads `words[index]` with acquire ordering: what the kernel wrote before
 * it stored this word is visible after.
 *
 * @example
 * ```ts
 * import { loadAcquire } from '@evring/sys';
 * const words = new Uint32Array(4); // a ring's words: IoUring's cqWords, an AIO ring's
 * Atomics.store(words, 1, 0xfffffffe);
 * loadAcquire(words, 1); // 4294967294
 * ```
 */
export function loadAcquire(words: Uint32Array, index: number): number {
  return TSO ? words[index]! : Atomics.load(words, index);
}

/**
 * Writes `words[index] = value` with release ordering: what was written
 * before is visible to the kernel once it sees this word.
 *
 * @example
 * ```ts
 * import { storeRelease } from '@evring/sys';
 * const words = new Uint32Array(4);
 * storeRelease(words, 2, 7);
 * Atomics.load(words, 2); // 7
 * ```
 */
export function storeRelease(words: Uint32Array, index: number, value: number): void {
  if (TSO) words[index] = value;
  else Atomics.store(words, index, value);
}
