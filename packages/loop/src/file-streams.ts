/**
 * Streams over a {@link LoopFileHandle}: what `FileHandle.createReadStream`,
 * `createWriteStream` and `readLines` of `fs/promises` give, with each read
 * and write done by the handle (so by the kernel, on io_uring); and the
 * same streams from a path, as `node:fs`' `createReadStream(path)` gives
 * them, opening their handle as they start (file-path-streams.ts).
 *
 * @module
 */

import { addAbortSignal, finished, Readable, Writable } from 'node:stream';
import { checkEncoding, checkInt, checkSignal, invalidType, outOfRange } from './errors.js';
import { fileError } from './file-ops.js';
import type { LoopFileHandle } from './file-promises.js';

/** fs streams' default chunk: 64 KiB, as Node's. */
const STREAM_CHUNK = 64 * 1024;
const EIO = -5;

/**
 * Options of {@link LoopFileHandle.createReadStream}: `fs.FileHandle`'s,
 * checked as Node checks them.
 *
 * @example
 * ```ts
 * import type { ReadStreamOptions } from '@evring/loop';
 * const lastKib: ReadStreamOptions = { start: 1024, end: 2047, encoding: 'utf8' };
 * ```
 */
export interface ReadStreamOptions {
  /** Decode chunks as strings (default: Buffers). */
  encoding?: BufferEncoding | null;
  /** The first byte's file position (default: the handle's current position). */
  start?: number;
  /** The last byte's position, inclusive (default: the end of the file). */
  end?: number;
  /** Bytes per read (default 64 KiB). */
  highWaterMark?: number;
  /**
   * Destroy the stream, closing the handle, when it ends or errs (default
   * true). False leaves both to the caller; `destroy()` or an abort still
   * closes the handle, as Node's streams do.
   */
  autoClose?: boolean;
  /** Emit `'close'` once destroyed (default true). */
  emitClose?: boolean;
  /** Aborting destroys the stream with an AbortError. */
  signal?: AbortSignal;
}

/**
 * Options of {@link LoopFileHandle.createWriteStream}: `fs.FileHandle`'s,
 * checked as Node checks them.
 *
 * @example
 * ```ts
 * import type { WriteStreamOptions } from '@evring/loop';
 * const patch: WriteStreamOptions = { start: 4096, flush: true };
 * ```
 */
export interface WriteStreamOptions {
  /** How strings written are encoded (default `'utf8'`). */
  encoding?: BufferEncoding;
  /** The file position of the first byte (default: the handle's current position). */
  start?: number;
  /** Bytes buffered before `write()` returns false (default 16 KiB, as Writable's). */
  highWaterMark?: number;
  /**
   * Destroy the stream, closing the handle, when it finishes or errs
   * (default true). False leaves both to the caller; `destroy()` or an
   * abort still closes the handle, as Node's streams do.
   */
  autoClose?: boolean;
  /** Emit `'close'` once destroyed (default true). */
  emitClose?: boolean;
  /** fsync(2) the file once everything is written, before `'finish'` (default false). */
  flush?: boolean;
  /** Aborting destroys the stream with an AbortError. */
  signal?: AbortSignal;
}

/**
 * @internal Where a stream from a path gets its handle: opened as the
 * stream starts (its `construct`), then `'open'` and `'ready'`.
 */
export class StreamOpener {
  constructor(
    /** The path as the stream shows it (a URL's as a path). */
    readonly path: string | Buffer,
    /** Opens the file. */
    readonly open: () => Promise<LoopFileHandle>,
  ) {}
}

/**
 * Opens a path stream's handle, then lets the stream start: `'open'` (the
 * fd) and `'ready'` follow, as on Node's. A failed open fails the stream.
 */
function openFor(
  stream: Readable | Writable,
  opener: StreamOpener,
  opened: (handle: LoopFileHandle) => void,
  callback: (error?: Error | null) => void,
): void {
  opener.open().then(
    (handle) => {
      opened(handle);
      callback();
      stream.emit('open', handle.fd);
      stream.emit('ready');
    },
    (err: Error) => callback(err),
  );
}

/**
 * What both streams check first, in Node's order: the options (null is
 * none, as Node's spread of it takes it), their encoding and signal as
 * Node's getOptions checks them, a write stream's `flush`, then `start`.
 */
