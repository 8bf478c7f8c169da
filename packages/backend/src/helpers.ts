/**
 * Small pieces every backend needs: the translation between evring's event
 * bits and poll(2) masks (io_uring and AIO both poll with them), per-fd
 * typed arrays that grow to cover an fd, and a close that tolerates an fd
 * already closed behind the backend's back.
 *
 * @module
 */

import { isSystemError, POLLERR, POLLHUP, POLLIN, POLLOUT, POLLPRI } from '@evring/abi';
import { PRI, READ, WRITE } from './events.js';
import type { SysCalls } from './syscalls.js';

/**
 * READ | WRITE | PRI as a poll(2) mask (POLLIN | POLLOUT | POLLPRI).
 *
 * @example
 * ```ts
 * import { READ, WRITE, toPollMask } from '@evring/backend';
 * import { POLLIN, POLLOUT } from '@evring/abi';
 * toPollMask(READ | WRITE) === (POLLIN | POLLOUT); // true
 * ```
 */
export function toPollMask(events: number): number {
  let m = 0;
  if (events & READ) m |= POLLIN;
  if (events & WRITE) m |= POLLOUT;
  if (events & PRI) m |= POLLPRI;
  return m;
}

/**
 * A poll(2) result as evring events: POLLERR and POLLHUP count as READ | WRITE, as libev does.
 *
 * @example
 * ```ts
 * import { READ, WRITE, fromPollMask } from '@evring/backend';
 * import { POLLHUP } from '@evring/abi';
 * fromPollMask(POLLHUP) === (READ | WRITE); // true: a hang-up wakes readers and writers
 * ```
 */
export function fromPollMask(mask: number): number {
  let r = 0;
  if (mask & (POLLIN | POLLERR | POLLHUP)) r |= READ;
  if (mask & (POLLOUT | POLLERR | POLLHUP)) r |= WRITE;
  if (mask & POLLPRI) r |= PRI;
  return r;
}

/**
 * A copy of `arr` with room for index `fd` (sizes double); `arr` itself when it already fits.
 *
 * @example
 * ```ts
 * import { growToCover } from '@evring/backend';
 * let gen = new Uint32Array(8);
 * gen = growToCover(gen, 100); // length 128, old entries kept
 * gen[100] = 1;
 * ```
 */
export function growToCover<T extends Uint8Array | Uint32Array | Int32Array>(
  arr: T,
  fd: number,
): T {
  if (fd < arr.length) return arr;
  let size = Math.max(8, arr.length);
  while (size <= fd) size *= 2;
  const next = new (arr.constructor as new (n: number) => T)(size);
  next.set(arr);
  return next;
}

/**
 * `fd`, just made, tied to the calling environment (`ownFd` of
 * `@evring/sys`): a worker that ends without destroying the backend does not
 * leave it open. When the tie cannot be made (EMFILE: the duplicate it needs),
 * `fd` is closed and the error thrown. Make `fd` with the creator's `hold`
 * argument (`eventfd`, `epollCreate1`, `timerfdCreate`, `dup`): sys then
 * holds it from the moment it exists, and the tie takes the hold over, so
 * no moment between the two calls leaves it without an owner.
 *
 * @example
 * ```ts
 * import { ownedFd, realSys } from '@evring/backend';
 * const fd = ownedFd(realSys, realSys.eventfd(0, 0, true));
 * realSys.close(fd); // the tie ends with the close
 * ```
 */
export function ownedFd(sys: SysCalls, fd: number): number {
  try {
    sys.ownFd(fd);
  } catch (err) {
    sys.close(fd);
    throw err;
  }
  return fd;
}

/**
 * Closes `fd`, ignoring EBADF (already closed elsewhere); other errors propagate.
 *
 * @example
 * ```ts
 * import { closeTolerant, realSys } from '@evring/backend';
 * import { eventfd, close } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * close(fd);
 * closeTolerant(realSys, fd); // EBADF is ignored; other errors throw
 * ```
 */
export function closeTolerant(sys: SysCalls, fd: number): void {
  try {
    sys.close(fd);
  } catch (err) {
    if (!isSystemError(err, 'EBADF')) throw err;
  }
}
