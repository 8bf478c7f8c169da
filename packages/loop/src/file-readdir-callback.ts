/**
 * The callback forms of `readdir` and `opendir`, as `node:fs` shapes them.
 * `opendir` is a task of one step, the open, whose fd (tied) a
 * {@link LoopDir} then reads. `readdir` is a task
 * (file-tasks.ts) that opens the directory through the loop, reads its
 * entries with getdents64(2) on the loop's thread (io_uring has no
 * getdents), closes it, and asks `lstat` of an entry whose type the
 * filesystem did not give (for a Dirent).
 *
 * With `recursive`, the walk `node:fs`' callback form makes (a queue:
 * each directory's entries, then those of the subdirectories met, in
 * turn), its subdirectories being whatever `stat` (which follows links)
 * says is a directory for names, and the Dirents of directories for
 * `withFileTypes`. Three things differ from Node 20, whose callback form
 * runs that walk synchronously (`readdirSync`'s), blocking the thread and
 * throwing its errors at the call: here each directory is an operation
 * of the loop and every error reaches the callback; only links, and
 * entries of no known type, are `stat`ed (the type a directory gives for
 * the others is what `stat` would say); and a link that leads back to a
 * directory the walk is inside is listed, not entered (Node enters it
 * until the path holds 40 links, ELOOP), as in the promise form.
 *
 * @module
 */

import { type Dirent, fstatSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DT_DIR, DT_LNK, DT_UNKNOWN } from '@evring/abi';
import { checkFunction, invalidType } from './errors.js';
import { DIRECTORY_FLAGS, LoopDir, type OpendirArguments, opendirArguments } from './file-dir.js';
import { type FileSystemError, fileError } from './file-ops.js';
import {
  entryName,
  makeDirent,
  type RawEntry,
  type ReaddirOptions,
  readdirArguments,
  readEntries,
  typeOfMode,
} from './file-readdir.js';
import type { FileStats } from './file-stats.js';
import { closeStep, type Resume, type Steps, type TaskOps } from './file-tasks.js';
import { type PathLike, pathBytes, pathString } from './open-flags.js';

/**
 * Called once with a directory's entries: names (strings, or Buffers with
 * `encoding: 'buffer'`), or Dirents with `withFileTypes` (undefined on error).
 *
 * @example
 * ```ts
 * import { Loop, type ReaddirCallback } from '@evring/loop';
 * const got: ReaddirCallback = (err, names) => console.log(err?.code ?? names!.length);
 * new Loop().fs.readdir('/etc', got);
 * ```
 */
export type ReaddirCallback<T extends string | Buffer | Dirent | Dirent<Buffer> = string> = (
  err: FileSystemError | null,
  entries: T[] | undefined,
) => void;

/**
 * Called once with an open directory, a {@link LoopDir} (undefined on error).
 *
 * @example
 * ```ts
 * import { Loop, type OpendirCallback } from '@evring/loop';
 * const opened: OpendirCallback = (err, dir) => {
 *   if (err) throw err;
 *   console.log(dir!.readSync()?.name);
 *   dir!.closeSync();
 * };
 * new Loop().fs.opendir('/etc', opened);
 * ```
 */
export type OpendirCallback = (err: FileSystemError | null, dir: LoopDir | undefined) => void;

const SLASH = Buffer.from('/');

/** A directory read: its entries, and its device and inode (a walk's identity of it). */
interface Listing {
  readonly entries: RawEntry[];
  readonly id: string;
}

/** @internal How {@link entriesOf} reads a directory. */
export interface ReadingWay {
  /** What its errors say (default readdir's `scandir`; cp's walk says `opendir`). */
  readonly syscall?: string;
  /** In the kernel's order, as a Dir reads them (default false: sorted, as readdir's). */
  readonly kernelOrder?: boolean;
  /** Given the directory's fd before it is closed. */
  readonly whileOpen?: (fd: number) => void;
}

/**
 * @internal The entries of the directory `path` (its bytes), opened and
 * closed through the loop.
 */
export function* entriesOf(
  ops: TaskOps,
  path: Uint8Array,
  name: string,
  how: ReadingWay = {},
): Steps<RawEntry[]> {
  const syscall = how.syscall ?? 'scandir';
  const fd = (yield (resume) =>
    ops.open(path, name, DIRECTORY_FLAGS, 0, syscall, resume)) as number;
  let entries: RawEntry[] | number;
  try {
    entries = readEntries(fd, !how.kernelOrder);
    how.whileOpen?.(fd);
  } finally {
    yield* closeStep(ops.tasks, fd, ops.close);
  }
  if (typeof entries === 'number') throw fileError(entries, syscall, name, null);
  return entries;
}

/** The entries of the directory `path` (its bytes) and its identity. */
function* listing(ops: TaskOps, path: Uint8Array, name: string): Steps<Listing> {
  let id = '';
  const whileOpen = (fd: number): void => {
    const st = fstatSync(fd); // in memory: the kernel holds the open file's inode
    id = `${st.dev}:${st.ino}`;
  };
  const entries = yield* entriesOf(ops, path, name, { whileOpen });
  return { entries, id };
}

