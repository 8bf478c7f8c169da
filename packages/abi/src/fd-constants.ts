/**
 * Flags of the fd-creating calls that @evring/sys exposes (eventfd, timerfd,
 * signalfd, pipe2, socketpair, fcntl), with their generic Linux values
 * (identical on x86_64 and aarch64).
 *
 * @module
 */

/**
 * File status flag: calls return EAGAIN instead of blocking.
 *
 * @example
 * ```ts
 * import { O_CLOEXEC, O_NONBLOCK } from '@evring/abi';
 * import { close, pipe2 } from '@evring/sys';
 * const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
 * close(r); close(w);
 * ```
 */
export const O_NONBLOCK = 0o4000;
/**
 * fd flag at creation: close the fd on exec.
 *
 * @example
 * ```ts
 * import { O_CLOEXEC } from '@evring/abi';
 * import { close, pipe2 } from '@evring/sys';
 * const [r, w] = pipe2(O_CLOEXEC);
 * close(r); close(w);
 * ```
 */
export const O_CLOEXEC = 0o2000000;

/**
 * fcntl(2) command: read the fd flags (FD_CLOEXEC).
 *
 * @example
 * ```ts
 * import { FD_CLOEXEC, F_GETFD } from '@evring/abi';
 * import { close, eventfd, fcntl } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * (fcntl(fd, F_GETFD) & FD_CLOEXEC) !== 0; // false
 * close(fd);
 * ```
 */
export const F_GETFD = 1;
/**
 * fcntl(2) command: set the fd flags.
 *
 * @example
 * ```ts
 * import { FD_CLOEXEC, F_SETFD } from '@evring/abi';
 * import { close, eventfd, fcntl } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * fcntl(fd, F_SETFD, FD_CLOEXEC);
 * close(fd);
 * ```
 */
export const F_SETFD = 2;
/**
 * fcntl(2) command: read the file status flags (O_NONBLOCK, ...).
 *
 * @example
 * ```ts
 * import { F_GETFL, O_NONBLOCK } from '@evring/abi';
 * import { close, eventfd, fcntl } from '@evring/sys';
 * const fd = eventfd(0, O_NONBLOCK);
 * (fcntl(fd, F_GETFL) & O_NONBLOCK) !== 0; // true
 * close(fd);
 * ```
 */
export const F_GETFL = 3;
/**
 * fcntl(2) command: set the file status flags.
 *
 * @example
 * ```ts
 * import { F_GETFL, F_SETFL, O_NONBLOCK } from '@evring/abi';
 * import { close, eventfd, fcntl } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
 * close(fd);
 * ```
 */
export const F_SETFL = 4;
/**
 * The close-on-exec bit of F_GETFD/F_SETFD.
 *
 * @example
 * ```ts
 * import { FD_CLOEXEC, F_GETFD, O_CLOEXEC } from '@evring/abi';
 * import { close, eventfd, fcntl } from '@evring/sys';
 * const fd = eventfd(0, O_CLOEXEC);
 * fcntl(fd, F_GETFD) === FD_CLOEXEC; // true
 * close(fd);
 * ```
 */
export const FD_CLOEXEC = 1;

/**
 * eventfd(2) flag: each read takes 1 from the counter instead of all of it.
 *
 * @example
 * ```ts
 * import { EFD_NONBLOCK, EFD_SEMAPHORE } from '@evring/abi';
 * import { close, eventfd, eventfdRead } from '@evring/sys';
 * const fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
 * eventfdRead(fd); // 1
 * close(fd);
 * ```
 */
export const EFD_SEMAPHORE = 1;
/**
 * eventfd(2) flag: close on exec.
 *
 * @example
 * ```ts
 * import { EFD_CLOEXEC } from '@evring/abi';
 * import { close, eventfd } from '@evring/sys';
 * close(eventfd(0, EFD_CLOEXEC));
 * ```
 */
export const EFD_CLOEXEC = O_CLOEXEC;
/**
 * eventfd(2) flag: reads of a zero counter give EAGAIN.
 *
 * @example
 * ```ts
 * import { EFD_NONBLOCK, errno } from '@evring/abi';
 * import { close, eventfd, eventfdRead } from '@evring/sys';
 * const fd = eventfd(0, EFD_NONBLOCK);
 * eventfdRead(fd) === -errno.EAGAIN!; // true
 * close(fd);
 * ```
 */
export const EFD_NONBLOCK = O_NONBLOCK;

