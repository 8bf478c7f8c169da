/**
 * A reference row with no I/O: what V8 itself charges for the promise
 * form. `depth` async lanes each await a promise an operation would return
 * (made with one shared executor, as `loop.fs.promises` makes them), and a
 * macrotask per batch resolves every one waiting, as an attached loop's
 * tick delivers a batch of completions. Nothing else happens: no kernel,
 * no loop, no bookkeeping.
 *
 * The promise form of `loop.fs` costs the callback form plus this, at
 * best; the files bench sets the two side by side (its information block).
 *
 * @module
 */

import type { FileJob, FileSession } from '../job.js';
import { timed } from '../job.js';
import type { FileWorkload } from '../workload.js';

/** The row's name in the table. */
export const PROMISE_FLOOR_ROW = 'v8 promises alone (no I/O)';

/** One awaited operation's settlement, reused as slots are. */
interface Waiter {
  resolve: ((value: number) => void) | null;
}

/** The stand-in for a loop: hands out promises, settles them a batch per macrotask. */
class PromiseBatcher {
  readonly #waiting: Waiter[] = [];
  readonly #free: Waiter[] = [];
  #capturing: Waiter | null = null;
  #scheduled = false;
  readonly #capture = (resolve: (value: number) => void): void => {
    this.#capturing!.resolve = resolve;
  };
  readonly #settle = (): void => {
    this.#scheduled = false;
    const waiting = this.#waiting;
    for (let i = 0; i < waiting.length; i++) {
      const w = waiting[i]!;
      const resolve = w.resolve!;
      w.resolve = null;
      this.#free.push(w);
      resolve(0);
    }
    waiting.length = 0;
  };

  /** A promise settled by the next batch. */
  next(): Promise<number> {
    const w = this.#free.pop() ?? { resolve: null };
    this.#capturing = w;
    const promise = new Promise<number>(this.#capture);
    this.#capturing = null;
    this.#waiting.push(w);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#settle);
    }
    return promise;
  }
}

/**
 * The reference row: `depth` lanes awaiting promises, `ops` in all, no I/O.
 *
 * @example
 * ```ts
 * import { makeBenchFile, promiseFloorJob } from '@evring/cli';
 * const file = makeBenchFile(1 << 20);
 * const session = await promiseFloorJob().open({ kind: 'randread', block: 4096, depth: 64, ops: 20000 }, file);
 * if (!('missing' in session)) console.log(await session.round(), 'ns for 20000 awaits'), await session.close();
 * file.remove();
 * ```
 */
export function promiseFloorJob(): FileJob {
  return {
    name: PROMISE_FLOOR_ROW,
    family: 'reference',
    async open(w: FileWorkload): Promise<FileSession> {
      const batcher = new PromiseBatcher();
      const round = async (ops: number): Promise<void> => {
        const lanes = Math.min(w.depth, ops);
        let started = 0;
        const lane = async (): Promise<void> => {
          while (started < ops) {
            started++;
            await batcher.next();
          }
        };
        const all: Promise<void>[] = [];
        for (let i = 0; i < lanes; i++) all.push(lane());
        await Promise.all(all);
      };
      const cpu = { user: 0, system: 0 };
      return {
        inProcess: true,
        cpu,
        round: (ops = w.ops) => timed(() => round(ops), cpu),
        close() {},
      };
    },
  };
}
