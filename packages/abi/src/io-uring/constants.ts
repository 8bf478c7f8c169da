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
export const IORING_OP_NOP = 0;
export const IORING_OP_READV = 1;
export const IORING_OP_WRITEV = 2;
export const IORING_OP_FSYNC = 3;
export const IORING_OP_READ_FIXED = 4;
export const IORING_OP_WRITE_FIXED = 5;
export const IORING_OP_POLL_ADD = 6;
export const IORING_OP_POLL_REMOVE = 7;
export const IORING_OP_SYNC_FILE_RANGE = 8;
export const IORING_OP_SENDMSG = 9;
export const IORING_OP_RECVMSG = 10;
/** linux 5.4 */
export const IORING_OP_TIMEOUT = 11;
/** linux 5.5 */
export const IORING_OP_TIMEOUT_REMOVE = 12;
export const IORING_OP_ACCEPT = 13;
export const IORING_OP_ASYNC_CANCEL = 14;
export const IORING_OP_LINK_TIMEOUT = 15;
export const IORING_OP_CONNECT = 16;
/** linux 5.6 */
export const IORING_OP_FALLOCATE = 17;
export const IORING_OP_OPENAT = 18;
export const IORING_OP_CLOSE = 19;
export const IORING_OP_FILES_UPDATE = 20;
export const IORING_OP_STATX = 21;
export const IORING_OP_READ = 22;
export const IORING_OP_WRITE = 23;
export const IORING_OP_FADVISE = 24;
export const IORING_OP_MADVISE = 25;
export const IORING_OP_SEND = 26;
export const IORING_OP_RECV = 27;
export const IORING_OP_OPENAT2 = 28;
export const IORING_OP_EPOLL_CTL = 29;
/** linux 5.7 */
export const IORING_OP_SPLICE = 30;
export const IORING_OP_PROVIDE_BUFFERS = 31;
export const IORING_OP_REMOVE_BUFFERS = 32;
/** linux 5.8 */
export const IORING_OP_TEE = 33;
/** linux 5.11 */
export const IORING_OP_SHUTDOWN = 34;
export const IORING_OP_RENAMEAT = 35;
export const IORING_OP_UNLINKAT = 36;
/** linux 5.15 */
export const IORING_OP_MKDIRAT = 37;
export const IORING_OP_SYMLINKAT = 38;
export const IORING_OP_LINKAT = 39;
/** linux 5.18 */
export const IORING_OP_MSG_RING = 40;
/** linux 5.19 */
export const IORING_OP_FSETXATTR = 41;
export const IORING_OP_SETXATTR = 42;
export const IORING_OP_FGETXATTR = 43;
export const IORING_OP_GETXATTR = 44;
export const IORING_OP_SOCKET = 45;
export const IORING_OP_URING_CMD = 46;
/** linux 6.0 */
export const IORING_OP_SEND_ZC = 47;
/** linux 6.1 */
export const IORING_OP_SENDMSG_ZC = 48;
/** linux 6.7 (newer than this machine's headers) */
export const IORING_OP_READ_MULTISHOT = 49;
/** linux 6.7 */
export const IORING_OP_WAITID = 50;
/** linux 6.7 */
export const IORING_OP_FUTEX_WAIT = 51;
/** linux 6.7 */
export const IORING_OP_FUTEX_WAKE = 52;
/** linux 6.7 */
export const IORING_OP_FUTEX_WAITV = 53;
/** linux 6.8 */
export const IORING_OP_FIXED_FD_INSTALL = 54;
/** linux 6.9 */
export const IORING_OP_FTRUNCATE = 55;
/** linux 6.11 */
export const IORING_OP_BIND = 56;
/** linux 6.11 */
export const IORING_OP_LISTEN = 57;

// ---------------------------------------------------------------------------
// io_uring_sqe.flags
// ---------------------------------------------------------------------------
/** use a registered (fixed) file: `fd` is an index into the table */
export const IOSQE_FIXED_FILE = 1 << 0;
/** issue after all in-flight requests */
export const IOSQE_IO_DRAIN = 1 << 1;
/** link the next SQE (runs after this one succeeds) */
export const IOSQE_IO_LINK = 1 << 2;
/** like IOSQE_IO_LINK, but the chain survives a failure */
export const IOSQE_IO_HARDLINK = 1 << 3;
/** always go async (io-wq) */
export const IOSQE_ASYNC = 1 << 4;
/** select a buffer from `buf_group` */
export const IOSQE_BUFFER_SELECT = 1 << 5;
/** post no CQE on success; linux 5.17 */
export const IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

