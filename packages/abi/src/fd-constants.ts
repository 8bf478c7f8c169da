/**
 * Flags of the fd-creating calls that @evring/sys exposes (eventfd, timerfd,
 * signalfd, pipe2, socketpair, fcntl), with their generic Linux values
 * (identical on x86_64 and aarch64).
 *
 * @module
 */
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;

export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const FD_CLOEXEC = 1;

export const EFD_SEMAPHORE = 1;
export const EFD_CLOEXEC = O_CLOEXEC;
export const EFD_NONBLOCK = O_NONBLOCK;

export const TFD_CLOEXEC = O_CLOEXEC;
export const TFD_NONBLOCK = O_NONBLOCK;
export const TFD_TIMER_ABSTIME = 1 << 0;
export const TFD_TIMER_CANCEL_ON_SET = 1 << 1;

export const SFD_CLOEXEC = O_CLOEXEC;
export const SFD_NONBLOCK = O_NONBLOCK;

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_BOOTTIME = 7;

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_SEQPACKET = 5;
export const SOCK_NONBLOCK = O_NONBLOCK;
export const SOCK_CLOEXEC = O_CLOEXEC;

/** send/recv flag: out-of-band (urgent) data, reported as POLLPRI */
export const MSG_OOB = 1;
export const MSG_PEEK = 2;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;

export const RLIMIT_NOFILE = 7;
