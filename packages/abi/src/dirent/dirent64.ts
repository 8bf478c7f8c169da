/**
 * `struct linux_dirent64`: the variable-length records getdents64(2) fills
 * a buffer with, one per directory entry. Walk them with
 * {@link readDirents64}.
 *
 * @module
 */

import { getU64 } from '../u64.js';

/** Offset of `d_ino` (u64): the entry's inode number. */
export const DIRENT64_INO = 0;
/** Offset of `d_off` (s64): the directory position after this entry. */
export const DIRENT64_OFF = 8;
/** Offset of `d_reclen` (u16): this record's length, padding included. */
export const DIRENT64_RECLEN = 16;
/** Offset of `d_type` (u8): one of the `DT_*` values. */
export const DIRENT64_TYPE = 18;
/** Offset of `d_name`: the name, NUL-terminated inside the record. */
export const DIRENT64_NAME = 19;

/** d_type: the filesystem does not say (ask `lstat`). */
export const DT_UNKNOWN = 0;
/** d_type: a named pipe. */
export const DT_FIFO = 1;
/** d_type: a character device. */
export const DT_CHR = 2;
/** d_type: a directory. */
export const DT_DIR = 4;
/** d_type: a block device. */
export const DT_BLK = 6;
/** d_type: a regular file. */
export const DT_REG = 8;
/** d_type: a symbolic link. */
export const DT_LNK = 10;
/** d_type: a Unix domain socket. */
export const DT_SOCK = 12;

/**
 * One decoded directory entry. `name` is a view into the buffer that was
 * read: copy it before that buffer is filled again.
 *
 * @example
 * ```ts
 * import { DT_DIR, type Dirent64 } from '@evring/abi';
 * const entry: Dirent64 = { ino: 2, type: DT_DIR, name: new TextEncoder().encode('..') };
 * ```
 */
export interface Dirent64 {
  /** The inode number (exact below 2^53). */
  ino: number;
  /** One of the `DT_*` values. */
  type: number;
  /** The name's bytes, without its NUL. */
  name: Uint8Array;
}

/**
 * Calls `visit` for each record in `bytes[0 .. length)`, as getdents64(2)
 * filled it, in order. A record that does not fit the range, or says it is
 * shorter than its header, ends the walk with a RangeError: the bytes did
 * not come from the kernel.
 *
 * @example
 * ```ts
 * import { readDirents64 } from '@evring/abi';
 * // After `const n = getdents64(fd, buf)` (@evring/sys) returned n > 0:
 * declare const buf: Uint8Array, n: number;
 * readDirents64(buf, n, (e) => console.log(new TextDecoder().decode(e.name), e.type));
 * ```
 */
export function readDirents64(
  bytes: Uint8Array,
  length: number,
  visit: (entry: Dirent64) => void,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (length > bytes.byteLength) throw new RangeError('length is past the buffer');
  let at = 0;
  while (at < length) {
    if (at + DIRENT64_NAME > length) throw new RangeError(`a record's header at ${at} is cut`);
    const reclen = view.getUint16(at + DIRENT64_RECLEN, true);
    if (reclen <= DIRENT64_NAME || at + reclen > length) {
      throw new RangeError(`a record at ${at} says it is ${reclen} bytes long`);
    }
    const nameStart = at + DIRENT64_NAME;
    const nul = bytes.indexOf(0, nameStart);
    const nameEnd = nul < 0 || nul > at + reclen ? at + reclen : nul;
    visit({
      ino: getU64(view, at + DIRENT64_INO),
      type: view.getUint8(at + DIRENT64_TYPE),
      name: bytes.subarray(nameStart, nameEnd),
    });
    at += reclen;
  }
}
