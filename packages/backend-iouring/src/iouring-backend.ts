/**
 * The io_uring backend: libev's ev_iouring.c re-built on @evring/sys, with
 * every header note and TODO of the seeds answered by what 5.x/6.x kernels
 * offer. Each modern feature is detected at run time and can be switched off
 * (options), so the old-kernel paths run on a new kernel too.
 *
 * What io_uring polling gets wrong, and what this file does about it:
 * e) Three mmaps (seed note e): one ring mapping with IORING_FEAT_SINGLE_MMAP
 *    (5.4), else three. SQEs are written in place, every byte of each (the
 *    2019 seed left `addr` stale, so its POLL_REMOVE matched nothing).
 * f) Offsets travel through io_uring_params: the ring views are built from
 *    them once; heads and tails are read with acquire loads (the kernel's
 *    tails) and written with release stores (ours), through sys's
 *    loadAcquire/storeRelease, never cached across iterations.
 * g) No timeout on waits (seed note g): IORING_ENTER_EXT_ARG (5.11) puts it
 *    in io_uring_enter; else an IORING_OP_TIMEOUT SQE with a reserved
 *    user_data (5.4); else the seeds' timerfd, polled through the ring.
 * h, i) Overflow (seed notes h, i): the CQ is sized on its own
 *    (IORING_SETUP_CQSIZE, with CLAMP). With NODROP (5.5) completions wait in
 *    the kernel: after draining the CQ, IORING_SQ_CQ_OVERFLOW asks for a
 *    flush with GETEVENTS; -EBADR from enter means completions were really
 *    lost: everything is re-armed. Without NODROP the ring is re-created
 *    with a CQ twice as large. The SQ never overflows: a full SQ is flushed
 *    with io_uring_enter and filling goes on.
 * j) Some polls may be refused (seed note j): a poll completing with EINVAL
 *    (or EOPNOTSUPP) moves that fd to an embedded epoll backend; EBADF gives
 *    the fd's watchers ERROR. A refused io_uring_setup (ENOSYS, EPERM,
 *    ENOMEM, seccomp, kernel.io_uring_disabled) makes the backend
 *    unavailable with the reason, and the owner uses epoll.
 * k) Polls are one-shot: level triggering (libev's default) re-arms after
 *    each completion, and the re-arms go in with the io_uring_enter that
 *    waits; when completions are already waiting there is no wait, but the
 *    re-arms still go in first, and what they complete inline is reaped, so
 *    an fd still ready is reported by the very poll that follows its
 *    callback (libev's rule, which its own backend keeps by submitting
 *    before it reaps). Multishot poll (IORING_POLL_ADD_MULTI, 5.13) is edge-triggered
 *    (a partial read gets no new CQE; close arrivals coalesce), so it serves
 *    only EDGE watchers; it is re-armed when a CQE comes without
 *    IORING_CQE_F_MORE, and its mask changed in place with
 *    IORING_POLL_UPDATE_EVENTS (5.13) instead of a remove and an add.
 * l) POLL_REMOVE is addressed by the original user_data: every poll carries
 *    the fd and its generation; removal, update, timeout and internal polls
 *    carry reserved generations (0xfffffff0 and up) and are ignored.
 * m) The ring fd is the pollable fd (an embedded tracking ring's is its
 *    epoll's, note p): the embedded epoll's fd is itself
 *    polled through the ring, so one fd (readable while CQEs wait) wakes an
 *    owner on another event loop.
 * n) Measured on 6.18: a POLL_ADD for POLLPRI alone on a TCP socket is not
 *    woken when urgent data arrives (a POLLIN | POLLPRI poll is, and a poll
 *    armed afterwards sees POLLPRI at once). Adding POLLIN would spin a
 *    level watcher on ordinary data, so watchers asking for PRI are served
 *    by the embedded epoll, which is woken correctly.
 * o) A positive return from io_uring_enter only counts submitted SQEs: a
 *    signal can still end the wait early. Waits loop until a CQE is there or
 *    the time is up.
 * p) A tracking ring (DEFER_TASKRUN) cannot wake another event loop in time
 *    for readiness. Its own fd never wakes a sleeping poller, and measured
 *    on 6.18 (in C as well) the registered eventfd is signalled 15–30 ms
 *    after a POLL_ADD completes: the kernel defers that signal to an RCU
 *    callback. Completions from interrupts and timers (a disk read, a
 *    TIMEOUT) signal it at once. So an embedded tracking ring watches fds
 *    through the embedded epoll, whose fd is the pollable one, with the
 *    eventfd registered in it for operation completions; the ring keeps
 *    the operations. Waiting in poll() still sleeps in io_uring_enter,
 *    which the kernel wakes at once, with the epoll fd polled through the
 *    ring (note m). A read or write on an fd the kernel can poll (a pipe, a
 *    socket, a tty) would wait through the same late signal, so there the
 *    ring declines it and the Poller emulates it, waiting through the
 *    epoll; files and block devices, whose completions come inline or from
 *    interrupts, stay in the ring. Which is which is asked once per fd
 *    number (an EPOLL_CTL_ADD: EPERM means not pollable), taken from a
 *    watcher's registration when the number is watched, and forgotten when
 *    the number is closed or opened through the ring, or renewed (a new
 *    watcher: it may be a new file under the number). A number closed and
 *    reused behind the backend's back with no watcher in between keeps
 *    its old kind: checking it per operation would cost a syscall each.
 * q) io_uring does not answer a position on a pipe or socket as pread(2)
 *    does: it ignores the position on a pipe, and reads a socket at
 *    position 0. So a read or write at a position on an fd the kernel can
 *    poll goes to the Poller's emulation on every ring, which gives
 *    pread's ESPIPE, as every backend does. The kind is the one note p
 *    asks for, once per number. A character device that has positions
 *    (/dev/zero) cannot be polled and stays in the ring.
 * r) The kernel hands every STATX to a worker thread (a lookup may read
 *    directories from the disk, a network filesystem may ask its server):
 *    about 100 µs a trip here, against a few µs for statx(2) itself. When
 *    sys's `statxInline` says the call cannot wait (the path resolves from
 *    the dentry cache alone, the file is on a filesystem that keeps its
 *    attributes in memory), the ring declines the STATX and the Poller's
 *    emulation makes it at once, as the epoll backend makes every one. The
 *    probe decides only where the statx runs: its answer is the statx's.
 *
 * @module
 */

