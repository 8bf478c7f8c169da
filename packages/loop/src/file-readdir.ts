/**
 * The pieces of `readdir` for `loop.fs.promises`: its options, the walk of
 * a directory's entries with getdents64(2), and the entries shaped as
 * `fs/promises`' `readdir` gives them (names sorted bytewise, as libuv's
 * scandir sorts them; `.` and `..` left out; `fs.Dirent`s with
 * `withFileTypes`).
 *
 * io_uring has no getdents operation. The directory is opened and closed
 * through the loop (by the kernel on io_uring), and its entries are read
 * with getdents64 on the loop's thread: microseconds for a directory in
 * the page cache, but a call that waits on a slow network filesystem, as
 * `readdirSync` does.
 *
 * @module
 */

import { Dirent } from 'node:fs';
import {
  DT_BLK,
  DT_CHR,
  DT_DIR,
  DT_FIFO,
  DT_LNK,
  DT_REG,
  DT_SOCK,
  DT_UNKNOWN,
  readDirents64,
} from '@evring/abi';
import { getdents64 } from '@evring/sys';
import { nameOptions } from './file-attributes.js';
import type { FileOpOptions } from './files.js';

/**
 * The options of `readdir`, as `fs/promises`' `readdir` takes them: the
 * names' encoding (`'utf8'` by default; `'buffer'` gives Buffers) and
 * `withFileTypes` (`fs.Dirent`s instead of names), and `recursive` (the
 * entries of every directory below too, as Node 20 walks them: see
 * `loop.fs.promises.readdir`). A string is the encoding alone.
 *
 * @example
 * ```ts
 * import { Loop, type ReaddirOptions } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * const asBytes: ReaddirOptions = { encoding: 'buffer' };
 * console.log(await fs.readdir('/etc', asBytes)); // Buffers
 * for (const entry of await fs.readdir('/etc', { withFileTypes: true })) {
 *   if (entry.isDirectory()) console.log(entry.name);
 * }
 * console.log(await fs.readdir('/etc/ssl', { recursive: true })); // paths below it, as 'certs/...'
 * ```
 */
export interface ReaddirOptions extends FileOpOptions {
  /** The names' encoding (default `'utf8'`); `'buffer'` gives Buffers. */
  encoding?: BufferEncoding | 'buffer' | null;
  /** `fs.Dirent`s instead of names (default false). */
  withFileTypes?: boolean;
  /** The entries below the directory's subdirectories too, as paths relative to it (default false). */
  recursive?: boolean;
}

/** @internal The options, checked before anything starts. */
export function readdirArguments(options: unknown): {
  encoding: BufferEncoding | 'buffer';
  withFileTypes: boolean;
  recursive: boolean;
} {
  const o = nameOptions(options) as ReaddirOptions;
  // A falsy encoding is none, and both flags read as Node reads them: any truthy value counts.
  return {
    encoding: o.encoding || 'utf8',
    withFileTypes: Boolean(o.withFileTypes),
    recursive: Boolean(o.recursive),
  };
}

/** One entry read: its name's bytes and its `DT_*` type. */
export interface RawEntry {
  name: Buffer;
  type: number;
}

/** Bytes asked of each getdents64 call: tens of entries. */
const BATCH = 32 * 1024;
const DOT = 0x2e;

/**
 * @internal Every entry of the directory open on `fd`, but `.` and `..`,
 * sorted bytewise by name as libuv's scandir sorts them (or, `sorted`
 * false, in the kernel's order, as a Dir reads them); `-errno` when
 * getdents64 fails.
 */
export function readEntries(fd: number, sorted = true): RawEntry[] | number {
  const out: RawEntry[] = [];
  const res = readBatch(fd, Buffer.allocUnsafe(BATCH), out, Number.POSITIVE_INFINITY);
  if (res < 0) return res;
  return sorted ? out.sort((a, b) => Buffer.compare(a.name, b.name)) : out;
}

/**
 * @internal Entries of the directory open on `fd`, but `.` and `..`, in
 * the kernel's order, appended to `out` until it holds `want` or the
 * directory ends (getdents64(2) into `buffer`, whole calls: `out` may
 * end up with more). 1 when more may follow, 0 at the end, `-errno`.
 */
export function readBatch(fd: number, buffer: Buffer, out: RawEntry[], want: number): number {
  const visit = (e: { name: Uint8Array; type: number }): void => {
    const n = e.name;
    if (n[0] === DOT && (n.length === 1 || (n.length === 2 && n[1] === DOT))) return;
    out.push({ name: Buffer.from(n), type: e.type });
  };
  while (out.length < want) {
    const n = getdents64(fd, buffer);
    if (n <= 0) return n;
    readDirents64(buffer, n, visit);
  }
  return 1;
}

/** libuv's uv_dirent_type_t, which `fs.Dirent` keeps, for each `DT_*`. */
const UV_DIRENT: Record<number, number> = {
  [DT_UNKNOWN]: 0,
  [DT_REG]: 1,
  [DT_DIR]: 2,
  [DT_LNK]: 3,
  [DT_FIFO]: 4,
  [DT_SOCK]: 5,
  [DT_CHR]: 6,
  [DT_BLK]: 7,
};

/** The `DT_*` of a `st_mode`: what `lstat` says of an entry the directory gave no type. */
export function typeOfMode(mode: number): number {
  switch (mode & 0o170000) {
    case 0o100000:
      return DT_REG;
    case 0o040000:
      return DT_DIR;
    case 0o120000:
      return DT_LNK;
    case 0o010000:
      return DT_FIFO;
    case 0o140000:
      return DT_SOCK;
    case 0o020000:
      return DT_CHR;
    case 0o060000:
      return DT_BLK;
    default:
      return DT_UNKNOWN;
  }
}

/** The name as the caller asked for it. */
export function entryName(entry: RawEntry, encoding: BufferEncoding | 'buffer'): string | Buffer {
  return encoding === 'buffer' ? entry.name : entry.name.toString(encoding);
}

/**
 * An `fs.Dirent`, the class `node:fs` gives, so that `instanceof` and its
 * methods work as in code written for `fs/promises`. Its constructor is
 * Node's own (name, libuv type, parent path), which `node:fs` calls itself.
 */
export function makeDirent(name: string | Buffer, type: number, parent: string): Dirent {
  const NodeDirent = Dirent as unknown as new (
    name: string | Buffer,
    type: number,
    path: string,
  ) => Dirent;
  return new NodeDirent(name, UV_DIRENT[type] ?? 0, parent);
}
