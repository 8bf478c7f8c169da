/**
 * The syscalls backends make, as one injectable object. Backends never import
 * @evring/sys directly: they receive a {@link SysCalls}, so a test can make
 * any call fail with any errno at any point (see `FaultInjector` in
 * `@evring/backend/testing`).
 *
 * @module
 */

import * as sys from '@evring/sys';

/**
 * Every @evring/sys call a backend may use, with sys's conventions (hot calls return -errno).
 *
 * @example
 * ```ts
 * import { type SysCalls, realSys } from '@evring/backend';
 * const counting: SysCalls = { ...realSys, close: (fd) => { console.log('close', fd); realSys.close(fd); } };
 * ```
 */
export interface SysCalls {
  epollCreate1: typeof sys.epollCreate1;
  epollCtl: typeof sys.epollCtl;
  epollWait: typeof sys.epollWait;
  eventfd: typeof sys.eventfd;
  eventfdRead: typeof sys.eventfdRead;
  eventfdWrite: typeof sys.eventfdWrite;
  timerfdCreate: typeof sys.timerfdCreate;
  timerfdSettime: typeof sys.timerfdSettime;
  close: typeof sys.close;
  /** Ties an fd the backend made to the calling environment (closed when a worker ends). */
  ownFd: typeof sys.ownFd;
  read: typeof sys.read;
  write: typeof sys.write;
  /** `IoUring.setup`. */
  ioUringSetup: (entries: number, options?: sys.IoUringOptions) => sys.IoUring;
  /** `ring.enter(...)`: publishes the SQ tail and enters; the count or `-errno`. */
  ioUringEnter: (
    ring: sys.IoUring,
    toSubmit: number,
    minComplete: number,
    flags: number,
    timeoutMs?: number,
  ) => number;
  /** `ring.register(...)`; throws on failure. */
  ioUringRegister: (
    ring: sys.IoUring,
    opcode: number,
    arg: ArrayBufferView | null,
    nrArgs: number,
  ) => number;
  pinnedAlloc: typeof sys.pinnedAlloc;
  pinnedFree: typeof sys.pinnedFree;
  ioSetup: typeof sys.ioSetup;
  ioDestroy: typeof sys.ioDestroy;
  ioSubmit: typeof sys.ioSubmit;
  ioCancel: typeof sys.ioCancel;
  ioGetevents: typeof sys.ioGetevents;
  kernelRelease: typeof sys.kernelRelease;
  /** Whether a statx is answered from memory (io_uring then makes it at once, not in a kernel worker). */
  statxInline: typeof sys.statxInline;
}

/**
 * The names of the hot calls: they report failure as a `-errno` return, never by throwing.
 *
 * @example
 * ```ts
 * import { HOT_CALLS } from '@evring/backend';
 * HOT_CALLS.has('epollWait'); // true: returns -errno
 * HOT_CALLS.has('epollCreate1'); // false: throws
 * ```
 */
export const HOT_CALLS: ReadonlySet<keyof SysCalls> = new Set<keyof SysCalls>([
  'epollCtl',
  'epollWait',
  'eventfdRead',
  'eventfdWrite',
  'read',
  'write',
  'ioUringEnter',
  'ioSubmit',
  'ioCancel',
  'ioGetevents',
]);

/**
 * The real syscalls.
 *
 * @example
 * ```ts
 * import { Poller, realSys, type BackendFactory } from '@evring/backend';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * new Poller(epollBackend, () => {}, { sys: realSys }).destroy(); // the default
 * ```
 */
export const realSys: SysCalls = Object.freeze<SysCalls>({
  epollCreate1: sys.epollCreate1,
  epollCtl: sys.epollCtl,
  epollWait: sys.epollWait,
  eventfd: sys.eventfd,
  eventfdRead: sys.eventfdRead,
  eventfdWrite: sys.eventfdWrite,
  timerfdCreate: sys.timerfdCreate,
  timerfdSettime: sys.timerfdSettime,
  close: sys.close,
  ownFd: sys.ownFd,
  read: sys.read,
  write: sys.write,
  ioUringSetup: (entries, options) => sys.IoUring.setup(entries, options),
  ioUringEnter: (ring, toSubmit, minComplete, flags, timeoutMs) =>
    ring.enter(toSubmit, minComplete, flags, timeoutMs),
  ioUringRegister: (ring, opcode, arg, nrArgs) => ring.register(opcode, arg, nrArgs),
  pinnedAlloc: sys.pinnedAlloc,
  pinnedFree: sys.pinnedFree,
  ioSetup: sys.ioSetup,
  ioDestroy: sys.ioDestroy,
  ioSubmit: sys.ioSubmit,
  ioCancel: sys.ioCancel,
  ioGetevents: sys.ioGetevents,
  kernelRelease: sys.kernelRelease,
  statxInline: sys.statxInline,
});
