/**
 * Operations in the kernel through Linux AIO: file reads and writes (plain
 * and vectored) and syncs
 * on a second, *tracking* AIO context (sys holds each operation's pinned
 * memory until its completion, and keeps that context's ring to itself).
 *
 * What Linux AIO does with them, and what follows here:
 * a) A buffered read or write (no O_DIRECT) is done inside io_submit, as a
 *    blocking call; only O_DIRECT I/O and the syncs (a kernel worker's job)
 *    complete later. So the operations of an iteration go to the kernel in
 *    one io_submit, and one io_getevents right after collects what is
 *    already done: two syscalls per batch, whatever its size.
 * b) sys sends reads and writes only to regular files and block devices (on
 *    a pipe or socket io_submit could block): anything else ends the batch
 *    with −ESPIPE or −EISDIR, and that operation goes back to the owner
 *    (`declined`), which does it as it does what a backend does not take;
 *    so a character device with positions (/dev/zero) gives its bytes and
 *    a write to a directory pwrite's EBADF, as on every backend. The fstat
 *    errno (EBADF) is the operation's result.
 * c) AIO has no "current file offset": an operation at position −1 is not
 *    taken (submit returns false) and the Poller emulates it.
 * d) What completes later signals an eventfd (IOCB_FLAG_RESFD) that the
 *    backend watches in its embedded epoll, so a sleeping owner wakes.
 * e) io_cancel rarely wins (what io_submit did is already done); an
 *    operation cancelled before it went to the kernel completes with
 *    −ECANCELED without going.
 * f) Some regular files have no AIO path (procfs and sysfs answer EINVAL);
 *    an operation AIO refuses with EINVAL, or with EAGAIN when its queue is
 *    full, is done with a direct syscall instead, which gives the file's
 *    real answer (an O_DIRECT misalignment stays EINVAL).
 *
 * @module
 */

import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  errno,
  IO_EVENT_DATA_WORD,
  IO_EVENT_RES_WORD,
  IO_EVENT_WORDS,
  iocbSetData,
  iocbSetResfd,
  prepIocbFsync,
  prepIocbPread,
  prepIocbPreadv,
  prepIocbPwrite,
  prepIocbPwritev,
} from '@evring/abi';
import {
  type BackendOwner,
  growToCover,
  isDataOp,
  OP_FDATASYNC,
  OP_READ,
  OP_READV,
  OP_WRITE,
  OP_WRITEV,
  type OpCode,
  ownedFd,
  type PinnedMemory,
  type SysCalls,
} from '@evring/backend';
import { AioContext, fileIoSync } from '@evring/sys';

const EINTR = -errno.EINTR;
const EAGAIN = -errno.EAGAIN;
const EINVAL = -errno.EINVAL;
const ECANCELED = -errno.ECANCELED;
const ESPIPE = -errno.ESPIPE;
const EISDIR = -errno.EISDIR;

const IOCB_SIZE = 64;
const BATCH = 64;

/**
 * Where an operation AIO will not do goes: the owner's
 * {@link BackendOwner.opDeclined}. `verdict` is sys's answer (−ESPIPE or
 * −EISDIR), the result for an owner that does no operations itself.
 */
export type OpDeclined = (
  op: OpCode,
  fd: number,
  mem: PinnedMemory,
  offset: number,
  length: number,
  position: number,
  token: number,
  verdict: number,
) => void;

/** A slot's state. */
const FREE = 0;
const QUEUED = 1;
const IN_KERNEL = 2;
const CANCELLED = 3;
/** Done before a close (handOver), with its result kept for the next flush to deliver. */
const ANSWERED = 4;

/**
 * The operations of one Linux AIO backend. Made on first use: a backend
 * that never runs an operation holds no second context.
 */
export class AioOperations {
  readonly #sys: SysCalls;
  readonly #slots: number;
  readonly #done: (token: number, res: number) => void;
  readonly #declined: OpDeclined;
  readonly #watch: (efd: number) => void;
  #aio: AioContext | null = null;
  #iocbs = new Uint32Array(0);
  #efd = -1;
  #state: Uint8Array;
  #tokenOf: Int32Array;
  /** Per slot, what the operation is: for doing it directly when the kernel cannot take it. */
  #op: Uint8Array;
  #fd: Int32Array;
  #mem: Array<PinnedMemory | null>;
  #offset: Float64Array;
  #length: Float64Array;
  #position: Float64Array;
  /** Slot by token, −1 for none. */
  #slotOf = new Int32Array(64).fill(-1);
  #free: Int32Array;
  #freeCount: number;
  #queue: Uint32Array;
  #queueCount = 0;
  #inKernel = 0;
  #events = new Uint32Array(BATCH * IO_EVENT_WORDS);
  /** ANSWERED slots and their results, in the order they were answered. */
  #answered: number[] = [];
  #answers: number[] = [];

