/**
 * The Linux AIO backend: libev's ev_linuxaio.c re-built on @evring/sys, and
 * made embeddable.
 *
 * What Linux AIO polling gets wrong, and what this file does about it:
 * a) IOCB_CMD_POLL (linux 4.18; epoll works beside it from 4.19) is one-shot:
 *    each completion is reported, then the fd is re-armed through the owner,
 *    which gives level triggering. EDGE is served as level.
 * b) Completions of cancelled or superseded polls still arrive: `aio_data`
 *    carries the fd and its generation, and anything not current is dropped.
 *    io_cancel may return EINTR (retried) and reports success as EINPROGRESS.
 * c) Some fds refuse to be polled this way (EINVAL: a tty wanting POLLIN, or
 *    any file with more than one wait queue): those fds move, transparently,
 *    to an embedded epoll backend, and back when their interest is dropped.
 * d) A context holds a fixed number of requests, and /proc/sys/fs/aio-max-nr
 *    caps them system-wide: EAGAIN from io_submit means the context is full.
 *    It is then destroyed and re-created four times larger (sizes that fill
 *    the ring's pages), and every fd re-armed; if the kernel refuses a bigger
 *    context, the whole backend switches to its embedded epoll, transparently,
 *    without losing a watcher.
 * e) The completion ring is readable from user space when its header says so
 *    (magic 0xa10a10a1, incompat_features 0, header_length 32): completions
 *    are read straight from it (acquire the tail, release the head);
 *    io_getevents is used only when the header is not valid (or `useRing` is
 *    false).
 * f) A context cannot be polled (libev calls this backend "not easily
 *    embeddable"). Embedded (the default: the owner sleeps on `fd` from
 *    Node's loop), every iocb signals an eventfd (IOCB_FLAG_RESFD) that sits
 *    in the embedded epoll set, so the epoll fd is readable when either
 *    completions or fallback fds are ready: it is the one pollable fd, and
 *    the one place this backend sleeps. A poll that must not sleep, with
 *    nothing in that epoll but the eventfd, reads the eventfd directly
 *    instead (one system call, not epoll_wait and a read: an attached
 *    loop's wake-up). An eventfd on an iocb makes this
 *    kernel complete a poll woken by a write from a kernel worker instead of
 *    inline, a context switch per event and completions up to milliseconds
 *    late; so with `embedded: false` (the owner waits in poll()) no iocb
 *    carries one: the backend sleeps in io_getevents, and the embedded
 *    epoll's fd, when it serves any fd, is itself polled through an iocb.
 * g) All interest changes of an iteration go to the kernel in one io_submit
 *    (continued when it submits only part); an fd number past the iocb array
 *    grows the context like (d).
 * h) EBADF from io_submit or a negative poll result: the fd is killed (its
 *    watchers get ERROR).
 * i) File reads, writes and syncs run in the kernel on a second, tracking
 *    context made on first use (aio-ops.ts); their eventfd sits in the
 *    embedded epoll like (f)'s, and each poll submits what was queued and
 *    collects what is done before deciding whether to sleep.
 *
 * @module
 */

import {
  aioRingInvalidReason,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  errno,
  IO_EVENT_DATA_WORD,
  IO_EVENT_RES_WORD,
  IO_EVENT_WORDS,
  iocbSetData,
  iocbSetResfd,
  isSystemError,
  POLLIN,
  POLLNVAL,
  prepIocbPoll,
  readAioRingHeader,
  systemError,
} from '@evring/abi';
import {
  type Backend,
  type BackendFactory,
  type BackendOptions,
  type BackendOwner,
  closeTolerant,
  fromPollMask,
  growToCover,
  IO_EVENTS,
  OP_FDATASYNC,
  OP_FSYNC,
  OP_READ,
  OP_READV,
  OP_WRITE,
  OP_WRITEV,
  type Operations,
  ownedFd,
  READ,
  realSys,
  type SysCalls,
  toPollMask,
  WaitDeadline,
} from '@evring/backend';
import { epollBackend } from '@evring/backend-epoll';
import { loadAcquire, storeRelease } from '@evring/sys';
import { AioOperations } from './aio-ops.js';
import { contextSize } from './context-size.js';
import { atLeast } from './kernel-version.js';

