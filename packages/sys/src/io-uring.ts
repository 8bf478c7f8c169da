/**
 * io_uring(7): setup, the ring regions mapped as ArrayBuffers, enter and
 * register.
 *
 * The mapped memory is shared with the kernel: read and write heads and
 * tails with `Atomics` on `Uint32Array` views, SQEs and CQEs with `DataView`
 * and the codecs of @evring/abi. Safety rules kept by sys:
 * - io_uring_enter checks every SQE about to be submitted. Opcodes that make
 *   the kernel write through a user pointer or change process memory (READ,
 *   READV, RECV, RECVMSG, ACCEPT, STATX, MADVISE, PROVIDE_BUFFERS, URING_CMD
 *   and any opcode newer than sys knows) complete with `-EINVAL` under their
 *   own `user_data` instead of running; the `sqe_rejected` counter counts
 *   them. Readiness (POLL_*), timeouts, cancellation, NOP, writes, sends,
 *   connect, open, close, fsync and epoll_ctl run as usual.
 * - IORING_SETUP_SQPOLL and IORING_SETUP_NO_MMAP are refused.
 * - io_uring_register accepts only opcodes whose argument holds no pointers.
 * - Closing (or unmapping) detaches every ArrayBuffer over the ring.
 *
 * @module
 */

import {
  IORING_FEAT_SINGLE_MMAP,
  IORING_OFF_CQ_RING,
  IORING_OFF_SQ_RING,
  IORING_OFF_SQES,
  IORING_REGISTER_EVENTFD,
  IORING_REGISTER_PROBE,
  IORING_SETUP_CQE32,
  IORING_SETUP_NO_SQARRAY,
  IORING_SETUP_SQE128,
  IORING_UNREGISTER_EVENTFD,
  type IoUringParams,
  io_uring_params,
  isSystemError,
  type Probe,
  probeSize,
  readIoUringParams,
  readProbe,
  writeIoUringParams,
} from '@evring/abi';
import { native } from './load.js';

/**
 * io_uring_setup(2): `params` (120 bytes) is read and filled back. Throws on failure.
 *
 * @example
 * ```ts
 * import { close, ioUringSetup } from '@evring/sys';
 * import { io_uring_params, readIoUringParams, writeIoUringParams } from '@evring/abi';
 * const params = new Uint8Array(io_uring_params.size);
 * writeIoUringParams(new DataView(params.buffer), 0, {});
 * const fd = ioUringSetup(8, params);
 * readIoUringParams(new DataView(params.buffer), 0).cqEntries; // 16
 * close(fd);
 * ```
 */
export const ioUringSetup: (entries: number, params: ArrayBufferView) => number =
  native.ioUringSetup;

/**
 * mmap(2) of a ring region of a ring made by {@link ioUringSetup}:
 * `IORING_OFF_SQ_RING`, `IORING_OFF_CQ_RING` or `IORING_OFF_SQES`. Throws on failure.
 *
 * @example
 * ```ts
 * import { close, ioUringMmap, ioUringSetup, munmap } from '@evring/sys';
 * import { IORING_OFF_SQES, io_uring_params, readIoUringParams, writeIoUringParams } from '@evring/abi';
 * const raw = new Uint8Array(io_uring_params.size);
 * writeIoUringParams(new DataView(raw.buffer), 0, {});
 * const fd = ioUringSetup(8, raw);
 * const params = readIoUringParams(new DataView(raw.buffer), 0);
 * const sqes = ioUringMmap(fd, IORING_OFF_SQES, params.sqEntries * 64);
 * munmap(sqes); // sqes is detached: byteLength 0
 * close(fd);
 * ```
 */
export const ioUringMmap: (fd: number, offset: number, length: number) => ArrayBuffer =
  native.ioUringMmap;

/**
 * Detaches and unmaps a buffer from {@link ioUringMmap}; false if it was already released.
 *
 * @example
 * ```ts
 * import { IoUring, ioUringMmap, munmap } from '@evring/sys';
 * import { IORING_OFF_SQES } from '@evring/abi';
 * const ring = IoUring.setup(8);
 * const extra = ioUringMmap(ring.fd, IORING_OFF_SQES, 8 * 64);
 * munmap(extra); // true
 * munmap(extra); // false: already released
 * ring.close();
 * ```
 */
export const munmap: (buffer: ArrayBuffer) => boolean = native.munmap;

/**
 * io_uring_enter(2). Returns the count or `-errno`. With
 * `IORING_ENTER_EXT_ARG`, `timeoutMs` >= 0 bounds the wait (linux 5.11) and
 * `minWaitUsec` sets `min_wait_usec` (linux 6.12).
 *
 * @example
 * ```ts
 * import { IoUring, ioUringEnter } from '@evring/sys';
 * import { IORING_ENTER_EXT_ARG, IORING_ENTER_GETEVENTS, errno } from '@evring/abi';
 * const ring = IoUring.setup(8);
 * // nothing submitted: wait at most 5 ms for a completion
 * ioUringEnter(ring.fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, 5) === -errno.ETIME!; // true
 * ring.close();
 * ```
 */
