/**
 * `node:fs`' `createReadStream(path)` and `createWriteStream(path)` for
 * `loop.fs`: the handle streams of file-streams.ts, opening their file as
 * they start, as Node's do — `'open'` with the fd, then `'ready'`; a
 * failed open (ENOENT, EEXIST, bad flags or mode) is the stream's
 * `'error'`, and `pending` is true until the file is open. Options are
 * read as Node's `getOptions` reads them (a string is the encoding), then
 * `flags` (`'r'`, `'w'`) and `mode` (0o666) go to the open.
 *
 * `fd` may be a {@link LoopFileHandle}: the stream is then that handle's
 * stream, and the path is not looked at, as on Node's. A number there is
 * refused: the loop's streams read and write through a handle, whose
 * close they can wait for (open one with `loop.fs.promises.open`). A
 * custom `fs` is refused too: the loop does the file's operations.
 *
 * @module
 */

import { fileURLToPath } from 'node:url';
import { checkEncoding, checkSignal, invalidType, invalidValue } from './errors.js';
import { type LoopFileHandle, LoopFileHandle as LoopFileHandleClass } from './file-promises.js';
import {
  LoopReadStream,
  LoopWriteStream,
  type ReadStreamOptions,
  StreamOpener,
  type WriteStreamOptions,
} from './file-streams.js';
import { type OpenFlags, type PathLike, pathBytes } from './open-flags.js';

/**
 * Options of `loop.fs.createReadStream(path)`: a handle stream's, and how
 * the file is opened, as `node:fs`' `createReadStream` takes them.
 *
 * @example
 * ```ts
 * import type { PathReadStreamOptions } from '@evring/loop';
 * const header: PathReadStreamOptions = { start: 0, end: 511, flags: 'r' };
 * ```
 */
export interface PathReadStreamOptions extends ReadStreamOptions {
  /** How the file is opened (default `'r'`). */
  flags?: OpenFlags;
  /** The mode a file created by the open gets (default 0o666). */
  mode?: number | string;
  /** A handle to read through instead of opening `path`. */
  fd?: LoopFileHandle;
}

/**
 * Options of `loop.fs.createWriteStream(path)`: a handle stream's, and how
 * the file is opened, as `node:fs`' `createWriteStream` takes them.
 *
 * @example
 * ```ts
 * import type { PathWriteStreamOptions } from '@evring/loop';
 * const log: PathWriteStreamOptions = { flags: 'a', mode: 0o600 };
 * ```
 */
export interface PathWriteStreamOptions extends WriteStreamOptions {
  /** How the file is opened (default `'w'`). */
  flags?: OpenFlags;
  /** The mode a file created by the open gets (default 0o666). */
  mode?: number | string;
  /** A handle to write through instead of opening `path`. */
  fd?: LoopFileHandle;
}

/** What opens a file for a path stream: `loop.fs.promises.open`. */
type Open = (path: PathLike, flags: OpenFlags, mode: number | string) => Promise<LoopFileHandle>;

/**
 * The stream's source and options, checked in Node's order: the options
 * (a string is the encoding; then the encoding and the signal), `fs`,
 * then `fd` or the path.
 */
function streamSource<T extends PathReadStreamOptions | PathWriteStreamOptions>(
  open: Open,
  path: unknown,
  given: unknown,
  defaultFlags: 'r' | 'w',
): { source: LoopFileHandle | StreamOpener; options: T } {
  let options: T;
  if (given === undefined || given === null || typeof given === 'function') options = {} as T;
  else if (typeof given === 'string') options = { encoding: given } as T;
  else if (typeof given === 'object') options = given as T;
  else throw invalidType('options', 'one of type string or object', given); // Node's words
  checkEncoding(options.encoding);
  checkSignal(options.signal);
  if ((options as { fs?: unknown }).fs !== undefined) {
    throw invalidValue('options.fs', 'is not supported: the loop does the file operations', '…');
  }
  const fd: unknown = options.fd;
  if (fd !== undefined && fd !== null) {
    if (fd instanceof LoopFileHandleClass) return { source: fd, options };
    if (typeof fd === 'number') {
      throw invalidValue(
        'options.fd',
        'must be a LoopFileHandle (from loop.fs.promises.open()): a number is not supported',
        fd,
      );
    }
    throw invalidType('options.fd', 'of type number or an instance of FileHandle', fd); // Node's words
  }
  pathBytes('path', path);
  const shown = path instanceof URL ? fileURLToPath(path) : (path as string | Buffer);
  const flags = options.flags === undefined ? defaultFlags : options.flags;
  const mode = options.mode === undefined ? 0o666 : options.mode;
  return { source: new StreamOpener(shown, () => open(path as PathLike, flags, mode)), options };
}

/** @internal `loop.fs.createReadStream(path, options)`. */
export function createPathReadStream(
  open: Open,
  path: unknown,
  options: unknown,
): LoopReadStream<LoopFileHandle | null> {
  const { source, options: o } = streamSource<PathReadStreamOptions>(open, path, options, 'r');
  return new LoopReadStream<LoopFileHandle | null>(source, o);
}

/** @internal `loop.fs.createWriteStream(path, options)`. */
export function createPathWriteStream(
  open: Open,
  path: unknown,
  options: unknown,
): LoopWriteStream<LoopFileHandle | null> {
  const { source, options: o } = streamSource<PathWriteStreamOptions>(open, path, options, 'w');
  return new LoopWriteStream<LoopFileHandle | null>(source, o);
}
