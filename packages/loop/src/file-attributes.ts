/**
 * The pieces of `loop.fs.promises`' `access`, `chmod`, `chown`, `lchown`,
 * `utimes`, `lutimes`, `readlink`, `realpath` and `statfs`, and of a handle's
 * `chmod`, `chown` and `utimes`: their arguments read and checked as
 * `fs/promises` reads them (`copyFile`'s mode too, read as `access`'s),
 * and the calls themselves.
 *
 * io_uring has no operation for any of them, so each is one direct call on
 * the loop's thread (sys's, through `@evring/sys`): microseconds on a local
 * filesystem, but on a slow network filesystem the call waits, as the
 * `*Sync` call of `node:fs` would.
 *
 * @module
 */

import { type BigIntStatsFs, type StatsFs, statfsSync } from 'node:fs';
import { types } from 'node:util';
import {
  access,
  chmod,
  chown,
  fchmod,
  fchown,
  futimes,
  readlink,
  realpath,
  statfs,
  utimes,
} from '@evring/sys';
import { checkEncoding, checkInt, checkSignal, coded, invalidType } from './errors.js';
import { fileError } from './file-ops.js';
import type { FileOpOptions } from './files.js';
import { fileMode, type PathLike, pathString } from './open-flags.js';

/** The highest uid or gid (uid_t's), as Node bounds them; −1 leaves one as it is. */
const MAX_ID = 2 ** 32 - 1;
/** PATH_MAX: no symbolic link's target and no canonical path is longer. */
const PATH_MAX_BYTES = 4096;
/** Where readlink and realpath put their answer; a call copies it out before it returns. */
const nameScratch = new Uint8Array(PATH_MAX_BYTES);

/**
 * Options of `readlink` and `realpath`, as `fs/promises` takes them: the
 * encoding of the answer (`'utf8'` by default; `'buffer'` gives a Buffer).
 *
 * @example
 * ```ts
 * import { Loop, type NameOptions } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * const asBytes: NameOptions = { encoding: 'buffer' };
 * console.log(await fs.realpath('/proc/self/cwd', asBytes)); // a Buffer
 * console.log(await fs.readlink('/proc/self/exe')); // a string
 * ```
 */
export interface NameOptions extends FileOpOptions {
  encoding?: BufferEncoding | 'buffer' | null;
}

/**
 * A time as `fs/promises`' `utimes` takes it: a `Date`, or seconds since
 * the epoch as a number or a numeric string. A negative number is now, as
 * Node has it.
 *
 * @example
 * ```ts
 * import { Loop, type TimeLike } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * const when: TimeLike = new Date('2026-01-01'); // or 1767225600, or '1767225600'
 * await fs.utimes('/tmp/evring-example', when, when);
 * ```
 */
export type TimeLike = number | string | Date;

/**
 * @internal The mode of `access` and of `copyFile`, as Node 20's binding
 * reads both (its GetValidFileMode): null or undefined is 0 (F_OK; a plain
 * copy); any other number is cut to an integer and must be 0 … 7 (R_OK,
 * W_OK, X_OK; COPYFILE_EXCL, COPYFILE_FICLONE, COPYFILE_FICLONE_FORCE);
 * anything else is a type error. Worded as Node words it.
 */
export function bindingMode(mode: unknown): number {
  if (mode === undefined || mode === null) return 0;
  if (typeof mode !== 'number') {
    throw coded(new TypeError('mode must be int32 or null/undefined'), 'ERR_INVALID_ARG_TYPE');
  }
  if (!Number.isFinite(mode)) {
    throw coded(new RangeError('mode is out of range'), 'ERR_OUT_OF_RANGE');
  }
  const whole = Math.trunc(mode);
  if (whole < 0 || whole > 7) {
    throw coded(new RangeError('mode is out of range: >= 0 && <= 7'), 'ERR_OUT_OF_RANGE');
  }
  return whole;
}

/** @internal chmod's mode, as Node's parseFileMode with no default: a 32-bit unsigned integer or an octal string. */
export function requiredMode(mode: unknown): number {
  if (mode === undefined || mode === null) throw invalidType('mode', 'of type number', undefined);
  return fileMode(mode, 0);
}

/** @internal A uid or gid, as Node's validateInteger(-1 … 2^32 − 1) checks it. */
export function checkId(name: 'uid' | 'gid', id: unknown): number {
  return checkInt(name, id, -1, MAX_ID);
}

