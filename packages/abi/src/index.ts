/**
 * `@evring/abi`: the Linux kernel ABI that evring speaks — io_uring, Linux AIO
 * and epoll structs, their constants and an errno table. Structs have
 * `DataView` codecs (the reference), and the SQEs and iocbs a hot path
 * writes have word writers on a `prep_rw`-style primitive, checked against
 * those codecs byte for byte. Pure TypeScript, no dependencies, no native code.
 *
 * @example
 * ```ts
 * import { POLLIN, decodeSqe, errnoName, layouts, prepPollAdd, sqeSetData } from '@evring/abi';
 * const sqes = new Uint32Array((4 * layouts.io_uring_sqe.size) / 4); // a ring's sqeWords
 * prepPollAdd(sqes, 64, 5, POLLIN); // the second slot
 * sqeSetData(sqes, 64, 42, 0);
 * decodeSqe(new DataView(sqes.buffer), 64).userData; // 42n
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
export * from './dirent/dirent64.js';
export * from './epoll/constants.js';
export * from './epoll/epoll-event.js';
export * from './errno.js';
export * from './fd-constants.js';
export * from './inotify/inotify.js';
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
export * from './stat/statx.js';
export * from './time/timespec.js';
export * from './u64.js';
