/**
 * `@evring/backend-linuxaio`: libev's Linux AIO (IOCB_CMD_POLL) backend
 * re-built on `@evring/sys`, with a generation-tagged `aio_data`, batched
 * submissions, completions read from the mapped ring, per-fd and whole-backend
 * fallback to an embedded epoll, and an eventfd that makes it embeddable.
 *
 * @packageDocumentation
 */
export { contextSize } from './context-size.js';
export { atLeast, parseRelease } from './kernel-version.js';
export { LinuxAioBackend, type LinuxAioOptions, linuxaioBackend } from './linuxaio-backend.js';
