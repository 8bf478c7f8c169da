/**
 * Every kernel struct evring encodes, keyed by its kernel name, for the
 * running arch. The codecs read their offsets from the same objects.
 *
 * @module
 */

import { io_event } from './aio/io-event.js';
import { iocb } from './aio/iocb.js';
import { aio_ring } from './aio/ring.js';
import { epoll_event } from './epoll/epoll-event.js';
import { inotify_event } from './inotify/inotify.js';
import { io_uring_cqe } from './io-uring/cqe.js';
import { io_uring_getevents_arg } from './io-uring/getevents-arg.js';
import { io_cqring_offsets, io_sqring_offsets, io_uring_params } from './io-uring/params.js';
import { io_uring_probe, io_uring_probe_op } from './io-uring/probe.js';
import { io_uring_sqe } from './io-uring/sqe.js';
import { signalfd_siginfo } from './signalfd/siginfo.js';
import { statx } from './stat/statx.js';
import { __kernel_timespec, itimerspec } from './time/timespec.js';

/**
 * `{ size, fields: { <kernel field name>: { offset, size } } }` for each
 * struct, union aliases included.
 *
 * @example
 * ```ts
 * import { layouts } from '@evring/abi';
 * layouts.io_uring_sqe.fields.user_data; // { offset: 32, size: 8 }
 * layouts.epoll_event.size;              // 12 on x86_64, 16 on aarch64
 * ```
 */
export const layouts = Object.freeze({
  io_uring_sqe,
  io_uring_cqe,
  io_sqring_offsets,
  io_cqring_offsets,
  io_uring_params,
  io_uring_getevents_arg,
  io_uring_probe,
  io_uring_probe_op,
  __kernel_timespec,
  itimerspec,
  iocb,
  io_event,
  aio_ring,
  epoll_event,
  signalfd_siginfo,
  inotify_event,
  statx,
});

/**
 * The names of the structs in {@link layouts}.
 *
 * @example
 * ```ts
 * import { type StructName, layouts } from '@evring/abi';
 * const name: StructName = 'io_uring_sqe';
 * layouts[name].size; // 64
 * ```
 */
export type StructName = keyof typeof layouts;
