/**
 * `loop.fs.promises`: the promise forms of `loop.fs`, and the part of
 * `fs/promises` that code uses most — `open()` giving a
 * {@link LoopFileHandle}, `readFile`, `writeFile`, `appendFile`, `stat`,
 * `lstat`, `truncate`, `rename`, `unlink`, `rmdir`, `mkdir` — with the same
 * names, arguments and results, so that such code moves over by changing
 * where `fs` comes from. Every call also takes `{ signal }`: aborting
 * cancels the operation in the kernel.
 *
 * Not covered (keep `node:fs/promises` for them): `readdir`, `opendir`,
 * `rm`, `cp`, `watch`, `access`, `chmod`/`chown`/`utimes`, links and
 * `realpath`, `mkdtemp`, recursive `mkdir`, streams, `bigint` stats, and
 * the `flush` option.
 *
 * @module
 */

import { AT_EMPTY_PATH, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, systemError } from '@evring/abi';
import {
  OP_CLOSE,
  OP_FDATASYNC,
  OP_FSYNC,
  OP_FTRUNCATE,
  OP_MKDIRAT,
  OP_OPENAT,
  OP_READ,
  OP_STATX,
  OP_UNLINKAT,
  OP_WRITE,
} from '@evring/backend';
import { abortError, checkInt, invalidType, invalidValue } from './errors.js';
import { EMPTY, Outcome } from './file-ops.js';
import type { FileStats } from './file-stats.js';
import type { FileOpOptions, LoopFiles } from './files.js';
import { fileMode, type OpenFlags, openFlags, type PathLike } from './open-flags.js';

/** How much readFile asks for per read when the size is not known (Node's own chunk). */
const READ_CHUNK = 512 * 1024;

/**
 * Options of `readFile`, as `fs/promises` takes them.
 *
 * @example
 * ```ts
 * import { Loop, type ReadFileOptions } from '@evring/loop';
 * const options: ReadFileOptions = { encoding: 'utf8', signal: AbortSignal.timeout(1000) };
 * const text = await new Loop().fs.promises.readFile('/etc/hostname', options);
 * ```
 */
export interface ReadFileOptions extends FileOpOptions {
  /** Decode to a string; a Buffer without. */
  encoding?: BufferEncoding | null;
  /** Open flags (default 'r'). */
  flag?: OpenFlags;
}

/**
 * Options of `writeFile` and `appendFile`, as `fs/promises` takes them.
 *
 * @example
 * ```ts
 * import { Loop, type WriteFileOptions } from '@evring/loop';
 * const options: WriteFileOptions = { mode: 0o600, flag: 'wx' };
 * await new Loop().fs.promises.writeFile('/tmp/evring-secret', 'hush', options);
 * ```
 */
export interface WriteFileOptions extends FileOpOptions {
  /** How a string is encoded (default 'utf8'). */
  encoding?: BufferEncoding | null;
  /** The mode of a file created (default 0o666, before the umask). */
  mode?: number | string;
  /** Open flags (default 'w'; 'a' for appendFile). */
  flag?: OpenFlags;
}

function options<T extends object>(value: T | string | null | undefined, key: 'encoding'): T {
  if (value === undefined || value === null) return {} as T;
  if (typeof value === 'string') return { [key]: value } as T;
  if (typeof value !== 'object')
    throw invalidType('options', 'an object or an encoding string', value);
  return value;
}

function signalOf(o: FileOpOptions | undefined): AbortSignal | null {
  const s = o?.signal;
  if (s === undefined) return null;
  if (!(s instanceof AbortSignal)) throw invalidType('options.signal', 'an AbortSignal', s);
  return s;
}

function checkAborted(signal: AbortSignal | null): void {
  if (signal?.aborted) throw abortError(signal);
}

function toBytes(data: unknown, encoding: BufferEncoding | null | undefined): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  if (data instanceof Uint8Array) return data;
  throw invalidType('data', 'a string or a Uint8Array', data);
}

/**
 * An open file, shaped like `fs/promises`' `FileHandle`: `read`, `write`,
 * `readv`, `writev`, `stat`, `truncate`, `sync`, `datasync`, `readFile`,
 * `writeFile`, `appendFile`, `close` and `await using`. After `close()`
 * every call rejects with EBADF.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const fh = await loop.fs.promises.open('/tmp/evring-handle', 'w+');
 * await fh.write('hello');
 * const { bytesRead, buffer } = await fh.read(Buffer.alloc(5), 0, 5, 0);
 * console.log(bytesRead, buffer.toString()); // 5 hello
 * await fh.close();
 * ```
 */
