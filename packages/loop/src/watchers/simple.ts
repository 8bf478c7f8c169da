/**
 * The watchers that only mark a point of the iteration: idle (when nothing
 * else is pending), prepare (before the loop polls) and check (after it
 * polled). libev's ev_idle, ev_prepare and ev_check.
 *
 * @module
 */

import type { Loop } from '../loop.js';
import { Watcher, type WatcherCallback, type WatcherOptions } from './watcher.js';

/** Runs when nothing of equal or higher priority is pending; keeps the loop from blocking. */
export class IdleWatcher extends Watcher {
  readonly kind = 'idle';
  /** @internal */
  _index = -1;

  /** @internal */
  constructor(loop: Loop, callback: WatcherCallback<IdleWatcher>, options?: WatcherOptions) {
    super(loop, callback as WatcherCallback<never>, options);
  }

  /** @internal */
  _activate(): void {
    this.loop._idleStart(this);
  }

  /** @internal */
  _deactivate(): void {
    this.loop._idleStop(this);
  }
}

/** Runs at the start of each iteration, before the loop polls. */
export class PrepareWatcher extends Watcher {
  readonly kind = 'prepare';
  /** @internal */
  _index = -1;

  /** @internal */
  constructor(loop: Loop, callback: WatcherCallback<PrepareWatcher>, options?: WatcherOptions) {
    super(loop, callback as WatcherCallback<never>, options);
  }

  /** @internal */
  _activate(): void {
    this.loop._listStart(this);
  }

  /** @internal */
  _deactivate(): void {
    this.loop._listStop(this);
  }
}

/** Runs after the loop polled, before the other events of its priority. */
export class CheckWatcher extends Watcher {
  readonly kind = 'check';
  /** @internal */
  _index = -1;

  /** @internal */
  constructor(loop: Loop, callback: WatcherCallback<CheckWatcher>, options?: WatcherOptions) {
    super(loop, callback as WatcherCallback<never>, options);
  }

  /** @internal */
  _activate(): void {
    this.loop._listStart(this);
  }

  /** @internal */
  _deactivate(): void {
    this.loop._listStop(this);
  }
}
