/**
 * `@evring/backend`: the contract every evring backend implements (libev's
 * backend shape), the fd table they share with their owner, the event model,
 * the injectable syscall interface, and {@link Poller}, the owner side.
 * The conformance suite every backend runs is in `@evring/backend/testing`.
 *
 * @example
 * ```ts
 * import { Poller, READ, type BackendFactory } from '@evring/backend';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * const poller = new Poller(epollBackend, (fd, revents) => console.log(fd, revents));
 * poller.set(0, READ);
 * poller.poll(100);
 * poller.destroy();
 * ```
 *
 * @packageDocumentation
 */

export {
  type Backend,
  type BackendFactory,
  type BackendName,
  type BackendOptions,
  type BackendOwner,
  BackendUnavailableError,
  createBackend,
} from './backend.js';
export {
  describeEvents,
  EDGE,
  ERROR,
  INTEREST_MASK,
  IO_EVENTS,
  PRI,
  READ,
  WRITE,
} from './events.js';
export { FdTable, REIFY_FDSET, REIFY_PENDING } from './fd-table.js';
export { closeTolerant, fromPollMask, growToCover, ownedFd, toPollMask } from './helpers.js';
export {
  checkOpArguments,
  IOVEC_SIZE,
  isDataOp,
  isPathOp,
  isReadOp,
  MAX_IOVECS,
  OP_CLOSE,
  OP_FDATASYNC,
  OP_FSYNC,
  OP_FTRUNCATE,
  OP_LINKAT,
  OP_MKDIRAT,
  OP_OPENAT,
  OP_READ,
  OP_READV,
  OP_RENAMEAT,
  OP_STATX,
  OP_SYMLINKAT,
  OP_UNLINKAT,
  OP_WRITE,
  OP_WRITEV,
  type OpCode,
  type OpCompletionHandler,
  type Operations,
  type PinnedMemory,
  STATX_SIZE,
} from './ops.js';
export { type FdEventHandler, KILLED, Poller, type PollerOptions } from './poller.js';
export { HOT_CALLS, realSys, type SysCalls } from './syscalls.js';
export { WaitDeadline } from './wait-deadline.js';
