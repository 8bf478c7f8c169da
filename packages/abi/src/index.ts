/**
 * `@evring/abi`: the Linux kernel ABI that evring speaks — io_uring, Linux AIO
 * and epoll structs, their constants and an errno table — as `DataView`
 * codecs. Pure TypeScript, no dependencies, no native code.
 *
 * @example
 * ```ts
 * import { layouts, prepPollAdd, POLLIN, errnoName } from '@evring/abi';
 * const sqes = new DataView(new ArrayBuffer(4 * layouts.io_uring_sqe.size));
 * prepPollAdd(sqes, 0, 5, POLLIN, 42n);
 * errnoName(-62); // 'ETIME'
 * ```
 *
 * @packageDocumentation
 */

export * from './aio/constants.js';
export * from './aio/io-event.js';
export * from './aio/iocb.js';
export * from './aio/ring.js';
export { ARCH, EPOLL_EVENT_PACKED, LE, type SupportedArch } from './arch.js';
export * from './epoll/constants.js';
export * from './epoll/epoll-event.js';
export * from './errno.js';
export * from './fd-constants.js';
export * from './io-uring/constants.js';
export * from './io-uring/cqe.js';
export * from './io-uring/getevents-arg.js';
export * from './io-uring/params.js';
export * from './io-uring/probe.js';
export * from './io-uring/sqe.js';
export { defineStruct, type FieldLayout, type StructLayout } from './layout.js';
export { layouts, type StructName } from './layouts.js';
export * from './poll.js';
export * from './signalfd/siginfo.js';
export * from './time/timespec.js';
export * from './u64.js';
