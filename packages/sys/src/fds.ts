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

/**
 * A buffer argument: any TypedArray, DataView or ArrayBuffer.
 *
 * @example
 * ```ts
 * import { type Bytes, pipe2, read, write, close } from '@evring/sys';
 * const [r, w] = pipe2(0);
 * const out: Bytes = new Uint8Array([1, 2, 3]); // or a Buffer, DataView, ArrayBuffer
 * write(w, out);
 * read(r, new ArrayBuffer(3)); // 3
 * close(r); close(w);
 * ```
 */
export type Bytes = ArrayBufferView | ArrayBuffer;

/**
 * eventfd(2). Throws on failure. With `hold` true, the new fd is held for
 * the calling environment until taken ({@link claimFd}, or {@link ownFd},
 * which ties it instead): an fd made to be owned is then never without an
 * owner, however its thread ends in between (see {@link dup}).
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
export const eventfd: (initval: number, flags: number, hold?: boolean) => number = native.eventfd;

/**
 * Reads an eventfd's counter (exact below 2^53), or `-errno` (e.g. `-EAGAIN` when it is zero).
 *
 * @example
 * ```ts
 * import { eventfd, eventfdRead, eventfdWrite, close } from '@evring/sys';
 * import { EFD_NONBLOCK, errno } from '@evring/abi';
 * const fd = eventfd(0, EFD_NONBLOCK);
 * eventfdWrite(fd, 2); eventfdWrite(fd, 3);
 * eventfdRead(fd); // 5, and the counter is 0 again
 * eventfdRead(fd) === -errno.EAGAIN; // true
 * close(fd);
 * ```
 */
export const eventfdRead: (fd: number) => number = native.eventfdRead;

/**
 * Adds `value` (1 .. 2^53) to an eventfd's counter; returns 0 or `-errno`.
 *
 * @example
 * ```ts
 * import { eventfd, eventfdWrite, close } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * eventfdWrite(fd, 1); // 0: wakes whoever polls fd
 * close(fd);
 * ```
 */
export const eventfdWrite: (fd: number, value: number) => number = native.eventfdWrite;

/**
 * timerfd_create(2) (`CLOCK_MONOTONIC`, `TFD_NONBLOCK | TFD_CLOEXEC`, ...). Throws on failure.
 * `hold` as {@link eventfd}'s.
 *
 * @example
 * ```ts
 * import { timerfdCreate, close } from '@evring/sys';
 * import { CLOCK_MONOTONIC, TFD_CLOEXEC, TFD_NONBLOCK } from '@evring/abi';
 * const fd = timerfdCreate(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
 * close(fd);
 * ```
 */
export const timerfdCreate: (clockid: number, flags: number, hold?: boolean) => number =
  native.timerfdCreate;

/**
 * timerfd_settime(2) with 32-byte `itimerspec` buffers (see `writeItimerspec`
 * in @evring/abi); `oldValue`, when given, receives the previous setting.
 *
 * @example
 * ```ts
 * import { timerfdCreate, timerfdSettime, read, close } from '@evring/sys';
 * import { CLOCK_MONOTONIC, itimerspec, writeItimerspec } from '@evring/abi';
 * const fd = timerfdCreate(CLOCK_MONOTONIC, 0);
 * const spec = new DataView(new ArrayBuffer(itimerspec.size));
 * writeItimerspec(spec, 0, { interval: { sec: 0, nsec: 0 }, value: { sec: 0, nsec: 1_000_000 } });
 * timerfdSettime(fd, 0, spec);
 * read(fd, new BigUint64Array(1)); // 8: blocks 1 ms, then one expiry
 * close(fd);
 * ```
 */
export const timerfdSettime: (
  fd: number,
  flags: number,
  newValue: Bytes,
  oldValue?: Bytes,
) => void = native.timerfdSettime as never;

/**
 * timerfd_gettime(2) into a 32-byte `itimerspec` buffer.
 *
 * @example
 * ```ts
 * import { timerfdCreate, timerfdGettime, close } from '@evring/sys';
 * import { CLOCK_MONOTONIC, itimerspec, readItimerspec } from '@evring/abi';
 * const fd = timerfdCreate(CLOCK_MONOTONIC, 0);
 * const out = new DataView(new ArrayBuffer(itimerspec.size));
 * timerfdGettime(fd, out);
 * readItimerspec(out, 0).value.sec; // 0: not armed
 * close(fd);
 * ```
 */
