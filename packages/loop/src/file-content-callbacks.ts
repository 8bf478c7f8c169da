/**
 * The callback forms of `readFile`, `writeFile`, `appendFile` and
 * `truncate`, as `node:fs` shapes them: arguments checked in its order and
 * thrown at once; then a task of the loop's operations (file-tasks.ts):
 * open, reads or writes, fstat, fsync, ftruncate, close, each started from
 * the last one's callback. A number in the path's place is an fd of the
 * caller's (an int32, as Node takes it): read or written from its offset,
 * and left open.
 *
 * An `AbortSignal` is looked at before each read or write, as Node's
 * callback forms look at it (an operation under way is not cancelled):
 * the callback then gets an AbortError, once the file is closed.
 *
 * @module
 */

import { checkFunction, checkInt, invalidType } from './errors.js';
import {
  bytesOf,
  checkAborted,
  contentOptions,
  DATA_TYPES,
  decoded,
  ReadPlan,
} from './file-content.js';
import type { Later } from './file-direct-callbacks.js';
import type { FileSystemError } from './file-ops.js';
import type { ReadFileOptions, WriteFileOptions } from './file-promises.js';
import type { FileStats } from './file-stats.js';
import { abortedNow, closeStep, type Resume, type Steps, type TaskOps } from './file-tasks.js';
import { fileMode, openFlags, pathBytes, pathString } from './open-flags.js';
import { checkFd } from './watchers/io.js';

/**
 * Called once with a file's content: a Buffer, or a string when an
 * encoding was given (undefined on error).
 *
 * @example
 * ```ts
 * import { Loop, type ReadFileCallback } from '@evring/loop';
 * const got: ReadFileCallback<string> = (err, text) => console.log(err?.code ?? text);
 * new Loop().fs.readFile('/etc/hostname', 'utf8', got);
 * ```
 */
export type ReadFileCallback<T extends string | Buffer = Buffer> = (
  err: FileSystemError | null,
  data: T | undefined,
) => void;

/** A path checked for a task's open: its bytes, its name for errors, the open's flags and mode. */
interface Opening {
  readonly path: Uint8Array;
  readonly name: string;
  readonly flags: number;
  readonly mode: number;
}

/**
 * Node's isFd: a value in the path's place is an fd when it is an int32.
 * Asked as Node asks it, so that a bigint or a symbol throws the
 * TypeError it throws there.
 */
const isFd = (value: unknown): value is number => ((value as number) | 0) === value;

/**
 * readFile's fd: a negative one fails with EBADF, as the kernel answers it
 * (Node 20 throws ERR_OUT_OF_RANGE out of a later tick instead, uncaught,
 * and never calls back).
 */
function readableFd(fd: number): number {
  return fd < 0 ? NO_FD : fd;
}

/** The highest fd number, which no fd has (RLIMIT_NOFILE is far below it): a read of it is EBADF. */
const NO_FD = 0x7fffffff;

/** The opening of `path`, checked as fs.open checks it: the path, the mode, the flags. */
function opening(path: unknown, flag: unknown, mode: unknown): Opening {
  const bytes = pathBytes('path', path);
  const perms = fileMode(mode, 0o666);
  const flags = openFlags(flag);
  return { path: bytes, name: pathString(bytes), flags, mode: perms };
}

/** An fd the task opened (closed at its end), or the caller's (left open). */
function* opened(ops: TaskOps, target: Opening | number): Steps<number> {
  if (typeof target === 'number') return target;
  return (yield (resume) =>
    ops.open(target.path, target.name, target.flags, target.mode, 'open', resume)) as number;
}

function* readFileSteps(
  ops: TaskOps,
  target: Opening | number,
  signal: AbortSignal | null,
  encoding: string | null | undefined,
): Steps<Buffer | string> {
  const fd = yield* opened(ops, target);
  const own = typeof target !== 'number';
  try {
    const plan = new ReadPlan();
    for (;;) {
      if (plan.full) {
        if (plan.unsized) plan.sized((yield (resume) => ops.fstat(fd, resume)) as FileStats);
        if (!plan.grow()) break;
      }
      checkAborted(signal);
      const into = plan.next();
      const at = own ? plan.got : null;
      if (!plan.took((yield (resume) => ops.read(fd, into, at, resume)) as number)) break;
    }
    return decoded(plan.result(), encoding);
  } finally {
    if (own) yield* closeStep(ops.tasks, fd, ops.close);
  }
}

