/**
 * The epoll backend: libev's ev_epoll.c re-built on @evring/sys.
 *
 * What epoll gets wrong, and what this file does about it:
 * a) Registrations belong to the open file description, not the fd number:
 *    a dup'ed, forked or passed fd keeps delivering events after its number
 *    was closed and reused. Every registration carries the fd's generation
 *    in the upper half of `data`; an event whose generation is not the
 *    current one is dropped, and since such a registration cannot be removed
 *    any more (its fd number now names another file), the epoll set is
 *    rebuilt and every fd re-armed (libev's postfork path).
 * b) ADD and MOD are different operations: MOD on an fd the kernel already
 *    dropped gives ENOENT (retry as ADD); ADD on one it still has gives
 *    EEXIST (retry as MOD).
 * c) Regular files and some devices (/dev/null) cannot be polled (EPERM):
 *    they are kept on an always-ready list, reported READ | WRITE on every
 *    poll, which then does not block (select's semantics, as libev).
 * d) EPOLLERR and EPOLLHUP are always reported: both map to READ | WRITE
 *    (masked by the interest), so the owner reads the error or EOF instead
 *    of spinning.
 * e) A full result buffer means more events may be waiting: the buffer
 *    doubles (up to 64 Ki events) for the next wait.
 * f) epoll_wait takes whole milliseconds: sys rounds fractions up; a signal
 *    interrupting the wait (EINTR) is absorbed and the wait resumed with the
 *    time that is left.
 * g) Removal is immediate (EPOLL_CTL_DEL as soon as the interest drops to
 *    zero), as libuv does since fixing libuv#4323, not lazy as libev: owners
 *    close fds right after stopping their watchers, and a registration left
 *    on a file that another fd still holds keeps waking the loop with events
 *    nobody wants. The owner batches changes per iteration, so a stop and a
 *    restart within one iteration still cost nothing.
 * h) EBADF, EINVAL, ELOOP, ENOMEM or ENOSPC from EPOLL_CTL: that fd is killed
 *    (its watchers get ERROR); the loop goes on.
 *
 * @module
 */

import {
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_CTL_DEL,
  EPOLL_CTL_MOD,
  EPOLL_EVENT_SIZE,
  EPOLLERR,
  EPOLLET,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  EPOLLPRI,
  epoll_event,
  errno,
  isSystemError,
  systemError,
} from '@evring/abi';
import {
  type Backend,
  type BackendFactory,
  type BackendOptions,
  type BackendOwner,
  closeTolerant,
  EDGE,
  growToCover,
  IO_EVENTS,
  ownedFd,
  PRI,
  READ,
  realSys,
  type SysCalls,
  WaitDeadline,
  WRITE,
} from '@evring/backend';

const EINTR = -errno.EINTR;
const ENOENT = -errno.ENOENT;
const EEXIST = -errno.EEXIST;
const EPERM = -errno.EPERM;
const EBADF = -errno.EBADF;
const EINVAL = -errno.EINVAL;

const INITIAL_EVENTS = 64;
/** The generation word of the wake fd's registration: never an fd's (see `EpollOptions.wakeFd`). */
const WAKE_GEN = 0xffffffff;
const MAX_EVENTS = 65536;

// epoll_event as words, from abi's layout (x64 packs it into 12 bytes, arm64 pads it to 16).
const EVENT_WORDS = EPOLL_EVENT_SIZE >>> 2;
const W_EVENTS = epoll_event.fields.events.offset >>> 2;
const W_DATA_LO = epoll_event.fields.data.offset >>> 2;
const W_DATA_HI = W_DATA_LO + 1;

/**
 * Options of the epoll backend.
 *
 * @example
 * ```ts
 * import { Poller } from '@evring/backend';
 * import { epollBackend, type EpollOptions } from '@evring/backend-epoll';
 * const options: EpollOptions = { initialEvents: 1024 }; // a larger first event buffer
 * const poller = new Poller(epollBackend, (fd, revents) => console.log(fd, revents), options);
 * ```
 */
export interface EpollOptions extends BackendOptions {
  /** Initial size of the event buffer (it grows when a wait fills it). */
  initialEvents?: number;
  /**
   * An fd (an eventfd, say) that makes this backend's fd readable when it
   * is signalled, and is never reported: another source of wake-ups for an
   * owner sleeping on {@link Backend.fd}. io_uring's tracking ring passes
   * its completion eventfd here when attached. Registered edge-triggered,
   * so a signal wakes the owner once without being read; kept across
   * `recreate()`. The backend does not close it.
   */
  wakeFd?: number;
}

function toEpoll(events: number): number {
  let e = 0;
  if (events & READ) e |= EPOLLIN;
  if (events & WRITE) e |= EPOLLOUT;
  if (events & PRI) e |= EPOLLPRI;
  if (events & EDGE) e |= EPOLLET;
  return e >>> 0;
}

function fromEpoll(e: number): number {
  let r = 0;
  if (e & (EPOLLIN | EPOLLERR | EPOLLHUP)) r |= READ;
  if (e & (EPOLLOUT | EPOLLERR | EPOLLHUP)) r |= WRITE;
  if (e & EPOLLPRI) r |= PRI;
  return r;
}

