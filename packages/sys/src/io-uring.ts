/**
 * io_uring(7): one ring, mapped, as the one type every layer above uses.
 *
 * A ring is a resource sys owns, named by a private handle, never by its fd
 * number: sys enters it through the slot IORING_REGISTER_RING_FDS gives
 * (linux 5.18) or through a duplicate of its fd that JavaScript never sees.
 * {@link IoUring.fd} is for polling the ring (from Node's loop, or an epoll
 * set) and nothing else; closing it behind the ring's back costs the poller
 * its wake-ups, never a write into the wrong ring.
 *
 * SQEs are written in place at {@link IoUring.nextSqe} and counted with
 * {@link IoUring.advance}; the kernel is shown the new SQ tail once per
 * {@link IoUring.enter} (sys refuses SQPOLL, so nothing else reads it).
 * Heads and tails are read with acquire loads (the kernel's) and written
 * with release stores (ours), see ring-words.ts; nothing is allocated per
 * SQE or CQE.
 *
 * Safety rules kept by sys (docs/sys-safety.md has them all):
 * - io_uring_enter checks every SQE about to be consumed. Opcodes that make
 *   the kernel write through a user pointer or change process memory (READ,
 *   READV, RECV, RECVMSG, ACCEPT, STATX, MADVISE, PROVIDE_BUFFERS, URING_CMD,
 *   MSG_RING and any opcode newer than sys knows) complete with `-EINVAL`
 *   under their own `user_data` instead of running; the `sqe_rejected`
 *   counter counts them. On a ring set up with DEFER_TASKRUN sys tracks
 *   operations instead, and passes READ, READV, STATX and the other file
 *   opcodes whose memory (buffers, iovec arrays and what they name, paths,
 *   structs) lies in pinned memory, held until each one's own completion.
 * - SQPOLL, IOPOLL, ATTACH_WQ, NO_MMAP and REGISTERED_FD_ONLY are refused.
 * - io_uring_register accepts only opcodes whose argument holds no pointers.
 * - Closing the ring detaches every ArrayBuffer over it; the ring and its
 *   buffers belong to the thread that made it.
 *
 * @module
 */

import {
  errno,
  IORING_REGISTER_EVENTFD,
  IORING_REGISTER_PROBE,
  IORING_SETUP_CQE32,
  IORING_SETUP_SQE128,
  IORING_UNREGISTER_EVENTFD,
  type IoUringParams,
  io_uring_params,
  type Probe,
  probeSize,
  readIoUringParams,
  readProbe,
  systemError,
  writeIoUringParams,
} from '@evring/abi';
import { native } from './load.js';
import type { NativeBinding } from './native.js';
import { loadAcquire, storeRelease } from './ring-words.js';

const EBADF = errno.EBADF;

/**
 * How to set up an {@link IoUring}.
 *
 * @example
 * ```ts
 * import { IoUring, type IoUringOptions } from '@evring/sys';
 * import { IORING_SETUP_CLAMP, IORING_SETUP_CQSIZE } from '@evring/abi';
 * const options: IoUringOptions = { flags: IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, cqEntries: 4096, singleMmap: false };
 * const ring = IoUring.setup(64, options);
 * ring.singleMmap; // false: separate SQ and CQ mappings, as before linux 5.4
 * ring.close();
 * ```
 */
export interface IoUringOptions {
  /** IORING_SETUP_* flags (SQPOLL, IOPOLL, ATTACH_WQ, NO_MMAP and REGISTERED_FD_ONLY are refused). */
  flags?: number;
  /** CQ size, with IORING_SETUP_CQSIZE in `flags`. */
  cqEntries?: number;
  /**
   * Map SQ and CQ rings once when the kernel offers IORING_FEAT_SINGLE_MMAP
   * (linux 5.4). `false` forces separate mappings, for testing.
   */
  singleMmap?: boolean;
  /**
   * Enter through a registered ring slot (IORING_REGISTER_RING_FDS, linux
   * 5.18; default true). `false`, or a kernel without it, enters through
   * sys's private duplicate of the fd: the same safety, one fd lookup more
   * per enter.
   */
  registerRing?: boolean;
  /**
   * On a ring that tracks operations (IORING_SETUP_DEFER_TASKRUN), hold the
   * fd each OPENAT completes with for the calling environment until it is
   * taken ({@link claimFd}, {@link ownFd}, or a close through sys; default false):
   * a worker that ends between reading the completion and using its fd
   * does not leave it open. Only for a caller that takes or closes every
   * such fd through sys.
   */
  holdOpenedFds?: boolean;
}