  /**
   * `done` receives each completion; `declined` each operation AIO will not
   * do (note b); `watch` is given the eventfd that signals later
   * completions, once, to poll with the backend's other fds.
   */
  constructor(
    sys: SysCalls,
    slots: number,
    done: (token: number, res: number) => void,
    declined: OpDeclined,
    watch: (efd: number) => void,
  ) {
    this.#sys = sys;
    this.#slots = slots;
    this.#done = done;
    this.#declined = declined;
    this.#watch = watch;
    this.#state = new Uint8Array(slots);
    this.#tokenOf = new Int32Array(slots);
    this.#op = new Uint8Array(slots);
    this.#fd = new Int32Array(slots);
    this.#mem = new Array<PinnedMemory | null>(slots).fill(null);
    this.#offset = new Float64Array(slots);
    this.#length = new Float64Array(slots);
    this.#position = new Float64Array(slots);
    this.#queue = new Uint32Array(slots);
    this.#free = new Int32Array(slots);
    for (let i = 0; i < slots; i++) this.#free[i] = slots - 1 - i;
    this.#freeCount = slots;
  }

  /** The eventfd later completions signal (−1 before the first operation). */
  get eventfd(): number {
    return this.#efd;
  }

  /** Operations queued or in the kernel. */
  get pending(): number {
    return this.#slots - this.#freeCount;
  }

  /** Operations queued for the next {@link flush}, or done and waiting for it to deliver them. */
  get queued(): number {
    return this.#queueCount + this.#answered.length;
  }

