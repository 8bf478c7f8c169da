/**
 * `rm`, both forms: the steps Node 20's `rm` takes (its copy of rimraf,
 * the same for its callback and promise forms), each one an operation of
 * the loop, so that what is removed, and every error, is what Node's
 * gives. The steps are written once, as generators (file-tasks.ts); the
 * promise form runs them on its operations, which take its signal (an
 * abort cancels what is under way), and the callback form as a task, each
 * step started from the last one's callback, its retries waiting on a
 * timer of the loop.
 *
 * The steps: `lstat` the path (nothing there: ENOENT, or success with
 * `force`; a directory without `recursive`: ERR_FS_EISDIR). Then, for a
 * name: unlink it; a directory (known so, or found so by unlink's EISDIR
 * or EPERM) is rmdir'ed, and when that says it is not empty, its entries
 * are removed the same way, then it. A name already gone is success. A
 * name whose removal fails with EBUSY, EMFILE, ENFILE, ENOTEMPTY or EPERM
 * is tried again from the start, up to `maxRetries` times, after
 * `retryDelay` ms times the attempt's number.
 *
 * Two things are done otherwise, with the same results:
 * - Node `lstat`s every entry before removing it. Here an entry the
 *   directory says is not a directory is unlinked at once (Node's next
 *   step for it, whatever its lstat said), and one it says is a directory
 *   is rmdir'ed at once; only when that rmdir fails otherwise than "not
 *   empty" are Node's steps taken from the lstat, to give Node's answer.
 *   That halves the operations (on io_uring, a status the kernel makes is
 *   a trip to a kernel worker).
 * - Node starts every entry of a directory at once, and settles as soon
 *   as one fails, while the others go on. Here at most 16 entries of a
 *   directory are under way at a time and 64 operations in all, and a
 *   failure settles once the entries already started are done: when the
 *   promise settles, nothing more is removed.
 *
 * @module
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { DT_DIR, DT_UNKNOWN, errno as errnos } from '@evring/abi';
import {
  abortError,
  checkBoolean,
  checkFunction,
  checkInt,
  checkSignal,
  invalidType,
} from './errors.js';
import type { Later } from './file-direct-callbacks.js';
import type { FilePromises } from './file-promises.js';
import type { RawEntry } from './file-readdir.js';
import { entriesOf } from './file-readdir-callback.js';
import type { FileStats } from './file-stats.js';
import {
  abortedNow,
  drive,
  promised,
  type Resume,
  type Runner,
  type Step,
  type Steps,
  settled,
  type TaskOps,
  together,
  unlessAborted,
} from './file-tasks.js';
import type { FileOpOptions } from './files.js';
import { type PathLike, pathBytes, pathString } from './open-flags.js';

/**
 * The options of `rm`, as `fs/promises` takes them, and evring's `signal`.
 *
 * @example
 * ```ts
 * import { Loop, type RmOptions } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * await fs.mkdir('/tmp/evring-rm-example/a/b', { recursive: true });
 * const everything: RmOptions = { recursive: true, force: true };
 * await fs.rm('/tmp/evring-rm-example', everything);
 * await fs.rm('/tmp/evring-rm-example', everything); // already gone: fine with force
 * ```
 */
export interface RmOptions extends FileOpOptions {
  /** Removes what does not exist without an error (default false). */
  force?: boolean;
  /** Removes a directory and everything under it (default false: a directory is ERR_FS_EISDIR). */
  recursive?: boolean;
  /** Times a name is tried again after EBUSY, EMFILE, ENFILE, ENOTEMPTY or EPERM (default 0). */
  maxRetries?: number;
  /** Milliseconds before the first retry; the n-th waits n times as long (default 100). */
  retryDelay?: number;
}

/** @internal `rm`'s options, checked. */
export interface RmArguments {
  force: boolean;
  recursive: boolean;
  maxRetries: number;
  retryDelay: number;
  signal: AbortSignal | null;
}

const DEFAULTS = { recursive: false, force: false, retryDelay: 100, maxRetries: 0 };

