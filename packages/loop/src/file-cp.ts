/**
 * `cp`, both forms: a file, a link or (with `recursive`) a directory's
 * tree copied as Node's `cp` copies it (its callback form is its promise
 * form through `util.callbackify`) — the same checks in the same order,
 * the same steps, the same errors (SystemErrors with ERR_FS_CP_* codes,
 * worded as Node words them) — every step one of the loop's own calls:
 * `lstat`/`stat`, `mkdir`, `opendir`, `copyFile`, `chmod`, `readlink`,
 * `symlink`, `unlink` and `utimes`, so the kernel does the copying where
 * the backend can. The steps are written once, as generators
 * (file-tasks.ts): the promise form runs them on its calls, the callback
 * form as a task on the callback calls, each step started from the last
 * one's callback (a directory's names read whole, in the kernel's order,
 * as a Dir gives them).
 *
 * An evring addition: `signal`, handed to every step of the promise form
 * and looked at before each of the callback form's, so that an abort
 * ends the copy at the next step (what is copied stays). One refusal
 * Node lacks: a recursive copy into itself through a link (see
 * `#checkAncestors`), which Node runs until the path is too long.
 *
 * @module
 */

import { dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkBoolean,
  checkFunction,
  checkInt,
  checkSignal,
  coded,
  invalidType,
} from './errors.js';
import { copySteps, taskCopyOps } from './file-copy.js';
import type { Later } from './file-direct-callbacks.js';
import type { FilePromises } from './file-promises.js';
import { entriesOf } from './file-readdir-callback.js';
import type { BigIntFileStats } from './file-stats.js';
import {
  abortedNow,
  promised,
  type Resume,
  type Step,
  type Steps,
  settled,
  type TaskOps,
  unlessAborted,
} from './file-tasks.js';
import type { LoopFiles } from './files.js';
import { type PathLike, pathBytes } from './open-flags.js';

/**
 * The options of `cp`, as `fs/promises` takes them, and evring's `signal`.
 *
 * @example
 * ```ts
 * import { Loop, type CpOptions } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * const tree: CpOptions = { recursive: true, preserveTimestamps: true, filter: (src) => !src.endsWith('.tmp') };
 * await fs.cp('/etc/ssl', '/tmp/evring-ssl-copy', tree);
 * ```
 */
export interface CpOptions {
  /** Copy what links point to, not the links (default false). */
  dereference?: boolean;
  /** With `force: false`, an existing destination is an error (default false). */
  errorOnExist?: boolean;
  /** Called for each source and destination path; a falsy answer skips that entry (and what it holds). */
  filter?: (src: string, dest: string) => boolean | Promise<boolean>;
  /** Replace existing files and links (default true). */
  force?: boolean;
  /** `copyFile`'s mode: COPYFILE_EXCL, COPYFILE_FICLONE, COPYFILE_FICLONE_FORCE (default 0). */
  mode?: number;
  /** Give each file its source's access and modification times (default false). */
  preserveTimestamps?: boolean;
  /** Copy directories and what they hold (default false: a directory is an error). */
  recursive?: boolean;
  /** Copy links' targets as written, relative ones not made absolute (default false). */
  verbatimSymlinks?: boolean;
  /** Ends the copy at its next step with an AbortError (evring's; what is copied stays). */
  signal?: AbortSignal;
}

/** @internal What `cp` was asked, its options checked. */
interface CpArguments {
  dereference: boolean;
  errorOnExist: boolean;
  filter: ((src: string, dest: string) => unknown) | undefined;
  force: boolean;
  mode: number;
  preserveTimestamps: boolean;
  recursive: boolean;
  verbatimSymlinks: boolean;
  signal: AbortSignal | undefined;
}

const FLAGS = [
  'dereference',
  'errorOnExist',
  'force',
  'preserveTimestamps',
  'recursive',
  'verbatimSymlinks',
] as const;