export class LoopFileHandle {
  #fd: number;
  readonly #files: LoopFiles;

  /** @internal Made by `open()`. */
  constructor(fd: number, files: LoopFiles) {
    this.#fd = fd;
    this.#files = files;
  }

  /** The fd, or −1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  #open(syscall: string): number {
    if (this.#fd < 0) throw systemError(-9, syscall); // EBADF, as Node's closed FileHandle
    return this.#fd;
  }

  /**
   * Reads into `buffer` (default a new 16 KiB Buffer) from `offset` for
   * `length` bytes, at file `position` (null: the current position).
   */
  async read<T extends Uint8Array = Buffer>(
    buffer?: T | { buffer?: T; offset?: number; length?: number; position?: number | null },
    offset?: number | { offset?: number; length?: number; position?: number | null } | null,
    length?: number | null,
    position?: number | null,
  ): Promise<{ bytesRead: number; buffer: T }> {
    let buf: T;
    let off = 0;
    let len: number | undefined;
    let pos: number | null = null;
    if (buffer instanceof Uint8Array) {
      buf = buffer;
      if (typeof offset === 'object' && offset !== null) {
        off = offset.offset ?? 0;
        len = offset.length ?? undefined;
        pos = offset.position ?? null;
      } else {
        off = offset ?? 0;
        len = length ?? undefined;
        pos = position ?? null;
      }
    } else {
      const o = buffer ?? {};
      buf = o.buffer ?? (Buffer.alloc(16384) as unknown as T);
      off = o.offset ?? 0;
      len = o.length ?? undefined;
      pos = o.position ?? null;
    }
    checkInt('offset', off, 0, buf.byteLength);
    const n = checkInt('length', len ?? buf.byteLength - off, 0, buf.byteLength - off);
    const fd = this.#open('read');
    const view = off === 0 && n === buf.byteLength ? buf : buf.subarray(off, off + n);
    const bytesRead = await this.#files.io(OP_READ, fd, view, pos, null, null)!;
    return { bytesRead, buffer: buf };
  }

  /**
   * Writes `buffer[offset .. offset+length)` (or a string, encoded) at file
   * `position` (null: the current position; a file opened for appending
   * always writes at its end).
   */
  async write<T extends Uint8Array | string>(
    data: T,
    offset?: number | null | { offset?: number; length?: number; position?: number | null },
    length?: number | BufferEncoding | null,
    position?: number | null,
  ): Promise<{ bytesWritten: number; buffer: T }> {
    let bytes: Uint8Array;
    let pos: number | null;
    if (typeof data === 'string') {
      // write(string, position?, encoding?)
      pos = typeof offset === 'number' ? offset : null;
      bytes = Buffer.from(data, (typeof length === 'string' ? length : 'utf8') as BufferEncoding);
    } else if (data instanceof Uint8Array) {
      let off = 0;
      let len: number | undefined;
      if (typeof offset === 'object' && offset !== null) {
        off = offset.offset ?? 0;
        len = offset.length;
        pos = offset.position ?? null;
      } else {
        off = offset ?? 0;
        len = typeof length === 'number' ? length : undefined;
        pos = position ?? null;
      }
      checkInt('offset', off, 0, data.byteLength);
      const n = checkInt('length', len ?? data.byteLength - off, 0, data.byteLength - off);
      bytes = off === 0 && n === data.byteLength ? data : data.subarray(off, off + n);
    } else {
      throw invalidType('buffer', 'a string or a Uint8Array', data);
    }
    const fd = this.#open('write');
    const bytesWritten = await this.#files.io(OP_WRITE, fd, bytes, pos, null, null)!;
    return { bytesWritten, buffer: data };
  }

