/**
 * io_uring constants, spelled as in `linux/io_uring.h`, each group headed by
 * the field it belongs to. Kernel versions follow liburing's man pages
 * (io_uring_setup.2, io_uring_enter.2, io_uring_register.2); values newer than
 * this machine's 6.1-era UAPI headers are marked with the version that added
 * them and are checked against the running kernel's probe, not the headers.
 *
 * @module
 */

// ---------------------------------------------------------------------------
// io_uring_sqe.opcode
// ---------------------------------------------------------------------------
/**
 * Does nothing and completes with res 0: a ring round trip.
 *
 * @example
 * ```ts
 * import { IORING_OP_NOP, IORING_OP_READ, prepNop, prepRead, sqeOpcode } from '@evring/abi';
 * const sqes = new Uint32Array(32); // two SQE slots, as a ring's sqeWords
 * prepNop(sqes, 0);
 * prepRead(sqes, 64, 5, 0x10000, 4096, 0); // the second slot starts at byte 64
 * sqeOpcode(sqes, 0) === IORING_OP_NOP;   // true
 * sqeOpcode(sqes, 64) === IORING_OP_READ; // true
 * ```
 */
export const IORING_OP_NOP = 0;
/** Preadv2(2) into an iovec array. */
export const IORING_OP_READV = 1;
/** Pwritev2(2) from an iovec array. */
export const IORING_OP_WRITEV = 2;
/** fsync(2), or fdatasync with IORING_FSYNC_DATASYNC. */
export const IORING_OP_FSYNC = 3;
/** Read into a registered buffer (`buf_index`). */
export const IORING_OP_READ_FIXED = 4;
/** Write from a registered buffer (`buf_index`). */
export const IORING_OP_WRITE_FIXED = 5;
/**
 * Readiness poll of one fd (one-shot, or multishot with IORING_POLL_ADD_MULTI); `res` is the ready
 * mask.
 */