function* writeFileSteps(
  ops: TaskOps,
  target: Opening | number,
  bytes: Uint8Array,
  signal: AbortSignal | null,
  flush: boolean,
): Steps<void> {
  const fd = yield* opened(ops, target);
  try {
    let done = 0;
    do {
      checkAborted(signal);
      const rest = bytes.subarray(done);
      done += (yield (resume) => ops.write(fd, rest, null, resume)) as number;
    } while (done < bytes.byteLength);
    if (flush) yield (resume) => ops.fsync(fd, resume);
  } finally {
    if (typeof target !== 'number') yield* closeStep(ops.tasks, fd, ops.close);
  }
}

function* truncateSteps(ops: TaskOps, target: Opening, len: number): Steps<void> {
  const fd = yield* opened(ops, target);
  try {
    yield (resume) => ops.ftruncate(fd, len, resume);
  } finally {
    yield* closeStep(ops.tasks, fd, ops.close);
  }
}

/** The callback of a call whose callback may stand in its options' place (Node's `callback ||= options`). */
function lastCallback(options: unknown, callback: unknown): Resume {
  return checkFunction<Resume>('callback', callback || options);
}

/** @internal The calls, each given the loop's task operations, `later`, and the arguments as the caller gave them. */
export const contentCallbacks = {
  readFile(ops: TaskOps, later: Later, path: unknown, options: unknown, callback: unknown): void {
    const done = lastCallback(options, callback);
    const o = contentOptions<ReadFileOptions>(options as ReadFileOptions);
    const signal = o.signal ?? null;
    let target: Opening | number;
    if (isFd(path)) target = readableFd(path);
    else {
      if (signal?.aborted) {
        abortedNow(later, 'readFile', signal, done);
        return;
      }
      const flags = openFlags(o.flag); // Node checks the flags before the path
      const bytes = pathBytes('path', path);
      target = { path: bytes, name: pathString(bytes), flags, mode: 0o666 };
    }
    ops.tasks.run('readFile', readFileSteps(ops, target, signal, o.encoding), done);
  },

  writeFile(
    ops: TaskOps,
    later: Later,
    append: boolean,
    path: unknown,
    data: unknown,
    options: unknown,
    callback: unknown,
  ): void {
    const done = lastCallback(options, callback);
    const o = contentOptions<WriteFileOptions>(options as WriteFileOptions);
    // appendFile: a caller's fd, or no flag, appends.
    const flag = append && (!o.flag || isFd(path)) ? 'a' : o.flag || 'w';
    const flush = o.flush ?? false;
    if (typeof flush !== 'boolean') throw invalidType('options.flush', 'of type boolean', flush);
    const bytes =
      typeof data === 'string' ? Buffer.from(data, o.encoding || 'utf8') : bytesOf(data, null);
    if (bytes === null) throw invalidType('data', DATA_TYPES, data);
    const signal = o.signal ?? null;
    if (signal?.aborted) {
      abortedNow(later, append ? 'appendFile' : 'writeFile', signal, done);
      return;
    }
    // A caller's fd is checked as fs.write checks it: at the call.
    const target = isFd(path) ? checkFd(path) : opening(path, flag, o.mode);
    ops.tasks.run(
      append ? 'appendFile' : 'writeFile',
      writeFileSteps(ops, target, bytes, signal, flush),
      done,
    );
  },

  truncate(ops: TaskOps, path: unknown, len: unknown, callback: unknown): void {
    const [given, cb] =
      typeof len === 'function' ? [0, len] : [len === undefined ? 0 : len, callback];
    const n = Math.max(0, checkInt('len', given, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    const done = checkFunction<Resume>('callback', cb);
    ops.tasks.run('truncate', truncateSteps(ops, opening(path, 'r+', undefined), n), done);
  },
};
