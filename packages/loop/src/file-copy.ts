/**
 * `copyFile`, both forms: the steps libuv's copyfile takes, each one an
 * operation of the loop (on io_uring the kernel opens, reads, writes and
 * closes), so that the result and every error are Node's. The steps are
 * written once, as a generator (file-tasks.ts); the promise form runs them
 * on its operations, which take its signal (an abort cancels the one
 * under way), and the callback form as a task, each step started from the
 * last one's callback.
 *
 * The steps: open the source read-only and ask its status; open (create)
 * the destination write-only with the source's mode (`O_EXCL` with
 * COPYFILE_EXCL); unless exclusive, stop with success when both name the
 * same file, else truncate it; give it the source's mode; with
 * COPYFILE_FICLONE(_FORCE) try a reflink (ioctl FICLONE; the forced form
 * fails where the filesystem has none); then copy the number of bytes the
 * source's status gave (a `/proc` file says 0: nothing is copied, as with
 * Node). Both files are closed; on any failure the destination is
 * removed (but by a loop destroyed midway, which can no longer remove it).
 * Every error says `copyfile` and both paths, as Node's.
 *
 * Where Node copies inside the kernel (copy_file_range), the bytes here go
 * through a buffer of up to 1 MiB, read and written by the loop's
 * operations: the loop's thread never waits on the disk. The two fstats,
 * and the truncation of an empty file, are made at once: they read or
 * change what the kernel holds in memory.
 *
 * @module
 */

import { constants as fsConstants } from 'node:fs';
import { AT_EMPTY_PATH, errno, readStatxBigInt, type StatxBigInt } from '@evring/abi';
import { OP_FTRUNCATE, OP_STATX, ownedFd, realSys } from '@evring/backend';
import { closeOwned, ficlone, fileIoSync } from '@evring/sys';
import { type CodedError, checkFunction, LOOP_DESTROYED } from './errors.js';
import { bindingMode, onFd } from './file-attributes.js';
import { fileError, PROMISE_FORM } from './file-ops.js';
import {
  closeStep,
  promised,
  type Resume,
  type Steps,
  settled,
  type TaskOps,
} from './file-tasks.js';
import type { LoopFiles } from './files.js';
import { type PathLike, pathBytes, pathString } from './open-flags.js';

const {
  COPYFILE_EXCL,
  COPYFILE_FICLONE,
  COPYFILE_FICLONE_FORCE,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_WRONLY,
} = fsConstants;
/** Where an fd's statx lands: an empty path (its NUL at 0), the answer at {@link STATX_AT}. */
const statScratch = new Uint8Array(8 + 256);
const statView = new DataView(statScratch.buffer);
const STATX_AT = 8;
/** The most one read or write of the copy moves. */
const CHUNK = 1 << 20;

/** @internal The paths checked in Node's order and names: `src`, then `dest`. */
export function copyPaths(src: unknown, dest: unknown): void {
  pathBytes('src', src);
  pathBytes('dest', dest);
}

/** An error of a step, as the whole copy's: `copyfile` and both paths; aborts and a destroyed loop as they are. */
function asCopyError(err: unknown, src: PathLike, dest: PathLike): unknown {
  const errno = (err as { errno?: unknown }).errno;
  if (typeof errno !== 'number') return err;
  return fileError(errno, 'copyfile', pathString(src), pathString(dest));
}

/**
 * @internal What a copy's steps start, each calling `resume` once: the loop's
 * operations as the promise form makes them (with its signal) or as the
 * callback form does.
 */
export interface CopyOps {
  /** open(2); the fd is tied to this thread. */
  open(path: PathLike, flags: number, mode: number, resume: Resume): void;
  /** ftruncate(2) to 0. */
  truncate(fd: number, resume: Resume): void;
  read(fd: number, into: Uint8Array, position: number, resume: Resume): void;
  write(fd: number, from: Uint8Array, position: number, resume: Resume): void;
  /** Closes `fd`, through the loop, or directly once the loop is gone (then with no step). */
  close(fd: number): Steps<void>;
  unlink(path: PathLike, resume: Resume): void;
}