export const timerfdGettime: (fd: number, out: Bytes) => void = native.timerfdGettime as never;

/**
 * signalfd(2): a new fd (`fd` = -1) or an updated one for `signals`. The
 * signals must also be blocked in every thread for the fd to see them.
 * `hold` as {@link eventfd}'s, for a new fd (an updated one keeps its owner).
 *
 * @example
 * ```ts
 * import { signalfd, close } from '@evring/sys';
 * import { SFD_CLOEXEC, SFD_NONBLOCK } from '@evring/abi';
 * const fd = signalfd(-1, [10, 12], SFD_NONBLOCK | SFD_CLOEXEC); // SIGUSR1, SIGUSR2
 * signalfd(fd, [10], 0); // now only SIGUSR1
 * close(fd);
 * ```
 */
export const signalfd: (
  fd: number,
  signals: readonly number[],
  flags: number,
  hold?: boolean,
) => number = native.signalfd;

/**
 * pipe2(2): `[readEnd, writeEnd]`. `hold` as {@link eventfd}'s, for both ends.
 *
 * @example
 * ```ts
 * import { pipe2, close } from '@evring/sys';
 * import { O_CLOEXEC, O_NONBLOCK } from '@evring/abi';
 * const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
 * close(r); close(w);
 * ```
 */
export const pipe2: (flags: number, hold?: boolean) => [number, number] = native.pipe2;

/**
 * socketpair(2): two connected sockets (`AF_UNIX`, `SOCK_STREAM | SOCK_NONBLOCK`, ...).
 * `hold` as {@link eventfd}'s, for both.
 *
 * @example
 * ```ts
 * import { socketpair, send, recv, close } from '@evring/sys';
 * import { AF_UNIX, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM } from '@evring/abi';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
 * send(a, Buffer.from('hi'), 0, 2, 0);
 * recv(b, Buffer.alloc(2), 0, 2, 0); // 2
 * close(a); close(b);
 * ```
 */
export const socketpair: (
  domain: number,
  type: number,
  protocol: number,
  hold?: boolean,
) => [number, number] = native.socketpair;

/**
 * read(2) into `buffer[offset .. offset+length)`; returns bytes read or `-errno`.
 *
 * @example
 * ```ts
 * import { pipe2, read, write, close } from '@evring/sys';
 * import { O_NONBLOCK, errno } from '@evring/abi';
 * const [r, w] = pipe2(O_NONBLOCK);
 * const buf = Buffer.alloc(16);
 * read(r, buf) === -errno.EAGAIN; // true: empty, and no exception
 * write(w, Buffer.from('abc'));
 * read(r, buf, 4, 8); // 3, into buf[4..7)
 * close(r); close(w);
 * ```
 */
export const read: (fd: number, buffer: Bytes, offset?: number, length?: number) => number =
  native.read;