export const ioUringEnter: (
  fd: number,
  toSubmit: number,
  minComplete: number,
  flags: number,
  timeoutMs?: number,
  minWaitUsec?: number,
) => number = native.ioUringEnter;

/**
 * io_uring_register(2) for pointer-free opcodes (PROBE, EVENTFD, RING_FDS, ...). Throws on failure.
 *
 * @example
 * ```ts
 * import { IoUring, ioUringRegister } from '@evring/sys';
 * import { IORING_OP_POLL_ADD, IORING_REGISTER_PROBE, probeSize, readProbe } from '@evring/abi';
 * const ring = IoUring.setup(8);
 * const buf = new Uint8Array(probeSize(256));
 * ioUringRegister(ring.fd, IORING_REGISTER_PROBE, buf, 256);
 * readProbe(new DataView(buf.buffer), 0).supported.has(IORING_OP_POLL_ADD); // true
 * ring.close();
 * ```
 */
export const ioUringRegister: (
  fd: number,
  opcode: number,
  arg: ArrayBufferView | null,
  nrArgs: number,
) => number = native.ioUringRegister;

/**
 * Sys-owned memory whose user address may go into SQEs the kernel only reads
 * through (the `__kernel_timespec` of IORING_OP_TIMEOUT). Freed by
 * {@link pinnedFree} or when the buffer is collected. An SQE that would make
 * the kernel *write* through a pointer is still refused.
 *
 * @example
 * ```ts
 * import { pinnedAlloc, pinnedFree } from '@evring/sys';
 * import { __kernel_timespec, writeTimespecMs } from '@evring/abi';
 * const ts = pinnedAlloc(__kernel_timespec.size);
 * writeTimespecMs(new DataView(ts.buffer), 0, 100);
 * // ts.address can now go into an IORING_OP_TIMEOUT SQE
 * pinnedFree(ts.buffer);
 * ```
 */
export const pinnedAlloc: (size: number) => { buffer: ArrayBuffer; address: number } =
  native.pinnedAlloc;

/**
 * Detaches and frees a {@link pinnedAlloc} buffer; false if already freed.
 *
 * @example
 * ```ts
 * import { pinnedAlloc, pinnedFree } from '@evring/sys';
 * const mem = pinnedAlloc(16);
 * pinnedFree(mem.buffer); // true; mem.buffer is detached
 * pinnedFree(mem.buffer); // false
 * ```
 */
export const pinnedFree: (buffer: ArrayBuffer) => boolean = native.pinnedFree;

/**
 * How to set up an {@link IoUring}.
 *
 * @example
 * ```ts
 * import { IoUring, type IoUringOptions } from '@evring/sys';
 * import { IORING_SETUP_CLAMP, IORING_SETUP_CQSIZE } from '@evring/abi';
 * const options: IoUringOptions = { flags: IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, cqEntries: 4096, singleMmap: false };
 * const ring = IoUring.setup(64, options);
 * ring.singleMmap; // false: three mappings, as before linux 5.4
 * ring.close();
 * ```
 */
export interface IoUringOptions {
  /** IORING_SETUP_* flags (SQPOLL and NO_MMAP are refused). */
  flags?: number;
  /** CQ size, with IORING_SETUP_CQSIZE in `flags`. */
  cqEntries?: number;
  /**
   * Map SQ and CQ rings once when the kernel offers IORING_FEAT_SINGLE_MMAP
   * (linux 5.4). `false` forces the older three mappings, for testing.
   */
  singleMmap?: boolean;
}

const closer = new FinalizationRegistry<number>((fd) => {
  try {
    native.close(fd);
  } catch {
    // already closed behind our back: nothing to release
  }
});

/**
 * A ring with its regions mapped: `sqRing` (heads, tails, flags, the SQ
 * index array), `cqRing` (the same buffer as `sqRing` with a single mmap) and
 * `sqes`. Offsets inside them are in `params.sqOff` / `params.cqOff`.
 *
 * @example
 * ```ts
 * import { IoUring } from '@evring/sys';
 * import { IORING_FEAT_EXT_ARG } from '@evring/abi';
 * const ring = IoUring.setup(32);
 * const hasExtArg = (ring.params.features & IORING_FEAT_EXT_ARG) !== 0;
 * ring.close();
 * ```
 */
export class IoUring {
  /** The ring fd (pollable: readable when CQEs are waiting). */
  readonly fd: number;
  /** What the kernel filled into io_uring_params. */
  readonly params: IoUringParams;
  /** True when SQ and CQ share one mapping. */
  readonly singleMmap: boolean;
  /** Bytes per SQE (64, or 128 with SQE128). */
  readonly sqeSize: number;
  /** Bytes per CQE (16, or 32 with CQE32). */
  readonly cqeSize: number;
  #sqRing: ArrayBuffer;
  #cqRing: ArrayBuffer;
  #sqes: ArrayBuffer;
  #closed = false;

