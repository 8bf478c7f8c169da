/**
 * Plain fd calls. `read`, `write`, `send`, `recv`, `eventfdRead` and
 * `eventfdWrite` are hot: they return the result or `-errno` and never throw
 * for a failed syscall. The others throw Node-shaped errors (`code`,
 * `errno`, `syscall`). Every one throws `TypeError`/`RangeError` for bad
 * arguments (a fractional fd, a length past the buffer's end, ...).
 *
 * @module
 */

import { F_GETFD, F_GETFL, F_SETFD, F_SETFL, FD_CLOEXEC, O_NONBLOCK } from '@evring/abi';
import { native } from './load.js';

/** A buffer argument: any TypedArray, DataView or ArrayBuffer. */
export type Bytes = ArrayBufferView | ArrayBuffer;

/**
 * eventfd(2). Throws on failure.
 *
 * @example
 * ```ts
 * import { eventfd, eventfdWrite, eventfdRead, close } from '@evring/sys';
 * import { EFD_NONBLOCK, EFD_CLOEXEC } from '@evring/abi';
 * const fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
 * eventfdWrite(fd, 3);
 * eventfdRead(fd); // 3
 * close(fd);
 * ```
 */
export const eventfd: (initval: number, flags: number) => number = native.eventfd;

/** Reads an eventfd's counter (exact below 2^53), or `-errno` (e.g. `-EAGAIN` when it is zero). */
export const eventfdRead: (fd: number) => number = native.eventfdRead;

/** Adds `value` (1 .. 2^53) to an eventfd's counter; returns 0 or `-errno`. */
export const eventfdWrite: (fd: number, value: number) => number = native.eventfdWrite;

/** timerfd_create(2) (`CLOCK_MONOTONIC`, `TFD_NONBLOCK | TFD_CLOEXEC`, ...). Throws on failure. */
export const timerfdCreate: (clockid: number, flags: number) => number = native.timerfdCreate;

/**
 * timerfd_settime(2) with 32-byte `itimerspec` buffers (see `writeItimerspec`
 * in @evring/abi); `oldValue`, when given, receives the previous setting.
 */
export const timerfdSettime: (
  fd: number,
  flags: number,
  newValue: Bytes,
  oldValue?: Bytes,
) => void = native.timerfdSettime as never;

/** timerfd_gettime(2) into a 32-byte `itimerspec` buffer. */
export const timerfdGettime: (fd: number, out: Bytes) => void = native.timerfdGettime as never;

/**
 * signalfd(2): a new fd (`fd` = -1) or an updated one for `signals`. The
 * signals must also be blocked in every thread for the fd to see them.
 */
export const signalfd: (fd: number, signals: readonly number[], flags: number) => number =
  native.signalfd;

/** pipe2(2): `[readEnd, writeEnd]`. */
export const pipe2: (flags: number) => [number, number] = native.pipe2;

/** socketpair(2): two connected sockets (`AF_UNIX`, `SOCK_STREAM | SOCK_NONBLOCK`, ...). */
export const socketpair: (domain: number, type: number, protocol: number) => [number, number] =
  native.socketpair;

/** read(2) into `buffer[offset .. offset+length)`; returns bytes read or `-errno`. */
export const read: (fd: number, buffer: Bytes, offset?: number, length?: number) => number =
  native.read;

/** write(2) from `buffer[offset .. offset+length)`; returns bytes written or `-errno`. */
export const write: (fd: number, buffer: Bytes, offset?: number, length?: number) => number =
  native.write;

/** send(2) with `flags` (MSG_OOB for urgent data; MSG_NOSIGNAL is always added). Returns bytes or `-errno`. */
export const send: (
  fd: number,
  buffer: Bytes,
  offset: number,
  length: number,
  flags: number,
) => number = native.send;

/** recv(2) with `flags`; returns bytes or `-errno`. */
export const recv: (
  fd: number,
  buffer: Bytes,
  offset: number,
  length: number,
  flags: number,
) => number = native.recv;

/**
 * close(2). Throws EBADF for an fd that is not open. An io_uring closed here
 * also drops sys's bookkeeping for it.
 */
export const close: (fd: number) => void = native.close;

/** dup(2) via F_DUPFD_CLOEXEC (or F_DUPFD with `cloexec` false). */
export const dup: (fd: number, cloexec?: boolean) => number = native.dup;

/** fcntl(2) for F_GETFD, F_SETFD, F_GETFL and F_SETFL only. */
export const fcntl: (fd: number, cmd: number, arg?: number) => number = native.fcntl;

/** getrlimit(RLIMIT_NOFILE); `Infinity` stands for RLIM_INFINITY. */
export const getrlimitNofile: () => { soft: number; hard: number } = native.getrlimitNofile;

/** setrlimit(RLIMIT_NOFILE). Raising the hard limit needs privilege. */
export const setrlimitNofile: (soft: number, hard: number) => void = native.setrlimitNofile;

/** The running kernel's release string (uname -r). */
export const kernelRelease: () => string = native.kernelRelease;

/** A new pseudo-terminal from /dev/ptmx: master and slave fds (both close-on-exec) and the slave's path. */
export const openpty: () => { master: number; slave: number; name: string } = native.openpty;

/** Sets or clears O_NONBLOCK. */
export function setNonblocking(fd: number, on: boolean): void {
  const flags = native.fcntl(fd, F_GETFL);
  native.fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

/** Sets or clears FD_CLOEXEC. */
export function setCloexec(fd: number, on: boolean): void {
  const flags = native.fcntl(fd, F_GETFD);
  native.fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
}