/**
 * libev's epoll backend, with immediate removal. See the module notes.
 *
 * @example
 * ```ts
 * import { Poller, READ } from '@evring/backend';
 * import { type EpollBackend, epollBackend } from '@evring/backend-epoll';
 * const poller = new Poller(epollBackend, (fd, revents) => console.log(fd, revents));
 * const backend = poller.backend as EpollBackend;
 * console.log(backend.fd, backend.features); // the epoll fd, pollable by another loop
 * poller.set(0, READ);
 * poller.poll(1000);
 * ```
 */
export class EpollBackend implements Backend {
  /** When the current wait ends: resumed after EINTR with the time left. */
  readonly #deadline = new WaitDeadline();
  readonly name = 'epoll' as const;
  readonly features: Readonly<Record<string, boolean>> = Object.freeze({
    edge: true,
    pri: true,
    embeddable: true,
    alwaysReadyFiles: true,
  });
  #sys: SysCalls;
  #owner: BackendOwner;
  #epfd: number;
  #capacity: number;
  #buf: Uint8Array;
  /** `#buf` as words: epoll_event fields sit on 4-byte boundaries on x64 (12 bytes) and arm64 (16). */
  #words: Uint32Array;
  /** What the kernel has registered per fd (interest bits), 0 when nothing. */
  #kernel = new Uint32Array(64);
  /** How many fds #kernel has registered. */
  #registered = 0;
  /** 1 when the fd is on the always-ready (EPERM) list. */
  #epermFlag = new Uint8Array(64);
  #eperm: number[] = [];
  /** See `EpollOptions.wakeFd`; −1 when none. */
  readonly #wakeFd: number;
  #destroyed = false;

  constructor(
    owner: BackendOwner,
    sys: SysCalls,
    epfd: number,
    initialEvents: number,
    wakeFd = -1,
  ) {
    this.#owner = owner;
    this.#sys = sys;
    this.#epfd = epfd;
    this.#capacity = initialEvents;
    this.#buf = new Uint8Array(initialEvents * EPOLL_EVENT_SIZE);
    this.#words = new Uint32Array(this.#buf.buffer);
    this.#wakeFd = wakeFd;
    this.#addWakeFd();
  }

