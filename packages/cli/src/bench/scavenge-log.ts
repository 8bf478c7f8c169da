/**
 * V8's young-generation collections (scavenges), by start time, so that a
 * benchmark can count those that ran inside its rounds: a hot path that
 * allocates a few bytes per operation shows up as scavenges.
 *
 * @module
 */

import { PerformanceObserver } from 'node:perf_hooks';

/**
 * Scavenges seen in this process since it was made.
 *
 * @example
 * ```ts
 * import { ScavengeLog } from '@evring/cli';
 * const log = new ScavengeLog();
 * const from = performance.now();
 * for (let i = 0; i < 1e5; i++) JSON.stringify({ i });
 * const to = performance.now();
 * await log.flush();
 * console.log(log.within([from, to]), 'scavenges');
 * log.stop();
 * ```
 */
export class ScavengeLog {
  readonly #starts: number[] = [];
  readonly #observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // NODE_PERFORMANCE_GC_MINOR: a scavenge.
      if ((entry as { detail?: { kind?: number } }).detail?.kind === 1)
        this.#starts.push(entry.startTime);
    }
  });

  constructor() {
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  /** Node delivers a collection's entry from a later task: wait for it. */
  flush(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Scavenges that started inside one of the `[from, to]` pairs of `windows` (performance.now() times). */
  within(windows: readonly number[]): number {
    let n = 0;
    for (const t of this.#starts) {
      for (let i = 0; i < windows.length; i += 2) {
        if (t >= windows[i]! && t <= windows[i + 1]!) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  stop(): void {
    this.#observer.disconnect();
  }
}
