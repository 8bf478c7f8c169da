/**
 * What a watcher may ask of the loop that made it: the bookkeeping of its
 * kind, the pending queues, and a way to say that something changed. This
 * is the whole of the loop a watcher sees; the loop hands it to each
 * watcher it makes. Internal: not exported from the package.
 *
 * @module
 */

import type { IoTable } from './io-table.js';
import type { IdleLists, WatcherList } from './lists.js';
import type { Loop } from './loop.js';
import type { PendingQueues } from './pending.js';
import type { Timers } from './timers.js';
import type { WakeChannel } from './wake.js';
import type { CheckWatcher, IdleWatcher, PrepareWatcher } from './watchers/simple.js';

/** The loop, as its watchers see it. */
export interface WatcherHost {
  /** The loop itself, for the watcher's public `loop` property. */
  readonly loop: Loop;
  readonly pending: PendingQueues;
  readonly io: IoTable;
  readonly timers: Timers;
  readonly idles: IdleLists<IdleWatcher>;
  readonly prepares: WatcherList<PrepareWatcher>;
  readonly checks: WatcherList<CheckWatcher>;
  /** Signals and async sends (created on first use). */
  readonly wake: WakeChannel;
  /**
   * Something changed that the kernel or Node's loop must learn of before
   * Node sleeps (attached mode); `refDelta` moves the loop's count of
   * referenced active watchers.
   */
  changed(refDelta: number): void;
}

const hosts = new WeakSet<WatcherHost>();

/** Marks `host` as made by a loop: watchers accept no other. */
export function registerHost(host: WatcherHost): WatcherHost {
  hosts.add(host);
  return host;
}

/** Whether `value` is a host a loop made. */
export function isHost(value: unknown): value is WatcherHost {
  return typeof value === 'object' && value !== null && hosts.has(value as WatcherHost);
}