// ---------------------------------------------------------------------------
// io_uring_params.flags (io_uring_setup)
// ---------------------------------------------------------------------------
export const IORING_SETUP_IOPOLL = 1 << 0;
export const IORING_SETUP_SQPOLL = 1 << 1;
export const IORING_SETUP_SQ_AFF = 1 << 2;
/** `cq_entries` is valid (sized apart from the SQ); linux 5.5 */
export const IORING_SETUP_CQSIZE = 1 << 3;
/** clamp entries to the kernel maximum instead of EINVAL; linux 5.6 */
export const IORING_SETUP_CLAMP = 1 << 4;
export const IORING_SETUP_ATTACH_WQ = 1 << 5;
/** start disabled, enable with IORING_REGISTER_ENABLE_RINGS; linux 5.10 */
export const IORING_SETUP_R_DISABLED = 1 << 6;
/** keep submitting after a failed SQE; linux 5.18 */
export const IORING_SETUP_SUBMIT_ALL = 1 << 7;
/** no IPI to run task work; linux 5.19 */
export const IORING_SETUP_COOP_TASKRUN = 1 << 8;
/** set IORING_SQ_TASKRUN when task work is pending; linux 5.19 */
export const IORING_SETUP_TASKRUN_FLAG = 1 << 9;
export const IORING_SETUP_SQE128 = 1 << 10;
export const IORING_SETUP_CQE32 = 1 << 11;
/** only one task submits; linux 6.0 */
export const IORING_SETUP_SINGLE_ISSUER = 1 << 12;
/** run task work only in io_uring_enter(GETEVENTS); linux 6.1 */
export const IORING_SETUP_DEFER_TASKRUN = 1 << 13;
/** application-provided ring memory; linux 6.5 */
export const IORING_SETUP_NO_MMAP = 1 << 14;
/** the ring fd exists only as a registered index; linux 6.5 */
export const IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15;
/** no SQ index array: SQEs are consumed in ring order; linux 6.6 */
export const IORING_SETUP_NO_SQARRAY = 1 << 16;
/** linux 6.13 */
export const IORING_SETUP_HYBRID_IOPOLL = 1 << 17;

// ---------------------------------------------------------------------------
// io_uring_params.features
// ---------------------------------------------------------------------------
/** SQ and CQ rings share one mapping; linux 5.4 */
export const IORING_FEAT_SINGLE_MMAP = 1 << 0;
/** overflowed CQEs are kept in the kernel, not dropped; linux 5.5 */
export const IORING_FEAT_NODROP = 1 << 1;
/** data for async offload is consumed at submission; linux 5.5 */
export const IORING_FEAT_SUBMIT_STABLE = 1 << 2;
/** linux 5.6 */
export const IORING_FEAT_RW_CUR_POS = 1 << 3;
/** linux 5.6 */
export const IORING_FEAT_CUR_PERSONALITY = 1 << 4;
/** linux 5.7 */
export const IORING_FEAT_FAST_POLL = 1 << 5;
/** 32-bit poll masks (poll32_events); linux 5.9 */
export const IORING_FEAT_POLL_32BITS = 1 << 6;
/** linux 5.11 */
export const IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;
/** io_uring_enter takes io_uring_getevents_arg (a wait timeout); linux 5.11 */
export const IORING_FEAT_EXT_ARG = 1 << 8;
/** linux 5.12 */
export const IORING_FEAT_NATIVE_WORKERS = 1 << 9;
/** linux 5.13 */
export const IORING_FEAT_RSRC_TAGS = 1 << 10;
/** linux 5.17 */
export const IORING_FEAT_CQE_SKIP = 1 << 11;
/** linux 5.17 */
export const IORING_FEAT_LINKED_FILE = 1 << 12;
/** io_uring_register through a registered ring fd; linux 6.3 */
export const IORING_FEAT_REG_REG_RING = 1 << 13;
/** linux 6.10 */
export const IORING_FEAT_RECVSEND_BUNDLE = 1 << 14;
/** io_uring_getevents_arg.min_wait_usec; linux 6.12 */
export const IORING_FEAT_MIN_TIMEOUT = 1 << 15;
/** linux 6.14 */
export const IORING_FEAT_RW_ATTR = 1 << 16;
/** IORING_ENTER_NO_IOWAIT; linux 6.15 */
export const IORING_FEAT_NO_IOWAIT = 1 << 17;