  /** Reads into `buffers` in order from `position` (null: the current position). */
  async readv<T extends readonly Uint8Array[]>(
    buffers: T,
    position?: number | null,
  ): Promise<{ bytesRead: number; buffers: T }> {
    const fd = this.#open('read');
    const bytesRead = await this.#files.vectored(
      OP_READ,
      fd,
      buffers,
      position ?? null,
      null,
      null,
    )!;
    return { bytesRead, buffers };
  }

  /** Writes `buffers` in order at `position` (null: the current position). */
  async writev<T extends readonly Uint8Array[]>(
    buffers: T,
    position?: number | null,
  ): Promise<{ bytesWritten: number; buffers: T }> {
    const fd = this.#open('write');
    const bytesWritten = await this.#files.vectored(
      OP_WRITE,
      fd,
      buffers,
      position ?? null,
      null,
      null,
    )!;
    return { bytesWritten, buffers };
  }

  /** The file's status. */
  async stat(): Promise<FileStats> {
    const fd = this.#open('fstat');
    return this.#files.promises.fstat(fd);
  }

  /** Truncates (or extends with zeros) to `len` bytes (default 0). */
  async truncate(len = 0): Promise<void> {
    return this.#files.promises.ftruncate(this.#open('ftruncate'), len);
  }

  /** fsync(2). */
  async sync(): Promise<void> {
    return this.#files.promises.fsync(this.#open('fsync'));
  }

  /** fdatasync(2). */
  async datasync(): Promise<void> {
    return this.#files.promises.fdatasync(this.#open('fdatasync'));
  }

  /** Reads from the current position to the end of the file. */
  async readFile(opts?: ReadFileOptions | BufferEncoding | null): Promise<Buffer | string> {
    const o = options<ReadFileOptions>(opts, 'encoding');
    return readAll(this.#files, this.#open('read'), false, signalOf(o)).then((b) =>
      o.encoding ? b.toString(o.encoding) : b,
    );
  }

  /** Writes all of `data` at the current position. */
  async writeFile(
    data: string | Uint8Array,
    opts?: WriteFileOptions | BufferEncoding | null,
  ): Promise<void> {
    const o = options<WriteFileOptions>(opts, 'encoding');
    return writeAll(this.#files, this.#open('write'), toBytes(data, o.encoding), signalOf(o));
  }

  /** Writes all of `data` at the current position (at the end for a file opened to append). */
  async appendFile(
    data: string | Uint8Array,
    opts?: WriteFileOptions | BufferEncoding | null,
  ): Promise<void> {
    return this.writeFile(data, opts);
  }

  /** Closes the fd; later calls reject with EBADF. A second close does nothing. */
  async close(): Promise<void> {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    await this.#files.promises.close(fd);
  }

  /** close(), for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Reads to the end of the file: from 0 (`fromStart`) or from its current position. */
async function readAll(
  files: LoopFiles,
  fd: number,
  fromStart: boolean,
  signal: AbortSignal | null,
): Promise<Buffer> {
  checkAborted(signal);
  const stats = await files.promises.fstat(fd, signal ? { signal } : {});
  // Known size: read that much (and stop at an early EOF); else chunks until EOF (a /proc file says 0).
  const known = stats.isFile() && stats.size > 0 ? stats.size : 0;
  let buf = Buffer.allocUnsafe(known > 0 ? known : READ_CHUNK);
  let got = 0;
  for (;;) {
    checkAborted(signal);
    if (got === buf.length) {
      if (known > 0) break;
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, got);
      buf = bigger;
    }
    const want = Math.min(READ_CHUNK, buf.length - got);
    const n = await files.io(
      OP_READ,
      fd,
      buf.subarray(got, got + want),
      fromStart ? got : null,
      null,
      signal,
    )!;
    if (n === 0) break;
    got += n;
  }
  return got === buf.length ? buf : buf.subarray(0, got);
}

/** Writes all of `bytes` at the fd's current position, continuing after short writes. */
async function writeAll(
  files: LoopFiles,
  fd: number,
  bytes: Uint8Array,
  signal: AbortSignal | null,
): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    checkAborted(signal);
    done += await files.io(OP_WRITE, fd, bytes.subarray(done), null, null, signal)!;
  }
  checkAborted(signal);
}

/**
 * The promise forms of `loop.fs`, and `fs/promises`' common calls. Reached
 * as `loop.fs.promises`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const fs = new Loop().fs.promises; // where code had: import fs from 'node:fs/promises'
 * await fs.writeFile('/tmp/evring-note', 'written by the kernel\n');
 * console.log(await fs.readFile('/tmp/evring-note', 'utf8'));
 * console.log((await fs.stat('/tmp/evring-note')).size);
 * await fs.rename('/tmp/evring-note', '/tmp/evring-note.old');
 * await fs.unlink('/tmp/evring-note.old');
 * ```
 */
export class FilePromises {
  readonly #files: LoopFiles;

  /** @internal Made by `loop.fs`. */
  constructor(files: LoopFiles) {
    this.#files = files;
  }