/** The status of `path` (following links or not), or null when it cannot be had (Node's walk counts it as no directory). */
function* statOrNull(ops: TaskOps, path: Uint8Array, follow: boolean): Steps<FileStats | null> {
  try {
    return (yield (resume) => ops.stat(path, follow, resume)) as FileStats;
  } catch {
    return null;
  }
}

function* plain(
  ops: TaskOps,
  path: PathLike,
  bytes: Uint8Array,
  encoding: BufferEncoding | 'buffer',
  withFileTypes: boolean,
): Steps<(string | Buffer)[] | Dirent[]> {
  const { entries } = yield* listing(ops, bytes, pathString(path));
  if (!withFileTypes) return entries.map((e) => entryName(e, encoding));
  const parent = path instanceof URL ? pathString(path) : (path as string);
  const out: Dirent[] = [];
  for (const e of entries) {
    let type = e.type;
    if (type === DT_UNKNOWN) {
      // The filesystem did not say: asked of the entry itself, as Node asks.
      const where = Buffer.concat([bytes, SLASH, e.name]);
      type = typeOfMode(((yield (resume) => ops.stat(where, false, resume)) as FileStats).mode);
    }
    out.push(makeDirent(entryName(e, encoding), type, parent));
  }
  return out;
}

/** A directory waiting in the walk's queue: its path as Node joins it, and the identities of the directories it is inside. */
interface Queued {
  readonly path: string;
  readonly inside: ReadonlySet<string>;
}

function* walk(
  ops: TaskOps,
  top: string,
  encoding: BufferEncoding | 'buffer',
  withFileTypes: boolean,
): Steps<(string | Buffer)[] | Dirent[]> {
  const out: (string | Buffer | Dirent)[] = [];
  const queue: Queued[] = [{ path: top, inside: new Set() }];
  for (let i = 0; i < queue.length; i++) {
    const { path, inside } = queue[i]!;
    const bytes = pathBytes('path', path);
    const { entries, id } = yield* listing(ops, bytes, path);
    const here = new Set(inside).add(id);
    for (const e of entries) {
      const name = entryName(e, encoding);
      // path.join, as Node's walk joins: a Buffer name fails here, as there.
      const full = join(path, name as string);
      let type = e.type;
      if (type === DT_UNKNOWN || (type === DT_LNK && !withFileTypes)) {
        // Names: what `stat` says, as Node's walk asks; Dirents: what the entry itself is (lstat).
        const st = yield* statOrNull(ops, Buffer.from(full), !withFileTypes);
        if (type === DT_LNK) {
          // Names: a link counts as what it leads to, unless that is a directory the walk is inside.
          const dir = st?.isDirectory() === true && !here.has(`${st.dev}:${st.ino}`);
          out.push(relative(top, full));
          if (dir) queue.push({ path: full, inside: here });
          continue;
        }
        type = st === null ? DT_UNKNOWN : typeOfMode(st.mode);
      }
      out.push(withFileTypes ? makeDirent(name, type, path) : relative(top, full));
      if (type === DT_DIR) queue.push({ path: full, inside: here });
    }
  }
  return out as (string | Buffer)[] | Dirent[];
}

/**
 * @internal `loop.fs.readdir(path, options, callback)`: the arguments
 * checked in Node's order (the callback, the options, the path, then
 * `recursive` as a boolean), then the task.
 */
export function readdirCallback(
  ops: TaskOps,
  path: unknown,
  options: unknown,
  callback: unknown,
): void {
  const [o, cb] = typeof options === 'function' ? [undefined, options] : [options, callback];
  const done = checkFunction<Resume>('callback', cb);
  const { encoding, withFileTypes } = readdirArguments(o);
  const bytes = pathBytes('path', path);
  const recursive = (o as ReaddirOptions | null | undefined)?.recursive;
  if (recursive != null && typeof recursive !== 'boolean') {
    throw invalidType('options.recursive', 'of type boolean', recursive);
  }
  const steps = recursive
    ? walk(ops, path instanceof URL ? pathString(path) : (path as string), encoding, withFileTypes)
    : plain(ops, path as PathLike, bytes, encoding, withFileTypes);
  ops.tasks.run('readdir', steps, done);
}

/**
 * @internal `loop.fs.opendir(path, options, callback)`: the callback (a
 * function in the options' place is it), the path, then the options
 * (`bufferSize` too: see {@link LoopFiles.opendir}), in Node's order.
 */
export function opendirCallback(
  ops: TaskOps,
  path: unknown,
  options: unknown,
  callback: unknown,
): void {
  const [o, cb] = typeof options === 'function' ? [undefined, options] : [options, callback];
  const done = checkFunction<Resume>('callback', cb);
  const bytes = pathBytes('path', path);
  const args = opendirArguments(o);
  const shown = path instanceof URL ? pathString(path) : (path as string | Buffer);
  ops.tasks.run('opendir', opened(ops, bytes, pathString(path as PathLike), shown, args), done);
}

function* opened(
  ops: TaskOps,
  bytes: Uint8Array,
  name: string,
  shown: string | Buffer,
  args: OpendirArguments,
): Steps<LoopDir> {
  const fd = (yield (resume) =>
    ops.open(bytes, name, DIRECTORY_FLAGS, 0, 'opendir', resume)) as number;
  return new LoopDir(ops.handle(fd), shown, args);
}