/** The reserved generation of the iocb polling the embedded epoll's fd (not embedded). */
const TAG_EPOLL = 0xfffffff0;

const EINTR = -errno.EINTR;
const EINVAL = -errno.EINVAL;
const EBADF = -errno.EBADF;
const EAGAIN = -errno.EAGAIN;

const IO_EVENT_SIZE = 32;
const IOCB_SIZE = 64;
const RING_HEADER = 32;
const GETEVENTS_BATCH = 64;
const MIN_SLOTS = 1024;
/** Operations in the kernel at once; more are emulated by the Poller. */
const OP_SLOTS = 512;

/**
 * Options of the Linux AIO backend.
 *
 * @example
 * ```ts
 * import { Poller } from '@evring/backend';
 * import { linuxaioBackend, type LinuxAioOptions } from '@evring/backend-linuxaio';
 * // Completions through io_getevents instead of the mapped ring.
 * const options: LinuxAioOptions = { useRing: false, initialRequests: 256 };
 * const poller = new Poller(linuxaioBackend, () => {}, options);
 * ```
 */
export interface LinuxAioOptions extends BackendOptions {
  /** Read completions from the mapped ring (default true); false uses io_getevents. */
  useRing?: boolean;
  /** Requests the first context is sized for (default 15, as libev). */
  initialRequests?: number;
  /** Largest context to grow to before switching to epoll (default 1,048,576). */
  maxRequests?: number;
}

interface Context {
  handle: number;
  /** The iocb array (one slot per fd, at byte `fd * 64`) as words, for abi's iocb writers. */
  iocbWords: Uint32Array;
  /** The completion ring, header and events, as words. */
  ringWords: Uint32Array;
  ringNr: number;
  useRing: boolean;
  requests: number;
  slots: number;
}

/**
 * libev's Linux AIO backend, embeddable. See the module notes.
 *
 * @example
 * ```ts
 * import { Poller, READ } from '@evring/backend';
 * import { type LinuxAioBackend, linuxaioBackend } from '@evring/backend-linuxaio';
 * const poller = new Poller(linuxaioBackend, (fd, revents) => console.log(fd, revents));
 * poller.set(0, READ);
 * poller.poll(1000);
 * console.log((poller.backend as LinuxAioBackend).allEpoll); // true once it moved to its embedded epoll
 * ```
 */
export class LinuxAioBackend implements Backend {
  /** When the current wait ends: resumed after EINTR with the time left. */
  readonly #deadline = new WaitDeadline();
  readonly name = 'linuxaio' as const;
  #sys: SysCalls;
  #owner: BackendOwner;
  #epoll!: Backend;
  #efd = -1;
  #efdFired = false;
  #ctx: Context | null = null;
  #wantRing: boolean;
  #maxRequests: number;
  /** Per fd: 1 while a poll iocb is in flight. */
  #active = new Uint8Array(MIN_SLOTS);
  /** Per fd: 1 while queued for the next io_submit. */
  #queued = new Uint8Array(MIN_SLOTS);
  /** Per fd: 1 while served by the embedded epoll. */
  #fallback = new Uint8Array(MIN_SLOTS);
  /** Per fd: the interest to poll for. */
  #mask = new Uint32Array(MIN_SLOTS);
  #pending = new Uint32Array(256);
  #pendingCount = 0;
  #allEpoll = false;
  #mustNotBlock = false;
  /** The owner sleeps on `fd` (iocbs signal the eventfd), or waits in poll(). */
  readonly #embedded: boolean;
  /** Not embedded: an iocb polls the embedded epoll's fd; it completed. */
  #epollArmed = false;
  #epollFired = false;
  #destroyed = false;
  #scratch = new Uint8Array(GETEVENTS_BATCH * IO_EVENT_SIZE);
  #scratchWords = new Uint32Array(this.#scratch.buffer);
  #epollIndex = new Uint32Array(1);
  /** How many times the context was grown, and whether the ring is read directly (for tests and doctor). */
  /** How many fds the embedded epoll serves because the kernel refused their aio poll. */
  #fallbackCount = 0;
  readonly #ops: AioOperations;
  /** The operations eventfd turned readable in the embedded epoll. */
  #opsFired = false;
  /** File reads and writes at a position, fsync and fdatasync, in the kernel (note i). */
  readonly ops: Operations;
  readonly stats = {
    grows: 0,
    fallbacks: 0,
    ringReaps: 0,
    geteventsReaps: 0,
  };