/** The options checked in Node's order (its validateCpOptions), over Node's defaults. */
function cpArguments(options: unknown): CpArguments {
  if (
    options !== undefined &&
    (typeof options !== 'object' || options === null || Array.isArray(options))
  ) {
    throw invalidType('options', 'of type object', options);
  }
  const o: Record<string, unknown> = {
    dereference: false,
    errorOnExist: false,
    filter: undefined,
    force: true,
    preserveTimestamps: false,
    recursive: false,
    verbatimSymlinks: false,
    ...(options as object | undefined),
  };
  for (const name of FLAGS) checkBoolean(`options.${name}`, o[name]);
  const mode = o.mode === undefined || o.mode === null ? 0 : checkInt('mode', o.mode, 0, 7);
  if (o.dereference === true && o.verbatimSymlinks === true) {
    throw coded(
      new TypeError(
        'Option "dereference" cannot be used in combination with option "verbatimSymlinks"',
      ),
      'ERR_INCOMPATIBLE_OPTION_PAIR',
    );
  }
  if (o.filter !== undefined && typeof o.filter !== 'function') {
    throw invalidType('options.filter', 'of type function', o.filter);
  }
  return {
    ...(o as unknown as Omit<CpArguments, 'mode' | 'signal'>),
    mode,
    signal: checkSignal(o.signal),
  };
}

/** The words Node puts before each of its cp errors. */
const PREFIXES: Record<string, string> = {
  ERR_FS_CP_DIR_TO_NON_DIR: 'Cannot overwrite non-directory with directory',
  ERR_FS_CP_EEXIST: 'Target already exists',
  ERR_FS_CP_EINVAL: 'Invalid src or dest',
  ERR_FS_CP_FIFO_PIPE: 'Cannot copy a FIFO pipe',
  ERR_FS_CP_NON_DIR_TO_DIR: 'Cannot overwrite directory with non-directory',
  ERR_FS_CP_SOCKET: 'Cannot copy a socket file',
  ERR_FS_CP_SYMLINK_TO_SUBDIRECTORY: 'Cannot overwrite symlink in subdirectory of self',
  ERR_FS_CP_UNKNOWN: 'Cannot copy an unknown file type',
  ERR_FS_EISDIR: 'Path is a directory',
};

const ERRNO = { EEXIST: 17, EINVAL: 22, EISDIR: 21, ENOTDIR: 20 } as const;

/** What a cp error tells, as Node's SystemError keeps it in `info`. */
interface CpErrorInfo {
  message: string;
  path: string;
  syscall: 'cp';
  errno: number;
  code: keyof typeof ERRNO;
}

/**
 * A refusal of `cp`, shaped as Node's SystemError: `code` ERR_FS_CP_*,
 * `info`, `errno` (positive, as Node's), `syscall` 'cp' and `path`.
 */
class CpError extends Error {
  readonly code: string;
  readonly info: CpErrorInfo;
  readonly errno: number;
  readonly syscall = 'cp';
  readonly path: string;