  /** Queues an operation for the next flush; false when AIO cannot take it (note c, or every slot busy). */
  submit(
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
    token: number,
  ): boolean {
    if ((position < 0 && isDataOp(op)) || this.#freeCount === 0) {
      return false;
    }
    if (this.#aio === null) this.#open();
    const slot = this.#free[--this.#freeCount]!;
    const at = slot * IOCB_SIZE;
    const iocbs = this.#iocbs;
    const addr = mem.address + offset;
    if (op === OP_READ) prepIocbPread(iocbs, at, fd, addr, length, position);
    else if (op === OP_WRITE) prepIocbPwrite(iocbs, at, fd, addr, length, position);
    // io_submit imports the iovec array before it returns; sys checks it and what it names.
    else if (op === OP_READV) prepIocbPreadv(iocbs, at, fd, addr, length, position);
    else if (op === OP_WRITEV) prepIocbPwritev(iocbs, at, fd, addr, length, position);
    else prepIocbFsync(iocbs, at, fd, { datasync: op === OP_FDATASYNC });
    iocbSetData(iocbs, at, slot, 0);
    iocbSetResfd(iocbs, at, this.#efd);
    this.#state[slot] = QUEUED;
    this.#tokenOf[slot] = token;
    this.#op[slot] = op;
    this.#fd[slot] = fd;
    this.#mem[slot] = mem;
    this.#offset[slot] = offset;
    this.#length[slot] = length;
    this.#position[slot] = position;
    if (token >= this.#slotOf.length) {
      const grown = growToCover(this.#slotOf, token);
      grown.fill(-1, this.#slotOf.length);
      this.#slotOf = grown;
    }
    this.#slotOf[token] = slot;
    this.#queue[this.#queueCount++] = slot;
    return true;
  }

  /** Asks to cancel `token`'s operation (note e); its completion still comes, once. */
  cancel(token: number): void {
    const slot = token < this.#slotOf.length ? this.#slotOf[token]! : -1;
    if (slot < 0) return;
    if (this.#state[slot] === QUEUED) this.#state[slot] = CANCELLED;
    else if (this.#state[slot] === IN_KERNEL && this.#aio !== null) {
      for (let tries = 0; tries < 16 && this.#aio.cancel(slot) === EINTR; tries++);
    }
  }

  /**
   * Hands the queued operations to the kernel now, from the front of the
   * queue, for as long as it takes them: each takes its file, so a close
   * the owner makes next does not overtake it (read then close must read,
   * as on io_uring, whose SQEs take their files in order). One the kernel
   * refuses is done now, before the close, as {@link flush} would do it (a
   * direct syscall, or declined to the owner). Completes nothing: what is
   * done now is delivered by the next flush, from poll(). A cancelled
   * operation, or memory freed meanwhile, stops it (neither touches the
   * fd): the rest waits for the flush.
   */
  handOver(): void {
    const aio = this.#aio;
    const queue = this.#queue;
    while (aio !== null && this.#queueCount > 0) {
      let run = 0;
      while (run < this.#queueCount && this.#state[queue[run]!] !== CANCELLED) run++;
      if (run === 0) return;
      let r: number;
      try {
        r = aio.submit(queue, run);
      } catch (err) {
        if (err instanceof RangeError) return; // flush() answers it EINVAL, with no syscall
        throw err;
      }
      if (r === EINTR) continue;
      let taken = r;
      if (r > 0) this.#sent(queue, r);
      else {
        const slot = queue[0]!;
        const res = this.#settleRefused(slot, r);
        if (res !== null) {
          this.#state[slot] = ANSWERED;
          this.#answered.push(slot);
          this.#answers.push(res);
        }
        taken = 1;
      }
      this.#queueCount -= taken;
      queue.copyWithin(0, taken, taken + this.#queueCount);
    }
  }

  /** The first `count` of `queue` went to the kernel. */
  #sent(queue: Uint32Array, count: number): void {
    for (let i = 0; i < count; i++) this.#state[queue[i]!] = IN_KERNEL;
    this.#inKernel += count;
  }

  /**
   * What to do with an operation io_submit refused (note b): declined to
   * the owner on ESPIPE or EISDIR (null); with the kernel's queue full, or
   * a file AIO refuses (note f), done now with a direct syscall; otherwise
   * the refusal is its result.
   */
  #settleRefused(slot: number, r: number): number | null {
    if (r === ESPIPE || r === EISDIR) {
      this.#decline(slot, r);
      return null;
    }
    return r === EAGAIN || r === EINVAL ? this.#runNow(slot) : r;
  }

  /** Delivers what {@link handOver} did; returns how many. */
  #deliverAnswered(): number {
    const slots = this.#answered;
    const results = this.#answers;
    this.#answered = [];
    this.#answers = [];
    for (let i = 0; i < slots.length; i++) this.#finish(slots[i]!, results[i]!);
    return slots.length;
  }

  /**
   * Hands the queued operations to the kernel in one io_submit, then
   * collects what is already done (note a). Returns the completions delivered.
   */
  flush(): number {
    const answered = this.#answered.length > 0 ? this.#deliverAnswered() : 0;
    const aio = this.#aio;
    if (aio === null || this.#queueCount === 0) return answered;
    const queue = this.#queue;
    let delivered = answered;
    let left = 0;
    // Cancelled before they went: completed here, never sent.
    for (let i = 0; i < this.#queueCount; i++) {
      const slot = queue[i]!;
      if (this.#state[slot] === CANCELLED) {
        this.#finish(slot, ECANCELED);
        delivered++;
      } else queue[left++] = slot;
    }
    this.#queueCount = 0;
    while (left > 0) {
      let r: number;
      let refused = false;
      try {
        r = aio.submit(queue, left);
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        // sys refused the batch: memory outside pinned memory (a freed
        // block, an iovec entry). One at a time, the refused one fails with
        // EINVAL, as a tracking ring and the emulation answer it.
        try {
          r = aio.submit(queue, 1);
        } catch (one) {
          if (!(one instanceof RangeError)) throw one;
          r = EINVAL;
          refused = true;
        }
      }
      if (r === EINTR) continue;
      let taken = r;
      if (r > 0) this.#sent(queue, r);
      else {
        // Memory sys refused: EINVAL, with no syscall. Declined: the owner
        // does it now and delivers it from its poll; counted, so this poll
        // does not sleep.
        const res = refused ? EINVAL : this.#settleRefused(queue[0]!, r);
        if (res !== null) this.#finish(queue[0]!, res);
        delivered++;
        taken = 1;
      }
      left -= taken;
      if (left > 0) queue.copyWithin(0, taken, taken + left);
    }
    return delivered + this.reap();
  }

  /** Collects completed operations without waiting; returns how many were delivered. */
  reap(): number {
    const aio = this.#aio;
    if (aio === null || this.#inKernel === 0) return 0;
    let delivered = 0;
    for (;;) {
      const n = aio.getevents(0, BATCH, this.#events, 0);
      if (n === EINTR) continue;
      if (n <= 0) break;
      for (let i = 0; i < n; i++) {
        const base = i * IO_EVENT_WORDS;
        const slot = this.#events[base + IO_EVENT_DATA_WORD]!;
        this.#inKernel--;
        const res = this.#events[base + IO_EVENT_RES_WORD]! | 0;
        this.#finish(slot, res === EINVAL ? this.#runNow(slot) : res);
      }
      delivered += n;
      if (n < BATCH) break;
    }
    return delivered;
  }

  /** Cancels and releases everything: io_destroy waits for what is in the kernel (sys). */
  destroy(): void {
    this.#aio?.destroy();
    this.#aio = null;
    if (this.#efd >= 0) this.#sys.close(this.#efd);
    this.#efd = -1;
    this.#queueCount = 0;
    this.#answered = [];
    this.#answers = [];
  }

  /**
   * After a fork or a lost context: a new context; what was queued or in the
   * kernel completes with −ECANCELED (the old context's io_destroy stopped it).
   */
  recreate(): void {
    if (this.#aio === null) return;
    this.#aio.destroy();
    this.#aio = AioContext.setup(this.#slots, this.#slots, { tracking: true });
    this.#iocbs = new Uint32Array(this.#aio.iocbs);
    this.#queueCount = 0;
    this.#inKernel = 0;
    this.#deliverAnswered(); // done before the context went: their own results
    for (let slot = 0; slot < this.#slots; slot++) {
      if (this.#state[slot] !== FREE) this.#finish(slot, ECANCELED);
    }
  }

  #open(): void {
    this.#efd = ownedFd(this.#sys, this.#sys.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC, true));
    try {
      this.#aio = AioContext.setup(this.#slots, this.#slots, { tracking: true });
    } catch (err) {
      this.#sys.close(this.#efd);
      this.#efd = -1;
      throw err;
    }
    this.#iocbs = new Uint32Array(this.#aio.iocbs);
    this.#watch(this.#efd);
  }

  /**
   * Does an operation now with a direct syscall (note f). Called from a
   * flush or a reap, so what sys refuses is the operation's result, never
   * an exception out of the owner's poll: memory freed meanwhile (a
   * RangeError) or a number an owner of `submitCheckedOp` left unchecked (a
   * TypeError) is EINVAL, as the Poller's emulation answers both.
   */
  #runNow(slot: number): number {
    const mem = this.#mem[slot]!;
    try {
      return fileIoSync(
        this.#op[slot] as OpCode,
        this.#fd[slot]!,
        mem.buffer,
        this.#offset[slot]!,
        this.#length[slot]!,
        this.#position[slot]!,
      );
    } catch (err) {
      if (err instanceof RangeError || err instanceof TypeError) return EINVAL;
      throw err;
    }
  }

  #finish(slot: number, res: number): void {
    const token = this.#release(slot);
    this.#done(token, res);
  }

  /** Not for AIO (note b): the slot is freed first, then the owner does the operation. */
  #decline(slot: number, verdict: number): void {
    const op = this.#op[slot] as OpCode;
    const fd = this.#fd[slot]!;
    const mem = this.#mem[slot]!;
    const offset = this.#offset[slot]!;
    const length = this.#length[slot]!;
    const position = this.#position[slot]!;
    const token = this.#release(slot);
    this.#declined(op, fd, mem, offset, length, position, token, verdict);
  }

  /** Frees `slot`, forgetting its token; returns the token. */
  #release(slot: number): number {
    const token = this.#tokenOf[slot]!;
    this.#state[slot] = FREE;
    this.#mem[slot] = null; // the caller's memory: not kept past its operation
    if (this.#slotOf[token] === slot) this.#slotOf[token] = -1;
    this.#free[this.#freeCount++] = slot;
    return token;
  }
}