import {
  CLOCK_MONOTONIC,
  CQE_FLAGS_WORD,
  CQE_RES_WORD,
  CQE_USER_DATA_WORD,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLLIN,
  errno,
  IORING_CQE_F_MORE,
  IORING_ENTER_EXT_ARG,
  IORING_ENTER_GETEVENTS,
  IORING_FEAT_EXT_ARG,
  IORING_FEAT_NODROP,
  IORING_FEAT_RSRC_TAGS,
  IORING_OP_FTRUNCATE,
  IORING_OP_TIMEOUT,
  IORING_REGISTER_EVENTFD,
  IORING_REGISTER_PROBE,
  IORING_SETUP_CLAMP,
  IORING_SETUP_CQSIZE,
  IORING_SETUP_DEFER_TASKRUN,
  IORING_SETUP_SINGLE_ISSUER,
  IORING_SQ_CQ_OVERFLOW,
  isSystemError,
  POLLIN,
  POLLNVAL,
  prepCancel,
  prepClose,
  prepFsync,
  prepFtruncate,
  prepLinkat,
  prepMkdirat,
  prepOpenat,
  prepPollAdd,
  prepPollRemove,
  prepPollUpdate,
  prepRead,
  prepReadv,
  prepRenameat,
  prepStatx,
  prepSymlinkat,
  prepTimeout,
  prepUnlinkat,
  prepWrite,
  prepWritev,
  probeSize,
  readProbe,
  STATX_BASIC_STATS,
  STATX_BTIME,
  sqeSetData,
  systemError,
  TFD_CLOEXEC,
  TFD_NONBLOCK,
  writeItimerspec,
  writeTimespecMs,
} from '@evring/abi';
import {
  type Backend,
  type BackendFactory,
  type BackendOptions,
  type BackendOwner,
  closeTolerant,
  EDGE,
  fromPollMask,
  growToCover,
  IO_EVENTS,
  isDataOp,
  OP_CLOSE,
  OP_FDATASYNC,
  OP_FSYNC,
  OP_FTRUNCATE,
  OP_LINKAT,
  OP_MKDIRAT,
  OP_OPENAT,
  OP_READ,
  OP_READV,
  OP_RENAMEAT,
  OP_STATX,
  OP_SYMLINKAT,
  OP_UNLINKAT,
  OP_WRITE,
  OP_WRITEV,
  type OpCode,
  type Operations,
  ownedFd,
  type PinnedMemory,
  PRI,
  realSys,
  type SysCalls,
  toPollMask,
  WaitDeadline,
} from '@evring/backend';
import { type EpollBackend, epollBackend } from '@evring/backend-epoll';
import type { IoUring } from '@evring/sys';

// Module-local copies of the constants the per-operation and per-event
// paths use: V8 folds a local const into the code, but reads an imported
// binding through its module cell, checking that it is initialized, at
// every use (docs/benchmarks.md, "Imported constants").
const USER_DATA_WORD = CQE_USER_DATA_WORD;
const RES_WORD = CQE_RES_WORD;
const FLAGS_WORD = CQE_FLAGS_WORD;
const CQE_F_MORE = IORING_CQE_F_MORE;
const NVAL = POLLNVAL;
const READ_OP = OP_READ;
const WRITE_OP = OP_WRITE;
const OPENAT_OP = OP_OPENAT;
const CLOSE_OP = OP_CLOSE;
const STATX_OP = OP_STATX;

const EINTR = -errno.EINTR;
const ETIME = -errno.ETIME;
const EBUSY = -errno.EBUSY;
const EAGAIN = -errno.EAGAIN;
const EBADR = -errno.EBADR;
const EBADF = -errno.EBADF;
const EINVAL = -errno.EINVAL;
const EOPNOTSUPP = -errno.EOPNOTSUPP;
const EPERM = -errno.EPERM;
const EEXIST = -errno.EEXIST;
/** `#fdKind` values: not looked at yet, pollable (pipe, socket, tty), not pollable (a file, a block device). */
const KIND_UNKNOWN = 0;
const KIND_POLLABLE = 1;
const KIND_FILE = 2;

/** Generations at and above this are reserved for internal requests. */
const RESERVED = 0xfffffff0;
const TAG_REMOVE = 0xffffffff;
const TAG_UPDATE = 0xfffffffe;
const TAG_TIMEOUT = 0xfffffffd;
const TAG_TIMERFD = 0xfffffffc;
const TAG_EPOLL = 0xfffffffb;
/** An operation's completion: the low word is the owner's token. */
const TAG_OP = 0xfffffffa;
/** The completion of a cancel of an operation (the operation's own comes too). */
const TAG_OP_CANCEL = 0xfffffff9;

/** statx's mask: what stat(2) gives, and the birth time. */
const STATX_MASK = STATX_BASIC_STATS | STATX_BTIME;

/** What a tracking ring does in the kernel; OP_FTRUNCATE too where the kernel has it (linux 6.9). */
const NATIVE_OPS: readonly OpCode[] = Object.freeze([
  OP_READ,
  OP_WRITE,
  OP_FSYNC,
  OP_FDATASYNC,
  OP_OPENAT,
  OP_CLOSE,
  OP_STATX,
  OP_RENAMEAT,
  OP_UNLINKAT,
  OP_MKDIRAT,
  OP_READV,
  OP_WRITEV,
  OP_LINKAT,
  OP_SYMLINKAT,
]);

/**
 * A tracking ring's {@link Operations}: a class, so that its shape is fixed.
 * An object literal with a getter (as this was) is kept in dictionary mode,
 * and the Poller's `ops.submit` became a generic property lookup on every
 * operation.
 */
class RingOperations implements Operations {
  /** Completed by open() once the kernel is probed (FTRUNCATE came with 6.9). */
  native: readonly OpCode[] = NATIVE_OPS;
  readonly submit: Operations['submit'];
  readonly cancel: Operations['cancel'];

  constructor(submit: Operations['submit'], cancel: Operations['cancel']) {
    this.submit = submit;
    this.cancel = cancel;
  }
}

const DATASYNC = Object.freeze({ datasync: true });
const ECANCELED = -errno.ECANCELED;

/** The options of a multishot poll, made once: the hot path allocates nothing. */
const MULTISHOT = Object.freeze({ multishot: true });
/** A wait's IORING_OP_TIMEOUT also ends with the first other completion. */
const COUNT_ONE = Object.freeze({ count: 1 });

/** Why an fd is served by the embedded epoll. */
const FALLBACK_REFUSED = 1; // its poll completed with EINVAL/EOPNOTSUPP (seed note j)
const FALLBACK_PRI = 2; // it wants PRI (note n)

/**
 * How the backend waits with a timeout.
 *
 * @example
 * ```ts
 * import { Poller } from '@evring/backend';
 * import { type IoUringBackend, iouringBackend, type WaitMode } from '@evring/backend-iouring';
 * const poller = new Poller(iouringBackend, () => {});
 * const mode: WaitMode = (poller.backend as IoUringBackend).config.waitMode; // 'ext-arg' on 5.11+
 * ```
 */
export type WaitMode = 'ext-arg' | 'op-timeout' | 'timerfd';

/**
 * Options of the io_uring backend; every feature switch defaults to "if the kernel has it".
 *
 * @example
 * ```ts
 * import { Poller } from '@evring/backend';
 * import { iouringBackend, type IoUringOptions } from '@evring/backend-iouring';
 * // The pre-5.11 path on any kernel: wait timeouts through an IORING_OP_TIMEOUT SQE.
 * const options: IoUringOptions = { entries: 512, extArg: false };
 * const poller = new Poller(iouringBackend, () => {}, options);
 * ```
 */
