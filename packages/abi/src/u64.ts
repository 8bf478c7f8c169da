/**
 * 64-bit fields without BigInt on the hot path.
 *
 * Kernel pointers and `user_data` are u64. Allocating a BigInt per SQE would
 * put garbage on the hot path, so these helpers move a u64 as a JS number
 * (exact up to 2^53, which covers every user-space address on x86_64 and
 * aarch64) or as two u32 halves. BigInt variants exist for the API edge.
 *
 * @module
 */

import { LE } from './arch.js';

const TWO_32 = 0x1_0000_0000;

/**
 * Writes a u64 (or s64) given as a safe integer; negative values are stored
 * in two's complement (so -1 writes 0xffff_ffff_ffff_ffff).
 *
 * @example
 * ```ts
 * import { getU64, setU64 } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(8));
 * setU64(view, 0, 2 ** 40 + 1);
 * getU64(view, 0); // 1099511627777
 * setU64(view, 0, -1); // all ones
 * ```
 */
export function setU64(view: DataView, offset: number, value: number): void {
  const lo = value >>> 0;
  const hi = Math.floor(value / TWO_32) >>> 0;
  view.setUint32(offset, lo, LE);
  view.setUint32(offset + 4, hi, LE);
}

/**
 * Reads a u64 as a number; exact only below 2^53 (check with {@link getU64Hi} if unsure).
 *
 * @example
 * ```ts
 * import { getU64, setU64 } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(8));
 * setU64(view, 0, 0x1234_5678_9a);
 * getU64(view, 0) === 0x1234_5678_9a; // true
 * ```
 */
export function getU64(view: DataView, offset: number): number {
  return view.getUint32(offset + 4, LE) * TWO_32 + view.getUint32(offset, LE);
}

/**
 * Reads an s64 as a number; exact only for magnitudes below 2^53.
 *
 * @example
 * ```ts
 * import { getS64, setU64 } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(8));
 * setU64(view, 0, -62);
 * getS64(view, 0); // -62
 * ```
 */
export function getS64(view: DataView, offset: number): number {
  return view.getInt32(offset + 4, LE) * TWO_32 + view.getUint32(offset, LE);
}

/**
 * Writes a u64 from its two u32 halves.
 *
 * @example
 * ```ts
 * import { getU64, setU64Parts } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(8));
 * setU64Parts(view, 0, 5, 1); // lo 5, hi 1
 * getU64(view, 0); // 4294967301
 * ```
 */
export function setU64Parts(view: DataView, offset: number, lo: number, hi: number): void {
  view.setUint32(offset, lo >>> 0, LE);
  view.setUint32(offset + 4, hi >>> 0, LE);
}

/**
 * The low 32 bits of a u64 field.
 *
 * @example
 * ```ts
 * import { getU64Lo, setU64Parts } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(8));
 * setU64Parts(view, 0, 5, 1);
 * getU64Lo(view, 0); // 5
 * ```
 */
export function getU64Lo(view: DataView, offset: number): number {
  return view.getUint32(offset, LE);
}

/**
 * The high 32 bits of a u64 field.
 *
 * @example
 * ```ts
 * import { getU64Hi, setU64Parts } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(8));
 * setU64Parts(view, 0, 5, 1);
 * getU64Hi(view, 0); // 1
 * ```
 */
export function getU64Hi(view: DataView, offset: number): number {
  return view.getUint32(offset + 4, LE);
}

/**
 * Writes a u64 given as a number or a bigint (the API edge).
 *
 * @example
 * ```ts
 * import { getU64, setU64Any } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(8));
 * setU64Any(view, 0, 7n);
 * setU64Any(view, 0, 7);
 * getU64(view, 0); // 7
 * ```
 */
export function setU64Any(view: DataView, offset: number, value: number | bigint): void {
  if (typeof value === 'bigint') view.setBigUint64(offset, BigInt.asUintN(64, value), LE);
  else setU64(view, offset, value);
}
