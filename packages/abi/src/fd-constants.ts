/**
 * Flags of the fd-creating calls that @evring/sys exposes (eventfd, timerfd,
 * signalfd, pipe2, socketpair, fcntl), with their generic Linux values
 * (identical on x86_64 and aarch64).
 *
 * @module
 */

// ---------------------------------------------------------------------------
// open(2) and fcntl(2): file status and fd flags
// ---------------------------------------------------------------------------
/**
 * File status flag: calls return EAGAIN instead of blocking.
 *
 * @example
 * ```ts
 * import { FD_CLOEXEC, O_CLOEXEC, O_NONBLOCK } from '@evring/abi';
 * // pipe2(O_NONBLOCK | O_CLOEXEC) in @evring/sys; fcntl(fd, F_GETFD) then answers FD_CLOEXEC.
 * const flags = O_NONBLOCK | O_CLOEXEC;
 * flags.toString(8); // '2004000'
 * FD_CLOEXEC; // 1
 * ```
 */
export const O_NONBLOCK = 0o4000;
/** open(2) access mode: read only. */
export const O_RDONLY = 0;
/** open(2) access mode: write only. */
export const O_WRONLY = 1;
/** open(2) access mode: read and write. */
export const O_RDWR = 2;
/** open(2): create the file if it does not exist. */
export const O_CREAT = 0o100;
/** open(2) with O_CREAT: fail with EEXIST if it exists. */
export const O_EXCL = 0o200;
/** open(2): a terminal does not become the controlling terminal. */
export const O_NOCTTY = 0o400;
/** open(2): truncate a regular file to length 0. */
export const O_TRUNC = 0o1000;
/** File status flag: every write goes to the end of the file. */
export const O_APPEND = 0o2000;
/** File status flag: writes complete as fdatasync(2) would (same value on x86_64 and aarch64). */
export const O_DSYNC = 0o10000;
/** File status flag: writes complete as fsync(2) would. */
export const O_SYNC = 0o4010000;
/** Fd flag at creation: close the fd on exec. */
export const O_CLOEXEC = 0o2000000;

/** Read the fd flags (FD_CLOEXEC). */
export const F_GETFD = 1;
/** Set the fd flags. */
export const F_SETFD = 2;
/** Read the file status flags (O_NONBLOCK, ...). */
export const F_GETFL = 3;
/** Set the file status flags. */
export const F_SETFL = 4;
/** The close-on-exec bit of F_GETFD/F_SETFD. */
export const FD_CLOEXEC = 1;

// ---------------------------------------------------------------------------
// eventfd(2), timerfd(2) and signalfd(2) flags
// ---------------------------------------------------------------------------
/**
 * Each read takes 1 from the counter instead of all of it.
 *
 * @example
 * ```ts
 * import { EFD_CLOEXEC, EFD_NONBLOCK, O_CLOEXEC, O_NONBLOCK, TFD_NONBLOCK } from '@evring/abi';
 * // eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC) in @evring/sys: the open(2) bits under other names.
 * (EFD_NONBLOCK | EFD_CLOEXEC) === (O_NONBLOCK | O_CLOEXEC); // true
 * TFD_NONBLOCK === O_NONBLOCK; // true
 * ```
 */
export const EFD_SEMAPHORE = 1;
/** Close on exec. */
export const EFD_CLOEXEC = O_CLOEXEC;
/** Reads of a zero counter give EAGAIN. */
export const EFD_NONBLOCK = O_NONBLOCK;

/** Close on exec. */
export const TFD_CLOEXEC = O_CLOEXEC;
/** Reads before an expiry give EAGAIN. */
export const TFD_NONBLOCK = O_NONBLOCK;
/** `value` is an absolute time on the timer's clock. */
export const TFD_TIMER_ABSTIME = 1 << 0;
/** With a CLOCK_REALTIME absolute timer, reads fail with ECANCELED when the clock is set. */
export const TFD_TIMER_CANCEL_ON_SET = 1 << 1;

/** Close on exec. */
export const SFD_CLOEXEC = O_CLOEXEC;
/** Reads with no pending signal give EAGAIN. */
export const SFD_NONBLOCK = O_NONBLOCK;

