/**
 * `struct statx` (linux 4.11): what statx(2) and IORING_OP_STATX (linux
 * 5.6) write, 256 bytes. Read with {@link readStatx}.
 *
 * @module
 */

import { defineStruct } from '../layout.js';
import { getS64, getU64 } from '../u64.js';

/**
 * Layout of `struct statx`. Each timestamp is a `struct statx_timestamp`
 * (s64 seconds, u32 nanoseconds, 4 reserved bytes).
 *
 * @example
 * ```ts
 * import { statx } from '@evring/abi';
 * statx.size;                        // 256
 * statx.fields.stx_size.offset;      // 40
 * ```
 */
export const statx = defineStruct('statx', 256, {
  stx_mask: [0, 4],
  stx_blksize: [4, 4],
  stx_attributes: [8, 8],
  stx_nlink: [16, 4],
  stx_uid: [20, 4],
  stx_gid: [24, 4],
  stx_mode: [28, 2],
  stx_ino: [32, 8],
  stx_size: [40, 8],
  stx_blocks: [48, 8],
  stx_attributes_mask: [56, 8],
  stx_atime: [64, 16],
  stx_btime: [80, 16],
  stx_ctime: [96, 16],
  stx_mtime: [112, 16],
  stx_rdev_major: [128, 4],
  stx_rdev_minor: [132, 4],
  stx_dev_major: [136, 4],
  stx_dev_minor: [140, 4],
});

/** statx mask: the fields of `stat(2)` (type, mode, nlink, uid, gid, times, ino, size, blocks). */
export const STATX_BASIC_STATS = 0x7ff;
/** statx mask: the creation time, where the filesystem keeps one. */
export const STATX_BTIME = 0x800;

/**
 * A decoded `struct statx`. Sizes, inode numbers and block counts past
 * 2^53 lose precision (as in Node's `fs.Stats` without `bigint`).
 *
 * @example
 * ```ts
 * import { readStatx, type Statx, statx } from '@evring/abi';
 * const s: Statx = readStatx(new DataView(new ArrayBuffer(statx.size)), 0);
 * console.log(s.size, (s.mode & 0o170000) === 0o040000 ? 'directory' : 'not a directory');
 * ```
 */
export interface Statx {
  mask: number;
  blksize: number;
  nlink: number;
  uid: number;
  gid: number;
  mode: number;
  ino: number;
  size: number;
  blocks: number;
  /** Times in milliseconds since the epoch, with their nanoseconds as a fraction. */
  atimeMs: number;
  btimeMs: number;
  ctimeMs: number;
  mtimeMs: number;
  rdevMajor: number;
  rdevMinor: number;
  devMajor: number;
  devMinor: number;
}

function timeMs(view: DataView, base: number): number {
  return getS64(view, base) * 1000 + view.getUint32(base + 8, true) / 1e6;
}

/**
 * Reads a `struct statx` at `base`.
 *
 * @example
 * ```ts
 * import { readStatx, statx } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(statx.size));
 * view.setUint16(statx.fields.stx_mode.offset, 0o100644, true);
 * readStatx(view, 0).mode.toString(8); // '100644': a regular file
 * ```
 */
export function readStatx(view: DataView, base: number): Statx {
  return {
    ...smallFields(view, base),
    ino: getU64(view, base + 32),
    size: getU64(view, base + 40),
    blocks: getU64(view, base + 48),
    atimeMs: timeMs(view, base + 64),
    btimeMs: timeMs(view, base + 80),
    ctimeMs: timeMs(view, base + 96),
    mtimeMs: timeMs(view, base + 112),
  };
}

/** The fields of 32 bits or fewer, the same in both readers. */
function smallFields(view: DataView, base: number) {
  return {
    mask: view.getUint32(base, true),
    blksize: view.getUint32(base + 4, true),
    nlink: view.getUint32(base + 16, true),
    uid: view.getUint32(base + 20, true),
    gid: view.getUint32(base + 24, true),
    mode: view.getUint16(base + 28, true),
    rdevMajor: view.getUint32(base + 128, true),
    rdevMinor: view.getUint32(base + 132, true),
    devMajor: view.getUint32(base + 136, true),
    devMinor: view.getUint32(base + 140, true),
  };
}

/**
 * A `struct statx` with its 64-bit fields exact: what Node's
 * `fs.BigIntStats` is made from. Times are nanoseconds since the epoch.
 *
 * @example
 * ```ts
 * import { readStatxBigInt, type StatxBigInt, statx } from '@evring/abi';
 * const s: StatxBigInt = readStatxBigInt(new DataView(new ArrayBuffer(statx.size)), 0);
 * s.size;    // 0n
 * s.mtimeNs; // 0n
 * ```
 */
export interface StatxBigInt {
  mask: number;
  blksize: number;
  nlink: number;
  uid: number;
  gid: number;
  mode: number;
  ino: bigint;
  size: bigint;
  blocks: bigint;
  atimeNs: bigint;
  btimeNs: bigint;
  ctimeNs: bigint;
  mtimeNs: bigint;
  rdevMajor: number;
  rdevMinor: number;
  devMajor: number;
  devMinor: number;
}

function timeNs(view: DataView, base: number): bigint {
  return view.getBigInt64(base, true) * 1_000_000_000n + BigInt(view.getUint32(base + 8, true));
}

/**
 * Reads a `struct statx` at `base`, its sizes, inode number and times as
 * exact bigints (see {@link readStatx} for numbers).
 *
 * @example
 * ```ts
 * import { readStatxBigInt, statx } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(statx.size));
 * view.setBigUint64(statx.fields.stx_size.offset, 2n ** 60n, true);
 * readStatxBigInt(view, 0).size; // 1152921504606846976n: exact past 2^53
 * ```
 */
export function readStatxBigInt(view: DataView, base: number): StatxBigInt {
  return {
    ...smallFields(view, base),
    ino: view.getBigUint64(base + 32, true),
    size: view.getBigUint64(base + 40, true),
    blocks: view.getBigUint64(base + 48, true),
    atimeNs: timeNs(view, base + 64),
    btimeNs: timeNs(view, base + 80),
    ctimeNs: timeNs(view, base + 96),
    mtimeNs: timeNs(view, base + 112),
  };
}