export const IORING_OP_POLL_ADD = 6;
/** Removes (or, with IORING_POLL_UPDATE_*, updates) the poll whose user_data is in `addr`. */
export const IORING_OP_POLL_REMOVE = 7;
/** sync_file_range(2). */
export const IORING_OP_SYNC_FILE_RANGE = 8;
/** sendmsg(2). */
export const IORING_OP_SENDMSG = 9;
/** recvmsg(2). */
export const IORING_OP_RECVMSG = 10;
/** Completes after a timespec elapses or after `off` other completions; linux 5.4. */
export const IORING_OP_TIMEOUT = 11;
/** Cancels (or updates) a pending IORING_OP_TIMEOUT; linux 5.5. */
export const IORING_OP_TIMEOUT_REMOVE = 12;
/** Accept4(2). */
export const IORING_OP_ACCEPT = 13;
/** Cancels the request whose user_data is in `addr`. */
export const IORING_OP_ASYNC_CANCEL = 14;
/** Bounds the SQE linked before it by a timespec. */
export const IORING_OP_LINK_TIMEOUT = 15;
/** connect(2). */
export const IORING_OP_CONNECT = 16;
/** fallocate(2); linux 5.6. */
export const IORING_OP_FALLOCATE = 17;
/** openat(2). */
export const IORING_OP_OPENAT = 18;
/** close(2). */
export const IORING_OP_CLOSE = 19;
/** Updates registered files from the ring. */
export const IORING_OP_FILES_UPDATE = 20;
/** statx(2). */
export const IORING_OP_STATX = 21;
/** read(2)/pread(2) into one buffer. */
export const IORING_OP_READ = 22;
/** write(2)/pwrite(2) from one buffer. */
export const IORING_OP_WRITE = 23;
/** posix_fadvise(2). */
export const IORING_OP_FADVISE = 24;
/** madvise(2). */
export const IORING_OP_MADVISE = 25;
/** send(2). */
export const IORING_OP_SEND = 26;
/** recv(2). */
export const IORING_OP_RECV = 27;
/** Openat2(2). */
export const IORING_OP_OPENAT2 = 28;
/** epoll_ctl(2). */
export const IORING_OP_EPOLL_CTL = 29;
/** splice(2); linux 5.7. */
export const IORING_OP_SPLICE = 30;
/** Hands a group of buffers to the kernel for IOSQE_BUFFER_SELECT. */
export const IORING_OP_PROVIDE_BUFFERS = 31;
/** Takes provided buffers back. */
export const IORING_OP_REMOVE_BUFFERS = 32;
/** tee(2); linux 5.8. */
export const IORING_OP_TEE = 33;
/** shutdown(2); linux 5.11. */
export const IORING_OP_SHUTDOWN = 34;
/** Renameat2(2). */
export const IORING_OP_RENAMEAT = 35;
/** unlinkat(2). */
export const IORING_OP_UNLINKAT = 36;
/** mkdirat(2); linux 5.15. */
export const IORING_OP_MKDIRAT = 37;
/** symlinkat(2). */
export const IORING_OP_SYMLINKAT = 38;
/** linkat(2). */
export const IORING_OP_LINKAT = 39;
/** Posts a CQE to another ring; linux 5.18. */
export const IORING_OP_MSG_RING = 40;
/** fsetxattr(2); linux 5.19. */
export const IORING_OP_FSETXATTR = 41;
/** setxattr(2). */
export const IORING_OP_SETXATTR = 42;
/** fgetxattr(2). */
export const IORING_OP_FGETXATTR = 43;
/** getxattr(2). */
export const IORING_OP_GETXATTR = 44;
/** socket(2). */
export const IORING_OP_SOCKET = 45;
/** A driver-specific passthrough command. */
export const IORING_OP_URING_CMD = 46;
/** Zero-copy send; a second CQE (IORING_CQE_F_NOTIF) says the buffer is free; linux 6.0. */
export const IORING_OP_SEND_ZC = 47;
/** Zero-copy sendmsg; linux 6.1. */
export const IORING_OP_SENDMSG_ZC = 48;
/** Repeated reads into provided buffers; linux 6.7 (newer than this machine's headers). */
export const IORING_OP_READ_MULTISHOT = 49;
/** waitid(2); linux 6.7. */
export const IORING_OP_WAITID = 50;
/** Futex wait; linux 6.7. */
export const IORING_OP_FUTEX_WAIT = 51;
/** Futex wake; linux 6.7. */
export const IORING_OP_FUTEX_WAKE = 52;
/** futex_waitv(2); linux 6.7. */
export const IORING_OP_FUTEX_WAITV = 53;
/** Turns a direct descriptor into a regular fd; linux 6.8. */
export const IORING_OP_FIXED_FD_INSTALL = 54;
/** ftruncate(2); linux 6.9. */
export const IORING_OP_FTRUNCATE = 55;
/** bind(2); linux 6.11. */
export const IORING_OP_BIND = 56;
/** listen(2); linux 6.11. */
export const IORING_OP_LISTEN = 57;

// ---------------------------------------------------------------------------
// io_uring_sqe.flags
// ---------------------------------------------------------------------------
/**
 * Use a registered (fixed) file: `fd` is an index into the table.
 *
 * @example
 * ```ts
 * import { IOSQE_ASYNC, IOSQE_IO_LINK, decodeSqe, prepNop, sqeSetFlags } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepNop(sqes, 0);
 * sqeSetFlags(sqes, 0, IOSQE_IO_LINK | IOSQE_ASYNC); // the next SQE waits for this one
 * decodeSqe(new DataView(sqes.buffer), 0).flags === (IOSQE_IO_LINK | IOSQE_ASYNC); // true
 * ```
 */
export const IOSQE_FIXED_FILE = 1 << 0;
/** Issue after all in-flight requests. */
export const IOSQE_IO_DRAIN = 1 << 1;
/** Link the next SQE (runs after this one succeeds) */
export const IOSQE_IO_LINK = 1 << 2;
/** Like IOSQE_IO_LINK, but the chain survives a failure. */
export const IOSQE_IO_HARDLINK = 1 << 3;
/** Always go async (io-wq) */
export const IOSQE_ASYNC = 1 << 4;
/** Select a buffer from `buf_group`. */
export const IOSQE_BUFFER_SELECT = 1 << 5;
/** Post no CQE on success; linux 5.17. */
export const IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

// ---------------------------------------------------------------------------
// io_uring_params.flags (io_uring_setup)
// ---------------------------------------------------------------------------
/**
 * Busy-poll for I/O completions (O_DIRECT block I/O only).
 *
 * @example
 * ```ts
 * import { IORING_SETUP_CLAMP, IORING_SETUP_CQSIZE, io_uring_params, readIoUringParams, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, cqEntries: 4096 });
 * readIoUringParams(params, 0).flags === (IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP); // true
 * ```
 */
