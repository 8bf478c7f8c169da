/**
 * inotify(7): `struct inotify_event` (16 bytes, then `len` bytes of name,
 * NUL-padded), the event bits and the flags of `inotify_init1`. A read from
 * an inotify fd returns whole events, one after another.
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';

/**
 * Layout of `struct inotify_event` without its trailing name.
 *
 * @example
 * ```ts
 * import { inotify_event } from '@evring/abi';
 * inotify_event.size;              // 16: the name's `len` bytes follow
 * inotify_event.fields.len.offset; // 12
 * ```
 */
export const inotify_event = defineStruct('inotify_event', 16, {
  wd: [0, 4],
  mask: [4, 4],
  cookie: [8, 4],
  len: [12, 4],
});

/** File was accessed (read). */
export const IN_ACCESS = 0x1;
/** File was modified (written). */
export const IN_MODIFY = 0x2;
/** Metadata changed (permissions, timestamps, links, owner). */
export const IN_ATTRIB = 0x4;
/** A file opened for writing was closed. */
export const IN_CLOSE_WRITE = 0x8;
/** A file not opened for writing was closed. */
export const IN_CLOSE_NOWRITE = 0x10;
/** A file or directory was opened. */
export const IN_OPEN = 0x20;
/** A file was moved out of the watched directory. */
export const IN_MOVED_FROM = 0x40;
/** A file was moved into the watched directory. */
export const IN_MOVED_TO = 0x80;
/** A file or directory was created in the watched directory. */
export const IN_CREATE = 0x100;
/** A file or directory was deleted from the watched directory. */
export const IN_DELETE = 0x200;
/** The watched file or directory itself was deleted. */
export const IN_DELETE_SELF = 0x400;
/** The watched file or directory itself was moved. */
export const IN_MOVE_SELF = 0x800;
/** Either close: IN_CLOSE_WRITE | IN_CLOSE_NOWRITE. */
export const IN_CLOSE = 0x18;
/** Either move: IN_MOVED_FROM | IN_MOVED_TO. */
export const IN_MOVE = 0xc0;
/** Every event above. */
export const IN_ALL_EVENTS = 0xfff;
/** (in events) The filesystem holding the watched object was unmounted. */
export const IN_UNMOUNT = 0x2000;
/** (in events) The event queue overflowed: events were lost (wd is -1). */
export const IN_Q_OVERFLOW = 0x4000;
/** (in events) The watch was removed (inotify_rm_watch, or the file went away). */
export const IN_IGNORED = 0x8000;
/** (add_watch) Watch only if the path is a directory. */
export const IN_ONLYDIR = 0x1000000;
/** (add_watch) Do not follow a symbolic link. */
export const IN_DONT_FOLLOW = 0x2000000;
/** (add_watch) No events for children after they are unlinked from the watched directory. */
export const IN_EXCL_UNLINK = 0x4000000;
/** (add_watch) Fail with EEXIST if the path is already watched (linux 4.18). */
export const IN_MASK_CREATE = 0x10000000;
/** (add_watch) Add to the mask of an existing watch instead of replacing it. */
export const IN_MASK_ADD = 0x20000000;
/** (in events) The subject is a directory. */
export const IN_ISDIR = 0x40000000;
/** (add_watch) Remove the watch after its first event. */
export const IN_ONESHOT = 0x80000000;
/** (init1) Non-blocking reads. */
export const IN_NONBLOCK = 0o4000;
/** (init1) Close on exec. */
export const IN_CLOEXEC = 0o2000000;

/**
 * One decoded inotify event.
 *
 * @example
 * ```ts
 * import { IN_CREATE, type InotifyEvent } from '@evring/abi';
 * const created = (e: InotifyEvent) => (e.mask & IN_CREATE) !== 0 && e.name === 'ready.flag';
 * ```
 */
export interface InotifyEvent {
  /** The watch descriptor inotify_add_watch returned (-1 for IN_Q_OVERFLOW). */
  wd: number;
  /** IN_* bits: what happened, and IN_ISDIR, IN_IGNORED, ... */
  mask: number;
  /** Pairs an IN_MOVED_FROM with its IN_MOVED_TO. */
  cookie: number;
  /** The file's name inside a watched directory; '' for the watched object itself. */
  name: string;
}

const F = inotify_event.fields;
const utf8 = new TextDecoder();

/**
 * Decodes the events in the first `length` bytes of `bytes` (what one read
 * from an inotify fd returned). A truncated last event is left out.
 *
 * @example
 * ```ts
 * import { IN_CREATE, inotify_event, readInotifyEvents } from '@evring/abi';
 * // One event as the kernel writes it: wd 1, IN_CREATE, name 'a.txt' padded to 16 bytes.
 * const bytes = new Uint8Array(inotify_event.size + 16);
 * const view = new DataView(bytes.buffer);
 * view.setInt32(0, 1, true);
 * view.setUint32(4, IN_CREATE, true);
 * view.setUint32(12, 16, true);
 * bytes.set(new TextEncoder().encode('a.txt'), inotify_event.size);
 * readInotifyEvents(bytes, bytes.length); // [{ wd: 1, mask: 256, cookie: 0, name: 'a.txt' }]
 * ```
 */
export function readInotifyEvents(bytes: Uint8Array, length: number): InotifyEvent[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = Math.min(length, bytes.byteLength);
  const out: InotifyEvent[] = [];
  for (let at = 0; at + inotify_event.size <= end; ) {
    const len = view.getUint32(at + F.len.offset, LE);
    const next = at + inotify_event.size + len;
    if (next > end) break;
    let nameEnd = at + inotify_event.size;
    while (nameEnd < next && bytes[nameEnd] !== 0) nameEnd++;
    out.push({
      wd: view.getInt32(at + F.wd.offset, LE),
      mask: view.getUint32(at + F.mask.offset, LE),
      cookie: view.getUint32(at + F.cookie.offset, LE),
      name: utf8.decode(bytes.subarray(at + inotify_event.size, nameEnd)),
    });
    at = next;
  }
  return out;
}
