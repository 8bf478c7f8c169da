/**
 * inotify(7): an fd that becomes readable when watched files or
 * directories change. Watch it like any fd (an io watcher for READ), read
 * it with {@link read}, and decode what was read with `readInotifyEvents`
 * from `@evring/abi`.
 *
 * @module
 */

import { native } from './load.js';

/**
 * inotify_init1(2): a new inotify fd. `flags`: IN_NONBLOCK, IN_CLOEXEC (from
 * `@evring/abi`). `hold` as `eventfd`'s: held for the calling environment
 * until `claimFd` or `ownFd` takes it.
 *
 * @example
 * ```ts
 * import { IN_CLOEXEC, IN_NONBLOCK } from '@evring/abi';
 * import { close, inotifyInit1 } from '@evring/sys';
 * const fd = inotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
 * close(fd);
 * ```
 */
export const inotifyInit1: (flags: number, hold?: boolean) => number = native.inotifyInit1;

/**
 * inotify_add_watch(2): watches `path` for the IN_* events in `mask`;
 * returns the watch descriptor that events carry. Adding a path already
 * watched replaces its mask (or adds to it with IN_MASK_ADD). A path that
 * does not exist throws ENOENT with the path in the message.
 *
 * @example
 * ```ts
 * import { IN_CLOEXEC, IN_CREATE, IN_DELETE, IN_NONBLOCK, readInotifyEvents } from '@evring/abi';
 * import { close, inotifyAddWatch, inotifyInit1, read } from '@evring/sys';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * const dir = mkdtempSync('/tmp/evring-inotify-');
 * const fd = inotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
 * const wd = inotifyAddWatch(fd, dir, IN_CREATE | IN_DELETE);
 * writeFileSync(`${dir}/ready`, '');
 * const buf = new Uint8Array(4096);
 * const n = read(fd, buf); // in a real program: when an io watcher says the fd is readable
 * readInotifyEvents(buf, n); // [{ wd, mask: IN_CREATE, cookie: 0, name: 'ready' }]
 * close(fd);
 * ```
 */
export const inotifyAddWatch: (fd: number, path: string | Uint8Array, mask: number) => number =
  native.inotifyAddWatch;

/**
 * inotify_rm_watch(2): ends a watch; an IN_IGNORED event for `wd` follows.
 *
 * @example
 * ```ts
 * import { IN_CLOEXEC, IN_MODIFY } from '@evring/abi';
 * import { close, inotifyAddWatch, inotifyInit1, inotifyRmWatch } from '@evring/sys';
 * const fd = inotifyInit1(IN_CLOEXEC);
 * const wd = inotifyAddWatch(fd, '/tmp', IN_MODIFY);
 * inotifyRmWatch(fd, wd);
 * close(fd);
 * ```
 */
export const inotifyRmWatch: (fd: number, wd: number) => void = native.inotifyRmWatch;