export const IORING_SETUP_IOPOLL = 1 << 0;
/** A kernel thread polls the SQ (refused by @evring/sys). */
export const IORING_SETUP_SQPOLL = 1 << 1;
/** Pin the SQPOLL thread to `sq_thread_cpu`. */
export const IORING_SETUP_SQ_AFF = 1 << 2;
/** `cq_entries` is valid (sized apart from the SQ); linux 5.5. */
export const IORING_SETUP_CQSIZE = 1 << 3;
/** Clamp entries to the kernel maximum instead of EINVAL; linux 5.6. */
export const IORING_SETUP_CLAMP = 1 << 4;
/** Share the async worker pool of the ring in `wq_fd`. */
export const IORING_SETUP_ATTACH_WQ = 1 << 5;
/** Start disabled, enable with IORING_REGISTER_ENABLE_RINGS; linux 5.10. */
export const IORING_SETUP_R_DISABLED = 1 << 6;
/** Keep submitting after a failed SQE; linux 5.18. */
export const IORING_SETUP_SUBMIT_ALL = 1 << 7;
/** No IPI to run task work; linux 5.19. */
export const IORING_SETUP_COOP_TASKRUN = 1 << 8;
/** Set IORING_SQ_TASKRUN when task work is pending; linux 5.19. */
export const IORING_SETUP_TASKRUN_FLAG = 1 << 9;
/** 128-byte SQEs (for IORING_OP_URING_CMD); linux 5.19. */
export const IORING_SETUP_SQE128 = 1 << 10;
/** 32-byte CQEs (for IORING_OP_URING_CMD); linux 5.19. */
export const IORING_SETUP_CQE32 = 1 << 11;
/** Only one task submits; linux 6.0. */
export const IORING_SETUP_SINGLE_ISSUER = 1 << 12;
/** Run task work only in io_uring_enter(GETEVENTS); linux 6.1. */
export const IORING_SETUP_DEFER_TASKRUN = 1 << 13;
/** Application-provided ring memory; linux 6.5. */
export const IORING_SETUP_NO_MMAP = 1 << 14;
/** The ring fd exists only as a registered index; linux 6.5. */
export const IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15;
/** No SQ index array: SQEs are consumed in ring order; linux 6.6. */
export const IORING_SETUP_NO_SQARRAY = 1 << 16;
/** Linux 6.13. */
export const IORING_SETUP_HYBRID_IOPOLL = 1 << 17;

// ---------------------------------------------------------------------------
// io_uring_params.features
// ---------------------------------------------------------------------------
/**
 * SQ and CQ rings share one mapping; linux 5.4.
 *
 * @example
 * ```ts
 * import { IORING_FEAT_EXT_ARG, IORING_FEAT_NODROP, IORING_FEAT_SINGLE_MMAP } from '@evring/abi';
 * const features = 0x3fff; // as io_uring_setup fills it on linux 6.x (IoUring.params.features in @evring/sys)
 * (features & IORING_FEAT_SINGLE_MMAP) !== 0; // true: one mapping serves both rings
 * (features & (IORING_FEAT_NODROP | IORING_FEAT_EXT_ARG)) === (IORING_FEAT_NODROP | IORING_FEAT_EXT_ARG); // true
 * ```
 */
