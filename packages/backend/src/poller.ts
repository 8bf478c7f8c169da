/**
 * The owner side of the backend contract, usable on its own: keeps each fd's
 * wanted interest, applies all of an iteration's changes once per fd before
 * waiting (libev's fd_change / fd_reify), filters what the backend reports
 * (fd_event), turns kernel rejections into ERROR (fd_kill) and re-arms
 * everything after a backend re-creates its kernel state (fd_rearm_all).
 * `@evring/loop` builds its watchers on this; the conformance suite drives
 * every backend through it.
 *
 * @module
 */

import { dup, fileIoSync, ioNowait, close as sysClose } from '@evring/sys';
import type { Backend, BackendFactory, BackendOptions, BackendOwner } from './backend.js';
import { BackendUnavailableError } from './backend.js';
import { EmulatedQueue } from './emulated-ops.js';
import { ERROR, INTEREST_MASK, IO_EVENTS, READ, WRITE } from './events.js';
import { FdTable, REIFY_FDSET, REIFY_PENDING } from './fd-table.js';
import { growToCover, ownedFd } from './helpers.js';
import {
  checkOpArguments,
  isDataOp,
  isReadOp,
  OP_CLOSE,
  OP_OPENAT,
  type OpCode,
  type OpCompletionHandler,
  type PinnedMemory,
} from './ops.js';
import { realSys } from './syscalls.js';

const EOPNOTSUPP = -95;
const EAGAIN = -11;
const ECANCELED = -125;
const EBADF = -9;
const EINVAL = -22;

/**
 * sys refused an emulated operation's arguments: its memory (a block freed
 * through sys while the operation waited, or a range its owner did not
 * check; a RangeError) or a number that is not an integer (a TypeError,
 * from an owner of {@link Poller.submitCheckedOp} that did not check). The
 * operation fails with EINVAL, as a backend's refused operation does, so
 * that it still completes once and nothing is thrown out of a poll.
 * Anything else sys throws is a bug, and goes on up.
 */
function refused(err: unknown): number {
  if (err instanceof RangeError || err instanceof TypeError) return EINVAL;
  throw err;
}

/** An emulated read or write waiting for its fd (a pipe, socket or tty) to be ready. */
interface WaitingOp {
  token: number;
  /** A read or write, plain or vectored (isDataOp). */
  op: OpCode;
  /**
   * The Poller's own duplicate of the caller's fd: what the operation
   * waits on and reads or writes, so that it stays with the open file it
   * was started on, as an operation the kernel holds does. The caller's
   * number may be closed and given to another file meanwhile.
   */
  fd: number;
  mem: PinnedMemory;
  offset: number;
  length: number;
  /** −1: the file's offset; a position gets pread(2)'s answer (ESPIPE on a pipe). */
  position: number;
}

/**
 * Options of `new Poller()`: the backend's, and where operations complete.
 *
 * @example
 * ```ts
 * import { Poller, type PollerOptions, type BackendFactory } from '@evring/backend';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * const options: PollerOptions = { onOpComplete: (token, res) => console.log(token, res) };
 * new Poller(epollBackend, () => {}, options).destroy();
 * ```
 */
export interface PollerOptions extends BackendOptions {
  /** Receives each operation's completion, once, from `poll()`. */
  onOpComplete?: OpCompletionHandler;
}

/**
 * Receives what is ready: READ | WRITE | PRI, or ERROR | READ | WRITE when the fd was killed.
 *
 * @example
 * ```ts
 * import { type FdEventHandler, ERROR, Poller, READ, type BackendFactory } from '@evring/backend';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * const onEvent: FdEventHandler = (fd, revents) => {
 *   if (revents & ERROR) console.log('fd', fd, 'was rejected by the kernel');
 *   else if (revents & READ) console.log('fd', fd, 'is readable');
 * };
 * new Poller(epollBackend, onEvent).destroy();
 * ```
 */
export type FdEventHandler = (fd: number, revents: number) => void;

/**
 * ERROR | READ | WRITE as an unsigned number.
 *
 * @example
 * ```ts
 * import { KILLED, type FdEventHandler } from '@evring/backend';
 * const onEvent: FdEventHandler = (fd, revents) => {
 *   if (revents === KILLED) console.log('stop watching', fd);
 * };
 * ```
 */
export const KILLED = (ERROR | READ | WRITE) >>> 0;