export interface IoUringOptions extends BackendOptions {
  /** SQ entries (default 256). */
  entries?: number;
  /** CQ entries (default 4 × entries), set apart with IORING_SETUP_CQSIZE. */
  cqEntries?: number;
  /** Extra IORING_SETUP_* flags (COOP_TASKRUN, SINGLE_ISSUER, ...). */
  setupFlags?: number;
  /**
   * Operations in the kernel: `true` sets the ring up with
   * IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN (linux 6.1),
   * on which `@evring/sys` tracks the memory each operation uses; where the
   * kernel refuses those flags (EINVAL), a plain ring serves readiness and
   * the owner emulates operations. A `Loop` asks for it (its `loop.fs`).
   * Default false for a bare Poller: on a plain ring, as libev's, a poll
   * that a callback's write makes ready completes inline and the same reap
   * takes it, which a DEFER_TASKRUN ring defers to the next enter (one
   * wait per event instead of a chain per wait). DEFER_TASKRUN in
   * `setupFlags` asks for tracking with no plain-ring retry. With
   * `nodrop: false`, an overflow re-creates the ring and completes the
   * operations in flight with ECANCELED.
   */
  tracking?: boolean;
  /** One ring mapping when the kernel offers it (default true). */
  singleMmap?: boolean;
  /** Multishot polls for EDGE watchers (linux 5.13). */
  multishot?: boolean;
  /** Change a multishot poll's mask in place (linux 5.13; default: on a plain ring, see `tracking`). */
  pollUpdate?: boolean;
  /** Wait timeouts inside io_uring_enter (IORING_FEAT_EXT_ARG, linux 5.11). */
  extArg?: boolean;
  /** Without EXT_ARG: an IORING_OP_TIMEOUT per wait (linux 5.4); else a timerfd. */
  opTimeout?: boolean;
  /** Rely on IORING_FEAT_NODROP (linux 5.5); false re-creates the ring on overflow instead. */
  nodrop?: boolean;
  /**
   * Enter through a registered ring slot (IORING_REGISTER_RING_FDS, linux
   * 5.18; default true when the kernel has it). `false` enters through
   * sys's private duplicate of the ring fd instead.
   */
  registerRing?: boolean;
  /**
   * Test seam: rewrites a poll completion's result before it is handled, to
   * reproduce kernel answers this machine never gives (a poll refused with
   * EINVAL, say).
   */
  faultCqe?: (fd: number, res: number) => number;
}

/**
 * The feature switches in force after probing the kernel.
 *
 * @example
 * ```ts
 * import { Poller } from '@evring/backend';
 * import { type IoUringBackend, type IoUringConfig, iouringBackend } from '@evring/backend-iouring';
 * const poller = new Poller(iouringBackend, () => {});
 * const config: Readonly<IoUringConfig> = (poller.backend as IoUringBackend).config;
 * console.log(config.multishot, config.nodrop, config.cqEntries);
 * ```
 */
export interface IoUringConfig {
  entries: number;
  cqEntries: number;
  setupFlags: number;
  singleMmap: boolean;
  multishot: boolean;
  pollUpdate: boolean;
  waitMode: WaitMode;
  nodrop: boolean;
  registerRing: boolean;
}

/**
 * libev's io_uring backend, taken further. See the module notes.
 *
 * @example
 * ```ts
 * import { EDGE, Poller, READ } from '@evring/backend';
 * import { type IoUringBackend, iouringBackend } from '@evring/backend-iouring';
 * const poller = new Poller(iouringBackend, (fd, revents) => console.log(fd, revents));
 * poller.set(0, READ | EDGE); // a multishot poll on 5.13+
 * poller.poll(1000);
 * console.log((poller.backend as IoUringBackend).stats);
 * ```
 */
export class IoUringBackend implements Backend {
  /** When the current wait ends: resumed after EINTR with the time left. */
  readonly #deadline = new WaitDeadline();
  readonly name = 'iouring' as const;
  #sys: SysCalls;
  #owner: BackendOwner;
  #ring!: IoUring;
  #epoll!: EpollBackend;
  #cfg!: IoUringConfig;
  #faultCqe: ((fd: number, res: number) => number) | undefined;
  #armed = new Uint8Array(256);
  #multi = new Uint8Array(256);
  #armedGen = new Uint32Array(256);
  #fallback = new Uint8Array(256);
  #timespec: { buffer: ArrayBuffer; address: number } | null = null;
  #timespecView: DataView | null = null;
  #timerfd = -1;
  #timerfdArmed = false;
  #timeoutArmed = false;
  /** How far #reap has consumed the CQ of #headRing; the ring's shared head is set from it once per batch. */
  #head = 0;
  #headRing: IoUring | null = null;
  /** Completions of the ring's own removals, updates and cancels seen (see poll). */
  #bookkeeping = 0;
  /** io_uring_enter calls made (each may run deferred work); see #quietAt. */
  #enters = 0;
  /** #enters when flush last cleared the eventfd and found nothing waiting; -1: not since. */
  #quietAt = -1;
  #timerSpec = new Uint8Array(32);
  #epollArmed = false;
  #epollFired = false;
  #destroyed = false;
  /**
   * On an embedded tracking ring: an eventfd registered with the ring, and
   * in the embedded epoll, which then serves every fd (note p). −1
   * otherwise, and when the owner is not embedded (it never sleeps on the fd).
   */
  #wakeFd = -1;
  /** Operations in flight, by token (the opcode + 1; 0 = none): a rebuilt ring completes them with ECANCELED. */
  #opsInFlight = new Uint8Array(64);
  /** On an embedded tracking ring, per fd number: KIND_* (note p). */
  #fdKind = new Uint8Array(64);
  #opsCount = 0;
  /**
   * Operations in the kernel, on a ring set up with IORING_SETUP_DEFER_TASKRUN
   * (where `@evring/sys` tracks the memory they use); undefined otherwise.
   */
  readonly ops: Operations | undefined;
  /** `ops`, with the opcode list open() completes once it has probed the kernel. */
  readonly #ringOps: RingOperations | undefined;
  /** Counts for tests and `evring doctor`. */
  readonly stats = {
    overflowFlushes: 0,
    recreates: 0,
    sqFlushes: 0,
    fallbacks: 0,
    multishotRearms: 0,
    pollUpdates: 0,
  };

