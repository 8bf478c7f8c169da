/**
 * Linux errno names, numbers and messages, and the one constructor of
 * Node-shaped system errors used by every evring package.
 *
 * Node's own table (`os.constants.errno`, `util.getSystemErrorName`) lacks
 * codes the kernel interfaces here return: `ETIME` (io_uring timeouts),
 * `EBADR` (io_uring dropped completions), `ENOSR`, ... This table has all of
 * them.
 *
 * @module
 */

import {
  ERRNO_ALIASES,
  ERRNO_ENTRIES,
  type ErrnoEntry,
  type errno as errnoTable,
} from './errno-table.js';

export type { ErrnoEntry } from './errno-table.js';

const byNumber = new Map<number, ErrnoEntry>();
const byName = new Map<string, ErrnoEntry>();
for (const entry of ERRNO_ENTRIES) {
  byNumber.set(entry.errno, entry);
  byName.set(entry.name, entry);
}
for (const [alias, num] of Object.entries(ERRNO_ALIASES)) {
  const entry = byNumber.get(num);
  if (entry) byName.set(alias, entry);
}

export { errno } from './errno-table.js';

/**
 * The name of a Linux errno known to this table (`'EAGAIN'`, `'ETIME'`, …).
 *
 * @example
 * ```ts
 * import { type ErrnoName, errno } from '@evring/abi';
 * const name: ErrnoName = 'ECANCELED';
 * errno[name]; // 125
 * ```
 */
export type ErrnoName = keyof typeof errnoTable;

/**
 * The entry for an errno number (positive or negative), if Linux defines it.
 *
 * @example
 * ```ts
 * import { errnoEntry } from '@evring/abi';
 * errnoEntry(-62); // { errno: 62, name: 'ETIME', message: 'Timer expired' }
 * ```
 */
export function errnoEntry(code: number): ErrnoEntry | undefined {
  return byNumber.get(Math.abs(code));
}

/**
 * The symbolic name of an errno number (sign ignored): `errnoName(-62) === 'ETIME'`.
 * Unknown numbers give `'E<number>'` rather than throwing.
 *
 * @example
 * ```ts
 * import { errnoName } from '@evring/abi';
 * errnoName(-62);   // 'ETIME'
 * errnoName(9999); // 'E9999'
 * ```
 */
export function errnoName(code: number): string {
  return byNumber.get(Math.abs(code))?.name ?? `E${Math.abs(code)}`;
}

/**
 * The number for an errno name, or undefined: `errnoNumber('EBADR') === 53`.
 *
 * @example
 * ```ts
 * import { errnoNumber } from '@evring/abi';
 * errnoNumber('EBADR');       // 53
 * errnoNumber('EWOULDBLOCK'); // 11
 * ```
 */
export function errnoNumber(name: string): number | undefined {
  return byName.get(name)?.errno;
}

/**
 * glibc's message for an errno number: `errnoMessage(11) === 'Resource temporarily unavailable'`.
 *
 * @example
 * ```ts
 * import { errnoMessage } from '@evring/abi';
 * errnoMessage(-11); // 'Resource temporarily unavailable'
 * ```
 */
export function errnoMessage(code: number): string {
  return byNumber.get(Math.abs(code))?.message ?? `Unknown error ${Math.abs(code)}`;
}

/**
 * An error from a system call, shaped like Node's own (`fs`, `net`):
 * `code` is the errno name, `errno` the number negated as Node does
 * (`-11` for EAGAIN), `syscall` the call.
 *
 * @example
 * ```ts
 * import { type SystemCallError, isSystemError, systemError } from '@evring/abi';
 * try {
 *   throw systemError(9, 'close'); // as @evring/sys's close(99999) throws
 * } catch (err) {
 *   if (isSystemError(err)) {
 *     const e: SystemCallError = err;
 *     e.code; // 'EBADF'
 *   }
 * }
 * ```
 */
export interface SystemCallError extends Error {
  code: string;
  errno: number;
  syscall: string;
}

/**
 * Builds the error for a failed system call. Accepts `errno` or `-errno`.
 *
 * @example
 * ```ts
 * import { systemError } from '@evring/abi';
 * const err = systemError(-11, 'io_submit');
 * err.message; // 'io_submit: EAGAIN (resource temporarily unavailable)'
 * err.code;    // 'EAGAIN'
 * ```
 */
export function systemError(code: number, syscall: string, detail?: string): SystemCallError {
  const num = Math.abs(code);
  const name = errnoName(num);
  const message = errnoMessage(num);
  const text = `${syscall}: ${name} (${message.charAt(0).toLowerCase()}${message.slice(1)})${detail ? `: ${detail}` : ''}`;
  const err = new Error(text) as SystemCallError;
  err.code = name;
  err.errno = -num;
  err.syscall = syscall;
  return err;
}

/**
 * True when `err` is a {@link SystemCallError} with the given code (e.g. `'EAGAIN'`).
 *
 * @example
 * ```ts
 * import { isSystemError, systemError } from '@evring/abi';
 * isSystemError(systemError(9, 'close'), 'EBADF'); // true
 * isSystemError(new Error('x'));                   // false
 * ```
 */
export function isSystemError(err: unknown, code?: string): err is SystemCallError {
  if (!(err instanceof Error)) return false;
  const e = err as Partial<SystemCallError>;
  if (typeof e.errno !== 'number' || typeof e.syscall !== 'string' || typeof e.code !== 'string') {
    return false;
  }
  return code === undefined || e.code === code;
}