export const IORING_FEAT_SINGLE_MMAP = 1 << 0;
/** Overflowed CQEs are kept in the kernel, not dropped; linux 5.5. */
export const IORING_FEAT_NODROP = 1 << 1;
/** Data for async offload is consumed at submission; linux 5.5. */
export const IORING_FEAT_SUBMIT_STABLE = 1 << 2;
/** Linux 5.6. */
export const IORING_FEAT_RW_CUR_POS = 1 << 3;
/** Linux 5.6. */
export const IORING_FEAT_CUR_PERSONALITY = 1 << 4;
/** Linux 5.7. */
export const IORING_FEAT_FAST_POLL = 1 << 5;
/** 32-bit poll masks (poll32_events); linux 5.9. */
export const IORING_FEAT_POLL_32BITS = 1 << 6;
/** Linux 5.11. */
export const IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;
/** io_uring_enter takes io_uring_getevents_arg (a wait timeout); linux 5.11. */
export const IORING_FEAT_EXT_ARG = 1 << 8;
/** Linux 5.12. */
export const IORING_FEAT_NATIVE_WORKERS = 1 << 9;
/** Linux 5.13. */
export const IORING_FEAT_RSRC_TAGS = 1 << 10;
/** Linux 5.17. */
export const IORING_FEAT_CQE_SKIP = 1 << 11;
/** Linux 5.17. */
export const IORING_FEAT_LINKED_FILE = 1 << 12;
/** io_uring_register through a registered ring fd; linux 6.3. */
export const IORING_FEAT_REG_REG_RING = 1 << 13;
/** Linux 6.10. */
export const IORING_FEAT_RECVSEND_BUNDLE = 1 << 14;
/** io_uring_getevents_arg.min_wait_usec; linux 6.12. */
export const IORING_FEAT_MIN_TIMEOUT = 1 << 15;
/** Linux 6.14. */
export const IORING_FEAT_RW_ATTR = 1 << 16;
/** IORING_ENTER_NO_IOWAIT; linux 6.15. */
export const IORING_FEAT_NO_IOWAIT = 1 << 17;

// ---------------------------------------------------------------------------
// io_uring_enter flags
// ---------------------------------------------------------------------------
/**
 * Wait for `min_complete` completions.
 *
 * @example
 * ```ts
 * import { IORING_ENTER_EXT_ARG, IORING_ENTER_GETEVENTS } from '@evring/abi';
 * // Wait for completions, with the timeout in an io_uring_getevents_arg (linux 5.11).
 * const flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG;
 * flags; // 9
 * ```
 */
export const IORING_ENTER_GETEVENTS = 1 << 0;
/** Wake the SQPOLL thread. */
export const IORING_ENTER_SQ_WAKEUP = 1 << 1;
/** Wait until the SQPOLL thread has room in the SQ. */
export const IORING_ENTER_SQ_WAIT = 1 << 2;
/** The last argument is io_uring_getevents_arg; linux 5.11. */
export const IORING_ENTER_EXT_ARG = 1 << 3;
/** `fd` is a registered ring index; linux 5.18. */
export const IORING_ENTER_REGISTERED_RING = 1 << 4;
/** The EXT_ARG timeout is absolute; linux 6.12. */
export const IORING_ENTER_ABS_TIMER = 1 << 5;
/** Linux 6.13. */
export const IORING_ENTER_EXT_ARG_REG = 1 << 6;
/** Do not count the wait as iowait; linux 6.15. */
export const IORING_ENTER_NO_IOWAIT = 1 << 7;

// ---------------------------------------------------------------------------
// SQ ring flags (`*sq_off.flags`) and CQ ring flags (`*cq_off.flags`)
// ---------------------------------------------------------------------------
/**
 * The SQPOLL thread sleeps: wake it with IORING_ENTER_SQ_WAKEUP.
 *
 * @example
 * ```ts
 * import { IORING_SQ_CQ_OVERFLOW, IORING_SQ_TASKRUN } from '@evring/abi';
 * const sqFlags = IORING_SQ_CQ_OVERFLOW; // as read from the ring (IoUring.sqFlags in @evring/sys)
 * (sqFlags & IORING_SQ_CQ_OVERFLOW) !== 0; // true: flush with io_uring_enter(GETEVENTS)
 * (sqFlags & IORING_SQ_TASKRUN) !== 0;     // false
 * ```
 */
export const IORING_SQ_NEED_WAKEUP = 1 << 0;
/** Completions wait in the kernel's overflow list: flush with GETEVENTS. */
export const IORING_SQ_CQ_OVERFLOW = 1 << 1;
/** Task work is pending (TASKRUN_FLAG): enter the kernel to run it; linux 5.19. */
export const IORING_SQ_TASKRUN = 1 << 2;
/** Suppress eventfd notifications; linux 5.8. */
export const IORING_CQ_EVENTFD_DISABLED = 1 << 0;

// ---------------------------------------------------------------------------
// io_uring_cqe.flags
// ---------------------------------------------------------------------------
/**
 * The upper 16 bits hold a selected buffer id.
 *
 * @example
 * ```ts
 * import { IORING_CQE_F_MORE, cqeFlags, io_uring_cqe, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 1n, res: 1, flags: IORING_CQE_F_MORE });
 * (cqeFlags(cqe, 0) & IORING_CQE_F_MORE) !== 0; // true: a multishot request stays armed
 * ```
 */
