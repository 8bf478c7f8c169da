/**
 * `@evring/backend-iouring`: libev's io_uring backend re-built on
 * `@evring/sys` with what 5.x/6.x kernels offer — single mmap, EXT_ARG
 * timeouts, NODROP, multishot poll for EDGE watchers, poll updates, CQSIZE —
 * each detected at run time and each with a fallback.
 *
 * @packageDocumentation
 */
export {
  IoUringBackend,
  type IoUringConfig,
  type IoUringOptions,
  iouringBackend,
  type WaitMode,
} from './iouring-backend.js';
