/**
 * `copyFile` for `loop.fs.promises`: the steps libuv's copyfile takes,
 * each one an operation of the loop (on io_uring the kernel opens, reads,
 * writes and closes), so that the result and every error are Node's.
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
import { type CodedError, LOOP_DESTROYED } from './errors.js';
import { onFd } from './file-attributes.js';
import { fileError, PROMISE_FORM } from './file-ops.js';
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

/** @internal Copies `src` to `dest` with the loop's operations, as the module says. */
export async function copyFile(
  files: LoopFiles,
  src: PathLike,
  dest: PathLike,
  mode: number,
  signal: AbortSignal | null,
): Promise<void> {
  const fs = files.promises;
  const open = async (path: PathLike, flags: number, perms: number): Promise<number> =>
    ownedFd(
      realSys,
      (await files.openAt(path, flags, perms, 'copyfile', PROMISE_FORM, signal)) as number,
    );
  const opts = signal === null ? undefined : { signal };
  let from: number;
  try {
    from = await open(src, O_RDONLY, 0);
  } catch (err) {
    throw asCopyError(err, src, dest);
  }
  let to = -1;
  const steps = async (): Promise<void> => {
    const source = statNow(from);
    const perms = source.mode & 0o7777;
    to = await open(dest, O_WRONLY | O_CREAT | (mode & COPYFILE_EXCL ? O_EXCL : 0), perms);
    if (!(mode & COPYFILE_EXCL)) {
      const target = statNow(to);
      if (
        target.devMajor === source.devMajor &&
        target.devMinor === source.devMinor &&
        target.ino === source.ino
      ) {
        return; // the same file: done
      }
      await truncated(fs, to, target.size, opts);
    }
    onFd.chmod(to, perms);
    if (mode & (COPYFILE_FICLONE | COPYFILE_FICLONE_FORCE)) {
      const res = ficlone(to, from);
      if (res === 0) return;
      if (mode & COPYFILE_FICLONE_FORCE) throw fileError(res, 'copyfile', null, null);
    }
    await copyBytes(files, from, to, Number(source.size), opts);
  };
  let failure: unknown = null;
  try {
    await steps();
  } catch (err) {
    failure = err;
  }
  failure = await closeBoth(fs, from, to, failure);
  if (failure !== null) {
    if (to >= 0) await fs.unlink(dest).catch(() => {}); // as Node: the error already happened
    throw asCopyError(failure, src, dest);
  }
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
async function truncated(
  fs: LoopFiles['promises'],
  fd: number,
  size: bigint,
  opts: { signal: AbortSignal } | undefined,
): Promise<void> {
  if (size === 0n) {
    const res = fileIoSync(OP_FTRUNCATE, fd, statScratch, 0, 0, 0);
    if (res < 0 && res !== -errno.EACCES) throw fileError(res, 'copyfile', null, null);
    return;
  }
  await fs.ftruncate(fd, 0, opts);
}

/** `size` bytes from `from` to `to`, from offset 0, through one buffer; an early end of the source ends it. */
async function copyBytes(
  files: LoopFiles,
  from: number,
  to: number,
  size: number,
  opts: { signal: AbortSignal } | undefined,
): Promise<void> {
  if (size === 0) return;
  const fs = files.promises;
  // Not pinned: its bytes go through the operations' own bounce buffers,
  // kept from one operation to the next, where a pinned block of its own
  // would be mapped and unmapped for each copy (30 µs here, a 4 KiB copy's
  // read and write together).
  const buf = Buffer.allocUnsafe(Math.min(size, CHUNK));
  for (let at = 0; at < size; ) {
    const want = Math.min(buf.length, size - at);
    const got = await fs.read(from, want === buf.length ? buf : buf.subarray(0, want), at, opts);
    if (got === 0) return;
    for (let done = 0; done < got; ) {
      const n = await fs.write(to, buf.subarray(done, got), at + done, opts);
      if (n === 0) throw fileError(-errno.EIO, 'copyfile', null, null); // a file that takes nothing: no spinning
      done += n;
    }
    at += got;
  }
}

/**
 * Closes both files, the source first; the first error of the copy, or
 * else of a close, is the result. A loop destroyed meanwhile cannot close
 * them: their ties do (closing each number only while it still names the
 * file, never twice), as a handle's close does.
 */
async function closeBoth(
  fs: LoopFiles['promises'],
  from: number,
  to: number,
  failure: unknown,
): Promise<unknown> {
  for (const fd of to >= 0 ? [from, to] : [from]) {
    try {
      await fs.close(fd);
    } catch (err) {
      if ((err as CodedError).code === LOOP_DESTROYED) closeOwned(fd);
      failure ??= err;
    }
  }
  return failure;
}