export const IORING_CQE_F_BUFFER = 1 << 0;
/** The request stays armed (multishot): more CQEs follow. */
export const IORING_CQE_F_MORE = 1 << 1;
/** The socket still has data after this receive; linux 5.19. */
export const IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;
/** A zero-copy send notification: the buffer may be reused; linux 6.0. */
export const IORING_CQE_F_NOTIF = 1 << 3;
/** Linux 6.12. */
export const IORING_CQE_F_BUF_MORE = 1 << 4;
/** Shift of the buffer id in the CQE flags (with IORING_CQE_F_BUFFER). */
export const IORING_CQE_BUFFER_SHIFT = 16;

// ---------------------------------------------------------------------------
// mmap offsets
// ---------------------------------------------------------------------------
/**
 * Mmap offset of the SQ ring (and of both rings with IORING_FEAT_SINGLE_MMAP).
 *
 * @example
 * ```ts
 * import { IORING_OFF_CQ_RING, IORING_OFF_SQES, IORING_OFF_SQ_RING } from '@evring/abi';
 * // The mmap(2) offsets of a ring's regions; IORING_FEAT_SINGLE_MMAP maps both rings at the first.
 * [IORING_OFF_SQ_RING, IORING_OFF_CQ_RING, IORING_OFF_SQES]; // [0, 134217728, 268435456]
 * ```
 */
export const IORING_OFF_SQ_RING = 0;
/** Mmap offset of the CQ ring. */
export const IORING_OFF_CQ_RING = 0x8000000;
/** Mmap offset of the SQE array. */
export const IORING_OFF_SQES = 0x10000000;
/** Linux 5.19. */
export const IORING_OFF_PBUF_RING = 0x80000000;
/** Shift of the buffer group id in a IORING_OFF_PBUF_RING offset. */
export const IORING_OFF_PBUF_SHIFT = 16;
/** The bits of an mmap offset that select the region. */
export const IORING_OFF_MMAP_MASK = 0xf8000000;

// ---------------------------------------------------------------------------
// io_uring_sqe.len for IORING_OP_POLL_ADD / POLL_REMOVE
// ---------------------------------------------------------------------------
/**
 * Multishot poll: stays armed, CQEs carry IORING_CQE_F_MORE; linux 5.13.
 *
 * @example
 * ```ts
 * import { IORING_POLL_ADD_MULTI, IORING_POLL_UPDATE_EVENTS, POLLIN, POLLOUT, decodeSqe, prepPollAdd, prepPollUpdate } from '@evring/abi';
 * const sqes = new Uint32Array(32);
 * prepPollAdd(sqes, 0, 5, POLLIN, { multishot: true });
 * prepPollUpdate(sqes, 64, 1, 0, { events: POLLOUT, multishot: true });
 * const view = new DataView(sqes.buffer);
 * decodeSqe(view, 0).len === IORING_POLL_ADD_MULTI; // true
 * decodeSqe(view, 64).len === (IORING_POLL_UPDATE_EVENTS | IORING_POLL_ADD_MULTI); // true
 * ```
 */
export const IORING_POLL_ADD_MULTI = 1 << 0;
/** Poll update: replace the event mask; linux 5.13. */
export const IORING_POLL_UPDATE_EVENTS = 1 << 1;
/** Poll update: replace user_data (new value in `off`); linux 5.13. */
export const IORING_POLL_UPDATE_USER_DATA = 1 << 2;
/** Level-triggered poll; defined, but the kernel answers EINVAL (6.1 .. 6.18 at least) */
export const IORING_POLL_ADD_LEVEL = 1 << 3;

// ---------------------------------------------------------------------------
// io_uring_sqe.timeout_flags
// ---------------------------------------------------------------------------
/**
 * The timespec is an absolute time, not a duration.
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_ABS, IORING_TIMEOUT_BOOTTIME, decodeSqe, prepTimeout } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepTimeout(sqes, 0, 0x10000, { flags: IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME });
 * decodeSqe(new DataView(sqes.buffer), 0).opFlags === (IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME); // true
 * ```
 */
