/**
 * What `loop.fs.stat()` and its kin give: the fields of Node's `fs.Stats`
 * (numbers), or with `{ bigint: true }` of its `fs.BigIntStats`, decoded
 * from the kernel's `struct statx`.
 *
 * @module
 */

import { STATX_BTIME, type Statx, type StatxBigInt } from '@evring/abi';

const S_IFMT = 0o170000;
const NS_PER_MS = 1_000_000n;

/** makedev() over bigints: exact for any major and minor. */
function makedevBig(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffn) << 8n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n) | ((ma & ~0xfffn) << 32n);
}

/** glibc's makedev(): major and minor into one device number. */
function makedev(major: number, minor: number): number {
  return (
    (major & 0xfff) * 0x100 +
    (minor & 0xff) +
    Math.floor(minor / 0x100) * 0x100000 +
    Math.floor(major / 0x1000) * 0x100000000
  );
}

/**
 * A file's status, shaped like Node's `fs.Stats`: the same field names and
 * `is*()` methods, so code reading `stats.size` or `stats.isFile()` moves
 * over unchanged. Sizes past 2^53 lose precision, as in `fs.Stats`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const stats = await loop.fs.promises.stat('/etc/hostname');
 * console.log(stats.isFile(), stats.size, stats.mtime.toISOString());
 * ```
 */
export class FileStats {
  readonly dev: number;
  readonly ino: number;
  readonly mode: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  readonly rdev: number;
  readonly size: number;
  readonly blksize: number;
  readonly blocks: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** The creation time where the filesystem keeps one; else the ctime, as Node reports it. */
  readonly birthtimeMs: number;

  /** @internal Made from the kernel's answer. */
  constructor(s: Statx) {
    this.dev = makedev(s.devMajor, s.devMinor);
    this.ino = s.ino;
    this.mode = s.mode;
    this.nlink = s.nlink;
    this.uid = s.uid;
    this.gid = s.gid;
    this.rdev = makedev(s.rdevMajor, s.rdevMinor);
    this.size = s.size;
    this.blksize = s.blksize;
    this.blocks = s.blocks;
    this.atimeMs = s.atimeMs;
    this.mtimeMs = s.mtimeMs;
    this.ctimeMs = s.ctimeMs;
    // STATX_BTIME is set in the mask only when the filesystem gave one.
    this.birthtimeMs = (s.mask & STATX_BTIME) !== 0 ? s.btimeMs : s.ctimeMs;
  }

  get atime(): Date {
    return new Date(Math.round(this.atimeMs)); // as Node rounds
  }
  get mtime(): Date {
    return new Date(Math.round(this.mtimeMs)); // as Node rounds
  }
  get ctime(): Date {
    return new Date(Math.round(this.ctimeMs)); // as Node rounds
  }
  get birthtime(): Date {
    return new Date(Math.round(this.birthtimeMs)); // as Node rounds
  }
  isFile(): boolean {
    return (this.mode & S_IFMT) === 0o100000;
  }
  isDirectory(): boolean {
    return (this.mode & S_IFMT) === 0o040000;
  }
  isSymbolicLink(): boolean {
    return (this.mode & S_IFMT) === 0o120000;
  }
  isFIFO(): boolean {
    return (this.mode & S_IFMT) === 0o010000;
  }
  isSocket(): boolean {
    return (this.mode & S_IFMT) === 0o140000;
  }
  isCharacterDevice(): boolean {
    return (this.mode & S_IFMT) === 0o020000;
  }
  isBlockDevice(): boolean {
    return (this.mode & S_IFMT) === 0o060000;
  }
}

/**
 * A file's status with `{ bigint: true }`, shaped like Node's
 * `fs.BigIntStats`: every field a bigint, exact past 2^53, and the times
 * also in nanoseconds (`mtimeNs`).
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const stats = await new Loop().fs.promises.stat('/etc/hostname', { bigint: true });
 * console.log(stats.size, stats.mtimeNs, stats.isFile()); // e.g. 3n 1796458134295790591n true
 * ```
 */
export class BigIntFileStats {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly mode: bigint;
  readonly nlink: bigint;
  readonly uid: bigint;
  readonly gid: bigint;
  readonly rdev: bigint;
  readonly size: bigint;
  readonly blksize: bigint;
  readonly blocks: bigint;
  readonly atimeMs: bigint;
  readonly mtimeMs: bigint;
  readonly ctimeMs: bigint;
  readonly birthtimeMs: bigint;
  readonly atimeNs: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  /** The creation time where the filesystem keeps one; else the ctime, as {@link FileStats} has it. */
  readonly birthtimeNs: bigint;
  readonly #type: number;

  /** @internal Made from the kernel's answer. */
  constructor(s: StatxBigInt) {
    this.dev = makedevBig(s.devMajor, s.devMinor);
    this.ino = s.ino;
    this.mode = BigInt(s.mode);
    this.nlink = BigInt(s.nlink);
    this.uid = BigInt(s.uid);
    this.gid = BigInt(s.gid);
    this.rdev = makedevBig(s.rdevMajor, s.rdevMinor);
    this.size = s.size;
    this.blksize = BigInt(s.blksize);
    this.blocks = s.blocks;
    this.atimeNs = s.atimeNs;
    this.mtimeNs = s.mtimeNs;
    this.ctimeNs = s.ctimeNs;
    this.birthtimeNs = (s.mask & STATX_BTIME) !== 0 ? s.btimeNs : s.ctimeNs;
    // Whole milliseconds, rounded down as Node's are (also before 1970).
    this.atimeMs = floorMs(this.atimeNs);
    this.mtimeMs = floorMs(this.mtimeNs);
    this.ctimeMs = floorMs(this.ctimeNs);
    this.birthtimeMs = floorMs(this.birthtimeNs);
    this.#type = s.mode & S_IFMT;
  }

  get atime(): Date {
    return new Date(Number(this.atimeMs));
  }
  get mtime(): Date {
    return new Date(Number(this.mtimeMs));
  }
  get ctime(): Date {
    return new Date(Number(this.ctimeMs));
  }
  get birthtime(): Date {
    return new Date(Number(this.birthtimeMs));
  }
  isFile(): boolean {
    return this.#type === 0o100000;
  }
  isDirectory(): boolean {
    return this.#type === 0o040000;
  }
  isSymbolicLink(): boolean {
    return this.#type === 0o120000;
  }
  isFIFO(): boolean {
    return this.#type === 0o010000;
  }
  isSocket(): boolean {
    return this.#type === 0o140000;
  }
  isCharacterDevice(): boolean {
    return this.#type === 0o020000;
  }
  isBlockDevice(): boolean {
    return this.#type === 0o060000;
  }
}

function floorMs(ns: bigint): bigint {
  const ms = ns / NS_PER_MS; // bigint division truncates toward zero
  return ns < 0n && ms * NS_PER_MS !== ns ? ms - 1n : ms;
}