/**
 * An fd table, the wanted interest per fd, and one backend.
 *
 * @example
 * ```ts
 * import { Poller, READ, type BackendFactory } from '@evring/backend';
 * import { pipe2, write, read, close } from '@evring/sys';
 * import { O_NONBLOCK } from '@evring/abi';
 * declare const iouringBackend: BackendFactory; // @evring/backend-iouring's, a layer above
 * const [r, w] = pipe2(O_NONBLOCK);
 * const poller = new Poller(iouringBackend, (fd) => read(fd, Buffer.alloc(1)));
 * poller.set(r, READ);
 * write(w, Buffer.from('x'));
 * poller.poll(100); // reads the byte in the handler
 * poller.set(r, 0);
 * poller.destroy(); close(r); close(w);
 * ```
 */
export class Poller implements BackendOwner {
  readonly fds = new FdTable();
  readonly backend: Backend;
  #wanted = new Uint32Array(64);
  #onEvent: FdEventHandler;
  #modifyCalls = 0;
  #onOpComplete: OpCompletionHandler | null;
  readonly #emulated = new EmulatedQueue();
  /** Per fd, READ/WRITE wanted by emulated operations waiting for readiness (merged into what the backend is told). */
  #opWanted = new Uint32Array(64);
  /** Emulated operations waiting for their fd (pipes, sockets, ttys): by token, and by fd in submission order. */
  readonly #waiting = new Map<number, WaitingOp>();
  readonly #waitingByFd = new Map<number, WaitingOp[]>();
  /** Duplicates whose operations ended: closed once the backend was told to stop watching them (see #closeEnded). */
  #ended: number[] = [];
  /** The backend's native opcodes as bits (1 << op): no array search per operation. */
  #nativeOps = 0;
  readonly #deliverOp = (token: number, res: number): void => this.#onOpComplete?.(token, res);
  /** Events (kills included) handed to the handler: poll() does not wait when applying changes added some. */
  #delivered = 0;

  /** Opens a backend; throws BackendUnavailableError when the kernel refuses it. */
  constructor(factory: BackendFactory, onEvent: FdEventHandler, options?: PollerOptions) {
    this.#onEvent = onEvent;
    this.#onOpComplete = options?.onOpComplete ?? null;
    const r = factory.open(this, options);
    if (!r.backend) throw new BackendUnavailableError(factory.name, r.reason, r.code);
    this.backend = r.backend;
    for (const op of r.backend.ops?.native ?? []) this.#nativeOps |= 1 << op;
  }

  /** How many times the backend was told `modify` (for tests of change batching). */
  get modifyCalls(): number {
    return this.#modifyCalls;
  }

  /** The interest last set for `fd`. */
  interest(fd: number): number {
    return fd < this.#wanted.length ? this.#wanted[fd]! : 0;
  }

  /**
   * Sets the interest in `fd` (READ | WRITE | PRI, optionally | EDGE; 0 stops
   * watching). Any number of calls before the next poll reach the backend as
   * one change.
   */
  set(fd: number, events: number): void {
    if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
      throw new RangeError(`fd must be an integer from 0 to 2^31-1, not ${String(fd)}`);
    }
    if (!Number.isInteger(events) || (events & ~INTEREST_MASK) !== 0 || events < 0) {
      throw new RangeError(`events must combine READ, WRITE, PRI and EDGE, not ${String(events)}`);
    }
    this.#ensure(fd);
    if (this.#wanted[fd] === events) return;
    this.#wanted[fd] = events;
    this.fds.change(fd);
  }

  /**
   * Marks `fd` as possibly a new file under an old number (after a close and
   * reopen): the backend re-registers it at the next poll even if the
   * interest is unchanged (libev's ev_io_set).
   */
  touch(fd: number): void {
    this.#ensure(fd);
    this.fds.change(fd, REIFY_FDSET);
  }

