/**
 * Operations, beside readiness: the kernel (or, where it cannot, the
 * backend's owner) reads, writes or syncs a file and reports the result
 * once. A backend that does some natively offers {@link Operations}; the
 * `Poller` emulates everything else with a direct syscall, so an owner sees
 * the same API, and the same results, on every backend.
 *
 * Memory an operation reads or writes is pinned memory (`pinnedAlloc` of
 * `@evring/sys`): sys holds it until the operation's own completion, so
 * nothing JavaScript frees in the meantime can be written by the kernel.
 *
 * @module
 */

/**
 * What an operation does. Each takes `(fd, mem, offset, length, position)`;
 * for the path operations these carry the directory fd, the path's offset in
 * `mem` (NUL-terminated) and the call's flags, as each constant says.
 *
 * @example
 * ```ts
 * import { OP_READ, type OpCode } from '@evring/backend';
 * const op: OpCode = OP_READ; // pread(2) into pinned memory
 * ```
 */
export type OpCode =
  | typeof OP_READ
  | typeof OP_WRITE
  | typeof OP_FSYNC
  | typeof OP_FDATASYNC
  | typeof OP_OPENAT
  | typeof OP_CLOSE
  | typeof OP_STATX
  | typeof OP_FTRUNCATE
  | typeof OP_RENAMEAT
  | typeof OP_UNLINKAT
  | typeof OP_MKDIRAT
  | typeof OP_READV
  | typeof OP_WRITEV
  | typeof OP_LINKAT
  | typeof OP_SYMLINKAT;

/** pread(2) of `length` bytes into `mem` at `offset`, from file `position` (−1: read(2) at the file's offset). */
export const OP_READ = 0;
/** pwrite(2) of `length` bytes from `mem` at `offset` (position −1: write(2)). */
export const OP_WRITE = 1;
/** fsync(2) of `fd`. */
export const OP_FSYNC = 2;
/** fdatasync(2) of `fd`. */
export const OP_FDATASYNC = 3;
/** openat(2): `fd` the directory (AT_FDCWD: −100), path at `offset`, flags in `length`, mode in `position`; completes with the new fd. */
export const OP_OPENAT = 4;
/** close(2) of `fd`. */
export const OP_CLOSE = 5;
/** statx(2): path at `offset` relative to `fd` (`''` with AT_EMPTY_PATH: `fd` itself), flags in `length`; the 256-byte struct statx lands at `position` in `mem`. */
export const OP_STATX = 6;
/** ftruncate(2) of `fd` to `position` bytes. */
export const OP_FTRUNCATE = 7;
/** renameat2(2): old path at `offset`, new path at `position`, both relative to `fd`; flags in `length`. */
export const OP_RENAMEAT = 8;
/** unlinkat(2): path at `offset` relative to `fd`; flags (AT_REMOVEDIR: rmdir) in `length`. */
export const OP_UNLINKAT = 9;
/** mkdirat(2): path at `offset` relative to `fd`; mode in `length`. */
export const OP_MKDIRAT = 10;
/**
 * preadv(2): `length` iovecs (1 to {@link MAX_IOVECS}) at `offset` in
 * `mem`, each 16 bytes (address, byte count) naming pinned memory of this
 * thread, from file `position` (−1: readv(2) at the file's offset). An entry
 * outside pinned memory completes with −EINVAL.
 */
export const OP_READV = 11;
/** pwritev(2) from the iovecs at `offset`, as {@link OP_READV} (position −1: writev(2)). */
export const OP_WRITEV = 12;
/** linkat(2): a new name at `position` for the path at `offset`, both relative to `fd`; flags (AT_SYMLINK_FOLLOW) in `length`. */
export const OP_LINKAT = 13;
/** symlinkat(2): a link at the path at `position` (relative to `fd`) holding the target at `offset`, stored as written. */
export const OP_SYMLINKAT = 14;

// Module-local copies for the per-operation check: V8 folds a local const
// into the code, but reads an exported or imported binding through its
// module cell, checking that it is initialized, at every use.
const READ_OP = OP_READ;
const WRITE_OP = OP_WRITE;
const READV_OP = OP_READV;
const WRITEV_OP = OP_WRITEV;

/** The most iovecs one OP_READV or OP_WRITEV carries (the kernel's UIO_MAXIOV). */
export const MAX_IOVECS = 1024;
/** Bytes of one iovec entry: its address, then its length, 64-bit little-endian each. */
export const IOVEC_SIZE = 16;

/**
 * True for the operations whose `offset` names a path rather than a byte range.
 *
 * @example
 * ```ts
 * import { isPathOp, OP_OPENAT, OP_READ } from '@evring/backend';
 * isPathOp(OP_OPENAT); // true: the path is at `offset`, flags in `length`
 * isPathOp(OP_READ); // false
 * ```
 */