/** @internal Copies `src` to `dest` with the loop's operations, as the module says. */
export function* copySteps(ops: CopyOps, src: PathLike, dest: PathLike, mode: number): Steps<void> {
  let from: number;
  try {
    from = (yield (resume) => ops.open(src, O_RDONLY, 0, resume)) as number;
  } catch (err) {
    throw asCopyError(err, src, dest);
  }
  let to = -1;
  let failure: unknown = null;
  try {
    const source = statNow(from);
    const perms = source.mode & 0o7777;
    const flags = O_WRONLY | O_CREAT | (mode & COPYFILE_EXCL ? O_EXCL : 0);
    to = (yield (resume) => ops.open(dest, flags, perms, resume)) as number;
    yield* filled(ops, from, to, source, mode);
  } catch (err) {
    failure = err;
  } finally {
    // Both closed, the source first; the first error of the copy, or else
    // of a close, stands. Nested, so that a task ended (its loop destroyed)
    // while the source's close is under way still closes the destination.
    try {
      failure = yield* closed(ops, from, failure);
    } finally {
      if (to >= 0) failure = yield* closed(ops, to, failure);
    }
  }
  if (failure !== null) {
    if (to >= 0) {
      try {
        yield (resume) => ops.unlink(dest, resume);
      } catch {
        // As Node: the error already happened.
      }
    }
    throw asCopyError(failure, src, dest);
  }
}

/** Closes `fd`; the copy's failure, or else the close's. */
function* closed(ops: CopyOps, fd: number, failure: unknown): Steps<unknown> {
  try {
    yield* ops.close(fd);
  } catch (err) {
    return failure ?? err;
  }
  return failure;
}

/** The destination `to`, open, made the source's copy: unless it is the source itself. */
function* filled(
  ops: CopyOps,
  from: number,
  to: number,
  source: StatxBigInt,
  mode: number,
): Steps<void> {
  const perms = source.mode & 0o7777;
  if (!(mode & COPYFILE_EXCL)) {
    const target = statNow(to);
    if (
      target.devMajor === source.devMajor &&
      target.devMinor === source.devMinor &&
      target.ino === source.ino
    ) {
      return; // the same file: done
    }
    yield* truncated(ops, to, target.size);
  }
  onFd.chmod(to, perms);
  if (mode & (COPYFILE_FICLONE | COPYFILE_FICLONE_FORCE)) {
    const res = ficlone(to, from);
    if (res === 0) return;
    if (mode & COPYFILE_FICLONE_FORCE) throw fileError(res, 'copyfile', null, null);
  }
  yield* copyBytes(ops, from, to, Number(source.size));
}

/**
 * An open file's status, asked now (fstat of an open file reads the inode
 * the kernel holds, never the disk; on io_uring a STATX would go to a
 * kernel worker and back for it), read by abi's statx reader.
 */
function statNow(fd: number): StatxBigInt {
  const res = fileIoSync(OP_STATX, fd, statScratch, 0, AT_EMPTY_PATH, STATX_AT);
  if (res < 0) throw fileError(res, 'copyfile', null, null);
  return readStatxBigInt(statView, STATX_AT);
}

/**
 * Truncates the destination: an empty one now (nothing to free), a longer
 * one by the loop (on io_uring, a kernel worker frees its blocks). EACCES
 * on an empty one is none, as libuv squelches it (ceph-fuse).
 */
function* truncated(ops: CopyOps, fd: number, size: bigint): Steps<void> {
  if (size === 0n) {
    const res = fileIoSync(OP_FTRUNCATE, fd, statScratch, 0, 0, 0);
    if (res < 0 && res !== -errno.EACCES) throw fileError(res, 'copyfile', null, null);
    return;
  }
  yield (resume) => ops.truncate(fd, resume);
}