/** What sys maps for a new ring (the one definition is the binding's). */
type RingRegions = ReturnType<NativeBinding['ringSetup']>;

const closer = new FinalizationRegistry<number>((handle) => native.ringClose(handle));

// The binding's exports object has too many properties for V8 to keep it in
// fast mode: a call through it is a generic property lookup each time.
// The calls made per operation or per wait are taken from it once, here.
const ringEnter = native.ringEnter;

/**
 * A mapped io_uring. SQEs are written into {@link IoUring.sqes} (or its word
 * view {@link IoUring.sqeWords}) at the byte offset {@link IoUring.nextSqe}
 * gives; CQEs are read from {@link IoUring.cqes} at {@link IoUring.cqeAt}.
 *
 * @example
 * ```ts
 * import { IoUring } from '@evring/sys';
 * import { IORING_ENTER_GETEVENTS, cqeUserDataLo, prepNop, sqeSetData } from '@evring/abi';
 * const ring = IoUring.setup(8);
 * const at = ring.nextSqe();
 * prepNop(ring.sqeWords, at);
 * sqeSetData(ring.sqeWords, at, 42, 0);
 * ring.advance();
 * ring.enter(1, 1, IORING_ENTER_GETEVENTS); // 1: submitted, and waited for its completion
 * const head = ring.cqHead;
 * cqeUserDataLo(ring.cqes, ring.cqeAt(head)); // 42
 * ring.setCqHead(head + 1);
 * ring.close();
 * ```
 */
export class IoUring {
  /** The ring fd, for polling only (readable while CQEs wait); sys never acts through it. */
  readonly fd: number;
  /** What the kernel filled into io_uring_params. */
  readonly params: IoUringParams;
  /** True when SQ and CQ share one mapping. */
  readonly singleMmap: boolean;
  /** True when enters go through a registered ring slot. */
  readonly registered: boolean;
  /** Bytes per SQE (64, or 128 with SQE128). */
  readonly sqeSize: number;
  /** Bytes per CQE (16, or 32 with CQE32). */
  readonly cqeSize: number;
  readonly sqEntries: number;
  readonly cqEntries: number;
  readonly sqMask: number;
  readonly cqMask: number;
  /** The SQE array. */
  readonly sqes: DataView;
  /** The SQE array as 32-bit words: the SQE at byte offset `at` starts at word `at >>> 2`. */
  readonly sqeWords: Uint32Array;
  /** The CQ ring region (CQEs at {@link IoUring.cqeAt}). */
  readonly cqes: DataView;
  /** The CQ ring region as words: the CQE at byte offset `at` starts at word `at >>> 2`. */
  readonly cqWords: Uint32Array;
  readonly #handle: number;
  // Replaced by zeroed arrays once closed, so reading the counters of a
  // closed ring gives 0 rather than a detached-buffer TypeError.
  #sq: Uint32Array;
  #cq: Uint32Array;
  readonly #sqHead: number;
  readonly #sqTail: number;
  readonly #sqFlags: number;
  readonly #cqHead: number;
  readonly #cqTail: number;
  readonly #cqOverflow: number;
  readonly #cqesBase: number;
  readonly #cqeShift: number;
  /** Our SQ tail: the SQEs written so far. */
  #tail: number;
  /** The SQ tail the kernel was last shown. */
  #publishedTail: number;
  /** The kernel's SQ head as last read: a full SQ reads it again. */
  #sqHeadSeen: number;
  #closed = false;