/**
 * @internal A time in seconds, as Node's toUnixTimestamp reads it: a
 * numeric string is its number, a negative finite number is now, a `Date`
 * its seconds (an invalid Date is NaN: EINVAL, as Node's binding answers
 * it). Named `name` in the error, as Node names it.
 */
export function unixSeconds(time: unknown, name: string): number {
  if (typeof time === 'string' && !Number.isNaN(+time)) return +time;
  if (typeof time === 'number' && Number.isFinite(time)) return time < 0 ? Date.now() / 1000 : time;
  if (types.isDate(time)) return time.getTime() / 1000;
  throw invalidType(name, 'an instance of Date or an Time in seconds', time); // Node's words
}

/**
 * @internal The options of calls that take an encoding (readlink,
 * realpath, readdir, opendir), as Node's getOptions reads them: none, or a
 * function, is none; a string is the encoding; an object's encoding and
 * signal are checked.
 */
export function nameOptions(options: unknown): NameOptions {
  if (options === undefined || options === null || typeof options === 'function') return {};
  const o = typeof options === 'string' ? { encoding: options } : options;
  if (typeof o !== 'object') throw invalidType('options', 'one of type string or object', options);
  checkEncoding((o as NameOptions).encoding);
  checkSignal((o as NameOptions).signal);
  return o as NameOptions;
}

/** Throws the error of `res` when it is one (a path call's carries the path as it was given). */
function checked(res: number, syscall: string, path: PathLike | null): void {
  if (res < 0) throw fileError(res, syscall, path === null ? null : pathString(path), null);
}

/**
 * @internal The calls on a path, each given the path's bytes (checked
 * once, in Node's order, by the caller) and the path as given (for the
 * error's words). Node names utimensat(2) `utime` (`lutime` with
 * `noFollow`).
 */
export const onPath = {
  access(bytes: Uint8Array, path: PathLike, mode: number): void {
    checked(access(bytes, mode), 'access', path);
  },
  chmod(bytes: Uint8Array, path: PathLike, mode: number): void {
    checked(chmod(bytes, mode), 'chmod', path);
  },
  chown(bytes: Uint8Array, path: PathLike, uid: number, gid: number, noFollow: boolean): void {
    checked(chown(bytes, uid, gid, noFollow), noFollow ? 'lchown' : 'chown', path);
  },
  utimes(bytes: Uint8Array, path: PathLike, atime: number, mtime: number, noFollow: boolean): void {
    checked(utimes(bytes, atime, mtime, noFollow), noFollow ? 'lutime' : 'utime', path);
  },
};

/** @internal fchmod(2), fchown(2) and futimens(2) of a handle's fd; Node names the last `futime`. */
export const onFd = {
  chmod(fd: number, mode: number): void {
    checked(fchmod(fd, mode), 'fchmod', null);
  },
  chown(fd: number, uid: number, gid: number): void {
    checked(fchown(fd, uid, gid), 'fchown', null);
  },
  utimes(fd: number, atime: number, mtime: number): void {
    checked(futimes(fd, atime, mtime), 'futime', null);
  },
};

/** @internal readlink(2) or realpath(3) of `path` (its `bytes`), in `encoding`. */
export function nameOf(
  call: 'readlink' | 'realpath',
  bytes: Uint8Array,
  path: PathLike,
  encoding: NameOptions['encoding'],
): string | Buffer {
  const n = (call === 'readlink' ? readlink : realpath)(bytes, nameScratch);
  checked(n, call, path);
  const answer = Buffer.from(nameScratch.subarray(0, n)); // a copy: the scratch is reused
  return encoding === 'buffer' ? answer : answer.toString(encoding || 'utf8');
}

/** statfs's seven words, written by sys (type, bsize, blocks, bfree, bavail, files, ffree). */
const statfsWords = new BigUint64Array(7);
/** Node's own `StatFs` class, taken from one of its answers on first use (`node:fs` does not export it). */
type StatFsClass = new (...fields: (number | bigint)[]) => StatsFs | BigIntStatsFs;
let NodeStatFs: StatFsClass | undefined;

/**
 * @internal statfs(2) of the filesystem `path` (its `bytes`) is on, as
 * Node's `fs.StatFs` (the class `node:fs` gives, numbers or bigints).
 */
export function statFsOf(
  bytes: Uint8Array,
  path: PathLike,
  bigint: boolean,
): StatsFs | BigIntStatsFs {
  checked(statfs(bytes, statfsWords), 'statfs', path);
  NodeStatFs ??= statfsSync('/').constructor as StatFsClass;
  const fields = Array.from(statfsWords, (w) => (bigint ? w : Number(w)));
  return new NodeStatFs(...fields);
}