// ---------------------------------------------------------------------------
// io_uring_enter flags
// ---------------------------------------------------------------------------
export const IORING_ENTER_GETEVENTS = 1 << 0;
export const IORING_ENTER_SQ_WAKEUP = 1 << 1;
export const IORING_ENTER_SQ_WAIT = 1 << 2;
/** the last argument is io_uring_getevents_arg; linux 5.11 */
export const IORING_ENTER_EXT_ARG = 1 << 3;
/** `fd` is a registered ring index; linux 5.18 */
export const IORING_ENTER_REGISTERED_RING = 1 << 4;
/** the EXT_ARG timeout is absolute; linux 6.12 */
export const IORING_ENTER_ABS_TIMER = 1 << 5;
/** linux 6.13 */
export const IORING_ENTER_EXT_ARG_REG = 1 << 6;
/** do not count the wait as iowait; linux 6.15 */
export const IORING_ENTER_NO_IOWAIT = 1 << 7;

// ---------------------------------------------------------------------------
// SQ ring flags (`*sq_off.flags`) and CQ ring flags (`*cq_off.flags`)
// ---------------------------------------------------------------------------
/** the SQPOLL thread sleeps: wake it with IORING_ENTER_SQ_WAKEUP */
export const IORING_SQ_NEED_WAKEUP = 1 << 0;
/** completions wait in the kernel's overflow list: flush with GETEVENTS */
export const IORING_SQ_CQ_OVERFLOW = 1 << 1;
/** task work is pending (TASKRUN_FLAG): enter the kernel to run it; linux 5.19 */
export const IORING_SQ_TASKRUN = 1 << 2;
/** suppress eventfd notifications; linux 5.8 */
export const IORING_CQ_EVENTFD_DISABLED = 1 << 0;

// ---------------------------------------------------------------------------
// io_uring_cqe.flags
// ---------------------------------------------------------------------------
/** the upper 16 bits hold a selected buffer id */
export const IORING_CQE_F_BUFFER = 1 << 0;
/** the request stays armed (multishot): more CQEs follow */
export const IORING_CQE_F_MORE = 1 << 1;
export const IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;
export const IORING_CQE_F_NOTIF = 1 << 3;
/** linux 6.12 */
export const IORING_CQE_F_BUF_MORE = 1 << 4;
export const IORING_CQE_BUFFER_SHIFT = 16;

// ---------------------------------------------------------------------------
// mmap offsets
// ---------------------------------------------------------------------------
export const IORING_OFF_SQ_RING = 0;
export const IORING_OFF_CQ_RING = 0x8000000;
export const IORING_OFF_SQES = 0x10000000;
/** linux 5.19 */
export const IORING_OFF_PBUF_RING = 0x80000000;
export const IORING_OFF_PBUF_SHIFT = 16;
export const IORING_OFF_MMAP_MASK = 0xf8000000;

// ---------------------------------------------------------------------------
// io_uring_sqe.len for IORING_OP_POLL_ADD / POLL_REMOVE
// ---------------------------------------------------------------------------
/** multishot poll: stays armed, CQEs carry IORING_CQE_F_MORE; linux 5.13 */
export const IORING_POLL_ADD_MULTI = 1 << 0;
/** poll update: replace the event mask; linux 5.13 */
export const IORING_POLL_UPDATE_EVENTS = 1 << 1;
/** poll update: replace user_data (new value in `off`); linux 5.13 */
export const IORING_POLL_UPDATE_USER_DATA = 1 << 2;
/** level-triggered poll; defined, but the kernel answers EINVAL (6.1 .. 6.18 at least) */
export const IORING_POLL_ADD_LEVEL = 1 << 3;

// ---------------------------------------------------------------------------
// io_uring_sqe.timeout_flags
// ---------------------------------------------------------------------------
export const IORING_TIMEOUT_ABS = 1 << 0;
/** linux 5.11 */
export const IORING_TIMEOUT_UPDATE = 1 << 1;
/** linux 5.15 */
export const IORING_TIMEOUT_BOOTTIME = 1 << 2;
/** linux 5.15 */
export const IORING_TIMEOUT_REALTIME = 1 << 3;
export const IORING_LINK_TIMEOUT_UPDATE = 1 << 4;
/** linux 5.16 */
export const IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;
/** linux 6.4 */
export const IORING_TIMEOUT_MULTISHOT = 1 << 6;
export const IORING_TIMEOUT_CLOCK_MASK = IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME;
export const IORING_TIMEOUT_UPDATE_MASK = IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE;