// ---------------------------------------------------------------------------
// clock ids (timerfd_create, the loop's clocks)
// ---------------------------------------------------------------------------
/**
 * Wall-clock time (jumps when the clock is set).
 *
 * @example
 * ```ts
 * import { CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_REALTIME } from '@evring/abi';
 * // timerfdCreate(CLOCK_MONOTONIC, 0) in @evring/sys: a timer that ignores wall-clock jumps.
 * [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME]; // [0, 1, 7]
 * ```
 */
export const CLOCK_REALTIME = 0;
/** Monotonic time, stopped while suspended. */
export const CLOCK_MONOTONIC = 1;
/** Monotonic time that keeps counting while suspended. */
export const CLOCK_BOOTTIME = 7;

// ---------------------------------------------------------------------------
// socket(2) and socketpair(2): families and types
// ---------------------------------------------------------------------------
/**
 * Unix-domain sockets.
 *
 * @example
 * ```ts
 * import { AF_UNIX, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM } from '@evring/abi';
 * // socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) in @evring/sys.
 * const type = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
 * (type & 0xf) === SOCK_STREAM; // true: the flags sit above the type
 * AF_UNIX; // 1
 * ```
 */
export const AF_UNIX = 1;
/** IPv4. */
export const AF_INET = 2;
/** IPv6. */
export const AF_INET6 = 10;
/** A byte stream. */
export const SOCK_STREAM = 1;
/** Datagrams. */
export const SOCK_DGRAM = 2;
/** Ordered, reliable records. */
export const SOCK_SEQPACKET = 5;
/** Non-blocking from creation. */
export const SOCK_NONBLOCK = O_NONBLOCK;
/** Close on exec. */
export const SOCK_CLOEXEC = O_CLOEXEC;

// ---------------------------------------------------------------------------
// send(2) and recv(2) flags
// ---------------------------------------------------------------------------
/**
 * Out-of-band (urgent) data, reported as POLLPRI.
 *
 * @example
 * ```ts
 * import { MSG_DONTWAIT, MSG_NOSIGNAL, MSG_PEEK } from '@evring/abi';
 * // recv(fd, buf, 0, n, MSG_PEEK | MSG_DONTWAIT) in @evring/sys reads without consuming, never blocking.
 * MSG_PEEK | MSG_DONTWAIT; // 66
 * MSG_NOSIGNAL; // 16384
 * ```
 */
export const MSG_OOB = 1;
/** Read without consuming. */
export const MSG_PEEK = 2;
/** Non-blocking for this call only. */
export const MSG_DONTWAIT = 0x40;
/** Send flag: a broken connection gives EPIPE without SIGPIPE (@evring/sys always adds it). */
export const MSG_NOSIGNAL = 0x4000;

// ---------------------------------------------------------------------------
// getrlimit(2) resources
// ---------------------------------------------------------------------------
/**
 * The most fds a process may hold open.
 *
 * @example
 * ```ts
 * import { RLIMIT_NOFILE } from '@evring/abi';
 * RLIMIT_NOFILE; // 7: what getrlimitNofile() in @evring/sys asks for
 * ```
 */
export const RLIMIT_NOFILE = 7;

// ---------------------------------------------------------------------------
// paths (the *at calls)
// ---------------------------------------------------------------------------
/**
 * Dirfd meaning the working directory (openat(2), unlinkat(2), ...).
 *
 * @example
 * ```ts
 * import { AT_FDCWD, AT_REMOVEDIR, decodeSqe, prepUnlinkat } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepUnlinkat(sqes, 0, AT_FDCWD, 0x10000, AT_REMOVEDIR); // rmdir of the path at 0x10000, from the working directory
 * decodeSqe(new DataView(sqes.buffer), 0).fd; // -100
 * ```
 */
export const AT_FDCWD = -100;
/** Do not follow a final symlink. */
export const AT_SYMLINK_NOFOLLOW = 0x100;
/** unlinkat(2): remove a directory (rmdir). */
export const AT_REMOVEDIR = 0x200;
/** An empty path names the dirfd itself (statx(2), linkat(2)). */
export const AT_EMPTY_PATH = 0x1000;
