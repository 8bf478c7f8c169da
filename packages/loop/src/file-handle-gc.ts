/**
 * FileHandles the garbage collector takes before they were closed: their
 * fds are closed then, with a process warning, as Node closes a
 * `fs/promises` FileHandle's, so that a forgotten `close()` does not leak
 * an fd for the life of the process.
 *
 * Unlike Node, the number is closed only while it still names the file the
 * handle opened (its device and inode, taken at the open): a handle whose
 * fd was closed behind its back, and the number given to another file,
 * must not close that file. The check costs an fstat per open (about 1 µs
 * against an open's 8–10); the reads and writes pay nothing.
 *
 * @module
 */

import { closeSync, fstatSync } from 'node:fs';

/** What a collected handle leaves behind: its fd and the file's identity at the open. */
interface Held {
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
}

const collected = new FinalizationRegistry<Held>(closeCollected);

/** Closes `handle`'s `fd` if the handle is collected before {@link forgetHandle}. */
export function watchHandle(handle: object, fd: number): void {
  let dev: number;
  let ino: number;
  try {
    ({ dev, ino } = fstatSync(fd));
  } catch {
    return; // closed already, behind the open's back: nothing of the handle's to close
  }
  collected.register(handle, { fd, dev, ino }, handle);
}

/** The handle was closed: nothing to do when it is collected. */
export function forgetHandle(handle: object): void {
  collected.unregister(handle);
}

function closeCollected({ fd, dev, ino }: Held): void {
  try {
    const now = fstatSync(fd);
    if (now.dev !== dev || now.ino !== ino) return; // the number names another file now
    closeSync(fd);
  } catch {
    return; // closed elsewhere: EBADF
  }
  process.emitWarning(`Closing file descriptor ${fd} on garbage collection`, {
    code: 'EVRING_FILEHANDLE_GC',
    detail: 'A FileHandle of loop.fs.promises was not closed; close it with close().',
  });
}
