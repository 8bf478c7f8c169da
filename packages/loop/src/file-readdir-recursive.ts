/**
 * `readdir(path, { recursive: true })` for `loop.fs.promises`: the walk
 * Node 20's `fs/promises` makes, each directory read through the loop, so
 * that the names, their order, the Dirents and every error are Node's.
 *
 * Node's walk keeps a stack of directories read: it takes the last one,
 * gives each of its entries in turn, and reads each subdirectory as it
 * meets it (pushing it on the stack). The names form gives each entry's
 * path relative to the top, and counts as a subdirectory whatever
 * `stat` (which follows symbolic links) says is a directory; the
 * `withFileTypes` form gives Dirents and follows no link. Paths are made
 * with `path.join`, as Node makes them, so a Buffer path or names read as
 * Buffers fail where Node's fail (`path.join` takes strings only).
 *
 * Two things are done otherwise:
 * - Node `stat`s every entry in the names form. Here an entry the
 *   directory says is a directory is read at once, and one it says is a
 *   file (or a pipe, a socket, a device) is not looked at again: only
 *   links, entries of no known type, and names that do not come back to
 *   their bytes in UTF-8 are `stat`ed. Where reading a subdirectory fails,
 *   its `stat` is asked then, to fail or go on as Node would.
 * - A symbolic link that leads back to a directory the walk is inside
 *   (`a/up -> ..`) is listed but not followed. Node follows it until the
 *   path holds more links than the kernel resolves (40: ELOOP), listing
 *   the same entries again at every level; with two such links the walk
 *   doubles at every level and does not end. Other links to directories
 *   are followed as Node follows them.
 *
 * @module
 */

import { type Dirent, fstatSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DT_DIR, DT_LNK, DT_UNKNOWN } from '@evring/abi';
import { abortError } from './errors.js';
import type { FilePromises } from './file-promises.js';
import { entryName, makeDirent, type RawEntry, typeOfMode } from './file-readdir.js';
import type { FileOpOptions } from './files.js';
import { type PathLike, pathString } from './open-flags.js';

/** A directory the walk is inside: its device and inode, and the one above it. */
interface Inside {
  readonly id: string;
  readonly up: Inside | null;
}

/**
 * A directory read and waiting on the stack: its path as Node joins it,
 * its entries, its identity (null when not asked or not known) and the
 * directories the walk is inside there, itself included.
 */
interface Read {
  readonly path: string;
  readonly entries: RawEntry[];
  readonly id: string | null;
  readonly inside: Inside | null;
}

/**
 * @internal The names under `path`, or its Dirents (`withFileTypes`), in
 * Node's order; `options` (its signal) goes to every operation.
 */
export async function readdirRecursive(
  fs: FilePromises,
  path: PathLike,
  encoding: BufferEncoding | 'buffer',
  withFileTypes: boolean,
  options: FileOpOptions | undefined,
): Promise<(string | Buffer)[] | Dirent[]> {
  // Node's getValidatedPath: a URL becomes its path; a Buffer stays one,
  // and path.join refuses it at the first entry, as in Node.
  const top = (path instanceof URL ? pathString(path) : path) as string;
  const walk = new Walk(fs, encoding, options);
  return withFileTypes ? walk.dirents(top) : walk.names(top);
}

class Walk {
  readonly #fs: FilePromises;
  readonly #encoding: BufferEncoding | 'buffer';
  readonly #options: FileOpOptions | undefined;

  constructor(
    fs: FilePromises,
    encoding: BufferEncoding | 'buffer',
    options: FileOpOptions | undefined,
  ) {
    this.#fs = fs;
    this.#encoding = encoding;
    // The signal alone: the stats and lstats made would read readdir's other options as theirs.
    this.#options = options?.signal === undefined ? undefined : { signal: options.signal };
  }

