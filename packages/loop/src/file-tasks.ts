/**
 * The runner of the callback forms that take several operations (readFile,
 * writeFile, appendFile, truncate, readdir, opendir, copyFile, rm, cp): each
 * is a generator that yields its steps, and runs on callbacks alone, with
 * no promise between two steps. Each step starts one operation of the loop
 * with the task's `resume` as its callback, so the next step starts in the
 * deliver phase that delivered the last one: on a standalone loop inside `run()`,
 * which a chain of promises could not do (their continuations wait for
 * the microtask queue, which runs only once `run()` returns).
 *
 * A step's error is thrown into the generator at its `yield`, so a task
 * cleans up with `try`/`finally` as an async function would. When the
 * loop is destroyed its operations' callbacks are dropped, so the tasks
 * under way are ended with `return()`: their `finally` blocks run then,
 * and must close what they hold directly ({@link closeStep} does).
 *
 * Steps written so can serve a promise form too: {@link promised} runs
 * them with {@link drive}, on operations that settle promises
 * ({@link settled}). copyFile, rm and cp share theirs that way.
 *
 * @module
 */

import { closeOwned } from '@evring/sys';
import { abortError, loopDestroyed } from './errors.js';
import type { Later } from './file-direct-callbacks.js';
import type { LoopFileHandle } from './file-promises.js';

/** @internal What a step's operation calls back with: its error, or null and its value. */
export type Resume = (err: Error | null, value?: unknown) => void;

/** @internal One step of a task: starts an operation of the loop whose callback is `resume`. */
export type Step = (resume: Resume) => void;

/** @internal A task's steps, giving its result. */
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
  /** A write at `position` (null: the file's offset). */
  write(fd: number, from: Uint8Array, position: number | null, resume: Resume): void;
  fstat(fd: number, resume: Resume): void;
  /** The status of `path`, following a symbolic link at its end or not (lstat). */
  stat(path: Uint8Array, follow: boolean, resume: Resume): void;
  fsync(fd: number, resume: Resume): void;
  ftruncate(fd: number, len: number, resume: Resume): void;
  close(fd: number, resume: Resume): void;
  unlink(path: Uint8Array, resume: Resume): void;
  rmdir(path: Uint8Array, resume: Resume): void;
  /** Resumes after `ms` milliseconds: a timer of the loop, which keeps it running meanwhile. */
  sleep(ms: number, resume: Resume): void;
  /** A FileHandle over `fd`, tied and the task's to hand over (a Dir's). */
  handle(fd: number): LoopFileHandle;
}

/** @internal The tasks of one loop's callback forms. */
export class Tasks {
  readonly #running = new Set<Steps<unknown>>();
  #destroyed = false;
  /** Runs `end` from the loop's next poll (FileOps.later), for a task that ended inside its call. */
  readonly #deferred: (call: string, end: () => void) => void;

  constructor(deferred: (call: string, end: () => void) => void) {
    this.#deferred = deferred;
  }