  /** Applies pending interest changes: one `modify` per changed fd. */
  reify(): void {
    if (this.fds.changeCount > 0) this.fds.drainChanges(this.#apply);
    if (this.#ended.length > 0) this.#closeEnded();
  }

  /**
   * Closes the duplicates of operations that ended, now that the backend
   * has been told to stop watching them (an epoll must drop an fd before
   * it is closed: it keys what it watches by file and number).
   */
  #closeEnded(): void {
    const ended = this.#ended;
    this.#ended = [];
    for (const fd of ended) {
      try {
        sysClose(fd);
      } catch {
        // Closed behind the Poller's back: the number is not its own any more.
      }
    }
  }

  // One function for every reify, not a closure per call: reify runs every iteration.
  readonly #apply = (fd: number, flags: number): void => {
    const want = this.#wanted[fd]! | this.#opWanted[fd]!;
    const old = this.fds.events[fd]!;
    if (old === want && !(flags & REIFY_FDSET)) return;
    this.fds.events[fd] = want;
    this.#modifyCalls++;
    this.backend.modify(fd, old, want, (flags & REIFY_FDSET) !== 0);
  };

  /**
   * Applies pending changes, then waits at most `timeoutMs` for events; not
   * at all when applying them already reported something (a killed fd).
   * Given a function, the wait is what it returns, asked after the changes
   * are applied: a loop computes its wait from the time then (libev reads
   * the clock after fd_reify).
   */
  poll(timeoutMs: number | (() => number)): void {
    const before = this.#delivered;
    this.reify();
    if (this.#delivered !== before || this.#emulated.count > 0) this.backend.poll(0);
    else this.backend.poll(typeof timeoutMs === 'number' ? timeoutMs : timeoutMs());
    if (this.#emulated.count > 0) this.#emulated.drain(this.#deliverOp);
  }

  /**
   * Starts an operation: `op` on `fd` over `length` bytes of pinned `mem`
   * from `offset`, at file `position` (−1: the file's offset). Its
   * completion reaches `onOpComplete` with `token`, once, from a later
   * `poll()`. The backend does it in the kernel when it can
   * ({@link Backend.ops}); otherwise it is done here with a direct syscall
   * on a file, and without blocking, once the fd is ready, on a pipe,
   * socket or tty. A close (OP_CLOSE) of an fd with interest set ends that
   * watch first: the handler gets KILLED for it from this call; an owned
   * fd's tie (sys's `ownFd`) ends once the close has run. The fd an open (OP_OPENAT) completes
   * with is held by sys for the calling environment until the caller takes
   * it (sys's `claimFd` for a plain fd, `ownFd` to tie it) or closes it
   * through sys: a worker ending between the completion and its use
   * closes it instead of leaving it open. Take or close every such fd
   * through sys; one closed some other way while held would be closed
   * again, by number, when the environment ends.
   */
  submitOp(
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
    token: number,
  ): void {
    checkOpArguments(op, mem, offset, length, position, token);
    this.submitCheckedOp(op, fd, mem, offset, length, position, token);
  }

  /**
   * {@link submitOp} for an owner that has checked the arguments as
   * {@link checkOpArguments} does, or made them so (`@evring/loop` makes
   * every operation's arguments itself, over its own blocks): the check
   * then runs once an operation, not once a layer. An argument out of range is still never acted on, because sys
   * checks every address and length the kernel gets, but it is no longer
   * the RangeError that names it: the operation completes with −EINVAL, on
   * every backend and in the emulation. A number that is not an integer
   * (NaN, a fraction) is outside this contract: a backend may write it into
   * its SQE or iocb as it stands (Linux AIO truncates it), and what sys
   * refuses fails with −EINVAL; either way the operation completes once,
   * and nothing is thrown out of a later `poll()`.
   */
  submitCheckedOp(
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
    token: number,
  ): void {
    if (op === OP_CLOSE) this.#closing(fd);
    if (
      (this.#nativeOps & (1 << op)) !== 0 &&
      // Compared: V8 tests a `true` it cannot see the type of against every falsy kind first.
      this.backend.ops!.submit(op, fd, mem, offset, length, position, token) === true
    ) {
      return;
    }
    this.#emulate(op, fd, mem, offset, length, position, token);
  }

  /**
   * A close, through the Poller, of an fd it watches: nothing will be
   * reported for that file again, so its watch ends now, as a kill
   * (KILLED to the handler, at once; the interest is 0). The backend is
   * told before the close is made or queued: epoll drops the file while the
   * number still names it (once closed, a duplicate elsewhere would keep it
   * registered and reporting), and an io_uring or AIO poll lets go of the
   * file instead of holding it open for good. The fd's tie to its
   * environment (sys's `ownFd`), if it has one, is not ended here: sys ends
   * it once the close has run (the emulation's at once, a tracking ring's
   * at its completion), and until then the tie is what tells whether the
   * number is still the caller's to close (`closeOwned`, if the Poller was
   * destroyed first).
   */
  #closing(fd: number): void {
    if (fd >= this.#wanted.length || this.#wanted[fd] === 0) return;
    this.#wanted[fd] = 0;
    this.#apply(fd, 0);
    this.#delivered++;
    this.#onEvent(fd, KILLED);
  }

  /**
   * The backend took an operation and then found it cannot do it in the
   * kernel (Linux AIO on what is not a regular file): it is done here, as
   * if the backend had not taken it.
   */
  opDeclined(
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
    token: number,
  ): void {
    this.#emulate(op, fd, mem, offset, length, position, token);
  }

  #emulate(
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
    token: number,
  ): void {
    let res: number;
    try {
      // What the backend queued on the number takes its file before the close.
      if (op === OP_CLOSE) this.backend.ops?.beforeClose?.(fd);
      res = fileIoSync(op, fd, mem.buffer, offset, length, position, op === OP_OPENAT);
      if (res === EOPNOTSUPP && isDataOp(op)) {
        // Not a file: a pipe, socket, tty or character device. Tried without
        // blocking now, and again each time the backend reports the fd ready.
        res = ioNowait(op as 0 | 1 | 11 | 12, fd, mem.buffer, offset, length, position);
        if (res === EAGAIN) {
          const own = this.#duplicate(fd);
          if (own < 0) res = own;
          else {
            this.#wait({ token, op, fd: own, mem, offset, length, position });
            return;
          }
        }
      }
    } catch (err) {
      res = refused(err);
    }
    this.#emulated.push(token, res);
  }

  /**
   * Queues a completion the owner made itself: `token` completes with `res`
   * from the next `poll()`, among the emulated operations' completions, as
   * if an operation had been submitted and done at once. For a call with no
   * kernel operation (chmod(2), access(2), …) made directly on the owner's
   * thread, whose result should arrive as an operation's does: never from
   * the call itself, after the poll, and with the poll not sleeping first.
   * The token is the owner's to keep apart from those of its operations.
   */
  completeLater(token: number, res: number): void {
    this.#emulated.push(token, res);
  }

  /** Emulated operations waiting for their fd to be ready. */
  get waitingOps(): number {
    return this.#waiting.size;
  }

  /**
   * A private duplicate of `fd` (close-on-exec), or −errno (EMFILE: the
   * process is out of fds). Owned by the environment: a worker ending with
   * the operation still waiting does not leave it open. Held by sys from
   * the dup until the tie is made, so that no moment is left between.
   */
  #duplicate(fd: number): number {
    try {
      return ownedFd(realSys, dup(fd, true, true));
    } catch (err) {
      const errno = (err as { errno?: unknown }).errno;
      return typeof errno === 'number' && errno < 0 ? errno : EBADF;
    }
  }

  /**
   * An operation stopped waiting: its duplicate is dropped from the
   * backend, then closed. Not one the backend found closed (`closed`):
   * its number may be another file's by now.
   */
  #leave(w: WaitingOp, closed = false): void {
    this.#waiting.delete(w.token);
    if (!closed) this.#ended.push(w.fd);
  }