/** `size` bytes from `from` to `to`, from offset 0, through one buffer; an early end of the source ends it. */
function* copyBytes(ops: CopyOps, from: number, to: number, size: number): Steps<void> {
  if (size === 0) return;
  // Not pinned: its bytes go through the operations' own bounce buffers,
  // kept from one operation to the next, where a pinned block of its own
  // would be mapped and unmapped for each copy (30 µs here, a 4 KiB copy's
  // read and write together).
  const buf = Buffer.allocUnsafe(Math.min(size, CHUNK));
  for (let at = 0; at < size; ) {
    const want = Math.min(buf.length, size - at);
    const into = want === buf.length ? buf : buf.subarray(0, want);
    const got = (yield (resume) => ops.read(from, into, at, resume)) as number;
    if (got === 0) return;
    for (let done = 0; done < got; ) {
      const part = buf.subarray(done, got);
      const n = (yield (resume) => ops.write(to, part, at + done, resume)) as number;
      if (n === 0) throw fileError(-errno.EIO, 'copyfile', null, null); // a file that takes nothing: no spinning
      done += n;
    }
    at += got;
  }
}

/** @internal `fs/promises`' `copyFile`, its arguments checked: the steps on the promise form's operations. */
export function copyFile(
  files: LoopFiles,
  src: PathLike,
  dest: PathLike,
  mode: number,
  signal: AbortSignal | null,
): Promise<void> {
  const fs = files.promises;
  const opts = signal === null ? undefined : { signal };
  const ops: CopyOps = {
    open: (path, flags, perms, resume) =>
      settled(
        files
          .openAt(path, flags, perms, 'copyfile', PROMISE_FORM, signal)!
          .then((fd) => ownedFd(realSys, fd as number)),
        resume,
      ),
    truncate: (fd, resume) => settled(fs.ftruncate(fd, 0, opts), resume),
    read: (fd, into, at, resume) => settled(fs.read(fd, into, at, opts), resume),
    write: (fd, from, at, resume) => settled(fs.write(fd, from, at, opts), resume),
    *close(fd) {
      try {
        yield (resume) => settled(fs.close(fd), resume);
      } catch (err) {
        // A loop destroyed meanwhile: the tie closes the number only while it still names the file.
        if ((err as CodedError).code === LOOP_DESTROYED) closeOwned(fd);
        throw err;
      }
    },
    unlink: (path, resume) => settled(fs.unlink(path), resume),
  };
  return promised(copySteps(ops, src, dest, mode));
}

/**
 * @internal `fs.copyFile(src, dest[, mode], callback)`: checked in Node's
 * order (the paths, the callback, the mode), then the steps on the loop's
 * callback operations, each started from the last one's callback.
 */
export function copyFileCallback(
  ops: TaskOps,
  src: unknown,
  dest: unknown,
  mode: unknown,
  callback: unknown,
): void {
  const [given, cb] = typeof mode === 'function' ? [0, mode] : [mode, callback];
  copyPaths(src, dest);
  const done = checkFunction<Resume>('callback', cb);
  const bits = bindingMode(given);
  const steps = copySteps(taskCopyOps(ops), src as PathLike, dest as PathLike, bits);
  ops.tasks.run('copyFile', steps, done);
}

/** @internal A copy's operations as the callback forms make them: the loop's, each calling back `resume`. */
export function taskCopyOps(ops: TaskOps): CopyOps {
  return {
    open: (path, flags, perms, resume) => {
      const bytes = pathBytes('path', path);
      ops.open(bytes, pathString(bytes), flags, perms, 'open', resume);
    },
    truncate: (fd, resume) => ops.ftruncate(fd, 0, resume),
    read: (fd, into, at, resume) => ops.read(fd, into, at, resume),
    write: (fd, from, at, resume) => ops.write(fd, from, at, resume),
    close: (fd) => closeStep(ops.tasks, fd, ops.close),
    unlink: (path, resume) => ops.unlink(pathBytes('path', path), resume),
  };
}