  private constructor(params: IoUringParams, r: RingRegions) {
    this.#handle = r.handle;
    this.fd = r.fd;
    this.params = params;
    this.registered = r.registered;
    this.singleMmap = r.cqRing === undefined;
    this.sqeSize = params.flags & IORING_SETUP_SQE128 ? 128 : 64;
    this.cqeSize = params.flags & IORING_SETUP_CQE32 ? 32 : 16;
    this.#cqeShift = this.cqeSize === 32 ? 5 : 4;
    const cqRing = r.cqRing ?? r.sqRing;
    this.#sq = new Uint32Array(r.sqRing);
    this.#cq = new Uint32Array(cqRing);
    this.sqes = new DataView(r.sqes);
    this.sqeWords = new Uint32Array(r.sqes);
    this.cqes = new DataView(cqRing);
    this.cqWords = this.#cq;
    const s = params.sqOff;
    const c = params.cqOff;
    this.#sqHead = s.head >>> 2;
    this.#sqTail = s.tail >>> 2;
    this.#sqFlags = s.flags >>> 2;
    this.#cqHead = c.head >>> 2;
    this.#cqTail = c.tail >>> 2;
    this.#cqOverflow = c.overflow >>> 2;
    this.#cqesBase = c.cqes;
    this.sqEntries = params.sqEntries;
    this.cqEntries = params.cqEntries;
    this.sqMask = this.#sq[s.ringMask >>> 2]!;
    this.cqMask = this.#cq[c.ringMask >>> 2]!;
    // The SQ index array is the identity, set once (liburing does the same);
    // with IORING_SETUP_NO_SQARRAY (linux 6.6) there is none.
    if (s.array !== 0) {
      const array = s.array >>> 2;
      for (let i = 0; i < this.sqEntries; i++) this.#sq[array + i] = i;
    }
    this.#tail = loadAcquire(this.#sq, this.#sqTail);
    this.#publishedTail = this.#tail;
    this.#sqHeadSeen = loadAcquire(this.#sq, this.#sqHead);
    closer.register(this, r.handle, this);
  }

  /** io_uring_setup and the mappings. Throws a SystemCallError when the kernel refuses. */
  static setup(entries: number, options: IoUringOptions = {}): IoUring {
    const buf = new Uint8Array(io_uring_params.size);
    const view = new DataView(buf.buffer);
    const input: { flags?: number; cqEntries?: number } = {};
    if (options.flags !== undefined) input.flags = options.flags;
    if (options.cqEntries !== undefined) input.cqEntries = options.cqEntries;
    writeIoUringParams(view, 0, input);
    const r = native.ringSetup(
      entries,
      buf,
      options.singleMmap !== false,
      options.registerRing !== false,
      options.holdOpenedFds === true,
    );
    return new IoUring(readIoUringParams(view, 0), r);
  }

  /** True after {@link IoUring.close}. */
  get closed(): boolean {
    return this.#closed;
  }