  /** Reads into `buffer` at file `position` (null: the file's offset); resolves with the bytes read. */
  read(
    fd: number,
    buffer: Uint8Array,
    position: number | null,
    options?: FileOpOptions,
  ): Promise<number> {
    return this.#files.io(OP_READ, fd, buffer, position, null, signalOf(options))!;
  }

  /** Writes `buffer` at file `position` (null: the file's offset); resolves with the bytes written. */
  write(
    fd: number,
    buffer: Uint8Array,
    position: number | null,
    options?: FileOpOptions,
  ): Promise<number> {
    return this.#files.io(OP_WRITE, fd, buffer, position, null, signalOf(options))!;
  }

  /** preadv(2) as loop.fs.readv; resolves with the bytes read. */
  readv(
    fd: number,
    buffers: readonly Uint8Array[],
    position: number | null,
    options?: FileOpOptions,
  ): Promise<number> {
    return this.#files.vectored(OP_READ, fd, buffers, position, null, signalOf(options))!;
  }

  /** pwritev(2) as loop.fs.writev; resolves with the bytes written. */
  writev(
    fd: number,
    buffers: readonly Uint8Array[],
    position: number | null,
    options?: FileOpOptions,
  ): Promise<number> {
    return this.#files.vectored(OP_WRITE, fd, buffers, position, null, signalOf(options))!;
  }

