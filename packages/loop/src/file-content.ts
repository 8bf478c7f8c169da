/**
 * What `readFile`, `writeFile` and `appendFile` share in both forms (the
 * promise forms in file-promises.ts, the callback forms in
 * file-content-callbacks.ts): their options, the bytes of what they write,
 * how a whole file is read in growing steps ({@link ReadPlan}), and the
 * answer in its encoding.
 *
 * @module
 */

import { abortError, checkEncoding, checkSignal, fileTooLarge, invalidType } from './errors.js';
import { bytesOfView, VIEW_TYPES } from './file-ops.js';
import type { FileStats } from './file-stats.js';

/** The most readFile asks for in one read (Node's own chunk). */
const READ_CHUNK = 512 * 1024;
/** readFile's first read, made before knowing the file's size: a file this small needs no fstat. */
const FIRST_READ = 64 * 1024;
/**
 * The most `readFile` returns, as Node's (its kIoMaxLength, 2 GiB − 1): a
 * bigger file is refused with ERR_FS_FILE_TOO_LARGE, and a file with no
 * size that goes on for ever (/dev/zero, a pipe never closed) ends there
 * too, instead of growing the Buffer until the process runs out of memory.
 */
const READ_FILE_MAX = 2 ** 31 - 1;

/**
 * @internal A whole file read in steps, as readFile reads it. A file that
 * fits in the first read is read to its end (a read that returns 0)
 * without asking its size: on io_uring an fstat goes to a kernel worker
 * (STATX is always punted) and costs more than two reads from the page
 * cache. A file that fills the first read is asked its size then, and
 * read to that size as Node's readFile reads a regular file; one with no
 * size (a pipe, a /proc file) is read in growing chunks until a read
 * returns 0. Each form drives it with its own operations:
 *
 * ```
 * while (true) {
 *   if (plan.full) {
 *     if (plan.unsized) plan.sized(fstat(fd));
 *     if (!plan.grow()) break;
 *   }
 *   if (!plan.took(read(fd, plan.next(), plan.got))) break;
 * }
 * return plan.result();
 * ```
 */
export class ReadPlan {
  #buf = Buffer.allocUnsafe(FIRST_READ);
  /** Bytes read so far. */
  got = 0;
  /** The size fstat gave: 0 for no size; −1 before asking. */
  #known = -1;

  /** The buffer is full: the size is asked, or the buffer grown, before the next read. */
  get full(): boolean {
    return this.got === this.#buf.length;
  }

  /** The file's size has not been asked yet. */
  get unsized(): boolean {
    return this.#known < 0;
  }

  /** Takes the file's status; throws ERR_FS_FILE_TOO_LARGE for a file readFile does not read. */
  sized(stats: FileStats): void {
    this.#known = stats.isFile() ? stats.size : 0;
    if (this.#known > READ_FILE_MAX) throw fileTooLarge(this.#known);
  }

  /** Room for more, once full: false when the file's size is read (or it shrank meanwhile). */
  grow(): boolean {
    const known = this.#known;
    if (known > 0 && this.got >= known) return false;
    if (this.got >= READ_FILE_MAX) throw fileTooLarge(this.got); // no size, and no end either
    const bigger = Buffer.allocUnsafe(
      known > this.got ? known : Math.min(this.#buf.length * 2, READ_FILE_MAX),
    );
    this.#buf.copy(bigger, 0, 0, this.got);
    this.#buf = bigger;
    return true;
  }

  /** Where the next read goes. */
  next(): Buffer {
    return this.#buf.subarray(
      this.got,
      this.got + Math.min(READ_CHUNK, this.#buf.length - this.got),
    );
  }

  /** Counts a read's bytes; false at the end of the file (a read of 0). */
  took(n: number): boolean {
    this.got += n;
    return n !== 0;
  }

  /**
   * The bytes read: a Buffer of the file's own size, not a view that keeps
   * the whole allocation alive (64 KiB for a small file).
   */
  result(): Buffer {
    if (this.got === this.#buf.length) return this.#buf;
    const exact = Buffer.allocUnsafe(this.got);
    this.#buf.copy(exact, 0, 0, this.got);
    return exact;
  }
}

/**
 * @internal readFile's, writeFile's and appendFile's options, read and
 * checked as Node's getOptions does, before their other arguments: a
 * string is the encoding; the encoding, then the signal, are checked.
 */
export function contentOptions<T extends { encoding?: string | null; signal?: AbortSignal }>(
  value: T | string | null | undefined,
): T {
  // As Node's getOptions: no options, or a function in their place, is none.
  if (value === undefined || value === null || typeof value === 'function') return {} as T;
  const o = typeof value === 'string' ? ({ encoding: value } as T) : value;
  if (typeof o !== 'object') throw invalidType('options', 'one of type string or object', value); // Node's words
  checkEncoding(o.encoding);
  checkSignal(o.signal);
  return o;
}

/** @internal A readFile's result in its encoding: a string, or the Buffer itself (none, or 'buffer'). */
export function decoded(bytes: Buffer, encoding: string | null | undefined): Buffer | string {
  return encoding && encoding !== 'buffer' ? bytes.toString(encoding as BufferEncoding) : bytes;
}

/** @internal Throws the AbortError of `signal` once it is aborted. */
export function checkAborted(signal: AbortSignal | null | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** @internal What `data` may be, as Node's ERR_INVALID_ARG_TYPE words it. */
export const DATA_TYPES = `of type string or ${VIEW_TYPES}`;

/** @internal A string's or a view's bytes; null for anything else. */
export function bytesOf(
  data: unknown,
  encoding: BufferEncoding | null | undefined,
): Uint8Array | null {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  return ArrayBuffer.isView(data) ? bytesOfView(data) : null;
}
