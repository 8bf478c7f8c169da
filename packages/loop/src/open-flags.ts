/**
 * The arguments of file calls as Node takes them, checked and turned into
 * what the kernel takes: open flags ('r', 'w+', 'ax', …) as open(2) flags,
 * modes, paths, and a symlink's type.
 *
 * @module
 */

import { fileURLToPath } from 'node:url';
import {
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_RDWR,
  O_SYNC,
  O_TRUNC,
  O_WRONLY,
} from '@evring/abi';
import { checkInt, invalidSymlinkType, invalidType, invalidValue } from './errors.js';

/**
 * Flags as `fs.open` takes them: a string ('r', 'r+', 'w', 'wx', 'a+', …)
 * or open(2) flags as a number. O_CLOEXEC is always added, as Node does.
 *
 * @example
 * ```ts
 * import { Loop, type OpenFlags } from '@evring/loop';
 * const flags: OpenFlags = 'a+';
 * const fh = await new Loop().fs.promises.open('/tmp/log', flags);
 * await fh.close();
 * ```
 */
export type OpenFlags = string | number;

/**
 * A path as `fs` takes one: a string, a Buffer of bytes, or a `file:` URL.
 *
 * @example
 * ```ts
 * import { Loop, type PathLike } from '@evring/loop';
 * const where: PathLike = new URL('file:///etc/hostname');
 * console.log((await new Loop().fs.promises.stat(where)).size);
 * ```
 */
export type PathLike = string | Uint8Array | URL;

const STRING_FLAGS: Record<string, number> = {
  r: O_RDONLY,
  rs: O_RDONLY | O_SYNC,
  sr: O_RDONLY | O_SYNC,
  'r+': O_RDWR,
  'rs+': O_RDWR | O_SYNC,
  'sr+': O_RDWR | O_SYNC,
  w: O_TRUNC | O_CREAT | O_WRONLY,
  wx: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  xw: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'w+': O_TRUNC | O_CREAT | O_RDWR,
  'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  'xw+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  a: O_APPEND | O_CREAT | O_WRONLY,
  ax: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  xa: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  as: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  sa: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  'a+': O_APPEND | O_CREAT | O_RDWR,
  'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'xa+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'as+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
  'sa+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
};

/** open(2) flags for `flags`, with O_CLOEXEC. */
export function openFlags(flags: unknown): number {
  if (flags === undefined || flags === null) return O_RDONLY | O_CLOEXEC;
  // A number is any int32, as Node's stringToFlags takes it. Passed on as
  // its 32 bits, unsigned (the operation's length field), so that every
  // backend hands the kernel the same flags a negative number stands for.
  if (typeof flags === 'number')
    return (checkInt('flags', flags, -(2 ** 31), 2 ** 31 - 1) | O_CLOEXEC) >>> 0;
  if (typeof flags === 'string') {
    const f = STRING_FLAGS[flags];
    if (f !== undefined) return f | O_CLOEXEC;
  }
  throw invalidValue('flags', "is not a flag string ('r', 'w+', 'ax', …) or a number", flags);
}

/**
 * A mode as Node's parseFileMode takes one: a 32-bit unsigned integer or an
 * octal string, checked in Node's words. The permission bits are what the
 * kernel keeps of it (S_IALLUGO), so only they are passed on.
 */
export function fileMode(mode: unknown, fallback: number): number {
  if (mode === undefined || mode === null) return fallback;
  let m = mode;
  if (typeof m === 'string') {
    if (!/^[0-7]+$/.test(m)) {
      throw invalidValue('mode', 'must be a 32-bit unsigned integer or an octal string', mode);
    }
    m = Number.parseInt(m, 8);
  }
  return checkInt('mode', m, 0, 2 ** 32 - 1) & 0o7777;
}

/** The path's bytes as the kernel takes them (UTF-8 for a string); a NUL inside is refused as Node refuses it. */
export function pathBytes(name: string, path: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (typeof path === 'string') bytes = Buffer.from(path, 'utf8');
  else if (path instanceof Uint8Array && ArrayBuffer.isView(path))
    bytes = path; // a real one
  else if (path instanceof URL) bytes = Buffer.from(fileURLToPath(path), 'utf8');
  else throw invalidType(name, 'of type string or an instance of Buffer or URL', path);
  if (bytes.indexOf(0) >= 0) {
    throw invalidValue(name, 'must be a string, Uint8Array, or URL without null bytes', path); // Node's words
  }
  return bytes;
}

/** The path as a string, for error messages. */
export function pathString(path: PathLike): string {
  if (typeof path === 'string') return path;
  if (path instanceof URL) return fileURLToPath(path);
  return Buffer.from(path).toString('utf8');
}

/**
 * The `type` of `symlink`, as Node takes it: it matters on Windows only
 * (a link to a directory, to a file, or an NTFS junction); on Linux every
 * symbolic link is the same.
 *
 * @example
 * ```ts
 * import { Loop, type SymlinkType } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * const type: SymlinkType = 'file';
 * await fs.symlink('/etc/hostname', '/tmp/evring-hostname-link', type);
 * await fs.unlink('/tmp/evring-hostname-link');
 * ```
 */
export type SymlinkType = 'file' | 'dir' | 'junction';

/**
 * @internal A symlink's `type` checked as Node checks it, after both paths:
 * a string must be one of three; anything else is no type at all.
 */
export function checkSymlinkType(type: unknown): void {
  if (typeof type !== 'string') return;
  if (type !== 'file' && type !== 'dir' && type !== 'junction') throw invalidSymlinkType(type);
}