  /** Whether the loop is gone: a task's `finally` then closes what it holds directly. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /**
   * Runs `steps` to its end, then `done(err, result)` with Node's arity
   * (the error alone, or null alone when there is no result). The first
   * step starts now. `done` is never called from here: a task that ends
   * before its first operation (cp's filter said no to the source, or
   * threw) is called back from the loop's next poll, as an operation
   * would be. On a destroyed loop this throws ERR_EVRING_LOOP_DESTROYED
   * naming `call`, as the one-operation calls do.
   */
  run<T>(call: string, steps: Steps<T>, done: (err: Error | null, result?: T) => void): void {
    if (this.#destroyed) throw loopDestroyed(`fs.${call}()`);
    let inCall = true;
    this.spawn(steps, (err, result) => {
      const end = (): void => {
        if (err !== null) done(err);
        else if (result === undefined) done(null);
        else done(null, result);
      };
      if (inCall) this.#deferred(call, end);
      else end();
    });
    inCall = false;
  }

  /**
   * Runs `steps` as a part of a task under way (a removal's entries run
   * together): kept for {@link destroy} as a task is, `done` called with
   * the result as it is. Nothing runs on a destroyed loop.
   */
  readonly spawn = <T>(steps: Steps<T>, done: (err: Error | null, result?: T) => void): void => {
    if (this.#destroyed) return;
    this.#running.add(steps);
    drive(
      steps,
      (err, result) => {
        this.#running.delete(steps);
        done(err, result);
      },
      this.#live,
    );
  };

  readonly #live = (): boolean => !this.#destroyed;

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

/** @internal Runs a part of a task: {@link Tasks.spawn}, or {@link drive} for a promise form. */
export type Runner = <T>(steps: Steps<T>, done: (err: Error | null, result?: T) => void) => void;

const always = (): boolean => true;

/**
 * @internal Advances `steps` from each step's callback to their end, then calls
 * `done(err, result)`: a step's error is thrown in at its `yield`, one
 * thrown out of the steps is `done`'s. It stops, calling nothing more,
 * once `live()` is false. The promise forms that share a callback form's
 * steps run them so (their operations reject once the loop is gone, and
 * the error ends them).
 */
export function drive<T>(
  steps: Steps<T>,
  done: (err: Error | null, result?: T) => void,
  live: () => boolean = always,
): void {
  /** Steps advanced so far: whether a step called back before it threw. */
  let turns = 0;
  const advance: Resume = (err, value) => {
    if (!live()) return;
    turns++;
    let next: IteratorResult<Step, T>;
    try {
      next = err === null ? steps.next(value) : steps.throw(err);
    } catch (thrown) {
      done(thrown as Error);
      return;
    }
    if (next.done) {
      done(null, next.value);
      return;
    }
    const turn = turns;
    try {
      next.value(advance);
    } catch (refused) {
      // A step refused at once: its error, at its yield. A throw after the
      // step called back came from what its callback ran (at the end, the
      // task's own callback): it goes on up, and nothing is advanced twice.
      if (turns !== turn) throw refused;
      advance(refused as Error);
    }
  };
  advance(null);
}

/** @internal `steps` run by {@link drive}, as a promise: a promise form of a callback form's steps. */
export function promised<T>(steps: Steps<T>): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    drive(steps, (err, result) => (err === null ? resolve(result as T) : reject(err))),
  );
}

/** @internal A step over an operation of a promise form: `resume` from its settling. */
export function settled(operation: Promise<unknown>, resume: Resume): void {
  operation.then((value) => resume(null, value), resume);
}

/**
 * @internal A step that runs `count` parts, `make(i)` the i-th, at most `width` at a
 * time, each on `run`; it resumes once every one has ended, with the
 * first error (the others still run to their end, as Node's rimraf lets
 * a directory's other entries go on).
 */
export function together(
  run: Runner,
  count: number,
  width: number,
  make: (i: number) => Steps<void>,
): Step {
  return (resume) => {
    let next = 0;
    let running = 0;
    let failure: Error | null = null;
    // Parts started from a loop, never from one another's ends: a part
    // that ends at once (refused at its first step: an aborted signal)
    // ends inside `run`, and starting the next from there would nest one
    // call in another per part, past the stack for a big directory.
    let starting = false;
    const fill = (): void => {
      if (starting) return; // the loop below goes on
      starting = true;
      while (next < count && running < width) {
        running++;
        run(make(next++), ended);
      }
      starting = false;
      if (next === count && running === 0) resume(failure);
    };
    const ended = (err: Error | null): void => {
      running--;
      failure ??= err;
      fill();
    };
    fill();
  };
}

/**
 * @internal A callback form's signal, looked at before an operation:
 * `start()`, or `resume` with an AbortError once `signal` has aborted.
 */
export function unlessAborted(
  signal: AbortSignal | null | undefined,
  resume: Resume,
  start: () => void,
): void {
  if (signal?.aborted) resume(abortError(signal));
  else start();
}

/** @internal A call refused before any step (its signal already aborted): the AbortError to its callback from the next poll, as Node's is not. */
export function abortedNow(later: Later, call: string, signal: AbortSignal, done: Resume): void {
  later(call, done, () => {
    throw abortError(signal);
  });
}

/**
 * @internal Closes `fd`, tied to this thread, as a task's last step: through the
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