  get fd(): number {
    return this.#epfd;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Whether any fd is watched: registered with the kernel or on the always-ready list. */
  get watching(): boolean {
    return this.#registered > 0 || this.#eperm.length > 0;
  }

  /** The fds on the always-ready list (regular files, /dev/null, ...). */
  get alwaysReady(): readonly number[] {
    return this.#eperm;
  }

  /**
   * How `fd` is watched: `'kernel'` when it is registered with the epoll
   * (the kernel can poll it), `'always-ready'` when epoll_ctl answered
   * EPERM (a regular file, /dev/null), `'none'` otherwise.
   */
  registration(fd: number): 'kernel' | 'always-ready' | 'none' {
    if (fd >= this.#kernel.length) return 'none';
    if (this.#kernel[fd] !== 0) return 'kernel';
    return this.#epermFlag[fd] ? 'always-ready' : 'none';
  }

  modify(fd: number, _oldEvents: number, newEvents: number, renewed: boolean): void {
    this.#ensure(fd);
    const fds = this.#owner.fds;
    const gen = (fds.egen[fd]! + 1) >>> 0;
    fds.egen[fd] = gen;

    if (this.#epermFlag[fd]) {
      // A renewed number may be a pollable file now: it is tried afresh.
      if ((newEvents & IO_EVENTS) !== 0 && !renewed) return; // still always ready
      this.#dropEperm(fd);
      if ((newEvents & IO_EVENTS) === 0) return;
    }
    if ((newEvents & IO_EVENTS) === 0) {
      if (this.#kernel[fd] !== 0) {
        // ENOENT/EBADF: the kernel already forgot it (the file was closed).
        this.#sys.epollCtl(this.#epfd, EPOLL_CTL_DEL, fd, 0, 0, 0);
        this.#kernel[fd] = 0;
        this.#registered--;
      }
      return;
    }
    const events = toEpoll(newEvents);
    const op = this.#kernel[fd] !== 0 ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    let r = this.#sys.epollCtl(this.#epfd, op, fd, events, fd, gen);
    if (r === ENOENT && op === EPOLL_CTL_MOD)
      r = this.#sys.epollCtl(this.#epfd, EPOLL_CTL_ADD, fd, events, fd, gen);
    else if (r === EEXIST && op === EPOLL_CTL_ADD)
      r = this.#sys.epollCtl(this.#epfd, EPOLL_CTL_MOD, fd, events, fd, gen);
    if (r === 0) {
      if (this.#kernel[fd] === 0) this.#registered++;
      this.#kernel[fd] = newEvents;
      return;
    }
    if (this.#kernel[fd] !== 0) this.#registered--;
    this.#kernel[fd] = 0;
    if (r === EPERM) {
      this.#epermFlag[fd] = 1;
      this.#eperm.push(fd);
      return;
    }
    // EBADF, EINVAL, ELOOP, ENOMEM, ENOSPC, or anything else: this fd cannot be watched.
    this.#owner.fdKill(fd);
  }

  flush(): boolean {
    this.#check();
    return this.#eperm.length > 0; // epoll_ctl already told the kernel everything else
  }

  poll(timeoutMs: number): void {
    this.#check();
    const waitMs = this.#eperm.length > 0 ? 0 : timeoutMs;
    this.#deadline.start(waitMs);
    let n: number;
    for (let ms = waitMs; ; ) {
      n = this.#sys.epollWait(this.#epfd, this.#buf, this.#capacity, ms);
      if (n >= 0) break;
      if (n === EINTR) {
        if (ms === 0) {
          n = 0;
          break;
        }
        if (ms > 0) {
          ms = this.#deadline.left();
          if (ms <= 0) {
            n = 0;
            break;
          }
        }
        continue;
      }
      if (n === EBADF || n === EINVAL) {
        // The epoll fd itself is gone or broken: start over, nothing is lost.
        this.recreate();
        return;
      }
      throw systemError(n, 'epoll_wait');
    }

    const owner = this.#owner;
    const egen = owner.fds.egen;
    let stale = false;
    // Words, not abi's DataView readers: this loop runs once per event (see backend-iouring's words.ts).
    const words = this.#words;
    for (let i = 0; i < n; i++) {
      const at = i * EVENT_WORDS;
      const fd = words[at + W_DATA_LO]!;
      const gen = words[at + W_DATA_HI]!;
      if (fd >= egen.length || gen !== egen[fd] || this.#kernel[fd] === 0) {
        if (gen === WAKE_GEN && fd === this.#wakeFd) continue; // it only woke the owner
        stale = true; // a registration this backend no longer owns (see note a)
        continue;
      }
      owner.fdEvent(fd, fromEpoll(words[at + W_EVENTS]!));
    }
    if (n === this.#capacity && this.#capacity < MAX_EVENTS) this.#grow();
    for (const fd of this.#eperm) owner.fdEvent(fd, READ | WRITE);
    if (stale) this.recreate();
  }

  recreate(): void {
    this.#check();
    const epfd = ownedFd(this.#sys, this.#sys.epollCreate1(EPOLL_CLOEXEC, true));
    closeTolerant(this.#sys, this.#epfd);
    this.#epfd = epfd;
    this.#kernel.fill(0);
    this.#registered = 0;
    this.#epermFlag.fill(0);
    this.#eperm = [];
    this.#addWakeFd();
    this.#owner.rearmAll();
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    closeTolerant(this.#sys, this.#epfd);
  }

  #dropEperm(fd: number): void {
    this.#epermFlag[fd] = 0;
    const i = this.#eperm.indexOf(fd);
    if (i >= 0) this.#eperm.splice(i, 1);
  }

  #grow(): void {
    this.#capacity = Math.min(this.#capacity * 2, MAX_EVENTS);
    this.#buf = new Uint8Array(this.#capacity * EPOLL_EVENT_SIZE);
    this.#words = new Uint32Array(this.#buf.buffer);
  }

  #addWakeFd(): void {
    if (this.#wakeFd < 0) return;
    const r = this.#sys.epollCtl(
      this.#epfd,
      EPOLL_CTL_ADD,
      this.#wakeFd,
      (EPOLLIN | EPOLLET) >>> 0,
      this.#wakeFd,
      WAKE_GEN,
    );
    if (r < 0) throw systemError(r, 'epoll_ctl', 'registering the wake fd');
  }

  #ensure(fd: number): void {
    if (fd < this.#kernel.length) return;
    this.#kernel = growToCover(this.#kernel, fd);
    this.#epermFlag = growToCover(this.#epermFlag, fd);
  }

  #check(): void {
    if (this.#destroyed) throw new Error('epoll backend: destroyed');
  }
}

/**
 * Opens epoll backends.
 *
 * @example
 * ```ts
 * import { Poller, READ } from '@evring/backend';
 * import { epollBackend } from '@evring/backend-epoll';
 * const poller = new Poller(epollBackend, (fd, revents) => console.log(fd, revents));
 * ```
 */
export const epollBackend: BackendFactory<EpollOptions> = {
  name: 'epoll',
  open(owner, options) {
    const sys = options?.sys ?? realSys;
    let epfd: number;
    try {
      epfd = ownedFd(sys, sys.epollCreate1(EPOLL_CLOEXEC, true));
    } catch (err) {
      if (isSystemError(err)) return { reason: err.message, code: err.code };
      throw err;
    }
    const initial = Math.max(1, Math.min(options?.initialEvents ?? INITIAL_EVENTS, MAX_EVENTS));
    try {
      return { backend: new EpollBackend(owner, sys, epfd, initial, options?.wakeFd ?? -1) };
    } catch (err) {
      closeTolerant(sys, epfd);
      if (isSystemError(err)) return { reason: err.message, code: err.code };
      throw err;
    }
  },
};