  private constructor(
    owner: BackendOwner,
    sys: SysCalls,
    faultCqe: IoUringOptions['faultCqe'],
    tracking: boolean,
  ) {
    this.#owner = owner;
    this.#sys = sys;
    this.#faultCqe = faultCqe;
    this.#ringOps = tracking
      ? new RingOperations(this.#submitOp, (token) => this.#cancelOp(token))
      : undefined;
    this.ops = this.#ringOps;
  }

  /** Opens a backend, or says why the kernel refuses it. */
  static open(
    owner: BackendOwner,
    options: IoUringOptions = {},
  ): { backend: IoUringBackend } | { backend?: undefined; reason: string; code?: string } {
    const sys = options.sys ?? realSys;
    const asked = options.setupFlags ?? 0;
    const required = (asked & IORING_SETUP_DEFER_TASKRUN) !== 0;
    let tracking = required || options.tracking === true;
    const entries = options.entries ?? 256;
    const cqEntries = options.cqEntries ?? entries * 4;
    let setupFlags = asked | IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
    if (tracking) setupFlags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    const singleMmap = options.singleMmap !== false;
    const registerRing = options.registerRing !== false;
    let ring: IoUring;
    for (;;) {
      try {
        ring = sys.ioUringSetup(entries, {
          cqEntries,
          flags: setupFlags,
          singleMmap,
          registerRing,
          // An open's fd is held until the Poller's caller takes it (Poller.submitOp).
          holdOpenedFds: true,
        });
        break;
      } catch (err) {
        // Before 6.1 the kernel refuses the tracking flags with EINVAL: a
        // plain ring still serves readiness, and operations are emulated.
        if (isSystemError(err) && err.code === 'EINVAL' && tracking && !required) {
          tracking = false;
          setupFlags &= ~(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
          continue;
        }
        if (isSystemError(err)) return { reason: err.message, code: err.code };
        throw err;
      }
    }
    const self = new IoUringBackend(owner, sys, options.faultCqe, tracking);
    self.#ring = ring;
    const features = self.#ring.params.features;
    // POLL_ADD_MULTI and POLL_UPDATE came with 5.13, as did FEAT_RSRC_TAGS
    // (libuv uses the same proxy); a refusal at run time also turns them off.
    const has513 = (features & IORING_FEAT_RSRC_TAGS) !== 0;
    const extArg = options.extArg !== false && (features & IORING_FEAT_EXT_ARG) !== 0;
    const opTimeout = options.opTimeout !== false && self.#probeOp(IORING_OP_TIMEOUT);
    if (self.#ringOps !== undefined && self.#probeOp(IORING_OP_FTRUNCATE)) {
      self.#ringOps.native = Object.freeze([...NATIVE_OPS, OP_FTRUNCATE]);
    }
    self.#cfg = {
      entries,
      cqEntries,
      setupFlags,
      singleMmap,
      multishot: options.multishot !== false && has513,
      // Measured on 6.18: on a DEFER_TASKRUN ring an update to a mask that
      // is ready at once (a socket made to watch WRITE) completes with
      // EINVAL, and the fd would be re-armed an iteration late: a tracking
      // ring removes and adds instead, unless asked.
      pollUpdate: (options.pollUpdate ?? !tracking) && options.multishot !== false && has513,
      waitMode: extArg ? 'ext-arg' : opTimeout ? 'op-timeout' : 'timerfd',
      nodrop: options.nodrop !== false && (features & IORING_FEAT_NODROP) !== 0,
      registerRing: self.#ring.registered,
    };
    try {
      // A standalone owner waits in poll(): no eventfd to signal, none to read per poll.
      if (tracking && options.embedded !== false) {
        self.#wakeFd = ownedFd(sys, sys.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC, true));
        sys.ioUringRegister(self.#ring, IORING_REGISTER_EVENTFD, Int32Array.of(self.#wakeFd), 1);
      }
      if (self.#cfg.waitMode === 'op-timeout') {
        self.#timespec = sys.pinnedAlloc(16);
        self.#timespecView = new DataView(self.#timespec.buffer);
      } else if (self.#cfg.waitMode === 'timerfd') {
        self.#timerfd = ownedFd(
          sys,
          sys.timerfdCreate(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC, true),
        );
      }
      const wake = self.#wakeFd >= 0 ? { wakeFd: self.#wakeFd } : {};
      const ep = epollBackend.open(self.#subOwner(), { sys, ...wake });
      if (!ep.backend) throw systemError(-errno.ENOSYS, 'epoll_create1', ep.reason);
      self.#epoll = ep.backend as EpollBackend;
    } catch (err) {
      self.#ring.close();
      if (self.#wakeFd >= 0) sys.close(self.#wakeFd);
      if (self.#timerfd >= 0) sys.close(self.#timerfd);
      if (self.#timespec) sys.pinnedFree(self.#timespec.buffer);
      if (isSystemError(err)) return { reason: err.message, code: err.code };
      throw err;
    }
    return { backend: self };
  }

  get fd(): number {
    return this.#wakeFd >= 0 ? this.#epoll.fd : this.#ring.fd;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** The wait mode and feature switches in force. */
  get config(): Readonly<IoUringConfig> {
    return this.#cfg;
  }

  get features(): Readonly<Record<string, boolean>> {
    const c = this.#cfg;
    return {
      edge: c.multishot,
      pri: true,
      embeddable: true,
      singleMmap: this.#ring.singleMmap,
      nodrop: c.nodrop,
      extArg: c.waitMode === 'ext-arg',
      opTimeout: c.waitMode === 'op-timeout',
      timerfd: c.waitMode === 'timerfd',
      multishot: c.multishot,
      pollUpdate: c.pollUpdate,
      registeredRing: c.registerRing,
      tracking: this.ops !== undefined,
      epollReadiness: this.#wakeFd >= 0,
    };
  }

  /** The underlying ring (tests look at its counters). */
  get ring(): IoUring {
    return this.#ring;
  }

  /**
   * True when `fd` is served by the embedded epoll: its poll was refused, it
   * asks for PRI, or the ring is an embedded tracking ring (note p).
   */
  isFallback(fd: number): boolean {
    return this.#wakeFd >= 0 || (fd < this.#fallback.length && this.#fallback[fd] !== 0);
  }

  modify(fd: number, oldEvents: number, newEvents: number, renewed: boolean): void {
    // A renewed number may name another kind of file now (notes p and q).
    if (renewed && fd < this.#fdKind.length) this.#fdKind[fd] = KIND_UNKNOWN;
    if (this.#wakeFd >= 0) {
      this.#epoll.modify(fd, oldEvents, newEvents, renewed);
      // The epoll_ctl a watcher needs answers note p's question for free.
      if ((newEvents & IO_EVENTS) !== 0) this.#learnKind(fd);
      return;
    }
    this.#ensure(fd);
    const fb = this.#fallback[fd]!;
    if (fb !== 0) {
      // A renewed number may be a file the ring can poll (note j), and PRI
      // stays with epoll (note n): the rest comes back to the ring.
      const stays =
        (newEvents & IO_EVENTS) !== 0 &&
        ((fb === FALLBACK_REFUSED && !renewed) || (newEvents & PRI) !== 0);
      if (stays) {
        this.#epoll.modify(fd, oldEvents, newEvents, renewed);
        return;
      }
      this.#epoll.modify(fd, oldEvents, 0, renewed);
      this.#fallback[fd] = 0;
      oldEvents = 0;
    } else if ((newEvents & PRI) !== 0) {
      if (this.#armed[fd]) this.#removePoll(fd);
      this.#armed[fd] = 0;
      this.#bump(fd);
      this.#fallback[fd] = FALLBACK_PRI;
      this.#epoll.modify(fd, 0, newEvents, true);
      return;
    }
    const mask = toPollMask(newEvents);
    const multi = this.#cfg.multishot && (newEvents & EDGE) !== 0;
    if (this.#armed[fd]) {
      // A multishot poll's mask changes in place, but only while the number
      // names the file it was armed on: a renewed fd gets a new poll.
      if (mask !== 0 && multi && this.#multi[fd] && this.#cfg.pollUpdate && !renewed) {
        const gen = this.#bump(fd);
        const at = this.#sqe();
        prepPollUpdate(this.#ring.sqeWords, at, fd, this.#armedGen[fd]!, {
          events: mask,
          userData: [fd, gen],
          multishot: true,
        });
        sqeSetData(this.#ring.sqeWords, at, fd, TAG_UPDATE);
        this.#ring.advance();
        this.#armedGen[fd] = gen;
        this.stats.pollUpdates++;
        return;
      }
      const at = this.#sqe();
      prepPollRemove(this.#ring.sqeWords, at, fd, this.#armedGen[fd]!);
      sqeSetData(this.#ring.sqeWords, at, fd, TAG_REMOVE);
      this.#ring.advance();
      this.#armed[fd] = 0;
    }
    const gen = this.#bump(fd);
    if (mask !== 0) this.#arm(fd, mask, multi, gen);
  }

  poll(timeoutMs: number): void {
    this.#check();
    // An embedded tracking ring's eventfd is cleared in flush(), when the
    // owner is about to sleep on it, not on every poll.
    const ring = this.#ring;
    if (
      this.#wakeFd >= 0 &&
      (timeoutMs === 0 || this.#epoll.flush() || ring.cqTail !== ring.cqHead)
    ) {
      // Something to report, or no wait asked for: no sleep. Otherwise the
      // wait below sleeps in the ring, the epoll fd polled through it.
      this.#pollEmbedded(ring);
      return;
    }
    const ready = this.#reap();
    if (ready > 0) {
      // Completions were waiting: no wait. The queued SQEs (re-arms) still go
      // in now, in one enter, and what they complete inline is reaped: a
      // level-triggered fd still ready is reported by this poll (note k).
      if (ring.toSubmit > 0) {
        this.#enter(ring.toSubmit, 0, IORING_ENTER_GETEVENTS);
        this.#reap();
      }
      this.#afterWait();
      return;
    }
    this.#ensureInternalPolls();
    if (timeoutMs === 0) {
      this.#enter(ring.toSubmit, 0, IORING_ENTER_GETEVENTS);
      this.#reap();
    } else {
      this.#deadline.start(timeoutMs);
      for (let left = timeoutMs; ; ) {
        const bookkeeping = this.#bookkeeping;
        this.#wait(left);
        if (this.#reap() > 0 || this.#epollFired || this.#bookkeeping === bookkeeping) break;
        // Only the ring's own bookkeeping (a removal, an update) ended the
        // wait: nothing for the owner yet, so wait on with the time left.
        if (timeoutMs > 0) {
          left = this.#deadline.left();
          if (left <= 0) break;
        }
      }
    }
    this.#afterWait();
  }

  flush(beforeSleep = true): boolean {
    this.#check();
    this.#publishHead(); // the comparisons below read the shared head (enters publish it too)
    const ring = this.#ring;
    if (this.#wakeFd < 0) {
      // (An owner sleeping on an embedded epoll's own fd needs no poll of it through the ring.)
      this.#ensureInternalPolls();
      if (ring.toSubmit > 0) this.#enter(ring.toSubmit, 0, 0);
      // A standalone tracking ring's fd wakes no sleeper (note p): its owner
      // polls; it is not promised to signal.
      if (this.ops !== undefined) return true;
      // What the kernel completed inside that enter (a read from the page
      // cache, say) waits in the CQ: poll again at once, not after a wake-up.
      return this.#epoll.flush() || ring.cqTail !== ring.cqHead;
    }
    // An embedded tracking ring posts completions only in an enter that asks
    // for them: submit and run them in one enter. Some waiting: the owner
    // polls again at once, and the eventfd may stay as it is.
    if (ring.toSubmit > 0) this.#enter(ring.toSubmit, 0, IORING_ENTER_GETEVENTS);
    if (this.#epoll.flush() || ring.cqTail !== ring.cqHead) return true;
    if (!beforeSleep) return false;
    // Nothing entered since the last flush found all quiet: still quiet
    // (what the kernel queued since has signalled the eventfd). Unless the
    // epoll watches nothing: then no poll took a signal of the eventfd out
    // of it, and an unread one would keep its fd readable (Node spinning).
    if (this.#quietAt === this.#enters && this.#epoll.watching) return false;
    // About to sleep on the eventfd: clear it, then run what was queued
    // before the clear, so that nothing queued before it goes unsignalled.
    this.#sys.eventfdRead(this.#wakeFd);
    this.#enter(0, 0, IORING_ENTER_GETEVENTS);
    if (ring.cqTail !== ring.cqHead) return true;
    this.#quietAt = this.#enters;
    return false;
  }

  recreate(): void {
    this.#check();
    this.#rebuild(this.#cfg.cqEntries);
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#ring.close();
    if (this.#wakeFd >= 0) closeTolerant(this.#sys, this.#wakeFd);
    this.#wakeFd = -1;
    this.#epoll.destroy();
    if (this.#timerfd >= 0) closeTolerant(this.#sys, this.#timerfd);
    this.#timerfd = -1;
    if (this.#timespec) this.#sys.pinnedFree(this.#timespec.buffer);
    this.#timespec = null;
  }

  /**
   * `ops.submit`. A function of its own, not a method: the Poller calls it
   * straight, with no closure in between to forward seven arguments.
   */
  readonly #submitOp = (
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
    token: number,
  ): boolean => {
    this.#check();
    if (!this.#ringTakes(op, fd, position)) return false;
    if (op === STATX_OP && this.#statxInline(fd, mem, offset, length)) return false;
    const at = this.#sqe();
    const sqes = this.#ring.sqeWords;
    // Reads and writes first, the rest in a method of their own: this one
    // then stays small enough for V8 to inline the SQE writer and the slot
    // lookup into it (reads and writes are the per-operation case).
    if (op === READ_OP) prepRead(sqes, at, fd, mem.address + offset, length, position);
    else if (op === WRITE_OP) prepWrite(sqes, at, fd, mem.address + offset, length, position);
    else this.#prepOther(sqes, at, op, fd, mem, offset, length, position);
    sqeSetData(sqes, at, token, TAG_OP);
    this.#ring.advance();
    if (token >= this.#opsInFlight.length)
      this.#opsInFlight = growToCover(this.#opsInFlight, token);
    if (this.#opsInFlight[token] === 0) this.#opsCount++;
    this.#opsInFlight[token] = op + 1;
    return true;
  };

  /**
   * False for a read or write of an fd the kernel can poll on an embedded
   * tracking ring (the loop's emulation waits for it through the epoll),
   * and for one at a position on any ring (note q).
   */
  #ringTakes(op: OpCode, fd: number, position: number): boolean {
    // A read or write of a regular file seen before, the per-operation case, first.
    const kinds = this.#fdKind;
    if (fd < kinds.length && kinds[fd] === KIND_FILE && (op === READ_OP || op === WRITE_OP)) {
      return true;
    }
    if (op === CLOSE_OP) {
      if (fd < this.#fdKind.length) this.#fdKind[fd] = KIND_UNKNOWN;
      return true;
    }
    if (position < 0 && this.#wakeFd < 0) return true;
    return !isDataOp(op) || this.#kindOf(fd) !== KIND_POLLABLE;
  }

  /**
   * Whether a STATX (its path NUL-terminated at `offset`, statx's flags in
   * `flags`) is better made at once by the Poller (note r).
   */
  #statxInline(fd: number, mem: PinnedMemory, offset: number, flags: number): boolean {
    if (offset >= mem.buffer.byteLength) return false; // the ring's completion says what is wrong
    const bytes = new Uint8Array(mem.buffer, offset);
    const end = bytes.indexOf(0);
    return end >= 0 && this.#sys.statxInline(fd, bytes.subarray(0, end), flags) === true;
  }

  /** The SQE of every operation but a read or a write. */
  #prepOther(
    sqes: Uint32Array,
    at: number,
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
  ): void {
    const addr = mem.address + offset;
    switch (op) {
      case OP_READV:
        prepReadv(sqes, at, fd, addr, length, position); // sys copies the iovec array as it checks it
        break;
      case OP_WRITEV:
        prepWritev(sqes, at, fd, addr, length, position);
        break;
      case OP_FSYNC:
        prepFsync(sqes, at, fd);
        break;
      case OP_FDATASYNC:
        prepFsync(sqes, at, fd, DATASYNC);
        break;
      case OP_OPENAT:
        prepOpenat(sqes, at, fd, addr, length, position);
        break;
      case OP_CLOSE:
        prepClose(sqes, at, fd);
        break;
      case OP_STATX:
        prepStatx(sqes, at, fd, addr, length, STATX_MASK, mem.address + position);
        break;
      case OP_FTRUNCATE:
        prepFtruncate(sqes, at, fd, position);
        break;
      case OP_RENAMEAT:
        prepRenameat(sqes, at, fd, addr, fd, mem.address + position, length);
        break;
      case OP_UNLINKAT:
        prepUnlinkat(sqes, at, fd, addr, length);
        break;
      case OP_LINKAT:
        prepLinkat(sqes, at, fd, addr, fd, mem.address + position, length);
        break;
      case OP_SYMLINKAT:
        prepSymlinkat(sqes, at, addr, fd, mem.address + position);
        break;
      default:
        prepMkdirat(sqes, at, fd, addr, length);
    }
  }

  /**
   * Whether the kernel can poll `fd` (asked once per number; note p). The
   * number seen before is answered here, small enough for V8 to inline
   * into every read and write; the first look is #probeKind's.
   */
  #kindOf(fd: number): number {
    const kinds = this.#fdKind;
    const known = fd < kinds.length ? kinds[fd]! : KIND_UNKNOWN;
    return known === KIND_UNKNOWN ? this.#probeKind(fd) : known;
  }

  /** Takes the kind from the embedded epoll's registration of a watched fd. */
  #learnKind(fd: number): void {
    const how = this.#epoll.registration(fd);
    if (how === 'none') return;
    if (fd >= this.#fdKind.length) this.#fdKind = growToCover(this.#fdKind, fd);
    this.#fdKind[fd] = how === 'kernel' ? KIND_POLLABLE : KIND_FILE;
  }

  #probeKind(fd: number): number {
    // Asked of the embedded epoll: EEXIST means a watcher has it there already.
    const epfd = this.#epoll.fd;
    const r = this.#sys.epollCtl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN, fd, 0); // removed before any wait
    if (r === 0) this.#sys.epollCtl(epfd, EPOLL_CTL_DEL, fd, 0, 0, 0);
    const kind = r === 0 || r === EEXIST ? KIND_POLLABLE : r === EPERM ? KIND_FILE : KIND_UNKNOWN;
    // Anything else (EBADF): the ring's own completion reports it.
    if (kind === KIND_UNKNOWN) return kind;
    if (fd >= this.#fdKind.length) this.#fdKind = growToCover(this.#fdKind, fd);
    this.#fdKind[fd] = kind;
    return kind;
  }

  #cancelOp(token: number): void {
    this.#check();
    if (token >= this.#opsInFlight.length || this.#opsInFlight[token] === 0) return;
    const at = this.#sqe();
    prepCancel(this.#ring.sqeWords, at, token, TAG_OP);
    sqeSetData(this.#ring.sqeWords, at, token, TAG_OP_CANCEL);
    this.#ring.advance();
  }

  /** An operation's completion, once: to the owner. */
  #opDone(token: number, res: number): void {
    if (token < this.#opsInFlight.length && this.#opsInFlight[token] !== 0) {
      // A number an open returned may have named something else before.
      if (this.#opsInFlight[token] === OPENAT_OP + 1 && res >= 0 && res < this.#fdKind.length)
        this.#fdKind[res] = KIND_UNKNOWN;
      this.#opsInFlight[token] = 0;
      this.#opsCount--;
    }
    this.#owner.opComplete?.(token, res);
  }

  #arm(fd: number, mask: number, multi: boolean, gen: number): void {
    const at = this.#sqe();
    const sqes = this.#ring.sqeWords;
    prepPollAdd(sqes, at, fd, mask, multi ? MULTISHOT : undefined);
    sqeSetData(sqes, at, fd, gen);
    this.#ring.advance();
    this.#armed[fd] = 1;
    this.#multi[fd] = multi ? 1 : 0;
    this.#armedGen[fd] = gen;
  }

  #bump(fd: number): number {
    const egen = this.#owner.fds.egen;
    let gen = (egen[fd]! + 1) >>> 0;
    if (gen >= RESERVED) gen = 0;
    egen[fd] = gen;
    return gen;
  }

  /** A free SQE slot; a full SQ is flushed to the kernel first (never an overflow). */
  #sqe(): number {
    const at = this.#ring.nextSqe();
    return at >= 0 ? at : this.#sqeAfterFlush(); // small enough to inline where SQEs are written
  }

  /** The SQ is full: hands it to the kernel (reaping first if it refuses) until a slot is free. */
  #sqeAfterFlush(): number {
    for (let tries = 0; ; tries++) {
      const at = this.#ring.nextSqe();
      if (at >= 0) return at;
      this.stats.sqFlushes++;
      this.#publishHead();
      this.#enters++;
      const r = this.#sys.ioUringEnter(this.#ring, this.#ring.toSubmit, 0, 0);
      if (r < 0 && r !== EINTR) {
        if (tries > 64) throw systemError(r, 'io_uring_enter', 'the submission queue stays full');
        this.#reap(); // EBUSY/EAGAIN: completions first, then try again
      }
    }
  }

  /**
   * Shows the kernel the CQEs consumed so far: needed only when a callback
   * enters the ring in the middle of a reap batch (the batch ends with it).
   */
  #publishHead(): void {
    if (this.#headRing === this.#ring && this.#ring.cqHead !== this.#head) {
      this.#ring.setCqHead(this.#head);
    }
  }

  #enter(toSubmit: number, min: number, flags: number, timeoutMs?: number): number {
    this.#publishHead();
    for (;;) {
      this.#enters++;
      const r = this.#sys.ioUringEnter(this.#ring, toSubmit, min, flags, timeoutMs);
      if (r >= 0 || r === ETIME) return r;
      if (r === EINTR) {
        if (min === 0) return r;
        toSubmit = this.#ring.toSubmit;
        continue;
      }
      return this.#enterFailed(r);
    }
  }

  #enterFailed(r: number): number {
    if (r === EBUSY || r === EAGAIN) {
      this.#reap(); // the CQ is full or the kernel is short: drain and go on
      return r;
    }
    if (r === EBADR || r === EBADF) {
      // EBADR: completions were lost (NODROP could not keep them);
      // EBADF: the ring fd itself is gone. Either way: start over, re-arm all.
      this.#rebuild(this.#cfg.cqEntries);
      return r;
    }
    throw systemError(r, 'io_uring_enter');
  }

  /**
   * Waits until a CQE is there or `timeoutMs` passed (< 0: no limit), which
   * is at `#deadline` (started by the caller); see note o.
   */
  #wait(timeoutMs: number): void {
    const ring = this.#ring;
    const sys = this.#sys;
    this.#publishHead();
    const mode = this.#cfg.waitMode;
    for (let left = timeoutMs; ; left = this.#deadline.left()) {
      if (timeoutMs >= 0 && left <= 0) return;
      this.#enters++;
      let r: number;
      if (timeoutMs < 0) {
        r = sys.ioUringEnter(ring, ring.toSubmit, 1, IORING_ENTER_GETEVENTS);
      } else if (mode === 'ext-arg') {
        r = sys.ioUringEnter(
          ring,
          ring.toSubmit,
          1,
          IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
          left,
        );
      } else {
        if (mode === 'op-timeout') this.#armTimeout(left);
        else this.#armTimerfd(left);
        r = sys.ioUringEnter(ring, ring.toSubmit, 1, IORING_ENTER_GETEVENTS);
      }
      if (r < 0 && r !== EINTR && r !== ETIME) {
        this.#enterFailed(r);
        return;
      }
      if (r === ETIME || ring.cqTail !== ring.cqHead) return;
    }
  }

  /** An IORING_OP_TIMEOUT for this wait (reserved user_data); count 1, so it also ends with any other completion. */
  #armTimeout(ms: number): void {
    if (this.#timeoutArmed) return;
    writeTimespecMs(this.#timespecView!, 0, ms);
    const at = this.#sqe();
    prepTimeout(this.#ring.sqeWords, at, this.#timespec!.address, COUNT_ONE);
    sqeSetData(this.#ring.sqeWords, at, 0, TAG_TIMEOUT);
    this.#ring.advance();
    this.#timeoutArmed = true;
  }

  /** The seeds' way: a timerfd set for this wait, polled through the ring (one more syscall per wait). */
  #armTimerfd(ms: number): void {
    const ns = Math.max(1, Math.round(ms * 1e6));
    writeItimerspec(new DataView(this.#timerSpec.buffer), 0, {
      interval: { sec: 0, nsec: 0 },
      value: { sec: Math.floor(ns / 1e9), nsec: ns % 1e9 },
    });
    this.#sys.timerfdSettime(this.#timerfd, 0, this.#timerSpec);
    if (!this.#timerfdArmed) {
      const at = this.#sqe();
      prepPollAdd(this.#ring.sqeWords, at, this.#timerfd, POLLIN);
      sqeSetData(this.#ring.sqeWords, at, 0, TAG_TIMERFD);
      this.#ring.advance();
      this.#timerfdArmed = true;
    }
  }

  /**
   * A poll that does not sleep, on an embedded tracking ring (note p): the
   * operations' completions (an enter only when SQEs wait, or operations are
   * in flight and none were waiting), then the fds, from the embedded epoll
   * (its always-ready fds included).
   */
  #pollEmbedded(ring: IoUring): void {
    // As poll(): completions already waiting are taken without an enter.
    const ready = this.#reap();
    if (ring.toSubmit > 0 || (ready === 0 && this.#opsCount > 0)) {
      this.#enter(ring.toSubmit, 0, IORING_ENTER_GETEVENTS);
      this.#reap();
    }
    this.#epollFired = false; // polled here when it watches anything
    this.#afterWait();
    // Watching nothing, its only event would be the eventfd's (flush clears that).
    if (this.#epoll.watching) this.#epoll.poll(0);
  }

  /** After a wait: flush overflowed completions, service the embedded epoll. */
  #afterWait(): void {
    const ring = this.#ring;
    if (ring.sqFlags & IORING_SQ_CQ_OVERFLOW) {
      if (this.#cfg.nodrop) {
        // NODROP kept them: flush into the CQ and read them.
        for (let i = 0; i < 64 && ring.sqFlags & IORING_SQ_CQ_OVERFLOW; i++) {
          this.stats.overflowFlushes++;
          this.#enter(0, 0, IORING_ENTER_GETEVENTS);
          this.#reap();
        }
      } else {
        // Treated as lost (the pre-5.5 contract): a ring with twice the CQ, everything re-armed.
        this.#rebuild(this.#cfg.cqEntries * 2);
      }
    }
    if (this.#epollFired) {
      this.#epollFired = false;
      this.#epoll.poll(0);
    }
  }

  /** Reads every waiting CQE; returns how many reached the owner (events, kills and operation completions). */
  #reap(): number {
    const ring = this.#ring;
    const cq = ring.cqWords;
    const owner = this.#owner;
    if (this.#headRing !== ring) {
      this.#headRing = ring;
      this.#head = ring.cqHead;
    }
    let n = 0;
    // Compared as a distance: a reap nested in a callback may have gone past `tail`.
    for (let tail = ring.cqTail; ((tail - this.#head) | 0) > 0; tail = ring.cqTail) {
      while (((tail - this.#head) | 0) > 0) {
        const at = ring.cqeAt(this.#head) >>> 2;
        const fd = cq[at + USER_DATA_WORD]!;
        const gen = cq[at + USER_DATA_WORD + 1]!;
        let res = cq[at + RES_WORD]! | 0;
        const flags = cq[at + FLAGS_WORD]!;
        this.#head = (this.#head + 1) >>> 0; // consumed before any callback runs
        if (gen >= RESERVED) {
          // An operation's completion reached the owner too: this poll must not wait after it.
          if (gen === TAG_OP) {
            n++;
            this.#opDone(fd, res);
          } else this.#internal(gen, fd, res);
          continue;
        }
        if (fd >= this.#armed.length || !this.#armed[fd] || gen !== this.#armedGen[fd]) continue; // superseded
        const more = (flags & CQE_F_MORE) !== 0;
        if (!more) this.#armed[fd] = 0;
        if (this.#faultCqe) res = this.#faultCqe(fd, res);
        if (res < 0 || res & NVAL) {
          n += this.#failed(fd, res, more);
          continue;
        }
        n++;
        owner.fdEvent(fd, fromPollMask(res));
        if (!more) {
          // One-shot (or an ended multishot): re-armed through the owner.
          if (this.#multi[fd]) this.stats.multishotRearms++;
          owner.fds.events[fd] = 0;
          owner.fds.change(fd);
        }
        if (this.#ring !== ring) return n; // a callback re-created the ring
      }
      ring.setCqHead(this.#head); // one release store per batch: the slots are the kernel's again
    }
    return n;
  }

  /** A failed poll: falls back, re-arms or kills; returns 1 when the owner was told (a kill). */
  #failed(fd: number, res: number, more: boolean): number {
    const owner = this.#owner;
    if (res === EINVAL && this.#multi[fd] && !more) {
      // This kernel refuses multishot (older than 5.13): one-shot from now on.
      this.#cfg.multishot = false;
      this.#cfg.pollUpdate = false;
      owner.fds.events[fd] = 0;
      owner.fds.change(fd);
      return 0;
    }
    if (res === EINVAL || res === EOPNOTSUPP) {
      if (more) this.#removePoll(fd);
      this.#armed[fd] = 0;
      this.#fallback[fd] = FALLBACK_REFUSED;
      this.stats.fallbacks++;
      this.#epoll.modify(fd, 0, owner.fds.events[fd]!, true);
      return 0;
    }
    if (res === EBADF || res >= 0 /* POLLNVAL */) {
      if (more) this.#removePoll(fd);
      this.#armed[fd] = 0;
      owner.fdKill(fd);
      return 1;
    }
    // ECANCELED (a multishot ended, e.g. on overflow), ENOMEM, ...: arm again.
    if (!more) {
      owner.fds.events[fd] = 0;
      owner.fds.change(fd);
    }
    return 0;
  }

  #removePoll(fd: number): void {
    const at = this.#sqe();
    prepPollRemove(this.#ring.sqeWords, at, fd, this.#armedGen[fd]!);
    sqeSetData(this.#ring.sqeWords, at, fd, TAG_REMOVE);
    this.#ring.advance();
  }

  /** A completion of the ring's own: every reserved tag but an operation's. */
  #internal(tag: number, lo: number, res: number): void {
    switch (tag) {
      case TAG_TIMERFD:
        this.#timerfdArmed = false;
        this.#sys.eventfdRead(this.#timerfd); // consume the expiry count (8 bytes, like an eventfd)
        return;
      case TAG_TIMEOUT:
        this.#timeoutArmed = false;
        return;
      case TAG_EPOLL:
        this.#epollArmed = false;
        this.#epollFired = true;
        return;
      case TAG_OP_CANCEL:
        this.#bookkeeping++;
        return; // the operation's own completion says how it ended
      case TAG_UPDATE:
        this.#bookkeeping++;
        // An update whose poll had already ended: arm it afresh.
        if (res < 0 && lo < this.#armed.length && this.#armed[lo]) {
          this.#armed[lo] = 0;
          this.#owner.fds.events[lo] = 0;
          this.#owner.fds.change(lo);
        }
        return;
      default:
        this.#bookkeeping++; // TAG_REMOVE
    }
  }

  /** The embedded epoll's fd is polled through the ring (note m). */
  #ensureInternalPolls(): void {
    if (!this.#epollArmed) {
      const at = this.#sqe();
      prepPollAdd(this.#ring.sqeWords, at, this.#epoll.fd, POLLIN);
      sqeSetData(this.#ring.sqeWords, at, 0, TAG_EPOLL);
      this.#ring.advance();
      this.#epollArmed = true;
    }
  }

  #subOwner(): BackendOwner {
    const owner = this.#owner;
    return {
      fds: owner.fds,
      fdEvent: (fd, revents) => owner.fdEvent(fd, revents),
      fdKill: (fd) => {
        if (fd < this.#fallback.length) this.#fallback[fd] = 0;
        owner.fdKill(fd);
      },
      rearmAll: () => {
        this.#epollArmed = false; // its fd changed: a new internal poll at the next wait
        owner.rearmAll();
      },
    };
  }

  #rebuild(cqEntries: number): void {
    this.stats.recreates++;
    const old = this.#ring;
    this.#ring = this.#sys.ioUringSetup(this.#cfg.entries, {
      cqEntries,
      flags: this.#cfg.setupFlags,
      singleMmap: this.#cfg.singleMmap,
      registerRing: this.#cfg.registerRing,
    });
    this.#cfg.cqEntries = cqEntries;
    this.#cfg.registerRing = this.#ring.registered;
    if (this.#wakeFd >= 0) {
      this.#sys.ioUringRegister(
        this.#ring,
        IORING_REGISTER_EVENTFD,
        Int32Array.of(this.#wakeFd),
        1,
      );
    }
    old.close();
    this.#armed.fill(0);
    this.#multi.fill(0);
    this.#timerfdArmed = false;
    this.#timeoutArmed = false;
    this.#epollArmed = false;
    this.#epoll.recreate(); // re-arms every fd through the owner
    // The old ring's close cancelled its operations and sys reaped them:
    // their owners hear it now.
    if (this.#opsCount > 0) {
      const inFlight = this.#opsInFlight;
      for (let token = 0; token < inFlight.length && this.#opsCount > 0; token++) {
        if (inFlight[token] !== 0) this.#opDone(token, ECANCELED);
      }
    }
  }

  #probeOp(op: number): boolean {
    try {
      const buf = new Uint8Array(probeSize(256));
      this.#sys.ioUringRegister(this.#ring, IORING_REGISTER_PROBE, buf, 256);
      return readProbe(new DataView(buf.buffer), 0).supported.has(op);
    } catch {
      return false;
    }
  }

  #ensure(fd: number): void {
    if (fd < this.#armed.length) return;
    this.#armed = growToCover(this.#armed, fd);
    this.#multi = growToCover(this.#multi, fd);
    this.#fallback = growToCover(this.#fallback, fd);
    this.#armedGen = growToCover(this.#armedGen, fd);
  }

  #check(): void {
    if (this.#destroyed) throw new Error('iouring backend: destroyed');
  }
}

/**
 * Opens io_uring backends.
 *
 * @example
 * ```ts
 * import { Poller, READ, EDGE } from '@evring/backend';
 * import { iouringBackend } from '@evring/backend-iouring';
 * const poller = new Poller(iouringBackend, (fd, revents) => console.log(fd, revents));
 * poller.set(0, READ | EDGE); // multishot poll on 5.13+
 * ```
 */
export const iouringBackend: BackendFactory<IoUringOptions> = {
  name: 'iouring',
  open: (owner, options) => IoUringBackend.open(owner, options),
};