/**
 * timerfd_create(2) flag: close on exec.
 *
 * @example
 * ```ts
 * import { CLOCK_MONOTONIC, TFD_CLOEXEC } from '@evring/abi';
 * import { close, timerfdCreate } from '@evring/sys';
 * close(timerfdCreate(CLOCK_MONOTONIC, TFD_CLOEXEC));
 * ```
 */
export const TFD_CLOEXEC = O_CLOEXEC;
/**
 * timerfd_create(2) flag: reads before an expiry give EAGAIN.
 *
 * @example
 * ```ts
 * import { CLOCK_MONOTONIC, TFD_NONBLOCK } from '@evring/abi';
 * import { close, timerfdCreate } from '@evring/sys';
 * close(timerfdCreate(CLOCK_MONOTONIC, TFD_NONBLOCK));
 * ```
 */
export const TFD_NONBLOCK = O_NONBLOCK;
/**
 * timerfd_settime(2) flag: `value` is an absolute time on the timer's clock.
 *
 * @example
 * ```ts
 * import { CLOCK_MONOTONIC, TFD_TIMER_ABSTIME, itimerspec, writeItimerspec } from '@evring/abi';
 * import { close, timerfdCreate, timerfdSettime } from '@evring/sys';
 * const fd = timerfdCreate(CLOCK_MONOTONIC, 0);
 * const spec = new DataView(new ArrayBuffer(itimerspec.size));
 * writeItimerspec(spec, 0, { interval: { sec: 0, nsec: 0 }, value: { sec: 1, nsec: 0 } }); // long past
 * timerfdSettime(fd, TFD_TIMER_ABSTIME, spec); // expires at once
 * close(fd);
 * ```
 */
export const TFD_TIMER_ABSTIME = 1 << 0;
/**
 * timerfd_settime(2) flag: with a CLOCK_REALTIME absolute timer, reads fail with ECANCELED when the clock is set.
 *
 * @example
 * ```ts
 * import { CLOCK_REALTIME, TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET, itimerspec, writeItimerspec } from '@evring/abi';
 * import { close, timerfdCreate, timerfdSettime } from '@evring/sys';
 * const fd = timerfdCreate(CLOCK_REALTIME, 0);
 * const spec = new DataView(new ArrayBuffer(itimerspec.size));
 * writeItimerspec(spec, 0, { interval: { sec: 0, nsec: 0 }, value: { sec: 4e9, nsec: 0 } });
 * timerfdSettime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, spec);
 * close(fd);
 * ```
 */
export const TFD_TIMER_CANCEL_ON_SET = 1 << 1;

/**
 * signalfd(2) flag: close on exec.
 *
 * @example
 * ```ts
 * import { SFD_CLOEXEC, SFD_NONBLOCK } from '@evring/abi';
 * import { close, signalfd } from '@evring/sys';
 * close(signalfd(-1, [10], SFD_NONBLOCK | SFD_CLOEXEC));
 * ```
 */
export const SFD_CLOEXEC = O_CLOEXEC;
/**
 * signalfd(2) flag: reads with no pending signal give EAGAIN.
 *
 * @example
 * ```ts
 * import { SFD_CLOEXEC, SFD_NONBLOCK } from '@evring/abi';
 * import { close, signalfd } from '@evring/sys';
 * close(signalfd(-1, [10], SFD_NONBLOCK | SFD_CLOEXEC));
 * ```
 */
export const SFD_NONBLOCK = O_NONBLOCK;

/**
 * Clock id: wall-clock time (jumps when the clock is set).
 *
 * @example
 * ```ts
 * import { CLOCK_REALTIME } from '@evring/abi';
 * import { close, timerfdCreate } from '@evring/sys';
 * close(timerfdCreate(CLOCK_REALTIME, 0));
 * ```
 */
export const CLOCK_REALTIME = 0;
/**
 * Clock id: monotonic time, stopped while suspended.
 *
 * @example
 * ```ts
 * import { CLOCK_MONOTONIC } from '@evring/abi';
 * import { close, timerfdCreate } from '@evring/sys';
 * close(timerfdCreate(CLOCK_MONOTONIC, 0));
 * ```
 */
export const CLOCK_MONOTONIC = 1;
/**
 * Clock id: monotonic time that keeps counting while suspended.
 *
 * @example
 * ```ts
 * import { CLOCK_BOOTTIME } from '@evring/abi';
 * import { close, timerfdCreate } from '@evring/sys';
 * close(timerfdCreate(CLOCK_BOOTTIME, 0));
 * ```
 */
export const CLOCK_BOOTTIME = 7;

/**
 * Address family: Unix-domain sockets.
 *
 * @example
 * ```ts
 * import { AF_UNIX, SOCK_STREAM } from '@evring/abi';
 * import { close, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
 * close(a); close(b);
 * ```
 */
