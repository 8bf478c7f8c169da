/**
 * The contract every backend implements, in the shape of libev's: a backend
 * is told `modify(fd, oldEvents, newEvents)`, sleeps in the kernel for at
 * most a timeout in `poll(timeoutMs)`, reports `(fd, revents)` to its owner,
 * can re-create all its kernel state (libev's fork path, also used to recover
 * from lost events), exposes one pollable fd so its owner can be woken from
 * another event loop, names its features, and releases everything on
 * `destroy()`.
 *
 * @module
 */

import type { FdTable } from './fd-table.js';
import type { OpCode, Operations, PinnedMemory } from './ops.js';
import type { SysCalls } from './syscalls.js';

/**
 * The backends evring ships.
 *
 * @example
 * ```ts
 * import type { BackendName } from '@evring/backend';
 * const preferred: BackendName[] = ['iouring', 'linuxaio', 'epoll'];
 * ```
 */
export type BackendName = 'epoll' | 'linuxaio' | 'iouring';

/**
 * What a backend reports to, and reads from, its owner.
 *
 * @example
 * ```ts
 * import { type BackendOwner, FdTable, type BackendFactory } from '@evring/backend';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * const seen: Array<[number, number]> = [];
 * const owner: BackendOwner = {
 *   fds: new FdTable(),
 *   fdEvent: (fd, revents) => seen.push([fd, revents]),
 *   fdKill: (fd) => console.log('fd', fd, 'was rejected'),
 *   rearmAll: () => {},
 * };
 * const opened = epollBackend.open(owner);
 * opened.backend?.destroy();
 * ```
 */
export interface BackendOwner {
  /** Shared per-fd state: interest last told, generations, pending reifies. */
  readonly fds: FdTable;
  /**
   * The kernel reported `revents` (READ | WRITE | PRI) for `fd`. The owner
   * drops it when the fd changed since (a pending reify) and masks it with
   * the current interest (libev's fd_event).
   */
  fdEvent(fd: number, revents: number): void;
  /**
   * The kernel rejected `fd` (EBADF, ...): its watchers get ERROR | READ |
   * WRITE and stop (libev's fd_kill). The backend has already forgotten it.
   */
  fdKill(fd: number): void;
  /**
   * Queue every fd with interest for re-registration (libev's fd_rearm_all),
   * after the backend re-created its kernel state.
   */
  rearmAll(): void;
  /**
   * An operation handed to the backend's {@link Operations} completed:
   * `res` is bytes moved, 0, or −errno. Called once per operation, from
   * `poll()`. Owners that submit no operations need not implement it.
   */
  opComplete?(token: number, res: number): void;
  /**
   * The backend's {@link Operations.submit} took an operation and then found
   * the kernel will not do it (Linux AIO on what is not a regular file or
   * block device): the owner does it instead, as when `submit` returns
   * false, and its completion still reaches {@link opComplete}, once. The
   * backend has already forgotten the token. Owners that submit no
   * operations need not implement it.
   */
  opDeclined?(
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
    token: number,
  ): void;
}

/**
 * A backend instance.
 *
 * @example
 * ```ts
 * import { type Backend, Poller, READ, type BackendFactory } from '@evring/backend';
 * import { eventfd, eventfdWrite, close } from '@evring/sys';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * const fd = eventfd(0, 0);
 * const poller = new Poller(epollBackend, (f, revents) => console.log(f, revents));
 * const backend: Backend = poller.backend;
 * backend.name;     // 'epoll'
 * backend.features; // { edge: true, ... }
 * poller.set(fd, READ);
 * eventfdWrite(fd, 1);
 * poller.poll(0);   // the handler sees (fd, READ)
 * poller.destroy(); close(fd);
 * ```
 */
export interface Backend {
  readonly name: BackendName;
  /**
   * One fd that becomes readable when `poll(0)` would find work: what an
   * owner attached to another event loop (Node's) watches. It may change
   * when the backend re-creates its kernel state (`recreate()`, or a poll
   * that found a registration it no longer owns): an attached owner reads
   * it again after each poll and flush, and watches the new one.
   */
  readonly fd: number;
  /** Named features in use (true) or absent/disabled (false), e.g. `{ edge: true }`. */
  readonly features: Readonly<Record<string, boolean>>;
  /** True after destroy(). */
  readonly destroyed: boolean;
  /**
   * The operations this backend hands to the kernel itself, if any (io_uring
   * on a ring that tracks operations); the `Poller` emulates the rest.
   */
  readonly ops?: Operations | undefined;
  /**
   * Interest in `fd` changed from `oldEvents` to `newEvents` (READ | WRITE |
   * PRI | EDGE; 0 = none). `renewed` says the number may name a different
   * file than at the last modify (closed and reopened, dup2'd over: libev's
   * EV__IOFDSET): the backend must drop whatever it holds for the number and
   * register the fd afresh, even when the masks are equal. Called while
   * the Poller applies changes, and also at once, with `newEvents` 0, when
   * an OP_CLOSE of the fd is submitted: the fd still names its file then.
   */
  modify(fd: number, oldEvents: number, newEvents: number, renewed: boolean): void;
  /**
   * Waits at most `timeoutMs` (fractions round up; < 0: no limit; 0: never
   * blocks) and reports what is ready through the owner. A signal arriving
   * during the wait is absorbed. Throws only a SystemCallError for a kernel
   * failure it cannot recover from, with its state intact.
   */
  poll(timeoutMs: number): void;
  /**
   * Hands queued kernel work (re-arms and submissions an earlier `poll` left
   * for the next wait) to the kernel without waiting or reporting, so the
   * pollable `fd` signals every interest. An owner attached to another event
   * loop calls it before that loop sleeps. Returns true when `poll(0)` would
   * report something the pollable fd does not signal (fds kept always ready
   * because the kernel cannot watch them): the owner must poll again without
   * sleeping on the fd. `beforeSleep: false` says the owner will flush
   * again before it sleeps (it is between two iterations of one turn): hand
   * the work over, and skip what only getting ready to sleep needs.
   */
  flush(beforeSleep?: boolean): boolean;
  /** Throws away all kernel state, builds it anew, and asks the owner to re-arm every fd. */
  recreate(): void;
  /** Releases every fd and mapping. Idempotent. */
  destroy(): void;
}