/**
 * One file operation done now, the way @evring/backend's opcodes describe
 * it (`OP_*` there; the same numbers and argument meanings), returning bytes
 * moved, a new fd, 0, or `-errno` — never throwing for the kernel's answer.
 * The backends emulate with it what they cannot hand to the kernel.
 *
 * - 0–3: pread(2)/pwrite(2) over `buffer[offset .. offset+length)` at
 *   `position` (−1: read(2)/write(2) at the file's offset), fsync(2),
 *   fdatasync(2). Only regular files, block devices and directories are
 *   served: anything else is `-EOPNOTSUPP`, since a read on a pipe, socket
 *   or tty could block the thread.
 * - 4 openat(2): `fd` the directory (AT_FDCWD: −100), the path at `offset`
 *   (NUL-terminated, inside `buffer`), flags in `length`, mode in `position`.
 *   With `hold` true, the new fd is held for the calling environment until
 *   taken ({@link claimFd}).
 * - 5 close(2) of `fd`. 6 statx(2): path at `offset` (`''` with
 *   AT_EMPTY_PATH for `fd` itself), flags in `length`, the 256-byte
 *   `struct statx` written at `position`. 7 ftruncate(2) to `position`.
 * - 8 renameat2(2): old path at `offset`, new at `position`, flags in
 *   `length`. 9 unlinkat(2): flags (AT_REMOVEDIR) in `length`. 10
 *   mkdirat(2): mode in `length`.
 * - 11–12: preadv(2)/pwritev(2), on files only as 0–1: `length` iovecs
 *   (16 bytes each: address, byte count; 1 to 1024) at `offset` in
 *   `buffer`, each entry of non-zero length inside pinned memory of this
 *   thread (`pinnedAlloc`'s); `-EINVAL` otherwise, as a tracking ring
 *   answers such a READV. The array is copied before it is checked.
 * - 13 linkat(2): the existing path at `offset`, the new one at
 *   `position`, flags (AT_SYMLINK_FOLLOW) in `length`. 14 symlinkat(2):
 *   the link's target at `offset` (stored as written), its path at
 *   `position`.
 *
 * @example
 * ```ts
 * import { openSync } from 'node:fs';
 * import { fileIoSync } from '@evring/sys';
 * const fd = openSync('/etc/hostname', 'r');
 * const buf = Buffer.alloc(64);
 * const n = fileIoSync(0, fd, buf, 0, buf.length, 0); // pread at 0
 * console.log(n < 0 ? `errno ${-n}` : buf.subarray(0, n).toString());
 * fileIoSync(5, fd, buf, 0, 0, 0); // close
 * ```
 */
export const fileIoSync: (
  op: number,
  fd: number,
  buffer: Bytes | ArrayBuffer,
  offset: number,
  length: number,
  position: number,
  hold?: boolean,
) => number = native.fileIoSync;

/**
 * getdents64(2): the directory's next entries, as `linux_dirent64` records,
 * into `buffer[offset .. offset+length)` (walk them with `readDirents64` of
 * `@evring/abi`). Returns the bytes filled, 0 at the end of the directory,
 * or `-errno`: `-ENOTDIR` at once on what is not a directory, `-EINVAL`
 * when the range cannot hold the next record. io_uring has no such
 * operation: this is a direct call on the calling thread.
 *
 * @example
 * ```ts
 * import { openSync, closeSync } from 'node:fs';
 * import { readDirents64 } from '@evring/abi';
 * import { getdents64 } from '@evring/sys';
 * const fd = openSync('/', 'r');
 * const buf = new Uint8Array(32 * 1024);
 * for (let n = getdents64(fd, buf); n > 0; n = getdents64(fd, buf)) {
 *   readDirents64(buf, n, (e) => console.log(new TextDecoder().decode(e.name)));
 * }
 * closeSync(fd);
 * ```
 */
export const getdents64: (
  fd: number,
  buffer: ArrayBufferView,
  offset?: number,
  length?: number,
) => number = native.getdents64;

/**
 * A read (`op` 0) or write (1) over `buffer[offset .. offset+length)`, or a
 * readv (11) or writev (12) of `length` iovecs at `offset` naming pinned
 * memory (as {@link fileIoSync}'s 11–12), on
 * what is not a file — a pipe, socket, tty or character device — that never
 * blocks the thread: `-EAGAIN` when it would, so the caller waits for
 * readiness and tries again. Sockets use MSG_DONTWAIT, an O_NONBLOCK fd a
 * plain call, other fds RWF_NOWAIT; where the file has no RWF_NOWAIT (a
 * tty), a zero-timeout poll(2) confirms readiness first and a write is cut
 * to PIPE_BUF bytes. `position` −1 is the file's offset; at a position the
 * calls are the positioned ones and the kernel answers as pread(2) and
 * pwrite(2) do: `-ESPIPE` on a pipe, socket or tty, bytes on a character
 * device that has positions (/dev/zero). Returns bytes moved or `-errno`. A vectored write
 * cut to PIPE_BUF bytes keeps its first entries, the last one shortened.
 *
 * @example
 * ```ts
 * import { errno } from '@evring/abi';
 * import { ioNowait, pipe2, write, close } from '@evring/sys';
 * const [r, w] = pipe2(0); // blocking fds
 * const buf = Buffer.alloc(8);
 * ioNowait(0, r, buf, 0, 8, -1) === -errno.EAGAIN; // true: empty, and the thread did not block
 * write(w, Buffer.from('hi'));
 * ioNowait(0, r, buf, 0, 8, -1); // 2
 * close(r); close(w);
 * ```
 */