export const AF_UNIX = 1;
/**
 * Address family: IPv4.
 *
 * @example
 * ```ts
 * import { AF_INET } from '@evring/abi';
 * // socketpair(2) supports AF_UNIX only; AF_INET is for sockaddr encoders
 * const family = AF_INET;
 * ```
 */
export const AF_INET = 2;
/**
 * Address family: IPv6.
 *
 * @example
 * ```ts
 * import { AF_INET6 } from '@evring/abi';
 * // socketpair(2) supports AF_UNIX only; AF_INET6 is for sockaddr encoders
 * const family = AF_INET6;
 * ```
 */
export const AF_INET6 = 10;
/**
 * Socket type: a byte stream.
 *
 * @example
 * ```ts
 * import { AF_UNIX, SOCK_STREAM } from '@evring/abi';
 * import { close, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
 * close(a); close(b);
 * ```
 */
export const SOCK_STREAM = 1;
/**
 * Socket type: datagrams.
 *
 * @example
 * ```ts
 * import { AF_UNIX, SOCK_DGRAM } from '@evring/abi';
 * import { close, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM, 0);
 * close(a); close(b);
 * ```
 */
export const SOCK_DGRAM = 2;
/**
 * Socket type: ordered, reliable records.
 *
 * @example
 * ```ts
 * import { AF_UNIX, SOCK_SEQPACKET } from '@evring/abi';
 * import { close, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_SEQPACKET, 0);
 * close(a); close(b);
 * ```
 */
export const SOCK_SEQPACKET = 5;
/**
 * Socket type flag: non-blocking from creation.
 *
 * @example
 * ```ts
 * import { AF_UNIX, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM } from '@evring/abi';
 * import { close, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
 * close(a); close(b);
 * ```
 */
export const SOCK_NONBLOCK = O_NONBLOCK;
/**
 * Socket type flag: close on exec.
 *
 * @example
 * ```ts
 * import { AF_UNIX, SOCK_CLOEXEC, SOCK_STREAM } from '@evring/abi';
 * import { close, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
 * close(a); close(b);
 * ```
 */
export const SOCK_CLOEXEC = O_CLOEXEC;

/**
 * send/recv flag: out-of-band (urgent) data, reported as POLLPRI
 *
 * @example
 * ```ts
 * import { AF_UNIX, MSG_OOB, SOCK_STREAM } from '@evring/abi';
 * import { close, send, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
 * send(a, Buffer.from('!'), 0, 1, MSG_OOB); // 1 (linux 5.15+ for AF_UNIX), else -EOPNOTSUPP
 * close(a); close(b);
 * ```
 */
export const MSG_OOB = 1;
/**
 * send/recv flag: read without consuming.
 *
 * @example
 * ```ts
 * import { AF_UNIX, MSG_PEEK, SOCK_STREAM } from '@evring/abi';
 * import { close, recv, send, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
 * send(a, Buffer.from('x'), 0, 1, 0);
 * recv(b, Buffer.alloc(1), 0, 1, MSG_PEEK); // 1, and the byte is still there
 * close(a); close(b);
 * ```
 */
export const MSG_PEEK = 2;
/**
 * send/recv flag: non-blocking for this call only.
 *
 * @example
 * ```ts
 * import { AF_UNIX, MSG_DONTWAIT, SOCK_STREAM } from '@evring/abi';
 * import { close, recv, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
 * recv(b, Buffer.alloc(1), 0, 1, MSG_DONTWAIT); // -EAGAIN: nothing sent yet
 * close(a); close(b);
 * ```
 */
export const MSG_DONTWAIT = 0x40;
/**
 * send flag: a broken connection gives EPIPE without SIGPIPE (@evring/sys always adds it).
 *
 * @example
 * ```ts
 * import { AF_UNIX, MSG_NOSIGNAL, SOCK_STREAM } from '@evring/abi';
 * import { close, send, socketpair } from '@evring/sys';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
 * close(b);
 * send(a, Buffer.from('x'), 0, 1, MSG_NOSIGNAL); // -EPIPE, no signal
 * close(a);
 * ```
 */
export const MSG_NOSIGNAL = 0x4000;

/**
 * getrlimit(2) resource: the most fds a process may hold open.
 *
 * @example
 * ```ts
 * import { RLIMIT_NOFILE } from '@evring/abi';
 * import { getrlimitNofile } from '@evring/sys';
 * // @evring/sys reads this one resource (RLIMIT_NOFILE = 7) directly:
 * const { soft, hard } = getrlimitNofile();
 * ```
 */
export const RLIMIT_NOFILE = 7;