  /** The names form: paths relative to `top`, links to directories followed. */
  async names(top: string): Promise<(string | Buffer)[]> {
    const out: (string | Buffer)[] = [];
    const stack: Read[] = [await this.#read(top, null, true)];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const entry of dir.entries) {
        const name = entryName(entry, this.#encoding) as string;
        const at = join(dir.path, name);
        const sub = await this.#subdirectory(entry, name, at, dir.inside);
        out.push(relative(top, at));
        if (sub !== null) stack.push(sub);
      }
    }
    return out;
  }

  /** The `withFileTypes` form: Dirents, only real directories entered. */
  async dirents(top: string): Promise<Dirent[]> {
    const out: Dirent[] = [];
    const stack: Read[] = [await this.#read(top, null, false)];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      // All of a directory's Dirents are made before any is given, as Node's getDirents makes them.
      const dirents: Dirent[] = [];
      for (const entry of dir.entries) {
        const name = entryName(entry, this.#encoding);
        let type = entry.type;
        if (type === DT_UNKNOWN)
          type = typeOfMode(
            (await this.#op(this.#fs.lstat(join(dir.path, name as string), this.#options))).mode,
          );
        dirents.push(makeDirent(name, type, dir.path));
      }
      for (const d of dirents) {
        out.push(d);
        if (d.isDirectory())
          stack.push(await this.#read(join(dir.path, d.name as string), null, false));
      }
    }
    return out;
  }

  /**
   * The entry at `at` read as a directory when Node's walk enters it (its
   * `stat` says directory), or null; see the module's comment for what is
   * asked of the kernel, and for the links not followed.
   */
  async #subdirectory(
    entry: RawEntry,
    name: string,
    at: string,
    inside: Inside | null,
  ): Promise<Read | null> {
    // The type the directory gave holds for the path Node stats only when
    // the name, as a string, comes back to its own bytes.
    const exact = entry.name.equals(Buffer.from(name, 'utf8'));
    let sub: Read;
    if (exact && entry.type === DT_DIR) {
      try {
        sub = await this.#read(at, inside, true);
      } catch (err) {
        // Node would have asked stat first: not there, or not a directory, is no subdirectory.
        if (!fromKernel(err) || (await this.#isDirectory(at))) throw err;
        return null;
      }
    } else if (exact && entry.type !== DT_LNK && entry.type !== DT_UNKNOWN) {
      return null;
    } else {
      if (!(await this.#isDirectory(at))) return null;
      sub = await this.#read(at, inside, true);
    }
    for (let up = inside; up !== null && sub.id !== null; up = up.up) {
      if (up.id === sub.id) return null; // a way back up: listed, not followed
    }
    return sub;
  }

  /** What Node's walk asks of an entry: does `stat` say directory? Any failure is no. */
  async #isDirectory(at: string): Promise<boolean> {
    try {
      return (await this.#op(this.#fs.stat(at, this.#options))).isDirectory();
    } catch (err) {
      if (!fromKernel(err)) throw err;
      this.#checkAborted();
      return false;
    }
  }

  /** The directory at `path` read; its identity kept (names form) for the links that lead back up. */
  async #read(path: string, inside: Inside | null, identify: boolean): Promise<Read> {
    const open = { id: null as string | null };
    const entries = await this.#op(
      this.#fs.entries(
        path,
        this.#options,
        identify ? (fd) => (open.id = identity(fd)) : undefined,
      ),
    );
    const { id } = open;
    return { path, entries, id, inside: id === null ? inside : { id, up: inside } };
  }

  /** An operation's result, the walk's signal checked after it (between operations). */
  async #op<T>(p: Promise<T>): Promise<T> {
    const value = await p;
    this.#checkAborted();
    return value;
  }

  #checkAborted(): void {
    const signal = this.#options?.signal;
    if (signal?.aborted) throw abortError(signal);
  }
}

/**
 * A failure the kernel gave (it has an errno), which Node's walk meets too;
 * anything else (an abort, a destroyed loop) ends the walk.
 */
function fromKernel(err: unknown): boolean {
  return typeof (err as { errno?: unknown } | null)?.errno === 'number';
}

/** The device and inode of the directory open on `fd` (null if it cannot be asked). */
function identity(fd: number): string | null {
  try {
    const st = fstatSync(fd, { bigint: true });
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}