export const ioNowait: (
  op: 0 | 1 | 11 | 12,
  fd: number,
  buffer: Bytes | ArrayBuffer,
  offset: number,
  length: number,
  position: number,
) => number = native.ioNowait;

/**
 * write(2) from `buffer[offset .. offset+length)`; returns bytes written or `-errno`.
 *
 * @example
 * ```ts
 * import { pipe2, write, close } from '@evring/sys';
 * import { errno } from '@evring/abi';
 * const [r, w] = pipe2(0);
 * write(w, Buffer.from('hello'), 1, 3); // 3: 'ell'
 * close(r);
 * write(w, Buffer.from('x')) === -errno.EPIPE; // true (SIGPIPE is ignored by Node)
 * close(w);
 * ```
 */
export const write: (fd: number, buffer: Bytes, offset?: number, length?: number) => number =
  native.write;

/**
 * send(2) with `flags` (MSG_OOB for urgent data; MSG_NOSIGNAL is always added). Returns bytes or `-errno`.
 *
 * @example
 * ```ts
 * import { socketpair, send, close } from '@evring/sys';
 * import { AF_UNIX, SOCK_STREAM } from '@evring/abi';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
 * send(a, Buffer.from('ping'), 0, 4, 0); // 4
 * close(a); close(b);
 * ```
 */
export const send: (
  fd: number,
  buffer: Bytes,
  offset: number,
  length: number,
  flags: number,
) => number = native.send;

/**
 * recv(2) with `flags`; returns bytes or `-errno`.
 *
 * @example
 * ```ts
 * import { socketpair, send, recv, close } from '@evring/sys';
 * import { AF_UNIX, MSG_PEEK, SOCK_STREAM } from '@evring/abi';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
 * send(a, Buffer.from('ping'), 0, 4, 0);
 * const buf = Buffer.alloc(4);
 * recv(b, buf, 0, 4, MSG_PEEK); // 4, still queued
 * recv(b, buf, 0, 4, 0);        // 4, consumed
 * close(a); close(b);
 * ```
 */
export const recv: (
  fd: number,
  buffer: Bytes,
  offset: number,
  length: number,
  flags: number,
) => number = native.recv;

/**
 * close(2). Throws EBADF for an fd that is not open. An io_uring closed here
 * also drops sys's bookkeeping for it, and an owned fd ({@link ownFd}) its
 * ownership.
 *
 * @example
 * ```ts
 * import { close, eventfd } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * close(fd);
 * try { close(fd); } catch (err) { (err as { code: string }).code; } // 'EBADF'
 * ```
 */
export const close: (fd: number) => void = native.close;

/**
 * Ties `fd` to the calling environment (the main thread, or a worker): when
 * that environment ends — a worker returning, calling `process.exit()` or
 * terminated from outside — sys closes the fd, if the number still names
 * the same file then (a number closed behind sys's back and reused is left
 * alone). {@link close} and {@link dup2} onto the number through sys end
 * the ownership. For fds an object of a worker owns (a backend's epoll
 * instance, a loop's eventfd), which a plain number would leak to the
 * process when the worker goes without closing them. Costs one private
 * duplicate (an fd) per owned fd, until the ownership ends.
 *
 * @example
 * ```ts
 * import { close, eventfd, ownFd, ownedFdCount } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * ownFd(fd); // closed when this thread's environment ends, if still open
 * ownedFdCount(); // 1 in a thread that owned nothing before
 * close(fd); // and the ownership ends with it
 * ```
 */
export const ownFd: (fd: number) => void = native.ownFd;

/**
 * Ends the tie {@link ownFd} made, leaving `fd` open: for an fd handed to
 * another owner, or closed some other way than {@link close} where the
 * close is known to have run (for one whose completion comes later, see
 * {@link disownIfClosed}), so that the duplicate the tie holds does not
 * keep the file open. Does nothing for an fd not owned.
 *
 * @example
 * ```ts
 * import { close, disownFd, eventfd, ownFd } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * ownFd(fd);
 * disownFd(fd); // fd stays open, no longer closed when the environment ends
 * close(fd);
 * ```
 */