  constructor(code: string, errCode: keyof typeof ERRNO, message: string, path: string) {
    super(`${PREFIXES[code]}: cp returned ${errCode} (${message}) ${path}`);
    this.code = code;
    this.errno = ERRNO[errCode];
    this.path = path;
    this.info = { message, path, syscall: 'cp', errno: this.errno, code: errCode };
    Object.defineProperty(this, 'name', {
      value: 'SystemError',
      writable: true,
      configurable: true,
    });
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/**
 * @internal What a copy's steps start, each calling `resume` once, on
 * paths as cp takes them: the loop's calls as the promise form makes them
 * (with its signal) or as the callback form does.
 */
export interface CpOps {
  /** The status of `path` (a BigIntFileStats), following a link at its end or not. */
  stat(path: string, follow: boolean, resume: Resume): void;
  mkdir(path: string, recursive: boolean, resume: Resume): void;
  /** The names in the directory `path`, in the kernel's order (errors say `opendir`). */
  names(path: string, resume: Resume): void;
  copyFile(src: string, dest: string, mode: number): Steps<void>;
  unlink(path: string, resume: Resume): void;
  utimes(path: string, atime: Date, mtime: Date, resume: Resume): void;
  chmod(path: string, mode: number, resume: Resume): void;
  /** The link's target, a string. */
  readlink(path: string, resume: Resume): void;
  symlink(target: string, path: string, resume: Resume): void;
}

/** Two steps under way at once; resumes with both values, or the first error (as Promise.all). */
function both(a: Step, b: Step): Step {
  return (resume) => {
    const values: unknown[] = [];
    let left = 2;
    let failed = false;
    const part =
      (i: number): Resume =>
      (err, value) => {
        if (failed) return;
        if (err !== null) {
          failed = true;
          resume(err);
          return;
        }
        values[i] = value;
        if (--left === 0) resume(null, values);
      };
    a(part(0));
    b(part(1));
  };
}

/**
 * One `cp`: the checks and steps of Node's, as generators on a form's
 * operations. Paths stay as given (a URL as its path), so a Buffer fails
 * where Node's does (the first `path` function given one).
 */
class Copy {
  readonly #ops: CpOps;
  readonly #o: CpArguments;

  constructor(ops: CpOps, options: CpArguments) {
    this.#ops = ops;
    this.#o = options;
  }

  *run(src: string, dest: string): Steps<void> {
    const checked = yield* this.#check(src, dest);
    if (checked === null) return;
    yield* this.#checkAncestors(src, checked.srcStat, dest);
    // Node makes the destination's parent when it is missing.
    if (!(yield* this.#exists(dirname(dest)))) {
      yield (resume) => this.#ops.mkdir(dirname(dest), true, resume);
    }
    yield* this.#copy(checked.destStat, src, dest);
  }

  /** The status of `path` as `dereference` says (stat, or lstat). */
  #stat(path: string): Step {
    return (resume) => this.#ops.stat(path, this.#o.dereference, resume);
  }

  /** The filter, then the two paths' stats and what they forbid; null when filtered out. */
  *#check(
    src: string,
    dest: string,
  ): Steps<{ srcStat: BigIntFileStats; destStat: BigIntFileStats | null } | null> {
    const filter = this.#o.filter;
    if (filter !== undefined) {
      let pass = filter(src, dest);
      if (typeof (pass as PromiseLike<unknown> | null)?.then === 'function') {
        const answer = Promise.resolve(pass);
        pass = yield (resume) => settled(answer, resume);
      }
      if (!pass) return null;
    }
    const destStatOrNull: Step = (resume) =>
      this.#stat(dest)((err, value) => {
        if (err !== null && (err as NodeJS.ErrnoException).code === 'ENOENT') resume(null, null);
        else resume(err, value);
      });
    const [srcStat, destStat] = (yield both(this.#stat(src), destStatOrNull)) as [
      BigIntFileStats,
      BigIntFileStats | null,
    ];
    if (destStat !== null) {
      if (sameFile(srcStat, destStat)) {
        throw new CpError('ERR_FS_CP_EINVAL', 'EINVAL', 'src and dest cannot be the same', dest);
      }
      if (srcStat.isDirectory() && !destStat.isDirectory()) {
        throw new CpError(
          'ERR_FS_CP_DIR_TO_NON_DIR',
          'EISDIR',
          `cannot overwrite non-directory ${dest} with directory ${src}`,
          dest,
        );
      }
      if (!srcStat.isDirectory() && destStat.isDirectory()) {
        throw new CpError(
          'ERR_FS_CP_NON_DIR_TO_DIR',
          'ENOTDIR',
          `cannot overwrite directory ${dest} with non-directory ${src}`,
          dest,
        );
      }
    }
    if (srcStat.isDirectory() && isInside(src, dest)) {
      throw new CpError(
        'ERR_FS_CP_EINVAL',
        'EINVAL',
        `cannot copy ${src} to a subdirectory of self ${dest}`,
        dest,
      );
    }
    return { srcStat, destStat };
  }

