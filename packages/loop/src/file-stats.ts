/**
 * What `loop.fs.stat()` and its kin give: the fields of Node's `fs.Stats`
 * (numbers, not bigints), decoded from the kernel's `struct statx`.
 *
 * @module
 */

import type { Statx } from '@evring/abi';

const S_IFMT = 0o170000;

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
    // STATX_BTIME (0x800) is set in the mask only when the filesystem gave one.
    this.birthtimeMs = (s.mask & 0x800) !== 0 ? s.btimeMs : s.ctimeMs;
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