export const disownFd: (fd: number) => void = native.disownFd;

/**
 * Ends the tie {@link ownFd} made if `fd` no longer names the tied file;
 * true when it ended it. For a close sys did not see complete (an
 * `OP_CLOSE` on a plain ring, a close made elsewhere), told once it has
 * run; a tracking ring ends the tie itself at its `OP_CLOSE`'s
 * completion, as {@link close} does at once. The tie's duplicate then no
 * longer holds the file open, while a tie the number
 * has been given since (another file opened under it, and owned) stays.
 * Until then the tie still tells whether the number is the owner's to
 * close ({@link closeOwned}): a close that may not have run (its ring went
 * first) is followed by `closeOwned`, never by a plain close that might
 * hit the next file to take the number.
 *
 * @example
 * ```ts
 * import { close, disownIfClosed, eventfd, ownFd } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * ownFd(fd);
 * disownIfClosed(fd); // false: fd still names the tied file
 * close(fd);
 * ```
 */
export const disownIfClosed: (fd: number) => boolean = native.disownIfClosed;

/**
 * Ends the calling environment's tie to `fd` ({@link ownFd}) and closes the
 * number if it still names the file that was tied; true when it closed it.
 * For an owner the garbage collector took before it closed its fd: a
 * number closed behind its back and reused by another file (even another
 * open of the same file) is left alone. False for an fd this environment
 * does not own.
 *
 * @example
 * ```ts
 * import { closeOwned, eventfd, ownFd } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * ownFd(fd);
 * closeOwned(fd); // true
 * closeOwned(fd); // false
 * ```
 */
export const closeOwned: (fd: number) => boolean = native.closeOwned;

/**
 * Takes a held fd as a plain one; true when `fd` was held. A new fd sys
 * makes on a caller's behalf when asked to hold it — {@link fileIoSync}'s
 * open with `hold`, an OPENAT on a ring set up with `holdOpenedFds`
 * ({@link IoUringOptions}), a {@link dup} with `hold` — is held for the
 * calling environment from the moment sys sees it: if the environment
 * ends first (a worker terminated after the open completed and before its
 * result was used), sys closes the fd instead of leaving it open for
 * good. Whoever receives the number takes it: `claimFd` for a
 * plain fd handed on (no longer closed at the environment's end),
 * {@link ownFd} to tie it instead, or a close through sys ({@link close},
 * `fileIoSync`'s close, an `OP_CLOSE` a tracking ring takes). Never close
 * a held fd some other way: it has no duplicate to tell its file by, so
 * its number would be closed again when the environment ends.
 *
 * @example
 * ```ts
 * import { AT_FDCWD, O_CLOEXEC } from '@evring/abi';
 * import { claimFd, close, fileIoSync } from '@evring/sys';
 * const path = Buffer.from('/etc/hostname\0');
 * const fd = fileIoSync(4, AT_FDCWD, path, 0, O_CLOEXEC, 0, true); // held
 * claimFd(fd); // true: a plain fd now
 * claimFd(fd); // false
 * close(fd);
 * ```
 */
export const claimFd: (fd: number) => boolean = native.claimFd;

/**
 * How many fds the calling environment's end will close: those it owns
 * ({@link ownFd}) and those held for it ({@link claimFd}).
 *
 * @example
 * ```ts
 * import { ownedFdCount } from '@evring/sys';
 * ownedFdCount(); // 0 in a thread that owns nothing
 * ```
 */
export const ownedFdCount: () => number = native.ownedFdCount;

/**
 * dup(2) via F_DUPFD_CLOEXEC (or F_DUPFD with `cloexec` false). With `hold`
 * true, the new fd is held for the calling environment until taken
 * ({@link claimFd}): a duplicate made to be owned ({@link ownFd}) is then
 * never without an owner, however its thread ends in between.
 *
 * @example
 * ```ts
 * import { close, dup, eventfd } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * const copy = dup(fd); // close-on-exec by default
 * close(fd); close(copy);
 * ```
 */
export const dup: (fd: number, cloexec?: boolean, hold?: boolean) => number = native.dup;

