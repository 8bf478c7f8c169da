/**
 * `rm` for `loop.fs.promises`: the steps Node 20's `fs/promises` `rm`
 * takes (its copy of rimraf), each one an operation of the loop, so that
 * what is removed, and every error, is what Node's gives.
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
import { abortError, checkBoolean, checkInt, checkSignal, invalidType } from './errors.js';
import type { FilePromises } from './file-promises.js';
import type { RawEntry } from './file-readdir.js';
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

/** A removal of one path and everything under it, as the module says. */
class Removal {
  readonly #fs: FilePromises;
  readonly #args: RmArguments;
  readonly #opts: FileOpOptions | undefined;
  #free = IN_FLIGHT;
  readonly #waiting: (() => void)[] = [];

  constructor(fs: FilePromises, args: RmArguments) {
    this.#fs = fs;
    this.#args = args;
    this.#opts = args.signal === null ? undefined : { signal: args.signal };
  }

  /** One operation, when fewer than IN_FLIGHT are under way. */
  async #op<T>(call: () => Promise<T>): Promise<T> {
    if (this.#free === 0) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#free--;
    try {
      return await call();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }

  /** Removes `path` and what is under it, with Node's retries; a name already gone is success. */
  async name(path: PathLike, known: Known): Promise<void> {
    for (let retries = 0; ; ) {
      try {
        return await this.#once(path, known);
      } catch (err) {
        const code = kernelCode(err);
        if (RETRIED.has(code) && retries < this.#args.maxRetries) {
          retries++;
          await this.#pause(retries * this.#args.retryDelay);
          known = 'nothing'; // from the start, as Node's retry
          continue;
        }
        if (code === 'ENOENT') return;
        throw err;
      }
    }
  }

  /** Waits `ms` (at least 1, as Node's timers), or rejects when the signal aborts. */
  async #pause(ms: number): Promise<void> {
    const signal = this.#args.signal;
    try {
      await sleep(Math.max(1, ms), undefined, signal === null ? undefined : { signal });
    } catch {
      throw abortError(signal!);
    }
  }

  async #once(path: PathLike, known: Known): Promise<void> {
    const fs = this.#fs;
    if (known === 'directory') return this.#rmdir(path, null);
    if (known === 'entry: directory') {
      try {
        return await this.#op(() => fs.rmdir(path, this.#opts));
      } catch (err) {
        const code = kernelCode(err);
        if (NOT_EMPTY.has(code)) return this.#children(path);
        if (code === '') throw err;
        return this.#once(path, 'nothing'); // Node's steps give Node's answer
      }
    }
    if (known === 'nothing') {
      try {
        const st = await this.#op(() => fs.lstat(path, this.#opts));
        if (st.isDirectory()) return this.#rmdir(path, null);
      } catch (err) {
        const code = kernelCode(err);
        if (code === 'ENOENT') return;
        if (code === '') throw err;
        // Any other answer: on to unlink, as Node goes.
      }
    }
    try {
      await this.#op(() => fs.unlink(path, this.#opts));
    } catch (err) {
      const code = kernelCode(err);
      if (code === 'ENOENT') return;
      if (code === 'EISDIR' || code === 'EPERM') return this.#rmdir(path, err);
      throw err;
    }
  }

  /** rmdir, its entries first when it is not empty; `original` is unlink's error that led here. */
  async #rmdir(path: PathLike, original: unknown): Promise<void> {
    try {
      await this.#op(() => this.#fs.rmdir(path, this.#opts));
    } catch (err) {
      const code = kernelCode(err);
      if (NOT_EMPTY.has(code)) return this.#children(path);
      // Not a directory after all: unlink's error stands (none, after an lstat: as Node, done).
      if (code === 'ENOTDIR') {
        if (original !== null) throw original;
        return;
      }
      throw err;
    }
  }

  /** Removes the directory's entries (each as a name, WIDTH at a time), then it. */
  async #children(path: PathLike): Promise<void> {
    const fs = this.#fs;
    const dir = pathBytes('path', path);
    const entries: RawEntry[] = await this.#op(() => fs.entries(dir, this.#opts));
    if (entries.length > 0) {
      const prefix = Buffer.concat([dir, SLASH]);
      let next = 0;
      let failure: { err: unknown } | null = null;
      const lane = async (): Promise<void> => {
        while (next < entries.length) {
          const entry = entries[next++]!;
          try {
            await this.name(Buffer.concat([prefix, entry.name]), knownOf(entry.type));
          } catch (err) {
            failure ??= { err };
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(WIDTH, entries.length) }, lane));
      if (failure !== null) throw (failure as { err: unknown }).err;
    }
    await this.#op(() => fs.rmdir(path, this.#opts));
  }
}

/** @internal `rm(path, options)`, its arguments checked: as the module says. */
export async function remove(fs: FilePromises, path: PathLike, args: RmArguments): Promise<void> {
  const opts = args.signal === null ? undefined : { signal: args.signal };
  let isDirectory: boolean;
  try {
    isDirectory = (await fs.lstat(path, opts)).isDirectory();
  } catch (err) {
    if (args.force && kernelCode(err) === 'ENOENT') return;
    throw err;
  }
  if (isDirectory && !args.recursive) throw pathIsDirectory(path);
  const removal = new Removal(fs, args);
  await removal.name(path, isDirectory ? 'directory' : 'not a directory');
}