// ---------------------------------------------------------------------------
// io_uring_sqe.fsync_flags, cancel_flags
// ---------------------------------------------------------------------------
export const IORING_FSYNC_DATASYNC = 1 << 0;
export const IORING_ASYNC_CANCEL_ALL = 1 << 0;
export const IORING_ASYNC_CANCEL_FD = 1 << 1;
export const IORING_ASYNC_CANCEL_ANY = 1 << 2;
export const IORING_ASYNC_CANCEL_FD_FIXED = 1 << 3;
export const IORING_ASYNC_CANCEL_USERDATA = 1 << 4;
export const IORING_ASYNC_CANCEL_OP = 1 << 5;

// ---------------------------------------------------------------------------
// io_uring_register opcodes
// ---------------------------------------------------------------------------
export const IORING_REGISTER_BUFFERS = 0;
export const IORING_UNREGISTER_BUFFERS = 1;
export const IORING_REGISTER_FILES = 2;
export const IORING_UNREGISTER_FILES = 3;
/** linux 5.2 */
export const IORING_REGISTER_EVENTFD = 4;
export const IORING_UNREGISTER_EVENTFD = 5;
export const IORING_REGISTER_FILES_UPDATE = 6;
/** linux 5.6 */
export const IORING_REGISTER_EVENTFD_ASYNC = 7;
/** linux 5.6 */
export const IORING_REGISTER_PROBE = 8;
export const IORING_REGISTER_PERSONALITY = 9;
export const IORING_UNREGISTER_PERSONALITY = 10;
/** linux 5.10 */
export const IORING_REGISTER_RESTRICTIONS = 11;
/** linux 5.10 */
export const IORING_REGISTER_ENABLE_RINGS = 12;
export const IORING_REGISTER_FILES2 = 13;
export const IORING_REGISTER_FILES_UPDATE2 = 14;
export const IORING_REGISTER_BUFFERS2 = 15;
export const IORING_REGISTER_BUFFERS_UPDATE = 16;
export const IORING_REGISTER_IOWQ_AFF = 17;
export const IORING_UNREGISTER_IOWQ_AFF = 18;
export const IORING_REGISTER_IOWQ_MAX_WORKERS = 19;
/** linux 5.18 */
export const IORING_REGISTER_RING_FDS = 20;
export const IORING_UNREGISTER_RING_FDS = 21;
export const IORING_REGISTER_PBUF_RING = 22;
export const IORING_UNREGISTER_PBUF_RING = 23;
export const IORING_REGISTER_SYNC_CANCEL = 24;
export const IORING_REGISTER_FILE_ALLOC_RANGE = 25;
/** linux 6.8 */
export const IORING_REGISTER_PBUF_STATUS = 26;
/** linux 6.9 */
export const IORING_REGISTER_NAPI = 27;
export const IORING_UNREGISTER_NAPI = 28;
/** linux 6.12 */
export const IORING_REGISTER_CLOCK = 29;
/** linux 6.12 */
export const IORING_REGISTER_CLONE_BUFFERS = 30;
/** linux 6.13 */
export const IORING_REGISTER_SEND_MSG_RING = 31;
/** linux 6.15 */
export const IORING_REGISTER_ZCRX_IFQ = 32;
/** linux 6.13 */
export const IORING_REGISTER_RESIZE_RINGS = 33;
/** OR into an opcode: `fd` is a registered ring index; linux 6.3 */
export const IORING_REGISTER_USE_REGISTERED_RING = 0x80000000;

/** io_uring_probe_op.flags: the opcode is supported */
export const IO_URING_OP_SUPPORTED = 1 << 0;
/** sqe.file_index: let the kernel pick a direct descriptor slot */
export const IORING_FILE_INDEX_ALLOC = 0xffffffff;

/** The kernel's hard caps (IORING_MAX_ENTRIES, IORING_MAX_CQ_ENTRIES); larger requests need IORING_SETUP_CLAMP. */
export const IORING_MAX_ENTRIES = 32768;
export const IORING_MAX_CQ_ENTRIES = 2 * IORING_MAX_ENTRIES;
