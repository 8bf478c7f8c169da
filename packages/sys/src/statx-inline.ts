/**
 * Whether a statx(2) would be answered from memory, so that it may be made
 * on the calling thread instead of being handed to a kernel worker (where
 * io_uring always sends STATX: about 100 µs a trip, against a few µs for
 * the call).
 *
 * @module
 */

import type { PathArgument } from './file-attrs.js';
import { native } from './load.js';

/**
 * True when a statx of `path` relative to `dirfd` (AT_FDCWD: −100), with
 * statx's `flags` (AT_EMPTY_PATH and an empty path: `dirfd` itself;
 * AT_SYMLINK_NOFOLLOW: a link itself), cannot wait: the path resolves from
 * the kernel's dentry cache alone (openat2 with RESOLVE_CACHED, Linux 5.12
 * and later) and the file lives on a filesystem that keeps its attributes
 * in memory (ext4, xfs, btrfs, f2fs, tmpfs, ramfs, overlayfs, proc, sysfs,
 * cgroup2, devpts, and the pipes', sockets' and anonymous inodes' own).
 * False otherwise, and for any error (a missing path, a bad fd, an older
 * kernel): the statx itself then says what it says. Changes nothing; the
 * O_PATH fd it may open is closed before it returns.
 *
 * @example
 * ```ts
 * import { AT_EMPTY_PATH, AT_FDCWD } from '@evring/abi';
 * import { statxInline } from '@evring/sys';
 * import { closeSync, openSync, statSync } from 'node:fs';
 * statSync('/proc/self'); // looked up once: now in the dentry cache
 * statxInline(AT_FDCWD, '/proc/self', 0); // true
 * statxInline(AT_FDCWD, '/no/such/path', 0); // false: the statx answers ENOENT itself
 * const ns = openSync('/proc/self/ns/net', 'r'); // on nsfs, not listed
 * statxInline(ns, '', AT_EMPTY_PATH); // false
 * closeSync(ns);
 * ```
 */
export const statxInline: (dirfd: number, path: PathArgument, flags: number) => boolean =
  native.statxInline;
