/**
 * One-shot waits (libev's ev_once): for an fd to be ready, for a timeout,
 * or whichever comes first, by callback or by promise, cancellable with an
 * AbortSignal. Built from an io and a timer watcher of the loop.
 *
 * @module
 */

import { AbortGroups } from './abort-groups.js';
import {
  abortError,
  checkFunction,
  checkInt,
  invalidType,
  invalidValue,
  loopDestroyed,
} from './errors.js';
import { TIMER } from './events.js';
import type { WatcherHost } from './host.js';
import { checkFd, checkIoEvents, IoWatcher } from './watchers/io.js';
import { TimerWatcher } from './watchers/timer.js';

/**
 * Options of `loop.once()`, `loop.readable()`, `loop.writable()`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const ac = new AbortController();
 * setTimeout(() => ac.abort(), 1000);
 * await loop.readable(0, { signal: ac.signal }).catch((e) => console.log(e.name)); // AbortError after 1 s
 * ```
 */
export interface OnceOptions {
  /** Cancels the wait: the callback does not run; the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

/**
 * A pending `loop.once()`.
 *
 * @example
 * ```ts
 * import { Loop, READ } from '@evring/loop';
 * const loop = new Loop();
 * const handle = loop.once(0, READ, 5, (revents) => console.log(revents));
 * handle.cancel(); // the callback will not run
 * ```
 */
export interface OnceHandle {
  /** Cancels it: the callback will not run. */
  cancel(): void;
}

/** The waits in flight per AbortSignal, one listener each however many share it. */
const aborts = new AbortGroups<() => void>((cancel) => cancel());

/** `options.signal`: an AbortSignal, or none (undefined or null). */
function signalOf(options: OnceOptions): AbortSignal | undefined {
  const signal = options?.signal as unknown;
  if (signal === undefined || signal === null) return undefined;
  if (!(signal instanceof AbortSignal))
    throw invalidType('options.signal', 'an instance of AbortSignal', signal);
  return signal;
}

/** `loop.once()`: the arguments are checked here, the loop is known to be alive. */
export function once(
  host: WatcherHost,
  fd: number,
  events: number,
  timeout: number,
  callback: (revents: number) => void,
  options: OnceOptions,
): OnceHandle {
  checkFunction('callback', callback);
  if (typeof timeout !== 'number' || Number.isNaN(timeout))
    throw invalidValue('timeout', 'must be a number', timeout);
  if (checkInt('fd', fd, -0x80000000, 0x7fffffff) >= 0) checkFd(fd);
  const ev = checkIoEvents(events);
  let io: IoWatcher | null = null;
  let timer: TimerWatcher | null = null;
  const done = (revents: number): void => {
    cancel();
    callback(revents);
  };
  const signal = signalOf(options);
  const cancel = (): void => {
    io?.stop();
    timer?.stop();
    if (signal !== undefined) aborts.remove(signal, cancel);
  };
  if (signal?.aborted) return { cancel };
  if (fd >= 0) io = new IoWatcher(host, fd, ev, (_w, revents) => done(revents), undefined).start();
  if (timeout >= 0)
    timer = new TimerWatcher(host, timeout, 0, () => done(TIMER), undefined).start();
  if (signal !== undefined) aborts.add(signal, cancel);
  return { cancel };
}

/** `loop.readable()` and `loop.writable()`: a promise of the events, rejected on abort. */
export function whenReady(
  host: WatcherHost,
  fd: number,
  events: number,
  options: OnceOptions,
): Promise<number> {
  let signal: AbortSignal | undefined;
  try {
    signal = signalOf(options);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<number>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    if (host.loop.destroyed) throw loopDestroyed('once()'); // a rejection, as a throw in here is
    const handle = once(
      host,
      fd,
      events,
      -1,
      (revents) => {
        if (signal !== undefined) aborts.remove(signal, onAbort);
        resolve(revents);
      },
      {},
    );
    const onAbort = (): void => {
      handle.cancel();
      reject(abortError(signal!));
    };
    if (signal !== undefined) aborts.add(signal, onAbort);
  });
}
