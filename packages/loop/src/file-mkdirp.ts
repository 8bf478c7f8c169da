/**
 * `mkdir(path, { recursive: true })` for both forms of `loop.fs`: the
 * missing directories of a path made from the top down, each one MKDIRAT
 * through the loop, with `fs.mkdir`'s result (the first directory made, or
 * undefined when there was nothing to make) and its errors.
 *
 * Written once, over two steps the caller supplies (a mkdir and a stat of
 * one path, each reporting through a callback), so that the callback form
 * runs every step's and the caller's callback in the loop's deliver phase,
 * and the promise form's steps are promises a destroyed loop rejects.
 *
 * @module
 */

import { dirname } from 'node:path';
import { invalidType } from './errors.js';
import { type FileSystemError, fileError } from './file-ops.js';
import type { FileStats } from './file-stats.js';
import type { FileOpOptions } from './files.js';
import { fileMode, type PathLike, pathBytes, pathString } from './open-flags.js';

/**
 * The options of `mkdir`, as `fs.mkdir` takes them: the new directories'
 * mode (default 0o777, before the umask), and whether missing parents are
 * made too.
 *
 * @example
 * ```ts
 * import { Loop, type MkdirOptions } from '@evring/loop';
 * const options: MkdirOptions = { recursive: true, mode: 0o750 };
 * const first = await new Loop().fs.promises.mkdir('/tmp/evring-a/b/c', options);
 * console.log(first); // '/tmp/evring-a' the first time, then undefined
 * ```
 */
export interface MkdirOptions extends FileOpOptions {
  /** The mode of each directory made: a number or an octal string. */
  mode?: number | string;
  /** Make the missing parents too; an existing directory is then no error. */
  recursive?: boolean;
}

/**
 * Called once when a `mkdir` ends: the error, or null and (recursive only)
 * the first directory made, undefined when the path already was one.
 *
 * @example
 * ```ts
 * import { Loop, type MkdirCallback } from '@evring/loop';
 * const made: MkdirCallback = (err, first) => console.log(err?.code ?? first);
 * new Loop().fs.mkdir('/tmp/evring-x/y', { recursive: true }, made);
 * ```
 */
export type MkdirCallback = (err: FileSystemError | null, first?: string) => void;

/**
 * @internal A mkdir's mode argument (a mode, or the options) read once, as
 * Node reads it: a number or a string is the mode; any other truthy value
 * is read for `recursive` and `mode` (`true` or a function sets neither),
 * a falsy one is no options. A `mode: null` is the default mode in the
 * promise form and refused in the callback form, as each of Node's is.
 */
export function mkdirOptions(
  value: unknown,
  form: 'promise' | 'callback',
): { bits: number; recursive: boolean } {
  let mode: unknown;
  let recursive: unknown;
  if (typeof value === 'number' || typeof value === 'string') mode = value;
  else if (value) ({ mode, recursive } = value as MkdirOptions);
  if (recursive !== undefined && typeof recursive !== 'boolean') {
    throw invalidType('options.recursive', 'of type boolean', recursive);
  }
  if (mode === null && form === 'callback') throw invalidType('mode', 'of type number', undefined);
  return { bits: fileMode(mode, 0o777), recursive: recursive === true };
}

/**
 * @internal The path a recursive mkdir starts from, as a string (its
 * parents are cut from it); refused first, as every path is, when it is no
 * path or holds a NUL.
 */
export function mkdirStart(path: PathLike): string {
  pathBytes('path', path);
  return pathString(path);
}

/** @internal The two operations a recursive mkdir is made of, on one path each. */
export interface DirectorySteps {
  /** mkdir(2) of `path` with the caller's mode; `done(err)`. */
  mkdir(path: string, done: (err: FileSystemError | null) => void): void;
  /**
   * What `path` is, following links: a directory, something else, or
   * nothing stat can see; `done(kind, null)`, or `done('none', err)` with
   * the stat's error (a dangling link, a loop of links), or with why the
   * stat could not even start (the loop was destroyed: no errno).
   */
  kindOf(path: string, done: (kind: NameKind, err: FileSystemError | null) => void): void;
}

/** @internal What stands at a name mkdir said EEXIST for. */
export type NameKind = 'directory' | 'other' | 'none';

const ENOTDIR = -20;

/** @internal The kind of a name from its stat (null: stat failed). */
export function nameKind(stats: FileStats | null): NameKind {
  if (stats === null) return 'none';
  return stats.isDirectory() ? 'directory' : 'other';
}

/** @internal Called once: the error, or the first directory made (undefined when none was). */
export type MkdirpDone = (err: FileSystemError | null, first: string | undefined) => void;

/**
 * @internal Makes `path` and its missing parents. Walks up while mkdir says ENOENT,
 * then makes each missing one on the way down. An EEXIST is fine where the
 * name is a directory (another process may make one meanwhile). Where it
 * is not, the error is Node's: on the way, ENOTDIR (whatever stands there,
 * a file or a name stat cannot follow); at `path` itself, EEXIST for
 * anything stat sees, else stat's own error (ENOENT for a dangling link,
 * ELOOP for a loop of links). The walk up ends at the first name that
 * exists or at `/` (or `.`), so a path in a filesystem that refuses new
 * names (/proc says ENOENT) ends with its error. (Node 20's own recursive
 * mkdir never settles there: it retries the ENOENT.)
 */
export function makeDirectories(path: string, steps: DirectorySteps, done: MkdirpDone): void {
  const missing: string[] = [];
  let first: string | undefined;

  // mkdir said EEXIST (`err`) for `at`: go on where it is a directory.
  const existing = (at: string, err: FileSystemError, next: () => void): void => {
    steps.kindOf(at, (kind, statError) => {
      // No errno: the stat never ran (the loop was destroyed). Else at `path`
      // itself, EEXIST where stat saw something, stat's own error where not.
      const errno = statError?.errno;
      if (kind === 'directory') next();
      else if (statError !== null && errno === undefined) done(statError, undefined);
      else if (at !== path) done(fileError(ENOTDIR, 'mkdir', at, null), undefined);
      else if (errno === undefined) done(err, undefined);
      else done(fileError(errno, 'mkdir', at, null), undefined);
    });
  };

  const down = (): void => {
    const next = missing.pop();
    if (next === undefined) {
      done(null, first);
      return;
    }
    steps.mkdir(next, (err) => {
      if (err === null) {
        first ??= next;
        down();
      } else if (err.code === 'EEXIST') {
        existing(next, err, down);
      } else {
        done(err, undefined);
      }
    });
  };

  const up = (at: string): void => {
    steps.mkdir(at, (err) => {
      if (err === null) {
        first = at;
        down();
        return;
      }
      if (err.code === 'EEXIST') {
        existing(at, err, down);
        return;
      }
      const parent = dirname(at);
      if (err.code !== 'ENOENT' || parent === at) {
        done(err, undefined);
        return;
      }
      missing.push(at);
      up(parent);
    });
  };

  up(path);
}
