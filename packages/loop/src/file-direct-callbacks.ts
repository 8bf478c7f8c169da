/**
 * The callback forms of the calls io_uring has no operation for: `access`,
 * `exists`, `chmod`, `fchmod`, `chown`, `fchown`, `lchown`, `utimes`,
 * `futimes`, `lutimes`, `readlink`, `realpath` and `statfs`, as `node:fs`
 * shapes them. Each checks its arguments in the order `node:fs` checks
 * them (throwing at once, as `node:fs` does), makes its one syscall on the
 * loop's thread at the call (file-attributes.ts, as the promise forms do;
 * `realpath`, Node's walk of lstats), and hands the answer to
 * {@link Later}: the callback runs from the next poll, in the deliver
 * phase, as an operation's does.
 *
 * @module
 */

import { type BigIntStatsFs, realpathSync, type StatsFs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkFunction } from './errors.js';
import {
  bindingMode,
  checkId,
  nameOf,
  nameOptions,
  onFd,
  onPath,
  requiredMode,
  statFsOf,
  unixSeconds,
} from './file-attributes.js';
import type { FileSystemError } from './file-ops.js';
import type { DoneCallback } from './files.js';
import { type PathLike, pathBytes } from './open-flags.js';
import { checkFd } from './watchers/io.js';

/** @internal Runs `call` now and its callback from the next poll (FileOps.later). */
export type Later = <T>(
  syscall: string,
  callback: (err: FileSystemError | null, value: T | undefined) => void,
  call: () => T,
) => void;

/**
 * Called once with the answer of `readlink` or `realpath`: a string, or a
 * Buffer with `encoding: 'buffer'` (undefined on error).
 *
 * @example
 * ```ts
 * import { Loop, type NameCallback } from '@evring/loop';
 * const got: NameCallback = (err, name) => console.log(err?.code ?? name);
 * new Loop().fs.readlink('/proc/self/exe', got);
 * ```
 */
export type NameCallback<T extends string | Buffer = string> = (
  err: FileSystemError | null,
  name: T | undefined,
) => void;

/**
 * Called once with the filesystem a path is on, as `node:fs`' `StatFs`
 * (bigints with `{ bigint: true }`; undefined on error).
 *
 * @example
 * ```ts
 * import { Loop, type StatFsCallback } from '@evring/loop';
 * const got: StatFsCallback = (err, fs) => console.log(err?.code ?? fs!.bavail * fs!.bsize);
 * new Loop().fs.statfs('/', got);
 * ```
 */
export type StatFsCallback<T extends StatsFs | BigIntStatsFs = StatsFs> = (
  err: FileSystemError | null,
  stats: T | undefined,
) => void;

/** An optional argument and the callback: a function in the optional one's place is the callback, as Node takes it. */
function callbackAt(optional: unknown, callback: unknown): [unknown, unknown] {
  return typeof optional === 'function' ? [undefined, optional] : [optional, callback];
}

/**
 * A path as `fs.realpath` reads it: a file URL's path, any other value made
 * a string (a Buffer its UTF-8, a number its digits; a symbol throws), and
 * checked for NUL bytes.
 */
function stringPath(path: unknown): string {
  const p = path instanceof URL ? fileURLToPath(path) : path;
  const s = typeof p === 'string' ? p : `${p as string}`;
  pathBytes('path', s);
  return s;
}