  private constructor(fd: number, params: IoUringParams, singleMmap: boolean) {
    this.fd = fd;
    this.params = params;
    this.singleMmap = singleMmap;
    this.sqeSize = params.flags & IORING_SETUP_SQE128 ? 128 : 64;
    this.cqeSize = params.flags & IORING_SETUP_CQE32 ? 32 : 16;
    const sqSize =
      params.flags & IORING_SETUP_NO_SQARRAY
        ? params.sqOff.flags + 16
        : params.sqOff.array + params.sqEntries * 4;
    const cqSize = params.cqOff.cqes + params.cqEntries * this.cqeSize;
    try {
      if (singleMmap) {
        this.#sqRing = native.ioUringMmap(fd, IORING_OFF_SQ_RING, Math.max(sqSize, cqSize));
        this.#cqRing = this.#sqRing;
      } else {
        this.#sqRing = native.ioUringMmap(fd, IORING_OFF_SQ_RING, sqSize);
        this.#cqRing = native.ioUringMmap(fd, IORING_OFF_CQ_RING, cqSize);
      }
      this.#sqes = native.ioUringMmap(fd, IORING_OFF_SQES, params.sqEntries * this.sqeSize);
    } catch (err) {
      this.#release();
      throw err;
    }
    closer.register(this, fd, this);
  }

  /** io_uring_setup + the mappings. Throws a SystemCallError when the kernel refuses. */
  static setup(entries: number, options: IoUringOptions = {}): IoUring {
    const buf = new Uint8Array(io_uring_params.size);
    const view = new DataView(buf.buffer);
    const input: { flags?: number; cqEntries?: number } = {};
    if (options.flags !== undefined) input.flags = options.flags;
    if (options.cqEntries !== undefined) input.cqEntries = options.cqEntries;
    writeIoUringParams(view, 0, input);
    const fd = native.ioUringSetup(entries, buf);
    const params = readIoUringParams(view, 0);
    const single =
      options.singleMmap !== false && (params.features & IORING_FEAT_SINGLE_MMAP) !== 0;
    return new IoUring(fd, params, single);
  }

  /** The SQ ring region (throws once closed). */
  get sqRing(): ArrayBuffer {
    this.#check();
    return this.#sqRing;
  }

  /** The CQ ring region (the same buffer as {@link sqRing} with a single mmap). */
  get cqRing(): ArrayBuffer {
    this.#check();
    return this.#cqRing;
  }

  /** The SQE array. */
  get sqes(): ArrayBuffer {
    this.#check();
    return this.#sqes;
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.#closed;
  }

  /** io_uring_enter on this ring; returns the count or `-errno`. */
  enter(
    toSubmit: number,
    minComplete: number,
    flags: number,
    timeoutMs?: number,
    minWaitUsec?: number,
  ): number {
    return native.ioUringEnter(this.fd, toSubmit, minComplete, flags, timeoutMs, minWaitUsec);
  }

  /** io_uring_register on this ring. Throws on failure. */
  register(opcode: number, arg: ArrayBufferView | null, nrArgs: number): number {
    return native.ioUringRegister(this.fd, opcode, arg, nrArgs);
  }

  /** IORING_REGISTER_PROBE (linux 5.6): the opcodes this kernel supports. */
  probe(): Probe {
    const buf = new Uint8Array(probeSize(256));
    native.ioUringRegister(this.fd, IORING_REGISTER_PROBE, buf, 256);
    return readProbe(new DataView(buf.buffer), 0);
  }

  /** IORING_REGISTER_EVENTFD: `eventfd` is signalled as completions post (a hint; signals may coalesce). */
  registerEventfd(eventfd: number): void {
    const arg = new Int32Array([eventfd]);
    native.ioUringRegister(this.fd, IORING_REGISTER_EVENTFD, arg, 1);
  }

  /** IORING_UNREGISTER_EVENTFD. */
  unregisterEventfd(): void {
    native.ioUringRegister(this.fd, IORING_UNREGISTER_EVENTFD, null, 0);
  }

  /** Unmaps every region (detaching the buffers), then closes the fd. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closer.unregister(this);
    this.#release();
  }

  #release(): void {
    for (const ab of [this.#sqes, this.#cqRing, this.#sqRing]) {
      if (ab !== undefined) native.munmap(ab);
    }
    try {
      native.close(this.fd);
    } catch (err) {
      // Closed behind this object's back (a raw close(fd)): the mappings are
      // released above, which is all that was left to do.
      if (!isSystemError(err, 'EBADF')) throw err;
    }
  }

  #check(): void {
    if (this.#closed) throw new Error('IoUring: the ring is closed');
  }
}