  private constructor(owner: BackendOwner, sys: SysCalls, options: LinuxAioOptions) {
    this.#owner = owner;
    this.#sys = sys;
    this.#wantRing = options.useRing !== false;
    this.#maxRequests = options.maxRequests ?? 1 << 20;
    this.#embedded = options.embedded !== false;
    this.#ops = new AioOperations(
      sys,
      OP_SLOTS,
      (token, res) => owner.opComplete?.(token, res),
      (op, fd, mem, offset, length, position, token, verdict) => {
        if (owner.opDeclined) owner.opDeclined(op, fd, mem, offset, length, position, token);
        else owner.opComplete?.(token, verdict);
      },
      (efd) => this.#epoll.modify(efd, 0, READ, true),
    );
    this.ops = {
      native: [OP_READ, OP_WRITE, OP_FSYNC, OP_FDATASYNC, OP_READV, OP_WRITEV],
      submit: (op, fd, mem, offset, length, position, token) => {
        this.#check();
        return this.#ops.submit(op, fd, mem, offset, length, position, token);
      },
      cancel: (token) => this.#ops.cancel(token),
      beforeClose: () => this.#ops.handOver(),
    };
  }

  /** Opens a backend, or says why the kernel refuses it. */
  static open(
    owner: BackendOwner,
    options: LinuxAioOptions = {},
  ): { backend: LinuxAioBackend } | { backend?: undefined; reason: string; code?: string } {
    const sys = options.sys ?? realSys;
    const release = sys.kernelRelease();
    if (!atLeast(release, 4, 19)) {
      return {
        reason: `linux ${release} is older than 4.19 (IOCB_CMD_POLL beside a working epoll)`,
        code: 'ENOSYS',
      };
    }
    const self = new LinuxAioBackend(owner, sys, options);
    const ep = epollBackend.open(self.#subOwner(), { sys });
    if (!ep.backend) return { reason: ep.reason, ...(ep.code ? { code: ep.code } : {}) };
    self.#epoll = ep.backend;
    try {
      self.#efd = ownedFd(sys, sys.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC, true));
      self.#ctx = self.#setup(contextSize(options.initialRequests ?? 15), MIN_SLOTS);
    } catch (err) {
      if (self.#efd >= 0) sys.close(self.#efd);
      self.#epoll.destroy();
      if (isSystemError(err)) return { reason: err.message, code: err.code };
      throw err;
    }
    self.#registerEventfd();
    return { backend: self };
  }

  get fd(): number {
    return this.#epoll.fd;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  get features(): Readonly<Record<string, boolean>> {
    return {
      edge: false,
      pri: true,
      embeddable: true,
      embedded: this.#embedded,
      ring: this.#ctx?.useRing ?? false,
      epollFallback: true,
      allEpoll: this.#allEpoll,
    };
  }

  /** True once the whole backend runs on its embedded epoll (the kernel refused a bigger context). */
  get allEpoll(): boolean {
    return this.#allEpoll;
  }

  /** True when `fd` is served by the embedded epoll (the kernel refused an aio poll for it). */
  isFallback(fd: number): boolean {
    return fd < this.#fallback.length && this.#fallback[fd] === 1;
  }

  modify(fd: number, oldEvents: number, newEvents: number, renewed: boolean): void {
    if (this.#allEpoll) {
      this.#epoll.modify(fd, oldEvents, newEvents, renewed);
      return;
    }
    this.#ensure(fd);
    if (this.#fallback[fd]) {
      if (!renewed) {
        this.#epoll.modify(fd, oldEvents, newEvents, false);
        if ((newEvents & IO_EVENTS) === 0) this.#setFallback(fd, 0); // back to aio next time
        return;
      }
      // A renewed number may be a file AIO can poll: it is tried afresh (note c).
      this.#epoll.modify(fd, oldEvents, 0, true);
      this.#setFallback(fd, 0);
    }
    if (this.#active[fd]) this.#cancel(fd);
    const fds = this.#owner.fds;
    fds.egen[fd] = (fds.egen[fd]! + 1) >>> 0;
    this.#mask[fd] = newEvents & IO_EVENTS;
    if (this.#mask[fd] !== 0 && !this.#queued[fd]) {
      this.#queued[fd] = 1;
      this.#pending = growToCover(this.#pending, this.#pendingCount);
      this.#pending[this.#pendingCount++] = fd;
    }
  }

  poll(timeoutMs: number): void {
    this.#check();
    // Operations first: what io_submit did is collected at once (aio-ops a).
    const done = this.#ops.flush();
    if (this.#allEpoll) {
      this.#epoll.poll(done > 0 ? 0 : timeoutMs);
      this.#reapOps();
      return;
    }
    // Only the user-space ring is free to look at; io_getevents is not.
    const early = this.#ctx?.useRing ? this.#reap() : 0;
    // The re-arms queued since the last poll go in now, even when completions
    // were already waiting: a level-triggered fd still ready completes its new
    // poll inline, and is reported in this iteration, as libev does.
    const killed = this.#submit();
    const reaped = early + killed + this.#reap() + done;
    const wait = reaped > 0 || this.#mustNotBlock || this.#pendingCount > 0 ? 0 : timeoutMs;
    this.#mustNotBlock = false;
    if (this.#embedded) {
      if (
        wait === 0 &&
        this.#fallbackCount === 0 &&
        this.#ops.eventfd < 0 &&
        !this.#epoll.flush() // false: no fd the epoll refused (a regular file) waits to be reported ready
      ) {
        // The completion eventfd is all the embedded epoll has to report:
        // read it directly (clearing it, so Node's poll of the epoll fd goes
        // quiet), one system call instead of epoll_wait and then the read.
        // The epoll takes its changes as they are made (epoll_ctl at once),
        // so skipping its poll leaves none behind.
        if (this.#sys.eventfdRead(this.#efd) > 0) this.#reap();
        return;
      }
      this.#efdFired = false;
      this.#epoll.poll(wait); // sleeps on fallback fds and on the completion eventfds
      if (this.#efdFired && !this.#allEpoll) this.#reap();
      this.#reapOps();
      return;
    }
    // Operations still in the kernel wake io_getevents through the embedded epoll (note i).
    const viaEpoll = this.#fallbackCount > 0 || this.#ops.pending > 0;
    if (viaEpoll) this.#armEpollIocb();
    if (wait !== 0) this.#waitGetevents(wait);
    if (viaEpoll || this.#epollFired) {
      this.#epollFired = false;
      this.#epoll.poll(0);
    }
    this.#reapOps();
  }

  /** Collects operations completed since the flush, once their eventfd said so. */
  #reapOps(): void {
    if (!this.#opsFired) return;
    this.#opsFired = false;
    this.#ops.reap();
  }

  /** Not embedded: sleeps in io_getevents until a completion or `timeoutMs` (< 0: no limit). */
  #waitGetevents(timeoutMs: number): void {
    const ctx = this.#ctx;
    if (!ctx) return;
    this.#deadline.start(timeoutMs);
    for (let left = timeoutMs; ; left = this.#deadline.left()) {
      if (timeoutMs >= 0 && left <= 0) return;
      const n = this.#sys.ioGetevents(ctx.handle, 1, GETEVENTS_BATCH, this.#scratch, left);
      if (n === EINTR) continue; // a signal: resume with the time left
      if (n < 0) throw systemError(n, 'io_getevents');
      this.#completeScratch(n);
      if (n > 0 && this.#ctx === ctx && n === GETEVENTS_BATCH) this.#reap();
      return;
    }
  }

  /** Not embedded: the embedded epoll's fd is polled through an iocb, so io_getevents wakes for its fds. */
  #armEpollIocb(): void {
    const ctx = this.#ctx;
    if (!ctx || this.#epollArmed) return;
    const epfd = this.#epoll.fd;
    if (epfd >= ctx.slots) return; // served by the epoll.poll(0) every poll makes
    const at = epfd * IOCB_SIZE;
    prepIocbPoll(ctx.iocbWords, at, epfd, POLLIN);
    iocbSetData(ctx.iocbWords, at, epfd, TAG_EPOLL);
    this.#epollIndex[0] = epfd;
    for (;;) {
      const r = this.#sys.ioSubmit(ctx.handle, this.#epollIndex, 1);
      if (r === EINTR) continue;
      if (r === 1) this.#epollArmed = true;
      return; // a refusal leaves the epoll.poll(0) of every poll to serve it
    }
  }

  flush(): boolean {
    this.#check();
    if (this.#allEpoll) return this.#epoll.flush();
    this.#submit();
    // Not embedded, the fd does not signal completions: poll again, always.
    if (!this.#embedded) return true;
    // Queued operations go to the kernel from poll(), which collects them at once.
    if (this.#ops.queued > 0) return true;
    return this.#mustNotBlock || this.#pendingCount > 0 || this.#epoll.flush();
  }

  recreate(): void {
    this.#check();
    if (!this.#allEpoll && this.#ctx) {
      const { requests, slots } = this.#ctx;
      this.#teardownContext();
      try {
        this.#ctx = this.#setup(requests, slots);
      } catch (err) {
        if (!isSystemError(err)) throw err;
        this.#allEpoll = true; // the kernel will not give us a context again
      }
    }
    this.#ops.recreate();
    this.#epoll.recreate(); // re-arms every fd through the owner, and the eventfds
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#teardownContext();
    this.#ops.destroy();
    if (this.#efd >= 0) closeTolerant(this.#sys, this.#efd);
    this.#efd = -1;
    this.#epoll.destroy();
  }

  // The embedded epoll reports to this owner: the eventfd is ours, the rest the real owner's.
  #subOwner(): BackendOwner {
    const owner = this.#owner;
    return {
      fds: owner.fds,
      fdEvent: (fd, revents) => {
        if (fd === this.#efd) {
          this.#sys.eventfdRead(fd); // consume the count; completions are read from the ring
          this.#efdFired = true;
          return;
        }
        if (fd === this.#ops.eventfd) {
          this.#sys.eventfdRead(fd);
          this.#opsFired = true;
          return;
        }
        owner.fdEvent(fd, revents);
      },
      fdKill: (fd) => {
        if (fd === this.#efd || fd === this.#ops.eventfd) return;
        if (fd < this.#fallback.length) this.#setFallback(fd, 0);
        owner.fdKill(fd);
      },
      rearmAll: () => {
        owner.rearmAll();
        this.#registerEventfd();
      },
    };
  }

  #registerEventfd(): void {
    if (this.#efd >= 0) this.#epoll.modify(this.#efd, 0, READ, true);
    if (this.#ops.eventfd >= 0) this.#epoll.modify(this.#ops.eventfd, 0, READ, true);
  }

  #setup(requests: number, slots: number): Context {
    const r = this.#sys.ioSetup(requests, slots);
    const ringView = new DataView(r.ring);
    const header = readAioRingHeader(ringView, 0);
    return {
      handle: r.handle,
      iocbWords: new Uint32Array(r.iocbs),
      ringWords: new Uint32Array(r.ring),
      ringNr: header.nr,
      useRing: this.#wantRing && aioRingInvalidReason(header) === undefined,
      requests,
      slots,
    };
  }

  #teardownContext(): void {
    if (!this.#ctx) return;
    const handle = this.#ctx.handle;
    this.#ctx = null;
    this.#active.fill(0);
    this.#queued.fill(0);
    this.#pendingCount = 0;
    this.#epollArmed = false;
    try {
      this.#sys.ioDestroy(handle);
    } catch (err) {
      if (!isSystemError(err)) throw err; // the context is gone either way
    }
  }

  #cancel(fd: number): void {
    const ctx = this.#ctx!;
    for (let tries = 0; tries < 16; tries++) {
      const r = this.#sys.ioCancel(ctx.handle, fd);
      if (r !== EINTR) break; // 0, -EINPROGRESS (cancelled) or -EINVAL (already completed)
    }
    this.#active[fd] = 0;
  }

  /** Submits the queued polls; returns how many fds the kernel refused as bad (and were killed). */
  #submit(): number {
    const ctx = this.#ctx;
    if (!ctx || this.#pendingCount === 0) return 0;
    let maxFd = 0;
    for (let i = 0; i < this.#pendingCount; i++) maxFd = Math.max(maxFd, this.#pending[i]!);
    if (maxFd >= ctx.slots) {
      this.#grow(ctx.requests, maxFd + 1);
      return 0;
    }
    let killed = 0;
    const egen = this.#owner.fds.egen;
    for (let i = 0; i < this.#pendingCount; i++) {
      const fd = this.#pending[i]!;
      const at = fd * IOCB_SIZE;
      prepIocbPoll(ctx.iocbWords, at, fd, toPollMask(this.#mask[fd]!));
      iocbSetData(ctx.iocbWords, at, fd, egen[fd]!);
      if (this.#embedded) iocbSetResfd(ctx.iocbWords, at, this.#efd);
    }
    while (this.#pendingCount > 0) {
      const r = this.#sys.ioSubmit(ctx.handle, this.#pending, this.#pendingCount);
      if (r > 0) {
        for (let i = 0; i < r; i++) {
          const fd = this.#pending[i]!;
          this.#queued[fd] = 0;
          this.#active[fd] = 1;
        }
        this.#shift(r);
        continue;
      }
      if (r === EINTR) continue;
      // The first iocb was refused: its fd decides what happens.
      const fd = this.#pending[0]!;
      if (r === EINVAL) {
        this.#queued[fd] = 0;
        this.#shift(1);
        this.#setFallback(fd, 1);
        this.stats.fallbacks++;
        this.#epoll.modify(fd, 0, this.#owner.fds.events[fd]!, true);
        continue;
      }
      if (r === EBADF) {
        this.#queued[fd] = 0;
        this.#shift(1);
        this.#owner.fdKill(fd);
        killed++;
        continue;
      }
      if (r === EAGAIN) {
        this.#grow(ctx.requests * 4, ctx.slots);
        return killed;
      }
      throw systemError(r, 'io_submit'); // the queue is kept: nothing is lost
    }
    return killed;
  }

  #setFallback(fd: number, on: 0 | 1): void {
    this.#fallbackCount += on - this.#fallback[fd]!;
    this.#fallback[fd] = on;
  }

  #shift(n: number): void {
    this.#pending.copyWithin(0, n, this.#pendingCount);
    this.#pendingCount -= n;
  }

  /** A bigger context (or, when the kernel refuses, epoll for everything); every fd re-armed. */
  #grow(requests: number, minSlots: number): void {
    let slots = this.#ctx?.slots ?? MIN_SLOTS;
    while (slots < minSlots) slots *= 2;
    const size = contextSize(requests);
    this.#teardownContext();
    this.#mustNotBlock = true;
    this.stats.grows++;
    if (size <= this.#maxRequests) {
      try {
        this.#ctx = this.#setup(size, slots);
        this.#ensure(slots - 1);
        this.#owner.rearmAll();
        return;
      } catch (err) {
        if (!isSystemError(err)) throw err;
      }
    }
    // The kernel will not give a bigger context: epoll serves every fd from now on.
    this.#allEpoll = true;
    this.#owner.rearmAll();
  }

  /** Reads the waiting completions; returns how many reached the owner (superseded ones do not). */
  #reap(): number {
    const ctx = this.#ctx;
    if (!ctx) return 0;
    if (!ctx.useRing) return this.#reapGetevents(ctx);
    const words = ctx.ringWords;
    const nr = ctx.ringNr;
    let head = loadAcquire(words, 2);
    const tail = loadAcquire(words, 3);
    let seen = 0;
    let n = 0;
    while (head !== tail) {
      const at = (RING_HEADER >>> 2) + head * IO_EVENT_WORDS;
      const fd = words[at + IO_EVENT_DATA_WORD]!;
      const gen = words[at + IO_EVENT_DATA_WORD + 1]!;
      const res = words[at + IO_EVENT_RES_WORD]! | 0;
      head = (head + 1) % nr;
      storeRelease(words, 2, head); // consumed before the callback can run
      seen++;
      n += this.#complete(fd, gen, res);
      if (this.#ctx !== ctx) break; // a callback grew or tore down the context
    }
    if (seen) this.stats.ringReaps++;
    return n;
  }

  #reapGetevents(ctx: Context): number {
    let total = 0;
    for (;;) {
      const n = this.#sys.ioGetevents(ctx.handle, 0, GETEVENTS_BATCH, this.#scratch, 0);
      if (n === EINTR) continue;
      if (n <= 0) break;
      this.stats.geteventsReaps++;
      total += this.#completeScratch(n);
      if (n < GETEVENTS_BATCH || this.#ctx !== ctx) break;
    }
    return total;
  }

  /** Hands the `n` io_events io_getevents left in the scratch buffer to the owner. */
  #completeScratch(n: number): number {
    const words = this.#scratchWords;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const at = i * IO_EVENT_WORDS;
      total += this.#complete(
        words[at + IO_EVENT_DATA_WORD]!,
        words[at + IO_EVENT_DATA_WORD + 1]!,
        words[at + IO_EVENT_RES_WORD]! | 0,
      );
    }
    return total;
  }

  /** Hands one completion to the owner; 1 if it was current, 0 if superseded. */
  #complete(fd: number, gen: number, res: number): number {
    const owner = this.#owner;
    if (gen === TAG_EPOLL) {
      this.#epollArmed = false;
      this.#epollFired = true;
      return 0;
    }
    if (fd >= this.#active.length || !this.#active[fd] || gen !== owner.fds.egen[fd]) return 0; // superseded
    this.#active[fd] = 0;
    if (res < 0 || res & POLLNVAL) {
      owner.fdKill(fd);
      return 1;
    }
    owner.fdEvent(fd, fromPollMask(res));
    // One-shot: ask the owner to re-arm (level triggering).
    owner.fds.events[fd] = 0;
    owner.fds.change(fd);
    return 1;
  }

  #ensure(fd: number): void {
    if (fd < this.#active.length) return;
    this.#active = growToCover(this.#active, fd);
    this.#queued = growToCover(this.#queued, fd);
    this.#fallback = growToCover(this.#fallback, fd);
    this.#mask = growToCover(this.#mask, fd);
  }

  #check(): void {
    if (this.#destroyed) throw new Error('linuxaio backend: destroyed');
  }
}

/**
 * Opens Linux AIO backends.
 *
 * @example
 * ```ts
 * import { Poller, READ } from '@evring/backend';
 * import { linuxaioBackend } from '@evring/backend-linuxaio';
 * const poller = new Poller(linuxaioBackend, (fd, revents) => console.log(fd, revents));
 * ```
 */
export const linuxaioBackend: BackendFactory<LinuxAioOptions> = {
  name: 'linuxaio',
  open: (owner, options) => LinuxAioBackend.open(owner, options),
};
