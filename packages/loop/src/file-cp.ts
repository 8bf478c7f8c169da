/**
 * `cp` for `loop.fs.promises`: a file, a link or (with `recursive`) a
 * directory's tree copied as Node's `fs/promises` `cp` copies it — the
 * same checks in the same order, the same steps, the same errors
 * (SystemErrors with ERR_FS_CP_* codes, worded as Node words them) —
 * every step one of the loop's own calls: `lstat`/`stat`, `mkdir`,
 * `opendir`, `copyFile`, `chmod`, `readlink`, `symlink`, `unlink` and
 * `utimes`, so the kernel does the copying where the backend can.
 *
 * An evring addition: `signal`, handed to every step, so that an abort
 * ends the copy at the next step (what is copied stays). One refusal
 * Node lacks: a recursive copy into itself through a link (see
 * `#checkAncestors`), which Node runs until the path is too long.
 *
 * @module
 */

import { dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBoolean, checkInt, checkSignal, coded, invalidType } from './errors.js';
import type { FilePromises } from './file-promises.js';
import type { BigIntFileStats, FileStats } from './file-stats.js';
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

type AnyStats = FileStats | BigIntFileStats;

/**
 * One `cp`: the checks and steps of Node's, on the loop's calls. Paths
 * stay as given (a URL as its path), so a Buffer fails where Node's does
 * (the first `path` function given one).
 */
class Copy {
  readonly #fs: FilePromises;
  readonly #o: CpArguments;

  constructor(fs: FilePromises, options: CpArguments) {
    this.#fs = fs;
    this.#o = options;
  }

  get #step(): { signal?: AbortSignal } {
    return this.#o.signal === undefined ? {} : { signal: this.#o.signal };
  }

  async run(src: string, dest: string): Promise<void> {
    const checked = await this.#check(src, dest);
    if (checked === null) return;
    await this.#checkAncestors(src, checked.srcStat, dest);
    // Node makes the destination's parent when it is missing.
    if (!(await this.#exists(dirname(dest)))) {
      await this.#fs.mkdir(dirname(dest), { recursive: true, ...this.#step });
    }
    await this.#copy(checked.destStat, src, dest);
  }

  /** The filter, then the two paths' stats and what they forbid; null when filtered out. */
  async #check(
    src: string,
    dest: string,
  ): Promise<{ srcStat: BigIntFileStats; destStat: BigIntFileStats | null } | null> {
    if (this.#o.filter !== undefined && !(await this.#o.filter(src, dest))) return null;
    const stat = this.#o.dereference ? this.#fs.stat : this.#fs.lstat;
    const options = { bigint: true as const, ...this.#step };
    const srcStatP = stat(src, options);
    const destStatP = stat(dest, options).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const [srcStat, destStat] = await Promise.all([srcStatP, destStatP]);
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
  async #checkAncestors(src: string, srcStat: BigIntFileStats, dest: string): Promise<void> {
    const srcParent = resolve(dirname(src));
    const recurses = this.#o.recursive && srcStat.isDirectory();
    for (let at = dest; ; ) {
      const parent = resolve(dirname(at));
      if ((parent === srcParent && !recurses) || parent === parse(parent).root) return;
      let parentStat: BigIntFileStats;
      try {
        parentStat = await this.#fs.stat(parent, { bigint: true, ...this.#step });
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

  async #exists(path: string): Promise<boolean> {
    try {
      await this.#fs.stat(path, this.#step);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Copies `src` by its kind (stated afresh, as Node does). */
  async #copy(destStat: AnyStats | null, src: string, dest: string): Promise<void> {
    const stat = this.#o.dereference ? this.#fs.stat : this.#fs.lstat;
    const srcStat = await stat(src, this.#step);
    if (srcStat.isDirectory()) {
      if (!this.#o.recursive) {
        throw new CpError('ERR_FS_EISDIR', 'EISDIR', `${src} is a directory (not copied)`, src);
      }
      if (destStat === null) {
        await this.#fs.mkdir(dest, this.#step);
        await this.#copyEntries(src, dest);
        await this.#fs.chmod(dest, Number(srcStat.mode), this.#step);
      } else {
        await this.#copyEntries(src, dest);
      }
      return;
    }
    if (srcStat.isFile() || srcStat.isCharacterDevice() || srcStat.isBlockDevice()) {
      await this.#copyFile(Number(srcStat.mode), destStat, src, dest);
      return;
    }
    if (srcStat.isSymbolicLink()) {
      await this.#copyLink(destStat, src, dest);
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
  async #copyEntries(src: string, dest: string): Promise<void> {
    const dir = await this.#fs.opendir(src, this.#step);
    for await (const { name } of dir) {
      const from = join(src, name);
      const to = join(dest, name);
      const checked = await this.#check(from, to);
      if (checked !== null) await this.#copy(checked.destStat, from, to);
    }
  }

  /** A file: over an existing one only with `force` (removed first); its mode, and with preserveTimestamps its times. */
  async #copyFile(
    srcMode: number,
    destStat: AnyStats | null,
    src: string,
    dest: string,
  ): Promise<void> {
    if (destStat !== null) {
      if (this.#o.force) {
        await this.#fs.unlink(dest, this.#step);
      } else if (this.#o.errorOnExist) {
        throw new CpError('ERR_FS_CP_EEXIST', 'EEXIST', `${dest} already exists`, dest);
      } else {
        return; // left as it is
      }
    }
    await this.#fs.copyFile(src, dest, this.#o.mode, this.#step);
    if (this.#o.preserveTimestamps) {
      // Node first makes a read-only copy writable, for systems where
      // setting times opens the file; utimensat(2) needs ownership, not
      // write access, so that chmod changes nothing here and is left out.
      // The times are read now: reading the file to copy it moved its atime.
      const now = await this.#fs.stat(src, this.#step);
      await this.#fs.utimes(dest, now.atime, now.mtime, this.#step);
    }
    await this.#fs.chmod(dest, srcMode, this.#step);
  }

  /** A link: its target made absolute unless verbatimSymlinks; an existing link replaced unless that would loop. */
  async #copyLink(destStat: AnyStats | null, src: string, dest: string): Promise<void> {
    let target = await this.#fs.readlink(src, this.#step);
    if (!this.#o.verbatimSymlinks && !isAbsolute(target)) target = resolve(dirname(src), target);
    if (destStat === null) {
      await this.#fs.symlink(target, dest, null, this.#step);
      return;
    }
    let destTarget: string;
    try {
      destTarget = await this.#fs.readlink(dest, this.#step);
    } catch (err) {
      // Not a link (a file, say): the symlink's own EEXIST tells.
      if ((err as NodeJS.ErrnoException).code === 'EINVAL') {
        await this.#fs.symlink(target, dest, null, this.#step);
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
    const srcStat = await this.#fs.stat(src, this.#step);
    if (srcStat.isDirectory() && isInside(destTarget, target)) {
      throw new CpError(
        'ERR_FS_CP_SYMLINK_TO_SUBDIRECTORY',
        'EINVAL',
        `cannot overwrite ${destTarget} with ${target}`,
        dest,
      );
    }
    await this.#fs.unlink(dest, this.#step);
    await this.#fs.symlink(target, dest, null, this.#step);
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
 * @internal `cp(src, dest, options)`: the options checked first, then
 * the paths, as Node's; then the copy.
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
  await new Copy(fs, args).run(from, to);
}