  /** fsync(2). */
  fsync(fd: number, options?: FileOpOptions): Promise<void> {
    return this.#files.plain(
      OP_FSYNC,
      'fsync',
      Outcome.Void,
      fd,
      0,
      null,
      signalOf(options),
    ) as Promise<void>;
  }

  /** fdatasync(2). */
  fdatasync(fd: number, options?: FileOpOptions): Promise<void> {
    return this.#files.plain(
      OP_FDATASYNC,
      'fdatasync',
      Outcome.Void,
      fd,
      0,
      null,
      signalOf(options),
    ) as Promise<void>;
  }

  /** close(2) of a bare fd (a {@link LoopFileHandle} has its own `close()`). */
  close(fd: number, options?: FileOpOptions): Promise<void> {
    return this.#files.plain(
      OP_CLOSE,
      'close',
      Outcome.Void,
      fd,
      0,
      null,
      signalOf(options),
    ) as Promise<void>;
  }

  /** ftruncate(2) of a bare fd. */
  ftruncate(fd: number, len = 0, options?: FileOpOptions): Promise<void> {
    const size = checkInt('len', len, 0, Number.MAX_SAFE_INTEGER);
    return this.#files.plain(
      OP_FTRUNCATE,
      'ftruncate',
      Outcome.Void,
      fd,
      size,
      null,
      signalOf(options),
    ) as Promise<void>;
  }

  /** The status of a bare fd's file. */
  fstat(fd: number, options?: FileOpOptions): Promise<FileStats> {
    return this.#files.pathOp(
      OP_STATX,
      'fstat',
      Outcome.Stats,
      fd,
      EMPTY,
      null,
      AT_EMPTY_PATH,
      0,
      null,
      null,
      signalOf(options),
    ) as Promise<FileStats>;
  }

  /** Opens `path` as `fs/promises`' `open(path, flags, mode)`; resolves with a {@link LoopFileHandle}. */
  async open(
    path: PathLike,
    flags?: OpenFlags,
    mode?: number | string,
    options?: FileOpOptions,
  ): Promise<LoopFileHandle> {
    const signal = signalOf(options);
    const fd = (await this.#files.atPath(
      OP_OPENAT,
      'open',
      Outcome.Fd,
      path,
      openFlags(flags),
      fileMode(mode, 0o666),
      null,
      signal,
    )) as number;
    return new LoopFileHandle(fd, this.#files);
  }

  /** The status of `path`, following symbolic links. */
  stat(path: PathLike, options?: FileOpOptions): Promise<FileStats> {
    return this.#files.atPath(
      OP_STATX,
      'stat',
      Outcome.Stats,
      path,
      0,
      0,
      null,
      signalOf(options),
    ) as Promise<FileStats>;
  }

  /** The status of `path` itself. */
  lstat(path: PathLike, options?: FileOpOptions): Promise<FileStats> {
    const signal = signalOf(options);
    return this.#files.atPath(
      OP_STATX,
      'lstat',
      Outcome.Stats,
      path,
      AT_SYMLINK_NOFOLLOW,
      0,
      null,
      signal,
    ) as Promise<FileStats>;
  }

  /** rename(2). */
  rename(oldPath: PathLike, newPath: PathLike, options?: FileOpOptions): Promise<void> {
    return this.#files.twoPaths(oldPath, newPath, null, signalOf(options))!;
  }

  /** unlink(2). */
  unlink(path: PathLike, options?: FileOpOptions): Promise<void> {
    return this.#files.atPath(
      OP_UNLINKAT,
      'unlink',
      Outcome.Void,
      path,
      0,
      0,
      null,
      signalOf(options),
    ) as Promise<void>;
  }

  /** rmdir(2) (not recursive). */
  rmdir(path: PathLike, options?: FileOpOptions): Promise<void> {
    const signal = signalOf(options);
    return this.#files.atPath(
      OP_UNLINKAT,
      'rmdir',
      Outcome.Void,
      path,
      AT_REMOVEDIR,
      0,
      null,
      signal,
    ) as Promise<void>;
  }

  /** mkdir(2): `mode` (default 0o777) or `{ mode }`; `recursive` is not supported. */
  mkdir(
    path: PathLike,
    mode?: number | string | (FileOpOptions & { mode?: number | string; recursive?: boolean }),
  ): Promise<void> {
    const o = typeof mode === 'object' && mode !== null ? mode : { mode };
    if ('recursive' in o && o.recursive) {
      throw invalidValue(
        'options.recursive',
        "is not supported by loop.fs (use node:fs/promises' mkdir)",
        true,
      );
    }
    const bits = fileMode(o.mode, 0o777);
    const signal = signalOf(o as FileOpOptions);
    return this.#files.atPath(
      OP_MKDIRAT,
      'mkdir',
      Outcome.Void,
      path,
      bits,
      0,
      null,
      signal,
    ) as Promise<void>;
  }

  /** Truncates the file at `path` to `len` bytes (default 0). */
  async truncate(path: PathLike, len = 0, options?: FileOpOptions): Promise<void> {
    const fh = await this.open(path, 'r+', undefined, options);
    try {
      await fh.truncate(len);
    } finally {
      await fh.close();
    }
  }

  /** The whole file, as `fs/promises`' readFile: a Buffer, or a string with an encoding. */
  readFile(
    path: PathLike | LoopFileHandle,
    options: ReadFileOptions & { encoding: BufferEncoding },
  ): Promise<string>;
  readFile(path: PathLike | LoopFileHandle, options: BufferEncoding): Promise<string>;
  readFile(path: PathLike | LoopFileHandle, options?: ReadFileOptions | null): Promise<Buffer>;
  async readFile(
    path: PathLike | LoopFileHandle,
    opts?: ReadFileOptions | BufferEncoding | null,
  ): Promise<Buffer | string> {
    const o = options<ReadFileOptions>(opts, 'encoding');
    if (path instanceof LoopFileHandle) return path.readFile(o);
    const signal = signalOf(o);
    checkAborted(signal);
    const fh = await this.open(path, o.flag ?? 'r', undefined, o);
    try {
      const bytes = await readAll(this.#files, fh.fd, true, signal);
      return o.encoding ? bytes.toString(o.encoding) : bytes;
    } finally {
      await fh.close();
    }
  }

  /** Writes `data` as the file's content, as `fs/promises`' writeFile (flag 'w': created or truncated). */
  async writeFile(
    path: PathLike | LoopFileHandle,
    data: string | Uint8Array,
    opts?: WriteFileOptions | BufferEncoding | null,
  ): Promise<void> {
    const o = options<WriteFileOptions>(opts, 'encoding');
    if (path instanceof LoopFileHandle) return path.writeFile(data, o);
    const bytes = toBytes(data, o.encoding);
    const signal = signalOf(o);
    checkAborted(signal);
    const fh = await this.open(path, o.flag ?? 'w', o.mode, o);
    try {
      await writeAll(this.#files, fh.fd, bytes, signal);
    } finally {
      await fh.close();
    }
  }

  /** Appends `data` to the file (created if missing), as `fs/promises`' appendFile. */
  appendFile(
    path: PathLike | LoopFileHandle,
    data: string | Uint8Array,
    opts?: WriteFileOptions | BufferEncoding | null,
  ): Promise<void> {
    const o = options<WriteFileOptions>(opts, 'encoding');
    return this.writeFile(path, data, { ...o, flag: o.flag ?? 'a' });
  }
}