function checkStreamOptions<T extends ReadStreamOptions | WriteStreamOptions>(
  given: T | null | undefined,
  kind: 'read' | 'write',
): { options: T; flush: boolean; start: number | undefined } {
  const options = (given ?? {}) as T;
  if (typeof options !== 'object') throw invalidType('options', 'of type object', options);
  checkEncoding(options.encoding);
  checkSignal(options.signal);
  let flush = false;
  if (kind === 'write') {
    const f = (options as WriteStreamOptions).flush ?? false;
    if (typeof f !== 'boolean') throw invalidType('options.flush', 'of type boolean', f);
    flush = f;
  }
  return { options, flush, start: checkPositionOption('start', options.start) };
}

/** A position option: undefined, or an integer >= 0, as Node's validateInteger words it. */
function checkPositionOption(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return checkInt(name, value, 0, Number.MAX_SAFE_INTEGER);
}

/**
 * A stream's `_destroy`: lets go of its handle and closes it, then
 * reports `err` (or the close's own error), so that `'close'` comes once
 * the fd is closed, as on Node's; a stream from a path that never opened
 * has nothing to close. But for one case: a stream with `autoClose` false has Node's
 * `autoDestroy` off, so `finished()` (and with it a `for await` or a
 * `pipeline`) settles on its error as soon as the error is set, and stops
 * listening. If nothing listens for `'error'` by the time the handle is
 * closed, the error is not emitted: nobody would hear it, and it would be
 * thrown, as Node's own file streams throw it there. It stays in
 * `stream.errored`, where `finished()` took it from.
 */
function finish(
  stream: Readable | Writable,
  handle: LoopFileHandle | null,
  onHandleClose: () => void,
  err: Error | null,
  callback: (error?: Error | null) => void,
  autoClose: boolean,
): void {
  if (handle === null) {
    callback(err);
    return;
  }
  handle.release(onHandleClose);
  const report = (e: Error | null): void => {
    const unheard = e !== null && e === err && !autoClose && stream.listenerCount('error') === 0;
    callback(unheard ? null : e);
  };
  handle.close().then(
    () => report(err),
    (closeErr: Error) => report(err ?? closeErr),
  );
}

/**
 * A readable stream of a file, read through its {@link LoopFileHandle}.
 * Made by `handle.createReadStream()`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const fh = await loop.fs.promises.open('/etc/passwd');
 * for await (const chunk of fh.createReadStream({ start: 0, end: 99 })) console.log(chunk.length);
 * ```
 */
export class LoopReadStream<
  Handle extends LoopFileHandle | null = LoopFileHandle,