/**
 * dup2(2) (through dup3, close-on-exec unless `cloexec` is false): `target`
 * names `fd`'s file from now on. What `target` named before is closed, so, as
 * with {@link close}, its FdPoll watchers end and its signal relays go first.
 * Returns `target`.
 *
 * @example
 * ```ts
 * import { close, dup2, eventfd, pipe2 } from '@evring/sys';
 * const [r, w] = pipe2(0);
 * const e = eventfd(0, 0);
 * dup2(r, e); // e now names the pipe's read end; the eventfd is gone
 * close(r); close(w); close(e);
 * ```
 */
export const dup2: (fd: number, target: number, cloexec?: boolean) => number = native.dup2;

/**
 * fcntl(2) for F_GETFD, F_SETFD, F_GETFL and F_SETFL only.
 *
 * @example
 * ```ts
 * import { close, eventfd, fcntl } from '@evring/sys';
 * import { F_GETFL, O_NONBLOCK } from '@evring/abi';
 * const fd = eventfd(0, O_NONBLOCK);
 * (fcntl(fd, F_GETFL) & O_NONBLOCK) !== 0; // true
 * close(fd);
 * ```
 */
export const fcntl: (fd: number, cmd: number, arg?: number) => number = native.fcntl;

/**
 * getrlimit(RLIMIT_NOFILE); `Infinity` stands for RLIM_INFINITY.
 *
 * @example
 * ```ts
 * import { getrlimitNofile } from '@evring/sys';
 * const { soft, hard } = getrlimitNofile(); // e.g. { soft: 20000, hard: 20000 }
 * ```
 */
export const getrlimitNofile: () => { soft: number; hard: number } = native.getrlimitNofile;

/**
 * setrlimit(RLIMIT_NOFILE). Raising the hard limit needs privilege.
 *
 * @example
 * ```ts
 * import { getrlimitNofile, setrlimitNofile } from '@evring/sys';
 * const { soft, hard } = getrlimitNofile();
 * setrlimitNofile(hard, hard); // raise the soft limit as far as allowed
 * ```
 */
export const setrlimitNofile: (soft: number, hard: number) => void = native.setrlimitNofile;

/**
 * The running kernel's release string (uname -r).
 *
 * @example
 * ```ts
 * import { kernelRelease } from '@evring/sys';
 * const [major, minor] = kernelRelease().split('.').map(Number); // e.g. '6.18.0-1-amd64'
 * ```
 */
export const kernelRelease: () => string = native.kernelRelease;

/**
 * A new pseudo-terminal from /dev/ptmx: master and slave fds (both
 * close-on-exec) and the slave's path. `hold` as {@link eventfd}'s, for both.
 *
 * @example
 * ```ts
 * import { openpty, close, write, read } from '@evring/sys';
 * const { master, slave, name } = openpty(); // name: '/dev/pts/N'
 * write(master, Buffer.from('x'));
 * close(slave); close(master);
 * ```
 */
export const openpty: (hold?: boolean) => { master: number; slave: number; name: string } =
  native.openpty;

/**
 * Sets or clears O_NONBLOCK.
 *
 * @example
 * ```ts
 * import { close, eventfd, fcntl, setNonblocking } from '@evring/sys';
 * import { F_GETFL, O_NONBLOCK } from '@evring/abi';
 * const fd = eventfd(0, 0);
 * setNonblocking(fd, true);
 * (fcntl(fd, F_GETFL) & O_NONBLOCK) !== 0; // true
 * close(fd);
 * ```
 */
export function setNonblocking(fd: number, on: boolean): void {
  const flags = native.fcntl(fd, F_GETFL);
  native.fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

/**
 * Sets or clears FD_CLOEXEC.
 *
 * @example
 * ```ts
 * import { close, eventfd, fcntl, setCloexec } from '@evring/sys';
 * import { FD_CLOEXEC, F_GETFD } from '@evring/abi';
 * const fd = eventfd(0, 0);
 * setCloexec(fd, true);
 * fcntl(fd, F_GETFD) === FD_CLOEXEC; // true
 * close(fd);
 * ```
 */
export function setCloexec(fd: number, on: boolean): void {
  const flags = native.fcntl(fd, F_GETFD);
  native.fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
}
