/**
 * The signal relay: a process signal becomes a write on an eventfd, which an
 * event loop watches like any other fd, so it wakes up for the signal even
 * while blocked in the kernel. The handler that was installed before (libuv's,
 * which serves Node's `process.on('SIGINT', ...)`) still runs after the
 * relay; a signal with only the default action counts as handled while
 * relayed, as with libev's signal watchers.
 *
 * Why not signalfd: it sees only signals blocked in every thread, and Node's
 * own threads leave them unblocked. Why not Node's signal events alone: they
 * run on Node's loop, which does not turn while a standalone loop blocks.
 *
 * Keep a `process.on(signal)` listener installed for as long as a relay is:
 * libuv installs its handler when the first listener appears and resets the
 * signal to its default when the last one goes, and either would replace the
 * relay's handler. `@evring/loop` does this. In a worker thread
 * `process.on(signal)` installs nothing, so a listener the main thread adds
 * later replaces the relay's handler.
 *
 * The handler takes no lock (none is safe in a signal handler). It writes
 * to sys's own duplicate of the eventfd, which is closed only once no
 * handler in any thread can still be writing to it, so an eventfd closed
 * behind sys's back and its number reused never gets the write: the new
 * file does not either. Remove the relay (or close through sys, which does)
 * to let go of the duplicate.
 *
 * @module
 */

import { native } from './load.js';

/**
 * Relays `signum` to `eventfd` (which must be an eventfd: anything else is
 * refused with EINVAL). SIGKILL, SIGSTOP and the fault signals (SIGSEGV,
 * SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS) are refused with a RangeError.
 * Adding the same pair twice is a no-op; up to 32 eventfds per signal.
 * `close(eventfd)` through sys removes its relays.
 *
 * @example
 * ```ts
 * import { close, eventfd, eventfdRead, signalRelayAdd, signalRelayTake } from '@evring/sys';
 * import { EFD_NONBLOCK, EFD_CLOEXEC } from '@evring/abi';
 * const efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
 * process.on('SIGUSR2', () => {}); // keeps libuv's handler under the relay
 * signalRelayAdd(12, efd);
 * process.kill(process.pid, 'SIGUSR2');
 * // ... when efd is readable:
 * eventfdRead(efd);
 * signalRelayTake(efd); // [12]
 * close(efd); // its relays go with it
 * ```
 */
export const signalRelayAdd: (signum: number, eventfd: number) => void = native.signalRelayAdd;

/**
 * Stops relaying `signum` to `eventfd`; returns whether it was relayed. When
 * the last relay of a signal goes, the handler from before is put back
 * (unless something replaced the relay's handler since).
 *
 * @example
 * ```ts
 * import { close, eventfd, signalRelayAdd, signalRelayRemove } from '@evring/sys';
 * const efd = eventfd(0, 0);
 * const keep = () => {};
 * process.on('SIGUSR2', keep);
 * signalRelayAdd(12, efd);
 * signalRelayRemove(12, efd); // true
 * signalRelayRemove(12, efd); // false
 * process.off('SIGUSR2', keep);
 * close(efd);
 * ```
 */
export const signalRelayRemove: (signum: number, eventfd: number) => boolean =
  native.signalRelayRemove;

/**
 * The signals relayed to `eventfd` since the last call (ascending), clearing them.
 *
 * @example
 * ```ts
 * import { close, eventfd, signalRelayAdd, signalRelayRemove, signalRelayTake } from '@evring/sys';
 * const efd = eventfd(0, 0);
 * const keep = () => {};
 * process.on('SIGUSR2', keep);
 * signalRelayAdd(12, efd);
 * process.kill(process.pid, 'SIGUSR2'); // delivered before kill returns
 * signalRelayTake(efd); // [12]
 * signalRelayTake(efd); // []
 * signalRelayRemove(12, efd);
 * process.off('SIGUSR2', keep);
 * close(efd);
 * ```
 */
export const signalRelayTake: (eventfd: number) => number[] = native.signalRelayTake;
