/**
 * One io_uring, mapped, driven through an injectable SysCalls: SQEs are
 * written in place at `(tail & mask) * sqeSize`, heads and tails are read and
 * written with Atomics on Uint32Array views of the shared memory (acquire on
 * the kernel's side, release on ours; the SQ tail once per enter), and
 * nothing is allocated per SQE or CQE.
 *
 * @module
 */

import {
  IORING_ENTER_REGISTERED_RING,
  IORING_FEAT_SINGLE_MMAP,
  IORING_OFF_CQ_RING,
  IORING_OFF_SQ_RING,
  IORING_OFF_SQES,
  IORING_REGISTER_RING_FDS,
  type IoUringParams,
  io_uring_params,
  isSystemError,
  readIoUringParams,
  writeIoUringParams,
} from '@evring/abi';
import type { SysCalls } from '@evring/backend';

/**
 * How to create a {@link Ring}.
 *
 * @example
 * ```ts
 * import { IORING_SETUP_CLAMP, IORING_SETUP_CQSIZE } from '@evring/abi';
 * import { realSys } from '@evring/backend';
 * import { Ring, type RingSetup } from '@evring/backend-iouring';
 * const setup: RingSetup = { entries: 8, cqEntries: 32, flags: IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, singleMmap: true };
 * const ring = Ring.create(realSys, setup);
 * ring.close();
 * ```
 */
export interface RingSetup {
  entries: number;
  cqEntries: number;
  flags: number;
  /** Map SQ and CQ once when the kernel offers IORING_FEAT_SINGLE_MMAP. */
  singleMmap: boolean;
}

/**
 * A mapped ring.
 *
 * @example
 * ```ts
 * import { IORING_ENTER_GETEVENTS, prepNop } from '@evring/abi';
 * import { realSys } from '@evring/backend';
 * import { Ring } from '@evring/backend-iouring';
 * const ring = Ring.create(realSys, { entries: 4, cqEntries: 8, flags: 0, singleMmap: true });
 * prepNop(ring.sqes, ring.nextSqe(), 42); // written in place in the mapped SQE array
 * ring.advance();
 * ring.enter(1, 1, IORING_ENTER_GETEVENTS); // submit it and wait for its completion
 * console.log(ring.cqTail - ring.cqHead); // 1
 * ring.close();
 * ```
 */
export class Ring {
  readonly fd: number;
  readonly params: IoUringParams;
  readonly singleMmap: boolean;
  readonly sqes: DataView;
  readonly cqes: DataView;
  /** The SQE array as words: SQE `k` starts at word `k * 16` (see words.ts). */
  readonly sqeWords: Uint32Array;
  /** The CQ ring as words: the CQE at byte offset `at` starts at word `at >>> 2`. */
  readonly cqWords: Uint32Array;
  readonly sqEntries: number;
  readonly cqEntries: number;
  readonly sqMask: number;
  readonly cqMask: number;
  /** Word indexes into the ring views. */
  readonly #sqHead: number;
  readonly #sqTail: number;
  readonly #sqFlags: number;
  readonly #cqHead: number;
  readonly #cqTail: number;
  readonly #cqOverflow: number;
  readonly cqesBase: number;
  #sq: Uint32Array;
  #cq: Uint32Array;
  #maps: ArrayBuffer[];
  #sys: SysCalls;
  /** Our SQ tail: the SQEs written so far. */
  #tail: number;
  /** The SQ tail the kernel was last shown (see {@link Ring.advance}). */
  #publishedTail: number;
  /** The kernel's SQ head as last read: a full SQ reads it again. */
  #sqHeadSeen: number;
  /** What io_uring_enter is given: the fd, or the registered index (IORING_ENTER_REGISTERED_RING). */
  #enterFd: number;
  #enterFlags = 0;

  private constructor(
    sys: SysCalls,
    fd: number,
    params: IoUringParams,
    single: boolean,
    maps: ArrayBuffer[],
  ) {
    this.#sys = sys;
    this.fd = fd;
    this.params = params;
    this.singleMmap = single;
    this.#maps = maps;
    const sqRing = maps[0]!;
    const cqRing = single ? sqRing : maps[1]!;
    const sqesBuf = maps[single ? 1 : 2]!;
    this.#sq = new Uint32Array(sqRing);
    this.#cq = new Uint32Array(cqRing);
    this.sqes = new DataView(sqesBuf);
    this.cqes = new DataView(cqRing);
    this.sqeWords = new Uint32Array(sqesBuf);
    this.cqWords = new Uint32Array(cqRing);
    const s = params.sqOff;
    const c = params.cqOff;
    this.#sqHead = s.head >>> 2;
    this.#sqTail = s.tail >>> 2;
    this.#sqFlags = s.flags >>> 2;
    this.#cqHead = c.head >>> 2;
    this.#cqTail = c.tail >>> 2;
    this.#cqOverflow = c.overflow >>> 2;
    this.cqesBase = c.cqes;
    this.sqEntries = params.sqEntries;
    this.cqEntries = params.cqEntries;
    this.sqMask = this.#sq[s.ringMask >>> 2]!;
    this.cqMask = this.#cq[c.ringMask >>> 2]!;
    // The SQ index array is the identity, set once (liburing does the same).
    const array = s.array >>> 2;
    for (let i = 0; i < this.sqEntries; i++) this.#sq[array + i] = i;
    this.#tail = Atomics.load(this.#sq, this.#sqTail);
    this.#publishedTail = this.#tail;
    this.#sqHeadSeen = Atomics.load(this.#sq, this.#sqHead);
    this.#enterFd = fd;
  }

