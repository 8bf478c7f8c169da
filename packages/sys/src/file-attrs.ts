/**
 * A file's attributes and names, asked of or set on a path or an fd:
 * access(2), chmod(2), chown(2), utimensat(2), readlink(2) and
 * realpath(3); its filesystem's statfs(2); and a file's data cloned into
 * another (`ficlone`). io_uring
 * has no operation for any of them, so each is one
 * direct call on the calling thread (microseconds on a local filesystem; a
 * slow network filesystem makes it wait, as Node's `*Sync` calls do).
 *
 * Like {@link fileIoSync}, each returns `0` (or a byte count) or `-errno`,
 * and throws only for a bad argument (`TypeError`/`RangeError`): the caller
 * words the error, with the path it was given. A path is a string (UTF-8)
 * or its bytes, without NUL; an empty one is the kernel's to answer
 * (`-ENOENT`).
 *
 * @module
 */

import type { Bytes } from './fds.js';
import { native } from './load.js';

/**
 * A path as the kernel takes it: a string (UTF-8) or its bytes.
 *
 * @example
 * ```ts
 * import { access, type PathArgument } from '@evring/sys';
 * const path: PathArgument = Buffer.from('/etc/hostname'); // or '/etc/hostname'
 * access(path, 0); // 0: it exists
 * ```
 */
export type PathArgument = string | Uint8Array;

/**
 * access(2) of the real user and group: `mode` F_OK (0) or any of R_OK
 * (4), W_OK (2), X_OK (1).
 *
 * @example
 * ```ts
 * import { constants } from 'node:fs';
 * import { access } from '@evring/sys';
 * access('/etc/hostname', constants.R_OK); // 0
 * access('/etc/evring-none', constants.F_OK); // -2 (ENOENT)
 * ```
 */
export const access: (path: PathArgument, mode: number) => number = native.access;

/**
 * chmod(2): the permission bits `mode` (0 … 0o7777).
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { chmod } from '@evring/sys';
 * writeFileSync('/tmp/evring-chmod-example', '');
 * chmod('/tmp/evring-chmod-example', 0o640); // 0
 * chmod('/tmp/evring-none/x', 0o640); // -2 (ENOENT)
 * ```
 */
export const chmod: (path: PathArgument, mode: number) => number = native.chmod;

/**
 * fchmod(2): as {@link chmod}, on an open file.
 *
 * @example
 * ```ts
 * import { closeSync, openSync } from 'node:fs';
 * import { fchmod } from '@evring/sys';
 * const fd = openSync('/tmp/evring-fchmod-example', 'w');
 * fchmod(fd, 0o600);
 * closeSync(fd);
 * ```
 */
export const fchmod: (fd: number, mode: number) => number = native.fchmod;

/**
 * chown(2): owner `uid` and group `gid` (−1 leaves one as it is); with
 * `noFollow`, of a symbolic link itself (lchown(2)).
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { chown } from '@evring/sys';
 * writeFileSync('/tmp/evring-chown-example', '');
 * chown('/tmp/evring-chown-example', 1000, -1); // the owner only (-EPERM unless root)
 * chown('/tmp/evring-chown-example', -1, -1, true); // nothing changed; of a link, the link itself
 * ```
 */
export const chown: (path: PathArgument, uid: number, gid: number, noFollow?: boolean) => number =
  native.chown;

/**
 * fchown(2): as {@link chown}, on an open file.
 *
 * @example
 * ```ts
 * import { closeSync, openSync } from 'node:fs';
 * import { fchown } from '@evring/sys';
 * const fd = openSync('/tmp/evring-fchown-example', 'w');
 * fchown(fd, 1000, 1000);
 * closeSync(fd);
 * ```
 */
export const fchown: (fd: number, uid: number, gid: number) => number = native.fchown;