> extends Readable {
  /** Bytes read so far. */
  bytesRead = 0;
  /** The path the stream was made from (undefined for a handle's stream). */
  readonly path: string | Buffer | undefined;
  #handle: LoopFileHandle | null = null;
  /** The next read's file position, or null: the handle's current position. */
  #pos: number | null;
  /** The last byte's position, inclusive (Infinity: the file's end). */
  readonly #end: number;
  readonly #autoClose: boolean;
  /** What the handle's close() does to the stream: destroys it, as Node's stream.close(), quietly. */
  readonly #onHandleClose = (): void => {
    this.destroy();
  };

  /** @internal Made by {@link LoopFileHandle.createReadStream}, and by `loop.fs.createReadStream` from a path. */
  constructor(source: LoopFileHandle | StreamOpener, given?: ReadStreamOptions | null) {
    const { options, start } = checkStreamOptions(given, 'read');
    const end = options.end === undefined ? Number.POSITIVE_INFINITY : options.end;
    if (end !== Number.POSITIVE_INFINITY) checkInt('end', end, 0, Number.MAX_SAFE_INTEGER);
    if (start !== undefined && start > end) {
      throw outOfRange('start', `<= "end" (here: ${end})`, start);
    }
    super({
      highWaterMark: options.highWaterMark ?? STREAM_CHUNK,
      encoding: options.encoding ?? null,
      emitClose: options.emitClose ?? true,
      // As Node's file streams: autoClose is whether the end destroys.
      autoDestroy: options.autoClose ?? true,
      // Given as options, not as overridden methods, so that Node's
      // underscored hooks stay out of the published declarations.
      read(size: number) {
        (this as unknown as LoopReadStream).#read(size);
      },
      destroy(err: Error | null, callback: (error?: Error | null) => void) {
        (this as unknown as LoopReadStream).#destroy(err, callback);
      },
      construct:
        source instanceof StreamOpener
          ? (callback: (error?: Error | null) => void) =>
              openFor(this, source, (h) => (this as unknown as LoopReadStream).#take(h), callback)
          : undefined,
    } as ConstructorParameters<typeof Readable>[0]);
    this.#pos = start ?? null;
    this.#end = end;
    this.#autoClose = options.autoClose ?? true;
    if (source instanceof StreamOpener) this.path = source.path;
    else {
      this.path = undefined;
      this.#take(source);
    }
    // After the fields: an aborted signal destroys the stream at once, through #destroy.
    if (options.signal !== undefined) addAbortSignal(options.signal, this);
  }

  /**
   * Destroys the stream, as `fs.ReadStream.close()`: the handle is closed
   * once a read under way has ended; `callback` is called when the stream
   * has finished (with its error, if any).
   */
  close(callback?: (err?: Error | null) => void): void {
    if (typeof callback === 'function') finished(this, callback);
    this.destroy();
  }

  /** The handle the stream reads through: null until a stream from a path has opened it. */
  get handle(): Handle {
    return this.#handle as Handle;
  }

  /** Whether the stream still waits for its file to open (a stream from a path). */
  get pending(): boolean {
    return this.#handle === null;
  }

  /**
   * Reads through `handle`, held until #destroy, as Node's streams ref
   * their FileHandle; a handle already closing has nothing to hold, and
   * the stream's calls get EBADF.
   */
  #take(handle: LoopFileHandle): void {
    this.#handle = handle;
    handle.hold(this.#onHandleClose);
  }

  /** Readable's `_read`: one read of up to `size` bytes through the handle. */
  #read(size: number): void {
    const left = this.#pos !== null ? this.#end - this.#pos + 1 : this.#end - this.bytesRead + 1;
    const n = Math.min(size, left);
    if (n <= 0) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafeSlow(n);
    this.#handle!.read(buffer, 0, n, this.#pos).then(
      ({ bytesRead }) => {
        if (this.destroyed) return;
        if (bytesRead === 0) {
          this.push(null);
          return;
        }
        this.bytesRead += bytesRead;
        if (this.#pos !== null) this.#pos += bytesRead;
        this.push(bytesRead === n ? buffer : buffer.subarray(0, bytesRead));
      },
      (err: Error) => this.destroy(err),
    );
  }

  /** Readable's `_destroy`: the handle is closed (`autoClose` decides only whether the end destroys). */
  #destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    finish(this, this.#handle, this.#onHandleClose, err, callback, this.#autoClose);
  }
}

/**
 * A writable stream into a file, written through its {@link LoopFileHandle};
 * chunks waiting together go in one `writev`. Made by
 * `handle.createWriteStream()`.
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const from = await loop.fs.promises.open('/etc/passwd');
 * const to = await loop.fs.promises.open('/tmp/evring-passwd-copy', 'w');
 * await pipeline(from.createReadStream(), to.createWriteStream());
 * ```
 */
export class LoopWriteStream<
  Handle extends LoopFileHandle | null = LoopFileHandle,