export function isPathOp(op: OpCode): boolean {
  return (
    op === OP_OPENAT ||
    op === OP_STATX ||
    (op >= OP_RENAMEAT && op <= OP_MKDIRAT) ||
    op === OP_LINKAT ||
    op === OP_SYMLINKAT
  );
}

/**
 * True for the operations that read from an fd (and so wait for it to be
 * readable when emulated on a pipe, socket or tty): OP_READ and OP_READV.
 *
 * @example
 * ```ts
 * import { isReadOp, OP_READV, OP_WRITE } from '@evring/backend';
 * isReadOp(OP_READV); // true
 * isReadOp(OP_WRITE); // false
 * ```
 */
export function isReadOp(op: OpCode): boolean {
  return op === READ_OP || op === READV_OP;
}

/**
 * True for the operations that move bytes through an fd: reads and writes,
 * plain or vectored.
 *
 * @example
 * ```ts
 * import { isDataOp, OP_FSYNC, OP_WRITEV } from '@evring/backend';
 * isDataOp(OP_WRITEV); // true
 * isDataOp(OP_FSYNC); // false
 * ```
 */
export function isDataOp(op: OpCode): boolean {
  return op === READ_OP || op === WRITE_OP || op === READV_OP || op === WRITEV_OP;
}

/** Bytes of the `struct statx` an OP_STATX writes. */
export const STATX_SIZE = 256;

function hasPath(mem: PinnedMemory, at: number): boolean {
  return (
    Number.isInteger(at) &&
    at >= 0 &&
    at < mem.buffer.byteLength &&
    new Uint8Array(mem.buffer, at).indexOf(0) >= 0
  );
}

/** The path operations with a second path, at `position`: rename's, link's and symlink's new name. */
function hasSecondPath(op: OpCode): boolean {
  return op === OP_RENAMEAT || op === OP_LINKAT || op === OP_SYMLINKAT;
}

/** Throws checkOpArguments's RangeError (kept out of the check itself, which then makes no closure). */
function failOp(op: OpCode, size: number, what: string): never {
  const err = new RangeError(`operation ${String(op)}: ${what} (its buffer has ${size} bytes)`);
  throw Object.assign(err, { code: 'ERR_OUT_OF_RANGE' }); // as Node's own range errors
}

/**
 * Refuses, with a RangeError, an operation whose memory arguments do not
 * fit its buffer: a byte range outside it, a path not NUL-terminated inside
 * it, a statx buffer past its end, an unknown opcode, a token that is not
 * an integer from 0 to 2^31−1. Called by the Poller's `submitOp` before
 * anything starts, so neither a backend's `submit` nor the emulation checks
 * them again (an owner that checks them itself calls `submitCheckedOp`).
 *
 * @example
 * ```ts
 * import { checkOpArguments, OP_READ } from '@evring/backend';
 * import { pinnedAlloc } from '@evring/sys';
 * const mem = pinnedAlloc(16);
 * checkOpArguments(OP_READ, mem, 0, 16, 0, 1); // fits
 * try {
 *   checkOpArguments(OP_READ, mem, 8, 16, 0, 1);
 * } catch (err) {
 *   console.log((err as RangeError).message); // 8+16 is past the 16 bytes
 * }
 * ```
 */
export function checkOpArguments(
  op: OpCode,
  mem: PinnedMemory,
  offset: number,
  length: number,
  position: number,
  token: number,
): void {
  // A read or write that fits, decided in a few comparisons: small enough
  // for V8 to inline into the Poller's submitOp. Everything else, and
  // every refusal with its message, is the full check's.
  if (
    (op === READ_OP || op === WRITE_OP) &&
    Number.isInteger(token) &&
    token >= 0 &&
    token <= 0x7fffffff &&
    Number.isInteger(position) &&
    position >= -1 &&
    Number.isInteger(length) &&
    length >= 0 &&
    length <= 0xffffffff &&
    Number.isInteger(offset) &&
    offset >= 0 &&
    offset + length <= (mem.size ?? mem.buffer.byteLength)
  ) {
    return;
  }
  checkAnyOp(op, mem, offset, length, position, token);
}