/**
 * utimensat(2): access and modification times in seconds since the epoch,
 * to the microsecond (as libuv sets them); with `noFollow`, of a symbolic
 * link itself. A time no 64-bit count of seconds holds, NaN among them, is
 * `-EINVAL`.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { utimes } from '@evring/sys';
 * writeFileSync('/tmp/evring-utimes-example', '');
 * utimes('/tmp/evring-utimes-example', Date.now() / 1000, 1.5); // 0: mtime 1.5 s after the epoch
 * ```
 */
export const utimes: (
  path: PathArgument,
  atime: number,
  mtime: number,
  noFollow?: boolean,
) => number = native.utimes;

/**
 * futimens(2): as {@link utimes}, on an open file.
 *
 * @example
 * ```ts
 * import { closeSync, openSync } from 'node:fs';
 * import { futimes } from '@evring/sys';
 * const fd = openSync('/tmp/evring-futimes-example', 'w');
 * futimes(fd, 0, 0);
 * closeSync(fd);
 * ```
 */
export const futimes: (fd: number, atime: number, mtime: number) => number = native.futimes;

/**
 * readlink(2): the target of the symbolic link `path` into
 * `buffer[offset .. offset+length)`; its byte count (no NUL is written), or
 * `-ENAMETOOLONG` when the target fills the whole range (it may have been
 * cut short: PATH_MAX, 4096 bytes, always holds one).
 *
 * @example
 * ```ts
 * import { readlink } from '@evring/sys';
 * const buf = Buffer.alloc(4096);
 * const n = readlink('/proc/self/exe', buf);
 * if (n >= 0) console.log(buf.toString('utf8', 0, n));
 * ```
 */
export const readlink: (
  path: PathArgument,
  buffer: Bytes,
  offset?: number,
  length?: number,
) => number = native.readlink;

/**
 * realpath(3): the canonical absolute path of `path` (symbolic links, `.`
 * and `..` resolved), into the range as {@link readlink}; `-ENAMETOOLONG`
 * when it does not fit with a byte to spare.
 *
 * @example
 * ```ts
 * import { realpath } from '@evring/sys';
 * const buf = Buffer.alloc(4096);
 * const n = realpath('/proc/self/cwd/..', buf);
 * if (n >= 0) console.log(buf.toString('utf8', 0, n));
 * ```
 */
export const realpath: (
  path: PathArgument,
  buffer: Bytes,
  offset?: number,
  length?: number,
) => number = native.realpath;

/**
 * statfs(2) of the filesystem `path` is on, written into `buffer` (from
 * `offset`, `length` bytes; at least 56) as seven unsigned 64-bit
 * little-endian words, in the order of Node's `fs.StatFs`: type (the
 * filesystem's magic number), bsize, blocks, bfree, bavail, files, ffree.
 * `0`, or `-errno`.
 *
 * @example
 * ```ts
 * import { statfs } from '@evring/sys';
 * const words = new BigUint64Array(7);
 * statfs('/proc', words); // 0
 * words[0] === 0x9fa0n; // true: proc's magic number
 * ```
 */
export const statfs: (
  path: PathArgument,
  buffer: Bytes,
  offset?: number,
  length?: number,
) => number = native.statfs;

/**
 * ioctl(FICLONE): the file open as `to` shares the data of the file open
 * as `from` (a reflink, on btrfs or xfs); `-EOPNOTSUPP`, `-EXDEV` or
 * `-EINVAL` where the filesystem cannot, and the caller copies the bytes.
 *
 * @example
 * ```ts
 * import { closeSync, openSync } from 'node:fs';
 * import { ficlone } from '@evring/sys';
 * const from = openSync('/etc/hostname', 'r');
 * const to = openSync('/tmp/evring-clone', 'w');
 * if (ficlone(to, from) < 0) console.log('no reflinks here: copy the bytes');
 * closeSync(from);
 * closeSync(to);
 * ```
 */
export const ficlone: (to: number, from: number) => number = native.ficlone;