/** @internal The calls, each given {@link Later} and the arguments as the caller gave them. */
export const directCallbacks = {
  access(later: Later, path: unknown, mode: unknown, callback: unknown): void {
    const [m, cb] = callbackAt(mode, callback);
    const bytes = pathBytes('path', path);
    const done = checkFunction<DoneCallback>('callback', cb);
    const bits = bindingMode(m);
    later('access', done, () => onPath.access(bytes, path as PathLike, bits));
  },

  exists(later: Later, path: unknown, callback: unknown): void {
    const done = checkFunction<(exists: boolean) => void>('callback', callback);
    let bytes: Uint8Array | null;
    try {
      bytes = pathBytes('path', path);
    } catch {
      bytes = null; // as fs.exists: a path that cannot name a file does not exist
    }
    later(
      'access',
      (err) => done(err === null && bytes !== null),
      () => {
        if (bytes !== null) onPath.access(bytes, path as PathLike, 0);
      },
    );
  },

  chmod(later: Later, path: unknown, mode: unknown, callback: unknown): void {
    const bytes = pathBytes('path', path);
    const bits = requiredMode(mode);
    const done = checkFunction<DoneCallback>('callback', callback);
    later('chmod', done, () => onPath.chmod(bytes, path as PathLike, bits));
  },

  fchmod(later: Later, fd: unknown, mode: unknown, callback: unknown): void {
    const bits = requiredMode(mode);
    const done = checkFunction<DoneCallback>('callback', callback);
    const f = checkFd(fd); // last, as Node's binding checks it
    later('fchmod', done, () => onFd.chmod(f, bits));
  },

  chown(
    later: Later,
    noFollow: boolean,
    path: unknown,
    uid: unknown,
    gid: unknown,
    callback: unknown,
  ): void {
    const done = checkFunction<DoneCallback>('callback', callback);
    const bytes = pathBytes('path', path);
    const u = checkId('uid', uid);
    const g = checkId('gid', gid);
    later(noFollow ? 'lchown' : 'chown', done, () =>
      onPath.chown(bytes, path as PathLike, u, g, noFollow),
    );
  },

  fchown(later: Later, fd: unknown, uid: unknown, gid: unknown, callback: unknown): void {
    const u = checkId('uid', uid);
    const g = checkId('gid', gid);
    const done = checkFunction<DoneCallback>('callback', callback);
    const f = checkFd(fd);
    later('fchown', done, () => onFd.chown(f, u, g));
  },

  utimes(
    later: Later,
    noFollow: boolean,
    path: unknown,
    atime: unknown,
    mtime: unknown,
    callback: unknown,
  ): void {
    const done = checkFunction<DoneCallback>('callback', callback);
    const bytes = pathBytes('path', path);
    const a = unixSeconds(atime, 'time'); // Node's name for both, in the path forms
    const m = unixSeconds(mtime, 'time');
    later(noFollow ? 'lutime' : 'utime', done, () =>
      onPath.utimes(bytes, path as PathLike, a, m, noFollow),
    );
  },

  futimes(later: Later, fd: unknown, atime: unknown, mtime: unknown, callback: unknown): void {
    const a = unixSeconds(atime, 'atime');
    const m = unixSeconds(mtime, 'mtime');
    const done = checkFunction<DoneCallback>('callback', callback);
    const f = checkFd(fd);
    later('futime', done, () => onFd.utimes(f, a, m));
  },

  readlink(later: Later, path: unknown, options: unknown, callback: unknown): void {
    const [o, cb] = callbackAt(options, callback);
    const done = checkFunction<NameCallback<string | Buffer>>('callback', cb);
    const { encoding } = nameOptions(o);
    const bytes = pathBytes('oldPath', path); // Node's name for it
    later('readlink', done, () => nameOf('readlink', bytes, path as PathLike, encoding));
  },

  /**
   * fs.realpath is a walk in JavaScript, not realpath(3): an lstat of each
   * component from the root, a link's target read and the walk restarted
   * through it. Its answers differ from realpath(3)'s at the edges (a
   * trailing slash after a file is dropped, not ENOTDIR) and so do its
   * errors' words (`lstat` or `stat` of the component that failed), so it
   * is Node's own walk that is made here, in its synchronous form (the
   * same steps as the callback form's), at the call.
   */
  realpath(later: Later, path: unknown, options: unknown, callback: unknown): void {
    const [o, cb] = callbackAt(options, callback);
    const done = checkFunction<NameCallback<string | Buffer>>('callback', cb);
    const { encoding } = nameOptions(o);
    const p = stringPath(path);
    later('realpath', done, () => realpathSync(p, { encoding: encoding ?? 'utf8' } as never));
  },

  statfs(later: Later, path: unknown, options: unknown, callback: unknown): void {
    const [o, cb] = callbackAt(options, callback);
    const done = checkFunction<StatFsCallback<StatsFs | BigIntStatsFs>>('callback', cb);
    const bytes = pathBytes('path', path);
    // As fs.statfs: `bigint` is read as it is, not checked.
    const bigint = Boolean((o as { bigint?: unknown } | null | undefined)?.bigint);
    later('statfs', done, () => statFsOf(bytes, path as PathLike, bigint));
  },
};
