/**
 * The signal watcher (libev's ev_signal): a process signal delivered as a
 * loop event. Any number of loops may watch the same signal (libev allows
 * one). Delivery goes through `@evring/sys`'s signal relay, so a loop blocked
 * in `run()` wakes up for it; Node's own `process.on` listeners keep working.
 *
 * @module
 */

import { constants } from 'node:os';
import { invalidType, invalidValue } from '../errors.js';
import type { WatcherHost } from '../host.js';
import { Watcher, type WatcherCallback, type WatcherOptions } from './watcher.js';

const NAMES = new Map<number, string>();
for (const [name, num] of Object.entries(constants.signals))
  if (!NAMES.has(num)) NAMES.set(num, name);

/** Signals no watcher may take: uncatchable, or faults whose handler must not return. */
const REFUSED = new Set([
  'SIGKILL',
  'SIGSTOP',
  'SIGSEGV',
  'SIGBUS',
  'SIGFPE',
  'SIGILL',
  'SIGTRAP',
  'SIGSYS',
]);

/** Resolves a signal number or name ('SIGINT', 'INT') to `[number, name]`. */
export function resolveSignal(signal: unknown): [number, string] {
  let num: number | undefined;
  if (typeof signal === 'number') {
    num = Number.isInteger(signal) && NAMES.has(signal) ? signal : undefined;
  } else if (typeof signal === 'string') {
    const name = signal.startsWith('SIG') ? signal : `SIG${signal}`;
    num = (constants.signals as Record<string, number>)[name];
  } else {
    throw invalidType('signal', 'a signal number or name', signal);
  }
  if (num === undefined) throw invalidValue('signal', 'is not a signal of this system', signal);
  const name = NAMES.get(num)!;
  if (REFUSED.has(name)) throw invalidValue('signal', 'cannot be watched', signal);
  return [num, name];
}

/**
 * Fires when the process receives a signal. Made by `loop.signal()`.
 *
 * The signal's default action (SIGINT and SIGTERM end the process) is held
 * off while any signal watcher for it is active, in any loop: the signal is
 * handled. When the last one stops, the default action is back, as libev
 * resets the handler to SIG_DFL; a `process.on(signal)` listener the
 * program installed itself keeps handling the signal throughout.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * loop.signal('SIGINT', (w) => { console.log('got', w.signame); loop.destroy(); }).start();
 * ```
 */
export class SignalWatcher extends Watcher {
  readonly kind = 'signal';
  /** The signal number. */
  readonly signum: number;
  /** The signal's name, e.g. 'SIGINT'. */
  readonly signame: string;
  /** @internal */
  _index = -1;

  /** @internal */
  constructor(
    host: WatcherHost,
    signal: number | string,
    callback: WatcherCallback<SignalWatcher>,
    options?: WatcherOptions,
  ) {
    super(host, callback as WatcherCallback<never>, options);
    [this.signum, this.signame] = resolveSignal(signal);
  }

  /** @internal */
  _activate(): void {
    this._host.wake.addSignal(this);
  }

  /** @internal */
  _deactivate(): void {
    this._host.wake.removeSignal(this);
  }
}