  #wait(w: WaitingOp): void {
    this.#ensure(w.fd);
    this.#waiting.set(w.token, w);
    let list = this.#waitingByFd.get(w.fd);
    if (list === undefined) {
      list = [];
      this.#waitingByFd.set(w.fd, list);
    }
    list.push(w);
    this.#setOpWanted(w.fd);
  }

  /** Recomputes what the waiting operations on `fd` want; a change reaches the backend at the next reify. */
  #setOpWanted(fd: number): void {
    let want = 0;
    for (const w of this.#waitingByFd.get(fd) ?? []) want |= isReadOp(w.op) ? READ : WRITE;
    if (want === this.#opWanted[fd]) return;
    this.#opWanted[fd] = want;
    this.fds.change(fd);
  }

  /** The fd is ready for `revents`: each waiting operation it serves tries again, in submission order. */
  #serviceWaiting(fd: number, revents: number): void {
    const list = this.#waitingByFd.get(fd);
    if (list === undefined) return;
    for (let i = 0; i < list.length; ) {
      const w = list[i]!;
      if ((revents & (isReadOp(w.op) ? READ : WRITE)) !== 0) {
        let res: number;
        try {
          res = ioNowait(w.op as 0 | 1 | 11 | 12, fd, w.mem.buffer, w.offset, w.length, w.position);
        } catch (err) {
          // Its block was freed through sys while it waited.
          res = refused(err);
        }
        if (res !== EAGAIN) {
          list.splice(i, 1);
          this.#leave(w);
          this.#emulated.push(w.token, res);
          continue;
        }
      }
      i++;
    }
    if (list.length === 0) this.#waitingByFd.delete(fd);
    this.#setOpWanted(fd);
  }

  /** Ends every operation waiting on `fd` (or all of them) with `res`; `closed`: the backend found `fd` closed. */
  #endWaiting(fd: number | null, res: number, closed = false): void {
    for (const [key, list] of this.#waitingByFd) {
      if (fd !== null && key !== fd) continue;
      for (const w of list) {
        this.#leave(w, closed);
        this.#emulated.push(w.token, res);
      }
      this.#waitingByFd.delete(key);
      this.#opWanted[key] = 0;
      this.fds.change(key);
    }
  }

  /**
   * Asks to cancel the operation with `token`. Its completion still comes,
   * once: −ECANCELED when the kernel stopped it in time, else its result.
   */
  cancelOp(token: number): void {
    const w = this.#waiting.get(token);
    if (w === undefined) {
      this.backend.ops?.cancel(token);
      return;
    }
    this.#leave(w);
    const list = this.#waitingByFd.get(w.fd)!;
    list.splice(list.indexOf(w), 1);
    if (list.length === 0) this.#waitingByFd.delete(w.fd);
    this.#setOpWanted(w.fd);
    this.#emulated.push(token, ECANCELED);
  }

  opComplete(token: number, res: number): void {
    this.#onOpComplete?.(token, res);
  }

  /**
   * Applies pending changes and hands queued work to the kernel without
   * waiting (see {@link Backend.flush}); true when `poll(0)` must run again
   * without sleeping on the backend's fd. `beforeSleep: false`: another
   * flush comes before the owner sleeps (see {@link Backend.flush}).
   */
  flush(beforeSleep = true): boolean {
    this.reify();
    return this.backend.flush(beforeSleep) || this.#emulated.count > 0;
  }

  /** Re-creates the backend's kernel state and re-arms every fd. */
  recreate(): void {
    this.backend.recreate();
  }

  /**
   * Destroys the backend. Idempotent. Emulated operations already done are
   * delivered first: one that opened an fd must reach an owner that can
   * close it.
   */
  destroy(): void {
    this.#endWaiting(null, ECANCELED);
    if (this.#emulated.count > 0 && this.#onOpComplete !== null) {
      this.#emulated.drain(this.#onOpComplete);
    }
    this.backend.destroy();
    this.#closeEnded(); // the backend's kernel state is gone: nothing watches them
  }

  fdEvent(fd: number, revents: number): void {
    if (fd >= this.#wanted.length) return;
    const stale = (this.fds.reify[fd]! & REIFY_PENDING) !== 0; // changed since the kernel looked
    // Waiting operations first (a stale event only costs them a try that says
    // EAGAIN); what they change is not what the kernel reported on.
    if ((this.#opWanted[fd]! & revents) !== 0) this.#serviceWaiting(fd, revents);
    if (stale) return;
    const r = revents & this.#wanted[fd]! & IO_EVENTS;
    if (r === 0) return;
    this.#delivered++;
    this.#onEvent(fd, r);
  }

  fdKill(fd: number): void {
    if (fd >= this.#wanted.length) return;
    // A duplicate of the Poller's own closed behind its back (a double close
    // elsewhere): its operations end with EBADF, and the number is left alone.
    if (this.#opWanted[fd] !== 0) this.#endWaiting(fd, EBADF, true);
    this.#wanted[fd] = 0;
    this.fds.events[fd] = 0;
    this.#delivered++;
    this.#onEvent(fd, KILLED);
  }

  rearmAll(): void {
    const fds = this.fds;
    const wanted = this.#wanted;
    for (let fd = 0; fd < wanted.length; fd++) {
      if (wanted[fd] !== 0 || this.#opWanted[fd] !== 0 || fds.events[fd] !== 0) {
        fds.events[fd] = 0;
        fds.change(fd, REIFY_FDSET);
      }
    }
  }

  #ensure(fd: number): void {
    this.fds.ensure(fd);
    this.#wanted = growToCover(this.#wanted, fd);
    this.#opWanted = growToCover(this.#opWanted, fd);
  }
}