  /** SQEs written but not yet consumed by the kernel. */
  get toSubmit(): number {
    return (this.#tail - loadAcquire(this.#sq, this.#sqHead)) >>> 0;
  }

  /** Free SQ slots. */
  get sqSpace(): number {
    return this.sqEntries - this.toSubmit;
  }

  /**
   * The byte offset in {@link IoUring.sqes} of the next free SQE slot, or -1
   * when the SQ is full. Write the SQE there (every byte: abi's builders
   * do), then call {@link IoUring.advance}.
   */
  nextSqe(): number {
    if (this.#closed) throw systemError(EBADF, 'io_uring_enter', 'the ring is closed');
    if ((this.#tail - this.#sqHeadSeen) >>> 0 >= this.sqEntries) {
      // Looks full: the kernel may have consumed some since we last looked.
      this.#sqHeadSeen = loadAcquire(this.#sq, this.#sqHead);
      if ((this.#tail - this.#sqHeadSeen) >>> 0 >= this.sqEntries) return -1;
    }
    return (this.#tail & this.sqMask) * this.sqeSize;
  }

  /** Counts the SQE just written; the kernel sees it at the next {@link IoUring.enter} or {@link IoUring.publish}. */
  advance(): void {
    this.#tail = (this.#tail + 1) >>> 0;
  }

  /** Shows the kernel every SQE written so far (a release store of the SQ tail; enter does this itself). */
  publish(): void {
    if (this.#publishedTail !== this.#tail) {
      this.#publishedTail = this.#tail;
      storeRelease(this.#sq, this.#sqTail, this.#tail);
    }
  }

  /** The SQ ring flags (IORING_SQ_CQ_OVERFLOW, IORING_SQ_TASKRUN). */
  get sqFlags(): number {
    return loadAcquire(this.#sq, this.#sqFlags);
  }

  /** The CQ overflow counter (completions the kernel dropped). */
  get cqOverflow(): number {
    return loadAcquire(this.#cq, this.#cqOverflow);
  }

  /** The CQ head (ours). */
  get cqHead(): number {
    return loadAcquire(this.#cq, this.#cqHead);
  }

  /** The CQ tail (the kernel's), acquired before CQEs are read. */
  get cqTail(): number {
    return loadAcquire(this.#cq, this.#cqTail);
  }

  /** Byte offset in {@link IoUring.cqes} of the CQE at ring position `head`. */
  cqeAt(head: number): number {
    return this.#cqesBase + ((head & this.cqMask) << this.#cqeShift);
  }

  /** Releases CQEs up to `head` (a release store: the slots may be reused). */
  setCqHead(head: number): void {
    storeRelease(this.#cq, this.#cqHead, head >>> 0);
  }

  /**
   * io_uring_enter: publishes the SQ tail, then enters. Returns the count or
   * `-errno` (`-EBADF` once closed). With `IORING_ENTER_EXT_ARG`,
   * `timeoutMs` >= 0 bounds the wait (linux 5.11) and `minWaitUsec` sets
   * `min_wait_usec` (linux 6.12).
   */
  enter(
    toSubmit: number,
    minComplete: number,
    flags: number,
    timeoutMs?: number,
    minWaitUsec?: number,
  ): number {
    this.publish();
    return ringEnter(this.#handle, toSubmit, minComplete, flags, timeoutMs, minWaitUsec);
  }

  /** io_uring_register for pointer-free opcodes (PROBE, EVENTFD, FILES, ...). Throws on failure. */
  register(opcode: number, arg: ArrayBufferView | null, nrArgs: number): number {
    return native.ringRegister(this.#handle, opcode, arg, nrArgs);
  }

  /** IORING_REGISTER_PROBE (linux 5.6): the opcodes this kernel supports. */
  probe(): Probe {
    const buf = new Uint8Array(probeSize(256));
    this.register(IORING_REGISTER_PROBE, buf, 256);
    return readProbe(new DataView(buf.buffer), 0);
  }

  /** IORING_REGISTER_EVENTFD: `eventfd` is signalled as completions post (a hint; signals may coalesce). */
  registerEventfd(eventfd: number): void {
    if (!Number.isInteger(eventfd) || eventfd < 0 || eventfd > 0x7fffffff) {
      const err = new TypeError(
        `registerEventfd: eventfd must be an fd number (an integer from 0), not ${describe(eventfd)}`,
      ) as TypeError & { code: string };
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    this.register(IORING_REGISTER_EVENTFD, Int32Array.of(eventfd), 1);
  }

  /**
   * Registers pinned buffers ({@link pinnedAlloc}'s, of this thread) as the
   * ring's fixed buffers: `buffers[i]` is index i for READ_FIXED and
   * WRITE_FIXED, whose range must lie inside it. The ring holds each buffer
   * while registered, so freeing one only detaches it. Only on a ring set up
   * with IORING_SETUP_DEFER_TASKRUN (EINVAL otherwise); EBUSY when buffers
   * are already registered.
   *
   * @example
   * ```ts
   * import { IoUring, pinnedAlloc } from '@evring/sys';
   * import { IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_SINGLE_ISSUER } from '@evring/abi';
   * const ring = IoUring.setup(8, { flags: IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN });
   * const buf = pinnedAlloc(65536);
   * ring.registerBuffers([buf.buffer]); // 1
   * // prepReadFixed(ring.sqeWords, ring.nextSqe(), fd, buf.address, 4096, 0, 0) reads into index 0
   * ring.close(); // unregisters, then the buffer is JavaScript's alone again
   * ```
   */
  registerBuffers(buffers: ArrayBuffer[]): number {
    if (this.#closed) throw systemError(EBADF, 'io_uring_register', 'the ring is closed');
    return native.ringRegisterBuffers(this.#handle, buffers);
  }

  /** Unregisters the fixed buffers; false when none were registered. */
  unregisterBuffers(): boolean {
    if (this.#closed) return false;
    return native.ringUnregisterBuffers(this.#handle);
  }

  /** IORING_UNREGISTER_EVENTFD. */
  unregisterEventfd(): void {
    this.register(IORING_UNREGISTER_EVENTFD, null, 0);
  }

  /**
   * Detaches every ArrayBuffer over the ring, unmaps it and closes its fds
   * (the public one only while it still names this ring). Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closer.unregister(this);
    const sqWords = this.#sq.length;
    const cqWords = this.#cq.length;
    native.ringClose(this.#handle);
    this.#sq = new Uint32Array(sqWords);
    this.#cq = new Uint32Array(cqWords);
    this.#tail = 0;
    this.#publishedTail = 0;
    this.#sqHeadSeen = 0;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
