/**
 * FileHandles the garbage collector takes before they were closed: their
 * fds are closed then, with a process warning, as Node closes a
 * `fs/promises` FileHandle's, so that a forgotten `close()` does not leak
 * an fd for the life of the process.
 *
 * Unlike Node, the number is closed only while it still names the file the
 * handle opened: a handle whose fd was closed behind its back, and the
 * number given to another file (another open of the same file too), must
 * not close that file. The identity is the tie every handle's fd has to
 * its environment (`ownFd` of `@evring/sys`, made at the open: a private
 * duplicate), which also closes the fd when a worker ends with the handle
 * open; here `closeOwned` compares and closes.
 *
 * @module
 */

import { closeOwned } from '@evring/sys';

const collected = new FinalizationRegistry<number>(closeCollected);

/** Closes `handle`'s `fd` (owned: see the module's comment) if the handle is collected before {@link forgetHandle}. */
export function watchHandle(handle: object, fd: number): void {
  collected.register(handle, fd, handle);
}

/** The handle was closed: nothing to do when it is collected. */
export function forgetHandle(handle: object): void {
  collected.unregister(handle);
}

function closeCollected(fd: number): void {
  if (!closeOwned(fd)) return; // the number names another file now, or none
  process.emitWarning(`Closing file descriptor ${fd} on garbage collection`, {
    code: 'EVRING_FILEHANDLE_GC',
    detail: 'A FileHandle of loop.fs.promises was not closed; close it with close().',
  });
}
