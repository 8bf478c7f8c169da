/**
 * The errors the loop throws for bad input and misuse, shaped like Node's own
 * (`code` names the case; TypeError/RangeError where Node would use them).
 * Kernel failures keep the SystemCallError shape of `@evring/abi`.
 *
 * @module
 */

import { inspect } from 'node:util';

/**
 * An error with a Node-style `code`.
 *
 * @example
 * ```ts
 * import { type CodedError, Loop } from '@evring/loop';
 * try {
 *   new Loop({ backend: 'kqueue' as never });
 * } catch (err) {
 *   console.log((err as CodedError).code); // 'ERR_INVALID_ARG_VALUE'
 * }
 * ```
 */
export interface CodedError extends Error {
  code: string;
}

/** @internal `error` with Node's `code` on it (for the words of Node's C++ checks, which no helper here makes). */
export function coded<E extends Error>(error: E, code: string): E & CodedError {
  return Object.assign(error, { code });
}

/** A wrong type (Node's ERR_INVALID_ARG_TYPE; a dotted name is a "property", as Node words it). */
export function invalidType(
  name: string,
  expected: string,
  value: unknown,
): TypeError & CodedError {
  const what = name.includes('.') ? 'property' : 'argument';
  return coded(
    new TypeError(`The "${name}" ${what} must be ${expected}. Received ${specificType(value)}`),
    'ERR_INVALID_ARG_TYPE',
  );
}

/** A number outside its range (Node's ERR_OUT_OF_RANGE). */
export function outOfRange(name: string, range: string, value: unknown): RangeError & CodedError {
  return coded(
    new RangeError(
      `The value of "${name}" is out of range. It must be ${range}. Received ${rangeValue(value)}`,
    ),
    'ERR_OUT_OF_RANGE',
  );
}

/** A value of the right type that is not one of the allowed ones (Node's ERR_INVALID_ARG_VALUE). */
export function invalidValue(name: string, reason: string, value: unknown): TypeError & CodedError {
  const shown = inspect(value);
  const what = name.includes('.') ? 'property' : 'argument';
  return coded(
    new TypeError(
      `The ${what} '${name}' ${reason}. Received ${shown.length > 128 ? `${shown.slice(0, 128)}...` : shown}`,
    ),
    'ERR_INVALID_ARG_VALUE',
  );
}

/** A file too big for one Buffer of `readFile` (Node's ERR_FS_FILE_TOO_LARGE: over 2 GiB). */
export function fileTooLarge(size: number): RangeError & CodedError {
  return coded(
    new RangeError(`File size (${size}) is greater than 2 GiB`),
    'ERR_FS_FILE_TOO_LARGE',
  );
}

/** The loop was destroyed: its watchers cannot start and it cannot run. */
export function loopDestroyed(what: string): Error & CodedError {
  return coded(new Error(`${what}: the loop was destroyed`), LOOP_DESTROYED);
}

/** The `code` of {@link loopDestroyed}'s errors. */
export const LOOP_DESTROYED = 'ERR_EVRING_LOOP_DESTROYED';

/** start() on a watcher that is already active. */
export function watcherActive(kind: string): Error & CodedError {
  return coded(
    new Error(`${kind} watcher is already active: stop() it before starting it again`),
    'ERR_EVRING_WATCHER_ACTIVE',
  );
}

/** A symlink type Node does not know (ERR_FS_INVALID_SYMLINK_TYPE, Node's wording). */
export function invalidSymlinkType(value: unknown): Error & CodedError {
  return coded(
    new Error(
      `Symlink type must be one of "dir", "file", or "junction". Received "${String(value)}"`,
    ),
    'ERR_FS_INVALID_SYMLINK_TYPE',
  );
}

/** An operation aborted through an AbortSignal (Node's AbortError shape). */
export function abortError(signal: AbortSignal): Error & CodedError {
  const err = coded(new Error('The operation was aborted', { cause: signal.reason }), 'ABORT_ERR');
  err.name = 'AbortError';
  return err;
}

/** `value` as Node's ERR_INVALID_ARG_TYPE describes what it received ("type number (1)"). */
function specificType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'function':
      return `function ${value.name}`;
    case 'object': {
      const ctor = (value as { constructor?: { name?: string } }).constructor;
      return ctor && 'name' in ctor ? `an instance of ${ctor.name}` : inspect(value, { depth: -1 });
    }
    case 'string': {
      // Shown as written (a NUL too), quoted with ' unless it holds one.
      const s = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return s.includes("'") ? `type string (${JSON.stringify(s)})` : `type string ('${s}')`;
    }
    case 'number':
      return `type number (${Object.is(value, -0) ? '-0' : String(value)})`;
    case 'bigint':
      return `type bigint (${value}n)`;
    default: {
      const shown = inspect(value, { colors: false });
      return `type ${typeof value} (${shown.length > 28 ? `${shown.slice(0, 25)}...` : shown})`;
    }
  }
}

/**
 * What ERR_OUT_OF_RANGE says it received, as Node says it: an integer
 * beyond 2^32, or a bigint, with its digits grouped by `_`
 * (9_007_199_254_740_992); anything else as `util.inspect` shows it.
 */
function rangeValue(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > 2 ** 32) {
    return grouped(String(value));
  }
  if (typeof value === 'bigint') {
    const digits = String(value);
    return `${value > 2n ** 32n || value < -(2n ** 32n) ? grouped(digits) : digits}n`;
  }
  return inspect(value);
}

/** Digits in groups of three from the right, joined by `_` (a leading minus kept). */
function grouped(digits: string): string {
  const sign = digits.startsWith('-') ? 1 : 0;
  let end = digits.length;
  let out = '';
  while (end - sign > 3) {
    out = `_${digits.slice(end - 3, end)}${out}`;
    end -= 3;
  }
  return `${digits.slice(0, end)}${out}`;
}

/**
 * An `encoding` option checked before anything starts, as Node's
 * assertEncoding checks it: a falsy one is none, `'buffer'` a Buffer, any
 * other must be one Buffer knows.
 */
export function checkEncoding(encoding: unknown): void {
  if (!encoding || encoding === 'buffer') return;
  if (typeof encoding !== 'string' || !Buffer.isEncoding(encoding)) {
    throw invalidValue('encoding', 'is invalid encoding', encoding);
  }
}

/**
 * An `options.signal` checked as Node's getOptions checks it: undefined is
 * none; anything else must be an AbortSignal.
 */
export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) {
    throw invalidType('options.signal', 'an instance of AbortSignal', signal);
  }
  return signal;
}

/** Validates an integer in [min, max]. */
export function checkInt(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') throw invalidType(name, 'of type number', value);
  // Worded as Node's validateInteger words it.
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
  return value;
}

/** Validates a finite, non-negative number of seconds. */
export function checkSeconds(name: string, value: unknown): number {
  if (typeof value !== 'number') throw invalidType(name, 'of type number', value);
  if (!Number.isFinite(value) || value < 0) throw outOfRange(name, 'a finite number >= 0', value);
  return value;
}

/** Validates a boolean (Node's validateBoolean). */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidType(name, 'of type boolean', value);
  return value;
}

/** Validates a function. */
export function checkFunction<F>(name: string, value: unknown): F {
  if (typeof value !== 'function') throw invalidType(name, 'of type function', value);
  return value as F;
}