/** checkOpArguments for every opcode, with the RangeError that names what is wrong. */
function checkAnyOp(
  op: OpCode,
  mem: PinnedMemory,
  offset: number,
  length: number,
  position: number,
  token: number,
): void {
  const size = Math.min(mem.size ?? Number.POSITIVE_INFINITY, mem.buffer.byteLength);
  if (!Number.isInteger(op) || op < OP_READ || op > OP_SYMLINKAT)
    failOp(op, size, 'unknown opcode');
  if (!Number.isInteger(token) || token < 0 || token > 0x7fffffff) {
    failOp(op, size, `token ${String(token)} is not an integer from 0 to 2^31-1`);
  }
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    failOp(op, size, `length ${length} is not an integer from 0 to 2^32-1`);
  }
  if (!Number.isInteger(position) || position < -1)
    failOp(op, size, `position ${position} is not an integer ≥ −1`);
  if (op === OP_READ || op === OP_WRITE) {
    if (!Number.isInteger(offset) || offset < 0 || offset + length > size) {
      failOp(op, size, `the range ${offset}+${length} is not inside the buffer`);
    }
  } else if (op === OP_READV || op === OP_WRITEV) {
    if (length < 1 || length > MAX_IOVECS) {
      failOp(op, size, `${length} iovecs is not from 1 to ${MAX_IOVECS}`);
    }
    if (!Number.isInteger(offset) || offset < 0 || offset + length * IOVEC_SIZE > size) {
      failOp(op, size, `${length} iovecs at ${offset} are not inside the buffer`);
    }
  } else if (isPathOp(op)) {
    if (!hasPath(mem, offset))
      failOp(op, size, `no NUL-terminated path at ${offset} inside the buffer`);
    if (hasSecondPath(op) && !hasPath(mem, position)) {
      failOp(op, size, `no NUL-terminated second path at ${position} inside the buffer`);
    }
    if (op === OP_STATX && (position < 0 || position + STATX_SIZE > size)) {
      failOp(op, size, `the ${STATX_SIZE}-byte statx buffer at ${position} does not fit`);
    }
  } else if (op === OP_FTRUNCATE && position < 0) {
    failOp(op, size, 'a truncation needs a length ≥ 0 in position');
  }
}

/**
 * Pinned memory as `pinnedAlloc` returns it: the buffer, and the address
 * the kernel is given.
 *
 * @example
 * ```ts
 * import type { PinnedMemory } from '@evring/backend';
 * import { pinnedAlloc } from '@evring/sys';
 * const mem: PinnedMemory = pinnedAlloc(4096);
 * ```
 */
export interface PinnedMemory {
  readonly buffer: ArrayBuffer;
  readonly address: number;
  /**
   * The buffer's bytes while the block lives, 0 once it is freed, as
   * `pinnedAlloc`'s records keep it. When present the range check reads
   * it instead of the ArrayBuffer (a call into a builtin and two cache
   * lines per operation); when absent, the ArrayBuffer's `byteLength`.
   * A wrong value costs no safety: sys checks every address itself.
   */
  readonly size?: number;
}

/**
 * Receives an operation's completion, exactly once: the token it was
 * submitted with and its result (bytes moved, 0, or −errno).
 *
 * @example
 * ```ts
 * import type { OpCompletionHandler } from '@evring/backend';
 * const done: OpCompletionHandler = (token, res) => {
 *   if (res < 0) console.log('operation', token, 'failed with errno', -res);
 * };
 * ```
 */
export type OpCompletionHandler = (token: number, res: number) => void;

/**
 * The operations a backend hands to the kernel itself. Completions reach
 * the owner's `opComplete` from the backend's `poll()`.
 *
 * @example
 * ```ts
 * import type { Backend } from '@evring/backend';
 * declare const backend: Backend;
 * console.log(backend.ops?.native ?? 'every operation is emulated');
 * ```
 */
export interface Operations {
  /** The opcodes the kernel carries out for this backend. */
  readonly native: readonly OpCode[];
  /**
   * Starts `op` on `fd` over `length` bytes of `mem` from `offset`, at file
   * `position` (−1: the file's offset). `token` comes back with the
   * completion. False when this backend does not take this one (Linux AIO
   * has no "current offset", or its slots are all busy): the `Poller` then
   * emulates it. The arguments come checked (`checkOpArguments`).
   */
  submit(
    op: OpCode,
    fd: number,
    mem: PinnedMemory,
    offset: number,
    length: number,
    position: number,
    token: number,
  ): boolean;
  /** Asks the kernel to cancel the operation with `token`; its completion still comes, once. */
  cancel(token: number): void;
  /**
   * The `Poller` is about to close `fd` itself (an OP_CLOSE it emulates):
   * operations this backend queued for a later system call must reach the
   * kernel first, so each takes the file its number named when it was
   * submitted, not whatever takes the number after the close. Completes
   * nothing: completions still come from `poll()`. Absent when every
   * operation reaches the kernel at its submit.
   */
  beforeClose?(fd: number): void;
}