/**
 * Options every backend accepts.
 *
 * @example
 * ```ts
 * import { type BackendOptions, Poller, realSys, type BackendFactory } from '@evring/backend';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * const options: BackendOptions = { sys: realSys }; // or a FaultInjector's sys in tests
 * new Poller(epollBackend, () => {}, options).destroy();
 * ```
 */
export interface BackendOptions {
  /** The syscalls to use (tests inject faults through this). */
  sys?: SysCalls;
  /**
   * Whether the owner sleeps on {@link Backend.fd} from another event loop
   * (Node's) rather than in {@link Backend.poll} (default true). With
   * `false` a backend may drop what keeps its fd signalling and wait in the
   * kernel itself: linuxaio then attaches no eventfd to its iocbs, so the
   * kernel completes polls inline instead of on a worker (faster, and never
   * late), and its fd no longer signals completions.
   */
  embedded?: boolean;
}

/**
 * Creates backends of one kind.
 *
 * @example
 * ```ts
 * import { type BackendFactory, Poller } from '@evring/backend';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * declare const iouringBackend: BackendFactory; // @evring/backend-iouring's, a layer above
 * const factories: BackendFactory[] = [iouringBackend, epollBackend];
 * const poller = new Poller(factories[0]!, () => {});
 * poller.destroy();
 * ```
 */
export interface BackendFactory<O extends BackendOptions = BackendOptions> {
  readonly name: BackendName;
  /**
   * Tries to create a backend: `{ backend }`, or `{ reason }` when the kernel
   * refuses (ENOSYS, EPERM, a disabled sysctl, seccomp, ...). Never throws for
   * an unavailable kernel interface.
   */
  open(
    owner: BackendOwner,
    options?: O,
  ): { backend: Backend } | { backend?: undefined; reason: string; code?: string };
}

/**
 * Thrown by {@link createBackend} when the kernel refuses a backend.
 *
 * @example
 * ```ts
 * import { BackendUnavailableError, Poller, type BackendFactory } from '@evring/backend';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * declare const iouringBackend: BackendFactory; // @evring/backend-iouring's, a layer above
 * let poller: Poller;
 * try {
 *   poller = new Poller(iouringBackend, () => {});
 * } catch (err) {
 *   if (!(err instanceof BackendUnavailableError)) throw err;
 *   console.log(err.backend, 'refused:', err.reason);
 *   poller = new Poller(epollBackend, () => {});
 * }
 * poller.destroy();
 * ```
 */
export class BackendUnavailableError extends Error {
  readonly code: string;
  readonly backend: BackendName;
  /** Why the kernel refused it (e.g. "io_uring_setup: EPERM (...)"). */
  readonly reason: string;
  constructor(backend: BackendName, reason: string, code = 'EVRING_BACKEND_UNAVAILABLE') {
    super(`${backend} backend unavailable: ${reason}`);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
    this.reason = reason;
    this.code = code;
  }
}

/**
 * `factory.open()` that throws a {@link BackendUnavailableError} instead of returning a reason.
 *
 * @example
 * ```ts
 * import { FdTable, createBackend, type BackendFactory } from '@evring/backend';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * const backend = createBackend(epollBackend, {
 *   fds: new FdTable(),
 *   fdEvent: () => {},
 *   fdKill: () => {},
 *   rearmAll: () => {},
 * }); // throws BackendUnavailableError instead of returning a reason
 * backend.destroy();
 * ```
 */
export function createBackend<O extends BackendOptions>(
  factory: BackendFactory<O>,
  owner: BackendOwner,
  options?: O,
): Backend {
  const r = factory.open(owner, options);
  if (r.backend) return r.backend;
  throw new BackendUnavailableError(factory.name, r.reason, r.code);
}
