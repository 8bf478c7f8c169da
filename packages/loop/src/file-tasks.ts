/**
 * The runner of the callback forms that take several operations (readFile,
 * writeFile, appendFile, truncate, readdir, opendir): each is a generator
 * that yields its steps, and runs on callbacks alone, with no promise
 * between two steps. Each step starts one operation of the loop with the
 * task's `resume` as its callback, so the next step starts in the deliver
 * phase that delivered the last one: on a standalone loop inside `run()`,
 * which a chain of promises could not do (their continuations wait for
 * the microtask queue, which runs only once `run()` returns).
 *
 * A step's error is thrown into the generator at its `yield`, so a task
 * cleans up with `try`/`finally` as an async function would. When the
 * loop is destroyed its operations' callbacks are dropped, so the tasks
 * under way are ended with `return()`: their `finally` blocks run then,
 * and must close what they hold directly ({@link closeStep} does).
 *
 * @module
 */

import { closeOwned } from '@evring/sys';
import { loopDestroyed } from './errors.js';
import type { LoopFileHandle } from './file-promises.js';

/** What a step's operation calls back with: its error, or null and its value. */
export type Resume = (err: Error | null, value?: unknown) => void;

/** One step of a task: starts an operation of the loop whose callback is `resume`. */
export type Step = (resume: Resume) => void;

/** A task's steps, giving its result. */
export type Steps<T> = Generator<Step, T, unknown>;

/**
 * @internal The operations a task's steps start, each with `resume` as its
 * callback (LoopFiles makes them over its own).
 */
export interface TaskOps {
  readonly tasks: Tasks;
  /**
   * open(2) of a checked path (`name` as errors give it, with `syscall`:
   * `'open'`, or readdir's `'scandir'`); the fd is tied to this thread.
   */
  open(
    path: Uint8Array,
    name: string,
    flags: number,
    mode: number,
    syscall: string,
    resume: Resume,
  ): void;
  /** A read at `position` (null: the file's offset). */
  read(fd: number, into: Uint8Array, position: number | null, resume: Resume): void;
  /** A write at the file's offset. */
  write(fd: number, from: Uint8Array, resume: Resume): void;
  fstat(fd: number, resume: Resume): void;
  /** The status of `path`, following a symbolic link at its end or not (lstat). */
  stat(path: Uint8Array, follow: boolean, resume: Resume): void;
  fsync(fd: number, resume: Resume): void;
  ftruncate(fd: number, len: number, resume: Resume): void;
  close(fd: number, resume: Resume): void;
  /** A FileHandle over `fd`, tied and the task's to hand over (a Dir's). */
  handle(fd: number): LoopFileHandle;
}

/** @internal The tasks of one loop's callback forms. */
export class Tasks {
  readonly #running = new Set<Steps<unknown>>();
  #destroyed = false;

  /** Whether the loop is gone: a task's `finally` then closes what it holds directly. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /**
   * Runs `steps` to its end, then `done(err, result)` with Node's arity
   * (the error alone, or null alone when there is no result). The first
   * step starts now, and must be an operation of the loop (which, on a
   * live loop, refuses nothing at once): `done` is then called from a
   * later step's callback, never from here. On a destroyed loop this
   * throws ERR_EVRING_LOOP_DESTROYED naming `call`, as the one-operation
   * calls do.
   */
  run<T>(call: string, steps: Steps<T>, done: (err: Error | null, result?: T) => void): void {
    if (this.#destroyed) throw loopDestroyed(`fs.${call}()`);
    this.#running.add(steps);
    const end = (err: Error | null, result?: T): void => {
      this.#running.delete(steps);
      if (err !== null) done(err);
      else if (result === undefined) done(null);
      else done(null, result);
    };
    const advance: Resume = (err, value) => {
      if (this.#destroyed) return;
      let next: IteratorResult<Step, T>;
      try {
        next = err === null ? steps.next(value) : steps.throw(err);
      } catch (thrown) {
        end(thrown as Error);
        return;
      }
      if (next.done) {
        end(null, next.value);
        return;
      }
      try {
        next.value(advance);
      } catch (refused) {
        advance(refused as Error); // a step refused at once: its error, at its yield
      }
    };
    advance(null);
  }

  /** The loop is being destroyed: every task under way is ended (its `finally` blocks run), its callback never called. */
  destroy(): void {
    this.#destroyed = true;
    for (const steps of this.#running) {
      try {
        steps.return(undefined);
      } catch {
        // A finally that failed: nothing is left to tell.
      }
    }
    this.#running.clear();
  }
}

/**
 * Closes `fd`, tied to this thread, as a task's last step: through the
 * loop, or directly when the loop is gone or goes while the close is under
 * way (the tie tells whether the number is still the task's: closed once).
 * A failed close through the loop is thrown at the task's yield.
 */
export function* closeStep(
  tasks: Tasks,
  fd: number,
  close: (fd: number, resume: Resume) => void,
): Steps<void> {
  let closed = false;
  try {
    if (!tasks.destroyed) {
      yield (resume) => close(fd, resume);
      closed = true;
    }
  } finally {
    if (!closed) closeOwned(fd);
  }
}
