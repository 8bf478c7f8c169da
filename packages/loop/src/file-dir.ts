/**
 * `opendir` for `loop.fs.promises`: {@link LoopDir}, a directory read a
 * batch of entries at a time, as `node:fs`' `Dir` reads it — the same
 * methods (`read`, `readSync`, `close`, `closeSync`, `entries`, `for
 * await`), the same `fs.Dirent`s, in the order the kernel gives them (not
 * sorted, unlike `readdir`), and the same errors.
 *
 * The directory is opened and closed through the loop (by the kernel on
 * io_uring). Its entries are read with getdents64(2) on the loop's thread,
 * as `readdir` reads them and as Node's `Dir` reads them (libuv's
 * readdir(3), on the thread pool for `read()`, on the main thread for
 * `readSync()`): a batch of `bufferSize` entries at a time. A read never
 * waits on the loop, so `read()` settles with what the kernel said
 * at the call.
 *
 * With `recursive`, a subdirectory's entries are read when its Dirent is
 * given, all of them, and queued after those already read — Node 22's
 * walk, on the loop's thread as Node's (open, getdents64, close). Node 20
 * reads only the first `bufferSize` entries of each subdirectory.
 *
 * @module
 */

import { type Dirent, constants as fsConstants, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { AT_FDCWD, DT_UNKNOWN, O_CLOEXEC, O_RDONLY } from '@evring/abi';
import { closeOwned, fileIoSync } from '@evring/sys';
import { checkFunction, checkInt, coded } from './errors.js';
import { nameOptions } from './file-attributes.js';
import { fileError, tiedFd } from './file-ops.js';
import type { LoopFileHandle } from './file-promises.js';
import { entryName, makeDirent, type RawEntry, readBatch, typeOfMode } from './file-readdir.js';
import type { FileOpOptions } from './files.js';

/**
 * The options of `opendir`, as `fs/promises` takes them, and evring's
 * `signal` (for the open).
 *
 * @example
 * ```ts
 * import { Loop, type OpendirOptions } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * const everything: OpendirOptions = { recursive: true, bufferSize: 128 };
 * for await (const entry of await fs.opendir('/etc', everything)) {
 *   if (entry.isFile()) console.log(entry.parentPath, entry.name);
 * }
 * ```
 */
export interface OpendirOptions extends FileOpOptions {
  /** The names' encoding (default `'utf8'`); `'buffer'` gives Buffers. */
  encoding?: BufferEncoding | 'buffer' | null;
  /** Entries read from the kernel at a time (1 to 2^32 − 1; default 32). */
  bufferSize?: number;
  /** The entries of every subdirectory too, each read when its Dirent is given (default false). */
  recursive?: boolean;
}

/** @internal What `opendir` was asked, its options checked. */
export interface OpendirArguments {
  encoding: BufferEncoding | 'buffer';
  bufferSize: number;
  recursive: boolean;
}

/** @internal The options, checked as Node's `Dir` checks them (but before the open: see the docs). */
export function opendirArguments(options: unknown): OpendirArguments {
  const o = nameOptions(options) as OpendirOptions;
  // Node spreads the options over { bufferSize: 32 }: an own bufferSize, even undefined, is checked.
  const own = Object.prototype.propertyIsEnumerable.call(o, 'bufferSize');
  return {
    encoding: o.encoding || 'utf8',
    bufferSize: own ? checkInt('options.bufferSize', o.bufferSize, 1, 4_294_967_295) : 32,
    recursive: Boolean(o.recursive),
  };
}

/** Node's ERR_DIR_CLOSED. */
function dirClosed(): Error {
  return coded(new Error('Directory handle was closed'), 'ERR_DIR_CLOSED');
}

/** fileIoSync's openat(2). */
const OPEN = 4;
/** @internal The flags a directory is opened with to be read: O_DIRECTORY, so that anything else fails with ENOTDIR. */
export const DIRECTORY_FLAGS = O_RDONLY | fsConstants.O_DIRECTORY | O_CLOEXEC;

/** Bytes asked of each getdents64 call. */
const BATCH_BYTES = 32 * 1024;

/**
 * An open directory, as `node:fs`' `Dir`: read one `fs.Dirent` at a time
 * (`null` at the end), or iterate with `for await` (which closes it at the
 * end or on a `break`). Made by `loop.fs.promises.opendir`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * const dir = await fs.opendir('/etc');
 * let entry;
 * while ((entry = await dir.read()) !== null) console.log(entry.name);
 * await dir.close();
 * ```
 */
export class LoopDir {
  readonly #handle: LoopFileHandle;
  readonly #path: string | Buffer;
  readonly #options: OpendirArguments;
  /** Dirents made and not yet given, from #at on. */
  #queue: Dirent[] = [];
  #at = 0;
  /** Entries the kernel gave beyond the last batch. */
  readonly #spare: RawEntry[] = [];
  #bytes: Buffer | null = null;
  #end = false;
  #closed = false;

  /** @internal Made by `opendir()`. */
  constructor(handle: LoopFileHandle, path: string | Buffer, options: OpendirArguments) {
    this.#handle = handle;
    this.#path = path;
    this.#options = options;
  }

  /** The path `opendir` was given (a URL as its path). */
  get path(): string | Buffer {
    return this.#path;
  }

  /** The next entry, or null after the last; with a callback, given to it instead. Throws ERR_DIR_CLOSED once closed. */
  read(): Promise<Dirent | null>;
  read(callback: (err: Error | null, dirent: Dirent | null) => void): void;
  read(
    callback?: (err: Error | null, dirent: Dirent | null) => void,
  ): Promise<Dirent | null> | undefined {
    if (this.#closed) throw dirClosed();
    if (callback === undefined) {
      try {
        return Promise.resolve(this.#next());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    checkFunction('callback', callback);
    let dirent: Dirent | null = null;
    let error: Error | null = null;
    try {
      dirent = this.#next();
    } catch (err) {
      error = err as Error;
    }
    process.nextTick(callback, error, dirent);
  }

  /** {@link read}, returning the entry. */
  readSync(): Dirent | null {
    if (this.#closed) throw dirClosed();
    return this.#next();
  }

  /** Closes the directory (through the loop); ERR_DIR_CLOSED if it was. With a callback, told to it instead. */
  close(): Promise<void>;
  close(callback: (err: Error | null) => void): void;
  close(callback?: (err: Error | null) => void): Promise<void> | void {
    if (callback === undefined) {
      if (this.#closed) return Promise.reject(dirClosed());
      this.#closed = true;
      return this.#handle.close();
    }
    checkFunction('callback', callback);
    if (this.#closed) {
      process.nextTick(callback, dirClosed());
      return;
    }
    this.#closed = true;
    this.#handle.close().then(
      () => callback(null),
      (err: Error) => callback(err),
    );
  }

  /** Closes the directory at once, on this thread; ERR_DIR_CLOSED if it was. */
  closeSync(): void {
    if (this.#closed) throw dirClosed();
    this.#closed = true;
    this.#handle.closeNow();
  }

  /** The entries, read one by one; the directory is closed at the end, or when the loop over them ends early. */
  async *entries(): AsyncGenerator<Dirent, void, undefined> {
    try {
      for (;;) {
        const dirent = await this.read();
        if (dirent === null) break;
        yield dirent;
      }
    } finally {
      await this.close();
    }
  }

  /** {@link entries}: `for await (const entry of dir)`. */
  [Symbol.asyncIterator](): AsyncGenerator<Dirent, void, undefined> {
    return this.entries();
  }

  /** The next Dirent: from the queue, else from the next batch; a subdirectory's entries queued as it is given. */
  #next(): Dirent | null {
    if (this.#at === this.#queue.length) {
      this.#queue = [];
      this.#at = 0;
      const batch = this.#batch();
      if (batch.length === 0) return null;
      this.#queue = this.#dirents(this.#path, batch);
    }
    const dirent = this.#queue[this.#at]!;
    this.#queue[this.#at++] = undefined as never;
    if (this.#options.recursive && dirent.isDirectory()) this.#queueSubdirectory(dirent);
    return dirent;
  }

  /** Up to `bufferSize` entries of the directory, in the kernel's order; none at its end. */
  #batch(): RawEntry[] {
    const want = this.#options.bufferSize;
    if (!this.#end && this.#spare.length < want) {
      const res = readBatch(this.#handle.fd, this.#buffer(), this.#spare, want);
      if (res < 0) throw fileError(res, 'scandir', pathText(this.#path), null);
      if (res === 0) this.#end = true;
    }
    return this.#spare.splice(0, want);
  }

  /** The getdents64 buffer, made at the first read. */
  #buffer(): Buffer {
    this.#bytes ??= Buffer.allocUnsafe(BATCH_BYTES);
    return this.#bytes;
  }

  /**
   * Every entry of the subdirectory `dirent` names, queued after those
   * waiting (Node 22's readSyncRecursive). Its fd is held by sys from the
   * open and tied to this thread until closed, so that a worker ended
   * midway does not leave it open.
   */
  #queueSubdirectory(dirent: Dirent): void {
    const path = join(dirent.parentPath as string, dirent.name as string);
    const opened = fileIoSync(
      OPEN,
      AT_FDCWD,
      Buffer.from(`${path}\0`),
      0,
      DIRECTORY_FLAGS,
      0,
      true,
    );
    if (opened < 0) throw fileError(opened, 'opendir', path, null);
    const fd = tiedFd(opened, 'opendir', path);
    const entries: RawEntry[] = [];
    try {
      const res = readBatch(fd, this.#buffer(), entries, Number.POSITIVE_INFINITY);
      if (res < 0) throw fileError(res, 'scandir', path, null);
    } finally {
      closeOwned(fd);
    }
    for (const d of this.#dirents(path, entries)) this.#queue.push(d);
  }

  /** Dirents for `entries` of the directory `path`, as Node's getDirent makes them (lstat where the type is unknown). */
  #dirents(path: string | Buffer, entries: RawEntry[]): Dirent[] {
    const encoding = this.#options.encoding;
    return entries.map((e) => {
      const name = entryName(e, encoding);
      const type =
        e.type === DT_UNKNOWN
          ? typeOfMode(lstatSync(join(path as string, name as string)).mode)
          : e.type;
      return makeDirent(name, type, path as string);
    });
  }
}

/** The path as error messages give it. */
function pathText(path: string | Buffer): string {
  return typeof path === 'string' ? path : path.toString('utf8');
}