  /**
   * Registers the ring fd with the ring (IORING_REGISTER_RING_FDS, linux
   * 5.18) so io_uring_enter skips the fd lookup. False when the kernel
   * refuses; the plain fd is used then (liburing does the same).
   */
  registerRingFd(): boolean {
    const update = new Uint8Array(16);
    const view = new DataView(update.buffer);
    view.setUint32(0, 0xffffffff, true); // offset: let the kernel pick a slot
    view.setBigUint64(8, BigInt(this.fd), true);
    try {
      if (this.#sys.ioUringRegister(this.fd, IORING_REGISTER_RING_FDS, update, 1) !== 1)
        return false;
    } catch (err) {
      if (isSystemError(err)) return false;
      throw err;
    }
    this.#enterFd = view.getUint32(0, true);
    this.#enterFlags = IORING_ENTER_REGISTERED_RING;
    return true;
  }

  /** io_uring_setup and the mappings; throws a SystemCallError when the kernel refuses. */
  static create(sys: SysCalls, setup: RingSetup): Ring {
    const buf = new Uint8Array(io_uring_params.size);
    const view = new DataView(buf.buffer);
    writeIoUringParams(view, 0, { flags: setup.flags, cqEntries: setup.cqEntries });
    const fd = sys.ioUringSetup(setup.entries, buf);
    const params = readIoUringParams(view, 0);
    const single = setup.singleMmap && (params.features & IORING_FEAT_SINGLE_MMAP) !== 0;
    const sqSize = params.sqOff.array + params.sqEntries * 4;
    const cqSize = params.cqOff.cqes + params.cqEntries * 16;
    const maps: ArrayBuffer[] = [];
    try {
      if (single) {
        maps.push(sys.ioUringMmap(fd, IORING_OFF_SQ_RING, Math.max(sqSize, cqSize)));
      } else {
        maps.push(sys.ioUringMmap(fd, IORING_OFF_SQ_RING, sqSize));
        maps.push(sys.ioUringMmap(fd, IORING_OFF_CQ_RING, cqSize));
      }
      maps.push(sys.ioUringMmap(fd, IORING_OFF_SQES, params.sqEntries * 64));
    } catch (err) {
      for (const m of maps) sys.munmap(m);
      sys.close(fd);
      throw err;
    }
    return new Ring(sys, fd, params, single, maps);
  }

  /** SQEs written but not yet consumed by the kernel. */
  get toSubmit(): number {
    return (this.#tail - Atomics.load(this.#sq, this.#sqHead)) >>> 0;
  }

  /** Free SQ slots. */
  get sqSpace(): number {
    return this.sqEntries - this.toSubmit;
  }

  /** The byte offset of the next SQE slot, or -1 when the SQ is full. Call {@link advance} after writing it. */
  nextSqe(): number {
    if ((this.#tail - this.#sqHeadSeen) >>> 0 >= this.sqEntries) {
      // Looks full: the kernel may have consumed some since we last looked.
      this.#sqHeadSeen = Atomics.load(this.#sq, this.#sqHead);
      if ((this.#tail - this.#sqHeadSeen) >>> 0 >= this.sqEntries) return -1;
    }
    return (this.#tail & this.sqMask) * 64;
  }

  /**
   * Counts the SQE just written. The kernel is shown the new tail (a release
   * store) by the next {@link enter} or {@link publish}: sys refuses SQPOLL,
   * so the kernel reads the tail nowhere else, and one store per enter
   * serves a whole batch.
   */
  advance(): void {
    this.#tail = (this.#tail + 1) >>> 0;
  }

  /** Shows the kernel every SQE written so far (enter does this itself). */
  publish(): void {
    if (this.#publishedTail !== this.#tail) {
      this.#publishedTail = this.#tail;
      Atomics.store(this.#sq, this.#sqTail, this.#tail);
    }
  }

  /** The SQ ring flags (IORING_SQ_CQ_OVERFLOW, IORING_SQ_TASKRUN). */
  get sqFlags(): number {
    return Atomics.load(this.#sq, this.#sqFlags);
  }

  /** The CQ overflow counter (completions the kernel dropped). */
  get cqOverflow(): number {
    return Atomics.load(this.#cq, this.#cqOverflow);
  }

  /** The CQ head (ours). */
  get cqHead(): number {
    return Atomics.load(this.#cq, this.#cqHead);
  }

  /** The CQ tail (the kernel's), acquired before CQEs are read. */
  get cqTail(): number {
    return Atomics.load(this.#cq, this.#cqTail);
  }

  /** Byte offset of the CQE at ring position `head`. */
  cqeAt(head: number): number {
    return this.cqesBase + (head & this.cqMask) * 16;
  }

  /** Releases CQEs up to `head`. */
  setCqHead(head: number): void {
    Atomics.store(this.#cq, this.#cqHead, head >>> 0);
  }

  /** io_uring_enter; returns the count or -errno. */
  enter(toSubmit: number, minComplete: number, flags: number, timeoutMs?: number): number {
    this.publish();
    return this.#sys.ioUringEnter(
      this.#enterFd,
      toSubmit,
      minComplete,
      flags | this.#enterFlags,
      timeoutMs,
    );
  }

  /** Unmaps (detaching the views' buffers), then closes the fd. */
  close(): void {
    for (const m of this.#maps) this.#sys.munmap(m);
    this.#maps = [];
    try {
      this.#sys.close(this.fd);
    } catch (err) {
      if (!isSystemError(err, 'EBADF')) throw err;
    }
  }
}