  /**
   * Walks up from the destination's parent: none may be the source itself
   * (by device and inode, so links count), else the copy would go on
   * inside what it copies. Node stops at the source's parent by name,
   * which misses a source reached through a link (`b/` with b -> .): its
   * recursive copy then runs until the path is too long. A copy that will
   * recurse walks on to the root here, and such a copy is refused as any
   * other copy into itself; any other stops where Node's does.
   */
  *#checkAncestors(src: string, srcStat: BigIntFileStats, dest: string): Steps<void> {
    const srcParent = resolve(dirname(src));
    const recurses = this.#o.recursive && srcStat.isDirectory();
    for (let at = dest; ; ) {
      const parent = resolve(dirname(at));
      if ((parent === srcParent && !recurses) || parent === parse(parent).root) return;
      let parentStat: BigIntFileStats;
      try {
        parentStat = (yield (resume) => this.#ops.stat(parent, true, resume)) as BigIntFileStats;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      // Named by the path whose parent this is, as Node's walk names it.
      if (sameFile(srcStat, parentStat)) {
        throw new CpError(
          'ERR_FS_CP_EINVAL',
          'EINVAL',
          `cannot copy ${src} to a subdirectory of self ${at}`,
          at,
        );
      }
      at = parent;
    }
  }

  *#exists(path: string): Steps<boolean> {
    try {
      yield (resume) => this.#ops.stat(path, true, resume);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Copies `src` by its kind (stated afresh, as Node does). */
  *#copy(destStat: BigIntFileStats | null, src: string, dest: string): Steps<void> {
    const ops = this.#ops;
    const srcStat = (yield this.#stat(src)) as BigIntFileStats;
    if (srcStat.isDirectory()) {
      if (!this.#o.recursive) {
        throw new CpError('ERR_FS_EISDIR', 'EISDIR', `${src} is a directory (not copied)`, src);
      }
      if (destStat === null) {
        yield (resume) => ops.mkdir(dest, false, resume);
        yield* this.#copyEntries(src, dest);
        yield (resume) => ops.chmod(dest, Number(srcStat.mode), resume);
      } else {
        yield* this.#copyEntries(src, dest);
      }
      return;
    }
    if (srcStat.isFile() || srcStat.isCharacterDevice() || srcStat.isBlockDevice()) {
      yield* this.#copyFile(Number(srcStat.mode), destStat, src, dest);
      return;
    }
    if (srcStat.isSymbolicLink()) {
      yield* this.#copyLink(destStat, src, dest);
      return;
    }
    if (srcStat.isSocket()) {
      throw new CpError('ERR_FS_CP_SOCKET', 'EINVAL', `cannot copy a socket file: ${dest}`, dest);
    }
    if (srcStat.isFIFO()) {
      throw new CpError('ERR_FS_CP_FIFO_PIPE', 'EINVAL', `cannot copy a FIFO pipe: ${dest}`, dest);
    }
    throw new CpError(
      'ERR_FS_CP_UNKNOWN',
      'EINVAL',
      `cannot copy an unknown file type: ${dest}`,
      dest,
    );
  }

  /** Each entry of the directory `src`, checked and copied in the order the kernel lists them. */
  *#copyEntries(src: string, dest: string): Steps<void> {
    const names = (yield (resume) => this.#ops.names(src, resume)) as string[];
    for (const name of names) {
      const from = join(src, name);
      const to = join(dest, name);
      const checked = yield* this.#check(from, to);
      if (checked !== null) yield* this.#copy(checked.destStat, from, to);
    }
  }

  /** A file: over an existing one only with `force` (removed first); its mode, and with preserveTimestamps its times. */
  *#copyFile(
    srcMode: number,
    destStat: BigIntFileStats | null,
    src: string,
    dest: string,
  ): Steps<void> {
    const ops = this.#ops;
    if (destStat !== null) {
      if (this.#o.force) {
        yield (resume) => ops.unlink(dest, resume);
      } else if (this.#o.errorOnExist) {
        throw new CpError('ERR_FS_CP_EEXIST', 'EEXIST', `${dest} already exists`, dest);
      } else {
        return; // left as it is
      }
    }
    yield* ops.copyFile(src, dest, this.#o.mode);
    if (this.#o.preserveTimestamps) {
      // Node first makes a read-only copy writable, for systems where
      // setting times opens the file; utimensat(2) needs ownership, not
      // write access, so that chmod changes nothing here and is left out.
      // The times are read now: reading the file to copy it moved its atime.
      const now = (yield (resume) => ops.stat(src, true, resume)) as BigIntFileStats;
      yield (resume) => ops.utimes(dest, now.atime, now.mtime, resume);
    }
    yield (resume) => ops.chmod(dest, srcMode, resume);
  }

  /** A link: its target made absolute unless verbatimSymlinks; an existing link replaced unless that would loop. */
  *#copyLink(destStat: BigIntFileStats | null, src: string, dest: string): Steps<void> {
    const ops = this.#ops;
    let target = (yield (resume) => ops.readlink(src, resume)) as string;
    if (!this.#o.verbatimSymlinks && !isAbsolute(target)) target = resolve(dirname(src), target);
    if (destStat === null) {
      yield (resume) => ops.symlink(target, dest, resume);
      return;
    }
    let destTarget: string;
    try {
      destTarget = (yield (resume) => ops.readlink(dest, resume)) as string;
    } catch (err) {
      // Not a link (a file, say): the symlink's own EEXIST tells.
      if ((err as NodeJS.ErrnoException).code === 'EINVAL') {
        yield (resume) => ops.symlink(target, dest, resume);
        return;
      }
      throw err;
    }
    if (!isAbsolute(destTarget)) destTarget = resolve(dirname(dest), destTarget);
    if (isInside(target, destTarget)) {
      throw new CpError(
        'ERR_FS_CP_EINVAL',
        'EINVAL',
        `cannot copy ${target} to a subdirectory of self ${destTarget}`,
        dest,
      );
    }
    // Replacing the link would leave it pointing into what it replaced.
    const srcStat = (yield (resume) => ops.stat(src, true, resume)) as BigIntFileStats;
    if (srcStat.isDirectory() && isInside(destTarget, target)) {
      throw new CpError(
        'ERR_FS_CP_SYMLINK_TO_SUBDIRECTORY',
        'EINVAL',
        `cannot overwrite ${destTarget} with ${target}`,
        dest,
      );
    }
    yield (resume) => ops.unlink(dest, resume);
    yield (resume) => ops.symlink(target, dest, resume);
  }
}

/** The same file: same device and inode (0 for neither: some filesystems give none). */
function sameFile(a: BigIntFileStats, b: BigIntFileStats): boolean {
  return b.ino !== 0n && b.dev !== 0n && a.ino === b.ino && a.dev === b.dev;
}

/** Whether `path`'s components start with all of `top`'s (both resolved): the strings only, no links. */
function isInside(top: string, path: string): boolean {
  const parts = (p: string): string[] => resolve(p).split(sep).filter(Boolean);
  const outer = parts(top);
  const inner = parts(path);
  return outer.every((part, i) => inner[i] === part);
}

/** A path as Node's cp takes it: a URL becomes its path; a string or Buffer stays (checked). */
function cpPath(name: string, path: unknown): string {
  pathBytes(name, path);
  return (path instanceof URL ? fileURLToPath(path) : path) as string;
}

/**
 * @internal `fs/promises`' `cp(src, dest, options)`: the options checked
 * first, then the paths, as Node's; then the copy, on the promise form's
 * calls (each given the signal).
 */
export async function cp(
  fs: FilePromises,
  src: PathLike,
  dest: PathLike,
  options?: CpOptions,
): Promise<void> {
  const args = cpArguments(options);
  const from = cpPath('src', src);
  const to = cpPath('dest', dest);
  const step = args.signal === undefined ? {} : { signal: args.signal };
  const ops: CpOps = {
    stat: (path, follow, resume) =>
      settled((follow ? fs.stat : fs.lstat)(path, { bigint: true, ...step }), resume),
    mkdir: (path, recursive, resume) => settled(fs.mkdir(path, { recursive, ...step }), resume),
    names: (path, resume) => settled(namesOf(fs, path, step), resume),
    *copyFile(s, d, mode) {
      yield (resume) => settled(fs.copyFile(s, d, mode, step), resume);
    },
    unlink: (path, resume) => settled(fs.unlink(path, step), resume),
    utimes: (path, atime, mtime, resume) => settled(fs.utimes(path, atime, mtime, step), resume),
    chmod: (path, mode, resume) => settled(fs.chmod(path, mode, step), resume),
    readlink: (path, resume) => settled(fs.readlink(path, step), resume),
    symlink: (target, path, resume) => settled(fs.symlink(target, path, null, step), resume),
  };
  await promised(new Copy(ops, args).run(from, to));
}

/** The names in a directory, read through a Dir as Node's cp reads them. */
async function namesOf(
  fs: FilePromises,
  path: string,
  step: { signal?: AbortSignal },
): Promise<string[]> {
  const names: string[] = [];
  for await (const { name } of await fs.opendir(path, step)) names.push(name);
  return names;
}

/**
 * @internal `fs.cp(src, dest[, options], callback)`: checked in Node's
 * order (the callback, the options, the paths), then the copy as a task
 * on the loop's callback calls, each step started from the last one's
 * callback; `signal` is looked at before each. Called back as Node's
 * (its promise form through `util.callbackify`): the error alone, or
 * `null` and `undefined`.
 */
export function cpCallback(
  files: LoopFiles,
  tasks: TaskOps,
  later: Later,
  src: unknown,
  dest: unknown,
  options: unknown,
  callback: unknown,
): void {
  const [given, cb] = typeof options === 'function' ? [undefined, options] : [options, callback];
  const done = checkFunction<(err: Error | null, value?: undefined) => void>('callback', cb);
  const args = cpArguments(given);
  const from = cpPath('src', src);
  const to = cpPath('dest', dest);
  const signal = args.signal;
  const end: Resume = (err) => (err === null ? done(null, undefined) : done(err));
  if (signal?.aborted) {
    abortedNow(later, 'cp', signal, end);
    return;
  }
  const copying = taskCopyOps(tasks);
  const ops: CpOps = {
    stat: (path, follow, resume) =>
      unlessAborted(signal, resume, () =>
        (follow ? files.stat : files.lstat)(path, { bigint: true }, resume),
      ),
    mkdir: (path, recursive, resume) =>
      unlessAborted(signal, resume, () => files.mkdir(path, { recursive }, resume)),
    names: (path, resume) =>
      unlessAborted(signal, resume, () => {
        const bytes = pathBytes('path', path);
        const entries = entriesOf(tasks, bytes, path, { syscall: 'opendir', kernelOrder: true });
        tasks.tasks.spawn(entries, (err, list) =>
          resume(
            err,
            list?.map((e) => e.name.toString('utf8')),
          ),
        );
      }),
    copyFile: (s, d, mode) => copySteps(copying, s, d, mode),
    unlink: (path, resume) => unlessAborted(signal, resume, () => files.unlink(path, resume)),
    utimes: (path, atime, mtime, resume) =>
      unlessAborted(signal, resume, () => files.utimes(path, atime, mtime, resume)),
    chmod: (path, mode, resume) =>
      unlessAborted(signal, resume, () => files.chmod(path, mode, resume)),
    readlink: (path, resume) => unlessAborted(signal, resume, () => files.readlink(path, resume)),
    symlink: (target, path, resume) =>
      unlessAborted(signal, resume, () => files.symlink(target, path, resume)),
  };
  tasks.tasks.run('cp', new Copy(ops, args).run(from, to), end);
}