export const IORING_TIMEOUT_ABS = 1 << 0;
/** Linux 5.11. */
export const IORING_TIMEOUT_UPDATE = 1 << 1;
/** Linux 5.15. */
export const IORING_TIMEOUT_BOOTTIME = 1 << 2;
/** Linux 5.15. */
export const IORING_TIMEOUT_REALTIME = 1 << 3;
/** TIMEOUT_REMOVE updates a linked timeout; linux 5.15. */
export const IORING_LINK_TIMEOUT_UPDATE = 1 << 4;
/** Linux 5.16. */
export const IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;
/** Linux 6.4. */
export const IORING_TIMEOUT_MULTISHOT = 1 << 6;
/** The clock-selecting bits of `timeout_flags`. */
export const IORING_TIMEOUT_CLOCK_MASK = IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME;
/** The update-selecting bits of `timeout_flags`. */
export const IORING_TIMEOUT_UPDATE_MASK = IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE;

// ---------------------------------------------------------------------------
// io_uring_sqe.fsync_flags, cancel_flags
// ---------------------------------------------------------------------------
/**
 * Fdatasync instead of fsync.
 *
 * @example
 * ```ts
 * import { IORING_ASYNC_CANCEL_ALL, IORING_FSYNC_DATASYNC, decodeSqe, prepCancel, prepFsync } from '@evring/abi';
 * const sqes = new Uint32Array(32);
 * prepFsync(sqes, 0, 5, { datasync: true });
 * prepCancel(sqes, 64, 7, 0, { flags: IORING_ASYNC_CANCEL_ALL });
 * const view = new DataView(sqes.buffer);
 * decodeSqe(view, 0).opFlags === IORING_FSYNC_DATASYNC;    // true
 * decodeSqe(view, 64).opFlags === IORING_ASYNC_CANCEL_ALL; // true
 * ```
 */
export const IORING_FSYNC_DATASYNC = 1 << 0;
/** Cancel every request that matches, not the first; linux 5.19. */
export const IORING_ASYNC_CANCEL_ALL = 1 << 0;
/** Match on the fd instead of user_data; linux 5.19. */
export const IORING_ASYNC_CANCEL_FD = 1 << 1;
/** Match any request; linux 5.19. */
export const IORING_ASYNC_CANCEL_ANY = 1 << 2;
/** The fd to match is a registered index; linux 6.0. */
export const IORING_ASYNC_CANCEL_FD_FIXED = 1 << 3;
/** Match on user_data (combinable with the others); linux 6.6. */
export const IORING_ASYNC_CANCEL_USERDATA = 1 << 4;
/** Match on the opcode; linux 6.6. */
export const IORING_ASYNC_CANCEL_OP = 1 << 5;

// ---------------------------------------------------------------------------
// io_uring_register opcodes
// ---------------------------------------------------------------------------
/**
 * Register fixed buffers.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_PROBE, probeSize, readProbe } from '@evring/abi';
 * // io_uring_register(fd, IORING_REGISTER_PROBE, buf, 256) fills a probe (IoUring.probe() in @evring/sys).
 * const buf = new Uint8Array(probeSize(256));
 * readProbe(new DataView(buf.buffer), 0).supported.size; // 0: nothing filled in yet
 * IORING_REGISTER_PROBE; // 8
 * ```
 */
