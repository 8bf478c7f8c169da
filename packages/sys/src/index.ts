/**
 * `@evring/sys`: the Linux syscalls an event loop needs, from Node.js —
 * io_uring with its rings mapped as ArrayBuffers, Linux AIO with its
 * completion ring, epoll, eventfd, timerfd, signalfd, inotify, terminal settings, a signal
 * relay, pipes, a file's attributes and names (access, chmod, chown, utimes,
 * readlink, realpath), and watching an fd from Node's own event loop.
 *
 * Conventions: hot calls (`IoUring.enter`, `ioSubmit`/`AioContext.submit`,
 * `getevents`, `cancel`, `epollWait`, `epollCtl`, `read`, `write`, `send`,
 * `recv`, `eventfdRead`, `eventfdWrite`) return `-errno` and never throw for
 * a failed syscall; everything else throws errors shaped like Node's own
 * (`code`, `errno`, `syscall`). Bad arguments throw TypeError/RangeError.
 * No argument, however wrong, makes sys touch memory it does not own, and
 * no resource is ever reached through an fd number that may have been closed
 * and reused behind sys's back: rings, AIO contexts, fd watchers and signal
 * relays each hold their own reference to their file.
 *
 * @packageDocumentation
 */

export { AioContext, ioCancel, ioDestroy, ioGetevents, ioSetup, ioSubmit } from './aio.js';
export { clockMonotonic, monotonicMs } from './clock.js';
export {
  resetSyscallCounts,
  syscallCountNames,
  syscallCounts,
  syscallCountsInto,
} from './counters.js';
export { epollCreate1, epollCtl, epollWait } from './epoll.js';
export {
  FdPoll,
  type FdPollConstructor,
  type FdPollOptions,
  UV_DISCONNECT,
  UV_PRIORITIZED,
  UV_READABLE,
  UV_WRITABLE,
} from './fd-poll.js';
export {
  type Bytes,
  claimFd,
  close,
  closeOwned,
  disownFd,
  disownIfClosed,
  dup,
  dup2,
  eventfd,
  eventfdRead,
  eventfdWrite,
  fcntl,
  fileIoSync,
  getdents64,
  getrlimitNofile,
  ioNowait,
  kernelRelease,
  openpty,
  ownedFdCount,
  ownFd,
  pipe2,
  read,
  recv,
  send,
  setCloexec,
  setNonblocking,
  setrlimitNofile,
  signalfd,
  socketpair,
  timerfdCreate,
  timerfdGettime,
  timerfdSettime,
  write,
} from './fds.js';
export {
  access,
  chmod,
  chown,
  fchmod,
  fchown,
  ficlone,
  futimes,
  type PathArgument,
  readlink,
  realpath,
  statfs,
  utimes,
} from './file-attrs.js';
export { type HotCallEntry, hotCallEntry } from './hot-call-entry.js';
export { inotifyAddWatch, inotifyInit1, inotifyRmWatch } from './inotify.js';
export { IoUring, type IoUringOptions } from './io-uring.js';
export { type PinnedAllocation, pinnedAlloc, pinnedFree, pinnedStats } from './memory.js';
export { loadAcquire, storeRelease } from './ring-words.js';
export { signalRelayAdd, signalRelayRemove, signalRelayTake } from './signal-relay.js';
export { statxInline } from './statx-inline.js';
export { ttyRestore, ttySetRaw, ttySpeed } from './tty.js';
