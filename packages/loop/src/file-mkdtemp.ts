/**
 * `mkdtemp(prefix)` for both forms of `loop.fs`: a new directory named
 * `prefix` and six random characters, made with MKDIRAT (mode 0o700)
 * through the loop. A name someone else already has (EEXIST) is given up
 * for another; any other error ends it, named as `fs.mkdtemp` names it
 * (`syscall` 'mkdtemp', the path tried).
 *
 * Written once, over one mkdir step the caller supplies, as the recursive
 * mkdir is (file-mkdirp.ts).
 *
 * @module
 */

import { randomFillSync } from 'node:crypto';
import { checkEncoding, checkSignal, invalidType } from './errors.js';
import type { FileSystemError } from './file-ops.js';
import type { FileOpOptions } from './files.js';
import { pathBytes } from './open-flags.js';

/**
 * The options of `mkdtemp`, as `fs.mkdtemp` takes them: the encoding of
 * the path it gives (`'utf8'` by default; `'buffer'` gives a Buffer). A
 * string is the encoding alone.
 *
 * @example
 * ```ts
 * import { Loop, type MkdtempOptions } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * const options: MkdtempOptions = { encoding: 'buffer' };
 * const dir = await fs.mkdtemp('/tmp/evring-', options);
 * console.log(Buffer.isBuffer(dir)); // true
 * await fs.rmdir(dir);
 * ```
 */
export interface MkdtempOptions extends FileOpOptions {
  encoding?: BufferEncoding | 'buffer' | null;
}

/**
 * Called once when a `mkdtemp` ends: the error, or null and the new
 * directory's path (a Buffer when the encoding is `'buffer'`).
 *
 * @example
 * ```ts
 * import { rmdirSync } from 'node:fs';
 * import { Loop, type MkdtempCallback } from '@evring/loop';
 * const made: MkdtempCallback = (err, dir) => {
 *   console.log(err?.code ?? dir); // e.g. /tmp/evring-Xq3v9Z
 *   if (dir !== undefined) rmdirSync(dir);
 * };
 * new Loop().fs.mkdtemp('/tmp/evring-', made);
 * ```
 */
export type MkdtempCallback = (err: FileSystemError | null, dir?: string | Buffer) => void;

/** What glibc's mkdtemp(3) puts after the prefix: six of these. */
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX = 6;
/** Names tried before EEXIST is the answer (62^6 names: a clash is rare, a hundred in a row is an attack or a bug). */
export const MKDTEMP_ATTEMPTS = 100;
/** The mode of the directory made, as mkdtemp(3)'s. */
export const MKDTEMP_MODE = 0o700;

/** @internal The prefix as bytes, and how the path is given back; checked before anything starts. */
export function mkdtempArguments(
  prefix: unknown,
  options: unknown,
): { prefix: Buffer; encoding: BufferEncoding | 'buffer' } {
  // The options first, then the prefix, as Node's getOptions and getValidatedPath.
  let raw: unknown;
  if (typeof options === 'string') raw = options;
  else if (typeof options === 'object' && options !== null) {
    const o = options as MkdtempOptions;
    raw = o.encoding;
    checkSignal(o.signal);
  } else if (options !== undefined && options !== null && typeof options !== 'function') {
    throw invalidType('options', 'one of type string or object', options); // Node's words
  }
  checkEncoding(raw);
  const bytes = Buffer.from(pathBytes('prefix', prefix));
  return { prefix: bytes, encoding: raw ? (raw as BufferEncoding | 'buffer') : 'utf8' };
}

/** @internal `prefix` and six random letters, as mkdtemp(3) makes a name. */
export function tempName(prefix: Buffer): Buffer {
  const name = Buffer.allocUnsafe(prefix.length + SUFFIX);
  prefix.copy(name);
  const random = Buffer.allocUnsafe(SUFFIX * 2);
  let at = prefix.length;
  while (at < name.length) {
    randomFillSync(random);
    for (let i = 0; i < random.length && at < name.length; i++) {
      // 248 = 4 × 62: the bytes above it are dropped, so each letter is as likely.
      if (random[i]! < 248) name[at++] = LETTERS.charCodeAt(random[i]! % LETTERS.length);
    }
  }
  return name;
}

/** @internal mkdir(2) of one path, mode 0o700, reporting as 'mkdtemp'; `done(err)`. */
export type TempStep = (path: Buffer, done: (err: FileSystemError | null) => void) => void;

/**
 * @internal Makes a new directory named `prefix` and six random letters:
 * another name on EEXIST, up to {@link MKDTEMP_ATTEMPTS}; `done(err, path)`.
 */
export function makeTempDirectory(
  prefix: Buffer,
  mkdir: TempStep,
  done: (err: FileSystemError | null, path: Buffer | undefined) => void,
  name: (prefix: Buffer) => Buffer = tempName,
): void {
  let tries = 0;
  const attempt = (): void => {
    const path = name(prefix);
    tries++;
    mkdir(path, (err) => {
      if (err === null) done(null, path);
      else if (err.code === 'EEXIST' && tries < MKDTEMP_ATTEMPTS) attempt();
      else done(err, undefined);
    });
  };
  attempt();
}

/** @internal The path as the caller asked for it. */
export function encodePath(path: Buffer, encoding: BufferEncoding | 'buffer'): string | Buffer {
  return encoding === 'buffer' ? path : path.toString(encoding);
}