export const IORING_REGISTER_BUFFERS = 0;
/** Drop the fixed buffers. */
export const IORING_UNREGISTER_BUFFERS = 1;
/** Register a fixed-file table. */
export const IORING_REGISTER_FILES = 2;
/** Drop the fixed-file table. */
export const IORING_UNREGISTER_FILES = 3;
/** Signal an eventfd as completions post; linux 5.2. */
export const IORING_REGISTER_EVENTFD = 4;
/** Stop signalling the eventfd. */
export const IORING_UNREGISTER_EVENTFD = 5;
/** Replace entries of the fixed-file table. */
export const IORING_REGISTER_FILES_UPDATE = 6;
/** Signal an eventfd only for completions that went async; linux 5.6. */
export const IORING_REGISTER_EVENTFD_ASYNC = 7;
/** List the supported opcodes; linux 5.6. */
export const IORING_REGISTER_PROBE = 8;
/** Register the current credentials. */
export const IORING_REGISTER_PERSONALITY = 9;
/** Drop registered credentials. */
export const IORING_UNREGISTER_PERSONALITY = 10;
/** Restrict the opcodes a disabled ring will accept; linux 5.10. */
export const IORING_REGISTER_RESTRICTIONS = 11;
/** Enable a ring set up with IORING_SETUP_R_DISABLED; linux 5.10. */
export const IORING_REGISTER_ENABLE_RINGS = 12;
/** Register files with tags. */
export const IORING_REGISTER_FILES2 = 13;
/** Update tagged files. */
export const IORING_REGISTER_FILES_UPDATE2 = 14;
/** Register buffers with tags. */
export const IORING_REGISTER_BUFFERS2 = 15;
/** Update tagged buffers. */
export const IORING_REGISTER_BUFFERS_UPDATE = 16;
/** Set the CPU affinity of the async workers. */
export const IORING_REGISTER_IOWQ_AFF = 17;
/** Clear that affinity. */
export const IORING_UNREGISTER_IOWQ_AFF = 18;
/** Cap the number of async workers. */
export const IORING_REGISTER_IOWQ_MAX_WORKERS = 19;
/** Register the ring fd itself (IORING_ENTER_REGISTERED_RING); linux 5.18. */
export const IORING_REGISTER_RING_FDS = 20;
/** Drop a registered ring fd. */
export const IORING_UNREGISTER_RING_FDS = 21;
/** Register a provided-buffer ring. */
export const IORING_REGISTER_PBUF_RING = 22;
/** Drop a provided-buffer ring. */
export const IORING_UNREGISTER_PBUF_RING = 23;
/** Cancel requests synchronously. */
export const IORING_REGISTER_SYNC_CANCEL = 24;
/** Set the range for auto-allocated direct descriptors. */
export const IORING_REGISTER_FILE_ALLOC_RANGE = 25;
/** Read the head of a provided-buffer ring; linux 6.8. */
export const IORING_REGISTER_PBUF_STATUS = 26;
/** Enable NAPI busy polling; linux 6.9. */
export const IORING_REGISTER_NAPI = 27;
/** Disable NAPI busy polling. */
export const IORING_UNREGISTER_NAPI = 28;
/** Choose the clock of wait timeouts; linux 6.12. */
export const IORING_REGISTER_CLOCK = 29;
/** Copy registered buffers from another ring; linux 6.12. */
export const IORING_REGISTER_CLONE_BUFFERS = 30;
/** Post a CQE to a ring without a source ring; linux 6.13. */
export const IORING_REGISTER_SEND_MSG_RING = 31;
/** Register a zero-copy receive queue; linux 6.15. */
export const IORING_REGISTER_ZCRX_IFQ = 32;
/** Resize the SQ and CQ rings; linux 6.13. */
export const IORING_REGISTER_RESIZE_RINGS = 33;
/** OR into an opcode: `fd` is a registered ring index; linux 6.3. */
export const IORING_REGISTER_USE_REGISTERED_RING = 0x80000000;

// ---------------------------------------------------------------------------
// io_uring_probe_op.flags, direct descriptors and limits
// ---------------------------------------------------------------------------
/**
 * The opcode is supported.
 *
 * @example
 * ```ts
 * import { IORING_MAX_ENTRIES, IO_URING_OP_SUPPORTED, io_uring_probe_op } from '@evring/abi';
 * const op = new DataView(new ArrayBuffer(io_uring_probe_op.size));
 * op.setUint16(io_uring_probe_op.fields.flags.offset, IO_URING_OP_SUPPORTED, true);
 * (op.getUint16(io_uring_probe_op.fields.flags.offset, true) & IO_URING_OP_SUPPORTED) !== 0; // true
 * IORING_MAX_ENTRIES; // 32768
 * ```
 */
export const IO_URING_OP_SUPPORTED = 1 << 0;
/** Sqe.file_index: let the kernel pick a direct descriptor slot. */
export const IORING_FILE_INDEX_ALLOC = 0xffffffff;

/**
 * The kernel's hard caps (IORING_MAX_ENTRIES, IORING_MAX_CQ_ENTRIES); larger requests need
 * IORING_SETUP_CLAMP.
 */
export const IORING_MAX_ENTRIES = 32768;
/** The kernel's hard cap on CQ entries (twice IORING_MAX_ENTRIES). */
export const IORING_MAX_CQ_ENTRIES = 2 * IORING_MAX_ENTRIES;