/** @internal The options, checked in Node's order and words (`signal` last: Node has none). */
export function rmArguments(options: unknown): RmArguments {
  if (options === undefined) return { ...DEFAULTS, signal: null };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidType('options', 'of type object', options);
  }
  // Spread as Node spreads it: own enumerable properties, each read once.
  const o: Record<string, unknown> = { ...DEFAULTS, ...options };
  const recursive = checkBoolean('options.recursive', o.recursive);
  const retryDelay = checkInt('options.retryDelay', o.retryDelay, 0, 2 ** 31 - 1);
  const maxRetries = checkInt('options.maxRetries', o.maxRetries, 0, 2 ** 32 - 1);
  const force = checkBoolean('options.force', o.force);
  return { force, recursive, maxRetries, retryDelay, signal: checkSignal(o.signal) ?? null };
}

/**
 * Node's SystemError, as `rm` gives it for a directory without `recursive`
 * (ERR_FS_EISDIR): the kernel-style fields in `info`, and `errno`,
 * `syscall` and `path` read through to them; `name` and `toString` as
 * Node's own.
 */
class SystemError extends Error {
  code: string;
  declare readonly info: {
    code: string;
    message: string;
    path: string;
    syscall: string;
    errno: number;
  };

  constructor(code: string, prefix: string, info: SystemError['info']) {
    super(`${prefix}: ${info.syscall} returned ${info.code} (${info.message}) ${info.path}`);
    this.code = code;
    const through = (key: 'errno' | 'syscall' | 'path') => ({
      get: () => info[key],
      set: (value: never) => {
        info[key] = value;
      },
      enumerable: true,
      configurable: true,
    });
    Object.defineProperties(this, {
      name: { value: 'SystemError', writable: true, configurable: true },
      info: { value: info, enumerable: true, configurable: true },
      errno: through('errno'),
      syscall: through('syscall'),
      path: through('path'),
    });
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/** `rm` of a directory without `recursive`. */
function pathIsDirectory(path: PathLike): Error {
  return new SystemError('ERR_FS_EISDIR', 'Path is a directory', {
    code: 'EISDIR',
    message: 'is a directory',
    path: pathString(path),
    syscall: 'rm',
    errno: errnos.EISDIR,
  });
}

/** An error's `code` when it is the kernel's (it has an errno); '' for aborts and a destroyed loop. */
function kernelCode(err: unknown): string {
  const e = err as { code?: unknown; errno?: unknown };
  return typeof e.errno === 'number' && typeof e.code === 'string' ? e.code : '';
}

/** rmdir's answers that mean "not empty" to rimraf: its entries go first. */
const NOT_EMPTY = new Set(['ENOTEMPTY', 'EEXIST', 'EPERM']);
/** Answers after which a name is tried again, up to `maxRetries` times. */
const RETRIED = new Set(['EBUSY', 'EMFILE', 'ENFILE', 'ENOTEMPTY', 'EPERM']);
/** Entries of one directory under way at a time. */
const WIDTH = 16;
/** Operations under way at a time, for the whole removal. */
const IN_FLIGHT = 64;
const SLASH = Buffer.from('/');

/**
 * What is known of a name before its removal starts: nothing (Node's
 * steps from the lstat); an lstat said it is a directory, or is not one;
 * its directory's entry says it is a directory (Node's steps are taken if
 * its rmdir fails otherwise than "not empty").
 */
type Known = 'nothing' | 'directory' | 'not a directory' | 'entry: directory';

/** What a directory entry's `DT_*` type tells. */
function knownOf(type: number): Known {
  if (type === DT_DIR) return 'entry: directory';
  return type === DT_UNKNOWN ? 'nothing' : 'not a directory';
}

/**
 * @internal What a removal's steps start, each calling `resume` once: the loop's
 * operations as the promise form makes them (with its signal: an abort
 * cancels the one under way) or as the callback form does (the signal
 * looked at before each).
 */
export interface RemovalOps {
  /** The name's own status (a FileStats). */
  lstat(path: PathLike, resume: Resume): void;
  unlink(path: PathLike, resume: Resume): void;
  rmdir(path: PathLike, resume: Resume): void;
  /** The directory's entries, a RawEntry[] (errors say `scandir`). */
  entries(dir: Uint8Array, resume: Resume): void;
  /** Resumes after `ms` milliseconds (at least 1, as Node's timers). */
  sleep(ms: number, resume: Resume): void;
  /** Runs a part of the removal: a directory's entries run together. */
  readonly run: Runner;
}

/** Lets at most IN_FLIGHT operations of one removal be under way; the others wait their turn. */
class Gate {
  #free = IN_FLIGHT;
  readonly #waiting: (() => void)[] = [];
  #draining = false;

  /** A step that starts `start` once a place is free, and frees it when `start` has called back. */
  op(start: Step): Step {
    return (resume) => {
      const go = (): void => {
        let called = false;
        try {
          start((err, value) => {
            called = true;
            this.#release();
            resume(err, value);
          });
        } catch (refused) {
          if (called) throw refused; // from what the callback ran: not the operation's
          this.#release();
          resume(refused as Error);
        }
      };
      if (this.#free === 0) this.#waiting.push(go);
      else {
        this.#free--;
        go();
      }
    };
  }

  /**
   * A place freed: the operations waiting start, from a loop, never one
   * inside another's end (each ends at once when the signal has aborted,
   * and would start the next from there, nested as deep as the queue is long).
   */
  #release(): void {
    this.#free++;
    if (this.#draining) return; // the loop below goes on
    this.#draining = true;
    while (this.#free > 0 && this.#waiting.length > 0) {
      this.#free--;
      this.#waiting.shift()!();
    }
    this.#draining = false;
  }
}

/** A removal of one path and everything under it, as the module says. */
class Removal {
  readonly #ops: RemovalOps;
  readonly #args: RmArguments;
  readonly #gate = new Gate();

  constructor(ops: RemovalOps, args: RmArguments) {
    this.#ops = ops;
    this.#args = args;
  }

  /** Removes `path` and what is under it, with Node's retries; a name already gone is success. */
  *name(path: PathLike, known: Known): Steps<void> {
    for (let retries = 0; ; ) {
      try {
        return yield* this.#once(path, known);
      } catch (err) {
        const code = kernelCode(err);
        if (RETRIED.has(code) && retries < this.#args.maxRetries) {
          retries++;
          const ms = retries * this.#args.retryDelay;
          yield (resume) => this.#ops.sleep(ms, resume);
          known = 'nothing'; // from the start, as Node's retry
          continue;
        }
        if (code === 'ENOENT') return;
        throw err;
      }
    }
  }

  *#once(path: PathLike, known: Known): Steps<void> {
    const ops = this.#ops;
    const gate = this.#gate;
    if (known === 'directory') return yield* this.#rmdir(path, null);
    if (known === 'entry: directory') {
      try {
        yield gate.op((resume) => ops.rmdir(path, resume));
        return;
      } catch (err) {
        const code = kernelCode(err);
        if (NOT_EMPTY.has(code)) return yield* this.#children(path);
        if (code === '') throw err;
        return yield* this.#once(path, 'nothing'); // Node's steps give Node's answer
      }
    }
    if (known === 'nothing') {
      try {
        const st = (yield gate.op((resume) => ops.lstat(path, resume))) as FileStats;
        if (st.isDirectory()) return yield* this.#rmdir(path, null);
      } catch (err) {
        const code = kernelCode(err);
        if (code === 'ENOENT') return;
        if (code === '') throw err;
        // Any other answer: on to unlink, as Node goes.
      }
    }
    try {
      yield gate.op((resume) => ops.unlink(path, resume));
    } catch (err) {
      const code = kernelCode(err);
      if (code === 'ENOENT') return;
      if (code === 'EISDIR' || code === 'EPERM') return yield* this.#rmdir(path, err);
      throw err;
    }
  }

  /** rmdir, its entries first when it is not empty; `original` is unlink's error that led here. */
  *#rmdir(path: PathLike, original: unknown): Steps<void> {
    try {
      yield this.#gate.op((resume) => this.#ops.rmdir(path, resume));
    } catch (err) {
      const code = kernelCode(err);
      if (NOT_EMPTY.has(code)) return yield* this.#children(path);
      // Not a directory after all: unlink's error stands (none, after an lstat: as Node, done).
      if (code === 'ENOTDIR') {
        if (original !== null) throw original;
        return;
      }
      throw err;
    }
  }

  /** Removes the directory's entries (each as a name, WIDTH at a time), then it. */
  *#children(path: PathLike): Steps<void> {
    const ops = this.#ops;
    const dir = pathBytes('path', path);
    const entries = (yield this.#gate.op((resume) => ops.entries(dir, resume))) as RawEntry[];
    if (entries.length > 0) {
      const prefix = Buffer.concat([dir, SLASH]);
      yield together(ops.run, entries.length, WIDTH, (i) => {
        const entry = entries[i]!;
        return this.name(Buffer.concat([prefix, entry.name]), knownOf(entry.type));
      });
    }
    yield this.#gate.op((resume) => ops.rmdir(path, resume));
  }
}

/** @internal `rm(path, options)`, its arguments checked, as steps: as the module says. */
export function* removal(ops: RemovalOps, path: PathLike, args: RmArguments): Steps<void> {
  let isDirectory: boolean;
  try {
    isDirectory = ((yield (resume) => ops.lstat(path, resume)) as FileStats).isDirectory();
  } catch (err) {
    if (args.force && kernelCode(err) === 'ENOENT') return;
    throw err;
  }
  if (isDirectory && !args.recursive) throw pathIsDirectory(path);
  yield* new Removal(ops, args).name(path, isDirectory ? 'directory' : 'not a directory');
}

/** @internal `fs/promises`' `rm`, its arguments checked: the steps on the promise form's operations. */
export function remove(fs: FilePromises, path: PathLike, args: RmArguments): Promise<void> {
  const signal = args.signal;
  const opts = signal === null ? undefined : { signal };
  const ops: RemovalOps = {
    lstat: (at, resume) => settled(fs.lstat(at, opts), resume),
    unlink: (at, resume) => settled(fs.unlink(at, opts), resume),
    rmdir: (at, resume) => settled(fs.rmdir(at, opts), resume),
    entries: (dir, resume) => settled(fs.entries(dir, opts), resume),
    sleep: (ms, resume) =>
      settled(
        sleep(Math.max(1, ms), undefined, opts).catch(() => {
          throw abortError(signal!);
        }),
        resume,
      ),
    run: drive,
  };
  return promised(removal(ops, path, args));
}

/**
 * @internal `fs.rm(path[, options], callback)`: checked in Node's order
 * (the path, the options, then the callback, which Node 20 never checks),
 * then the steps on the loop's callback operations, each started from the
 * last one's callback. `signal` is looked at before each operation, as
 * the callback forms of several operations look at it.
 */
export function rmCallback(
  ops: TaskOps,
  later: Later,
  path: unknown,
  options: unknown,
  callback: unknown,
): void {
  const [given, cb] = typeof options === 'function' ? [undefined, options] : [options, callback];
  pathBytes('path', path);
  const args = rmArguments(given);
  const done = checkFunction<Resume>('callback', cb);
  const signal = args.signal;
  if (signal?.aborted) {
    abortedNow(later, 'rm', signal, done);
    return;
  }
  const bytes = (at: PathLike): Uint8Array => pathBytes('path', at);
  const removalOps: RemovalOps = {
    lstat: (at, resume) => unlessAborted(signal, resume, () => ops.stat(bytes(at), false, resume)),
    unlink: (at, resume) => unlessAborted(signal, resume, () => ops.unlink(bytes(at), resume)),
    rmdir: (at, resume) => unlessAborted(signal, resume, () => ops.rmdir(bytes(at), resume)),
    entries: (dir, resume) =>
      unlessAborted(signal, resume, () =>
        ops.tasks.spawn(entriesOf(ops, dir, pathString(dir)), resume),
      ),
    sleep: (ms, resume) => ops.sleep(Math.max(1, ms), resume),
    run: ops.tasks.spawn,
  };
  ops.tasks.run('rm', removal(removalOps, path as PathLike, args), done);
}