> extends Writable {
  /** Bytes written so far. */
  bytesWritten = 0;
  /** The path the stream was made from (undefined for a handle's stream). */
  readonly path: string | Buffer | undefined;
  #handle: LoopFileHandle | null = null;
  /** The next write's file position, or null: the handle's current position. */
  #pos: number | null;
  readonly #flush: boolean;
  readonly #autoClose: boolean;
  /** What the handle's close() does to the stream: ends it, as Node's stream.close(), writing what it holds first. */
  readonly #onHandleClose = (): void => {
    this.close();
  };
  /** `close()` was called (by the caller, or by the handle's close). */
  #closeAsked = false;

  /** @internal Made by {@link LoopFileHandle.createWriteStream}, and by `loop.fs.createWriteStream` from a path. */
  constructor(source: LoopFileHandle | StreamOpener, given?: WriteStreamOptions | null) {
    const { options, flush, start } = checkStreamOptions(given, 'write');
    super({
      decodeStrings: true,
      defaultEncoding: options.encoding || 'utf8', // a falsy one is none, as Node's
      emitClose: options.emitClose ?? true,
      // As Node's file streams: autoClose is whether the end destroys.
      autoDestroy: options.autoClose ?? true,
      ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
      // As options, as the read stream's (see there).
      write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
        (this as unknown as LoopWriteStream).#write([chunk], callback);
      },
      writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void) {
        (this as unknown as LoopWriteStream).#write(
          chunks.map((c) => c.chunk),
          callback,
        );
      },
      final(callback: (error?: Error | null) => void) {
        (this as unknown as LoopWriteStream).#final(callback);
      },
      destroy(err: Error | null, callback: (error?: Error | null) => void) {
        (this as unknown as LoopWriteStream).#destroy(err, callback);
      },
      construct:
        source instanceof StreamOpener
          ? (callback: (error?: Error | null) => void) =>
              openFor(this, source, (h) => (this as unknown as LoopWriteStream).#take(h), callback)
          : undefined,
    } as ConstructorParameters<typeof Writable>[0]);
    this.#pos = start ?? null;
    this.#flush = flush;
    this.#autoClose = options.autoClose ?? true;
    if (source instanceof StreamOpener) this.path = source.path;
    else {
      this.path = undefined;
      this.#take(source);
    }
    // After the fields: an aborted signal destroys the stream at once, through #destroy.
    if (options.signal !== undefined) addAbortSignal(options.signal, this);
  }

  /**
   * Ends the stream, as `fs.WriteStream.close()`: what it holds is written
   * (and synced, with `flush`), then it is destroyed, closing the handle,
   * whatever `autoClose` says; `callback` is called once it has closed
   * (with no error, as Node's).
   * Unlike Node's, a stream that has already finished or failed is
   * destroyed at once, instead of waiting for a `'finish'` that will not
   * come.
   */
  close(callback?: (err?: Error | null) => void): void {
    if (typeof callback === 'function') {
      if (this.closed) {
        process.nextTick(callback);
        return;
      }
      this.once('close', () => callback());
    }
    if (this.writableFinished || this.errored !== null) {
      this.destroy();
      return;
    }
    this.#closeAsked = true;
    if (!this.#autoClose) this.once('finish', () => this.destroy());
    this.end();
  }

  /** The handle the stream writes through: null until a stream from a path has opened it. */
  get handle(): Handle {
    return this.#handle as Handle;
  }

  /** Whether the stream still waits for its file to open (a stream from a path). */
  get pending(): boolean {
    return this.#handle === null;
  }

  /** Writes through `handle`, held until #destroy, as the read stream's. */
  #take(handle: LoopFileHandle): void {
    this.#handle = handle;
    handle.hold(this.#onHandleClose);
  }

  /** Writable's `_write` and `_writev`: the chunks waiting, in one write or `writev`. */
  #write(chunks: Buffer[], callback: (error?: Error | null) => void): void {
    this.#writeAll(chunks).then(
      () => callback(),
      (err: Error) => this.#failed(err, callback),
    );
  }

  /**
   * A write or the sync failed: reported as any failure. A stream being
   * closed with `autoClose` false is destroyed with the error too: no
   * `'finish'` comes to destroy it, and it would hold its handle open.
   */
  #failed(err: Error, callback: (error?: Error | null) => void): void {
    if (this.#closeAsked && !this.#autoClose) this.destroy(err);
    callback(err);
  }

  /** Writable's `_final`: the file synced first if `flush`. */
  #final(callback: (error?: Error | null) => void): void {
    if (!this.#flush) {
      callback();
      return;
    }
    this.#handle!.sync().then(
      () => callback(),
      (err: Error) => this.#failed(err, callback),
    );
  }

  /** Writable's `_destroy`: the handle is closed (`autoClose` decides only whether the finish destroys). */
  #destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    finish(this, this.#handle, this.#onHandleClose, err, callback, this.#autoClose);
  }

  /** Writes every byte of `chunks`, going on after a short write. */
  async #writeAll(chunks: Buffer[]): Promise<void> {
    let list = chunks.filter((c) => c.byteLength > 0);
    while (list.length > 0) {
      const n =
        list.length === 1
          ? (await this.#handle!.write(list[0]!, 0, list[0]!.byteLength, this.#pos)).bytesWritten
          : (await this.#handle!.writev(list, this.#pos)).bytesWritten;
      // A regular file or a pipe takes at least a byte of a non-empty write, or fails.
      if (n === 0) throw fileError(EIO, 'write', null, null);
      this.bytesWritten += n;
      if (this.#pos !== null) this.#pos += n;
      list = dropBytes(list, n);
    }
  }
}

/** `list` without its first `n` bytes. */
function dropBytes(list: Buffer[], n: number): Buffer[] {
  let i = 0;
  let left = n;
  while (i < list.length && left >= list[i]!.byteLength) left -= list[i++]!.byteLength;
  const rest = list.slice(i);
  if (left > 0) rest[0] = rest[0]!.subarray(left);
  return rest;
}
