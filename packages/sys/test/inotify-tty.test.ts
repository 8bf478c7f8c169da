/**
 * The fds users get from the kernel for files and devices: inotify
 * (changes to watched paths, decoded by @evring/abi) and terminals set raw
 * at a speed, as a serial port is (a pseudo-terminal stands in for the
 * port: the same termios calls reach it).
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  errno,
  IN_CLOEXEC,
  IN_CREATE,
  IN_DELETE,
  IN_IGNORED,
  IN_ISDIR,
  IN_MOVED_FROM,
  IN_MOVED_TO,
  IN_NONBLOCK,
  type InotifyEvent,
  readInotifyEvents,
} from '@evring/abi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  close,
  inotifyAddWatch,
  inotifyInit1,
  inotifyRmWatch,
  openpty,
  read,
  setNonblocking,
  ttyRestore,
  ttySetRaw,
  ttySpeed,
  write,
} from '../src/index.js';

/** Reads what the inotify fd has within `ms` (the kernel queues events as the syscalls happen). */
function eventsWithin(
  fd: number,
  ms: number,
  until: (all: InotifyEvent[]) => boolean,
): InotifyEvent[] {
  const buf = new Uint8Array(8192);
  const all: InotifyEvent[] = [];
  const deadline = performance.now() + ms;
  while (performance.now() < deadline && !until(all)) {
    const n = read(fd, buf);
    if (n > 0) all.push(...readInotifyEvents(buf, n));
    else if (n !== -errno.EAGAIN) throw new Error(`read: ${n}`);
  }
  return all;
}

describe('inotify', () => {
  let dir = '';
  let fd = -1;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'evring-inotify-'));
    fd = inotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
  });
  afterEach(() => {
    close(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports creates, deletes and renames in a watched directory, with names, decoded by abi', () => {
    const wd = inotifyAddWatch(fd, dir, IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
    expect(read(fd, new Uint8Array(64))).toBe(-errno.EAGAIN); // nothing yet
    writeFileSync(join(dir, 'a.txt'), 'x');
    mkdirSync(join(dir, 'sub'));
    renameSync(join(dir, 'a.txt'), join(dir, 'b.txt'));
    unlinkSync(join(dir, 'b.txt'));
    const got = eventsWithin(fd, 2000, (all) => all.length >= 5);
    expect(got.map((e) => [e.wd, e.mask, e.name])).toEqual([
      [wd, IN_CREATE, 'a.txt'],
      [wd, IN_CREATE | IN_ISDIR, 'sub'],
      [wd, IN_MOVED_FROM, 'a.txt'],
      [wd, IN_MOVED_TO, 'b.txt'],
      [wd, IN_DELETE, 'b.txt'],
    ]);
    expect(got[2]!.cookie).not.toBe(0);
    expect(got[3]!.cookie).toBe(got[2]!.cookie); // the two halves of one rename
  });

  it('removing a watch gives IN_IGNORED and no more events', () => {
    const wd = inotifyAddWatch(fd, dir, IN_CREATE);
    inotifyRmWatch(fd, wd);
    writeFileSync(join(dir, 'after'), '');
    const got = eventsWithin(fd, 300, () => false);
    expect(got).toEqual([{ wd, mask: IN_IGNORED, cookie: 0, name: '' }]);
  });

  it('bad input: a missing path is ENOENT naming it; a NUL in the path, an empty mask or unknown bits are refused', () => {
    const missing = join(dir, 'nope');
    expect(() => inotifyAddWatch(fd, missing, IN_CREATE)).toThrow(
      expect.objectContaining({
        code: 'ENOENT',
        syscall: 'inotify_add_watch',
        errno: -errno.ENOENT,
      }),
    );
    expect(() => inotifyAddWatch(fd, missing, IN_CREATE)).toThrow(missing);
    expect(() => inotifyAddWatch(fd, `${dir}\0/etc`, IN_CREATE)).toThrow(RangeError);
    expect(() => inotifyAddWatch(fd, dir, 0)).toThrow(RangeError);
    expect(() => inotifyAddWatch(fd, dir, IN_CREATE | 0x4000)).toThrow(RangeError); // IN_Q_OVERFLOW is output only
    expect(() => inotifyAddWatch(fd, 42 as unknown as string, IN_CREATE)).toThrow(TypeError);
    expect(() => inotifyRmWatch(fd, 12345)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => inotifyInit1(0x1)).toThrow(RangeError);
  });

  it('a path given as bytes works like a string', () => {
    const wd = inotifyAddWatch(fd, new TextEncoder().encode(dir), IN_CREATE);
    writeFileSync(join(dir, 'bytes'), '');
    expect(eventsWithin(fd, 2000, (all) => all.length > 0)).toEqual([
      { wd, mask: IN_CREATE, cookie: 0, name: 'bytes' },
    ]);
  });
});

describe('terminals set raw, as a serial port is', () => {
  it('raw mode: bytes arrive without a newline and nothing is echoed; the speed is set; restore puts the old settings back', () => {
    const { master, slave, name } = openpty();
    try {
      setNonblocking(master, true);
      setNonblocking(slave, true);
      const before = ttySpeed(slave);
      const saved = ttySetRaw(slave, 115200);
      expect(saved.byteLength).toBeGreaterThan(0);
      expect(ttySpeed(slave)).toBe(115200);
      // stty reads the same settings through its own tcgetattr.
      const stty = spawnSync('stty', ['-F', name, 'speed'], { encoding: 'utf8' });
      if (stty.status === 0) expect(stty.stdout.trim()).toBe('115200');
      expect(write(master, Buffer.from('ab'))).toBe(2);
      const buf = Buffer.alloc(16);
      const deadline = performance.now() + 2000;
      let n = read(slave, buf);
      while (n === -errno.EAGAIN && performance.now() < deadline) n = read(slave, buf);
      expect(buf.toString('latin1', 0, n)).toBe('ab'); // canonical mode would wait for a newline
      expect(read(master, buf)).toBe(-errno.EAGAIN); // no echo
      ttyRestore(slave, saved);
      expect(ttySpeed(slave)).toBe(before);
    } finally {
      close(slave);
      close(master);
    }
  });

  it('bad input: an fd that is no terminal is ENOTTY; an unknown rate and foreign saved bytes are refused', () => {
    const { master, slave } = openpty();
    try {
      const pipeLike = inotifyInit1(IN_CLOEXEC); // any fd that is not a terminal
      try {
        expect(() => ttySetRaw(pipeLike)).toThrow(expect.objectContaining({ code: 'ENOTTY' }));
      } finally {
        close(pipeLike);
      }
      expect(() => ttySetRaw(slave, 12345)).toThrow(RangeError);
      expect(() => ttyRestore(slave, new Uint8Array(3))).toThrow(RangeError);
      expect(() => ttySetRaw(-1)).toThrow(RangeError);
      expect(ttySetRaw(master, 9600).byteLength).toBeGreaterThan(0); // a pty's master is a terminal too
    } finally {
      close(slave);
      close(master);
    }
  });
});
