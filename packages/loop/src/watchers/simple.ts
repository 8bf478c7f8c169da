/**
 * The watchers that only mark a point of the iteration: idle (when nothing
 * else is pending), prepare (before the loop polls) and check (after it
 * polled). libev's ev_idle, ev_prepare and ev_check.
 *
 * @module
 */

import { Watcher } from './watcher.js';

/** A watcher kept in one of the loop's plain lists (prepare, check; idle has one per priority). */
abstract class ListedWatcher extends Watcher {
  /** @internal Index in the loop's list. */
  _index = -1;
}

/**
 * Runs when nothing of equal or higher priority is pending; keeps the loop from blocking.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const work = [1, 2, 3];
 * // Runs only when nothing else is pending: background work in small steps.
 * loop.idle((w) => { console.log(work.shift()); if (work.length === 0) w.stop(); }).start();
 * ```
 */
export class IdleWatcher extends ListedWatcher {
  readonly kind = 'idle';

  /** @internal */
  _activate(): void {
    this._host.idles.add(this);
  }

  /** @internal */
  _deactivate(): void {
    this._host.idles.remove(this);
  }
}

/**
 * Runs at the start of each iteration, before the loop polls.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop({ attach: false });
 * const queued: string[] = [];
 * // Flush what callbacks queued before the loop blocks.
 * loop.prepare(() => { if (queued.length) process.stdout.write(queued.splice(0).join('')); }).start();
 * ```
 */
export class PrepareWatcher extends ListedWatcher {
  readonly kind = 'prepare';

  /** @internal */
  _activate(): void {
    this._host.prepares.add(this);
  }

  /** @internal */
  _deactivate(): void {
    this._host.prepares.remove(this);
  }
}

/**
 * Runs after the loop polled, before the other events of its priority.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop({ attach: false });
 * loop.check(() => console.log('poll returned at', loop.now())).start();
 * ```
 */
export class CheckWatcher extends ListedWatcher {
  readonly kind = 'check';

  /** @internal */
  _activate(): void {
    this._host.checks.add(this);
  }

  /** @internal */
  _deactivate(): void {
    this._host.checks.remove(this);
  }
}
