/**
 * Operations in the kernel on a tracking ring: what the conformance suite
 * cannot show because the emulation gives the same results. The kernel does
 * the read when the ring is entered (not at submit), reads pipes and
 * sockets too, cancels what is in flight, and a ring re-created under
 * operations completes each of them once, cancelled.
 */

import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  errno,
  IORING_SETUP_DEFER_TASKRUN,
  IORING_SETUP_SINGLE_ISSUER,
  O_CLOEXEC,
  O_NONBLOCK,
  readStatx,
} from '@evring/abi';
import {
  BackendUnavailableError,
  OP_FDATASYNC,
  OP_FSYNC,
  OP_READ,
  OP_STATX,
  OP_WRITE,
  Poller,
  READ,
} from '@evring/backend';
import { FaultInjector, readableNow } from '@evring/backend/testing';
import * as sys from '@evring/sys';
import { afterEach, describe, expect, it } from 'vitest';
import { type IoUringBackend, iouringBackend } from '../src/index.js';

const TRACKING = { setupFlags: IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn();
});

function poller(options: Record<string, unknown> = TRACKING) {
  const done: [number, number][] = [];
  const p = new Poller(iouringBackend, () => {}, {
    ...options,
    onOpComplete: (token, res) => done.push([token, res]),
  });
  cleanups.push(() => p.destroy());
  const until = (count: number, ms = 2000) => {
    const deadline = performance.now() + ms;
    while (done.length < count && performance.now() < deadline) p.poll(20);
    return done;
  };
  return { p, done, until };
}

function pinned(size: number) {
  const mem = sys.pinnedAlloc(size);
  cleanups.push(() => sys.pinnedFree(mem.buffer));
  return mem;
}

/** A file holding `content`, in a directory of its own, opened read-only; both go at cleanup. */
function tempFile(content: string | Buffer): { fd: number; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'evring-ops-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'data');
  writeFileSync(path, content);
  const fd = openSync(path, 'r');
  cleanups.push(() => sys.close(fd));
  return { fd, path };
}

function pipe(): [number, number] {
  const [r, w] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
  cleanups.push(() => {
    sys.close(r);
    sys.close(w);
  });
  return [r, w];
}

describe('operations on a tracking ring', () => {
  it('are native there, and only there', () => {
    // Every opcode; OP_FTRUNCATE where the kernel has it (linux 6.9).
    const native = [...(poller().p.backend.ops?.native ?? [])].sort((a, b) => a - b);
    const all = [OP_READ, OP_WRITE, OP_FSYNC, OP_FDATASYNC, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    expect([all, all.filter((op) => op !== 7)]).toContainEqual(native);
    // Asked for by `tracking: true` as well (what a Loop does).
    expect(
      [...(poller({ tracking: true }).p.backend.ops?.native ?? [])].sort((a, b) => a - b),
    ).toEqual(native);
    // A plain ring (a bare Poller's default, and what kernels before 6.1 give) does none: the owner emulates them.
    expect(poller({}).p.backend.ops).toBeUndefined();
  });

  it('where the kernel refuses the tracking flags (EINVAL, before 6.1): a plain ring, its operations emulated; asked for by name, no retry', () => {
    const { fd } = tempFile('plain');
    const refused = new FaultInjector().inject({ call: 'ioUringSetup', errno: 'EINVAL' });
    const { p, until } = poller({ tracking: true, sys: refused.sys });
    expect(refused.count('ioUringSetup')).toBe(2);
    const backend = p.backend as IoUringBackend;
    expect(backend.ops).toBeUndefined();
    expect(backend.features.tracking).toBe(false);
    expect(backend.config.setupFlags & IORING_SETUP_DEFER_TASKRUN).toBe(0);
    const mem = pinned(16);
    p.submitOp(OP_READ, fd, mem, 0, 16, 0, 1); // the Poller's emulation
    expect(until(1)).toEqual([[1, 5]]);
    expect(Buffer.from(mem.buffer, 0, 5).toString()).toBe('plain');
    const again = new FaultInjector().inject({ call: 'ioUringSetup', errno: 'EINVAL' });
    expect(() => new Poller(iouringBackend, () => {}, { ...TRACKING, sys: again.sys })).toThrow(
      BackendUnavailableError,
    );
    expect(again.count('ioUringSetup')).toBe(1);
  });

  it('a STATX that memory answers is declined, and made at once by the Poller (note r); one that may wait goes to the ring; each gives the statx', () => {
    const { fd, path } = tempFile('twelve bytes');
    statSync(path); // looked up: in the dentry cache
    const { p, until } = poller();
    const ops = p.backend.ops!;
    const byPath = pinned(4096);
    Buffer.from(byPath.buffer).write(`${path}\0`);
    expect(ops.submit(OP_STATX, AT_FDCWD, byPath, 0, 0, 1024, 1)).toBe(false);
    const byFd = pinned(4096); // an empty path, at 0
    expect(ops.submit(OP_STATX, fd, byFd, 0, AT_EMPTY_PATH, 1024, 2)).toBe(false);
    // An fd on nsfs, which the probe does not list: the ring's worker makes it.
    const ns = openSync('/proc/self/ns/net', 'r');
    cleanups.push(() => closeSync(ns));
    const onNsfs = pinned(4096);
    expect(ops.submit(OP_STATX, ns, onNsfs, 0, AT_EMPTY_PATH, 1024, 3)).toBe(true);
    // Through the Poller: the declined ones emulated, the ring's from the kernel.
    p.submitOp(OP_STATX, AT_FDCWD, byPath, 0, 0, 1024, 4);
    p.submitOp(OP_STATX, fd, byFd, 0, AT_EMPTY_PATH, 1024, 5);
    expect(until(3).sort()).toEqual([
      [3, 0],
      [4, 0],
      [5, 0],
    ]);
    expect(readStatx(new DataView(byPath.buffer), 1024).size).toBe(12);
    expect(readStatx(new DataView(byFd.buffer), 1024).size).toBe(12);
    expect(readStatx(new DataView(onNsfs.buffer), 1024).ino).toBe(
      statSync('/proc/self/ns/net').ino,
    );
    // A path that is not there goes to the ring, whose answer is ENOENT.
    const missing = pinned(4096);
    Buffer.from(missing.buffer).write(`${path}-missing\0`);
    expect(ops.submit(OP_STATX, AT_FDCWD, missing, 0, 0, 1024, 6)).toBe(true);
    expect(until(4)[3]).toEqual([6, -errno.ENOENT]);
  });

  it('the kernel reads when the ring is entered, not at submit', () => {
    const { fd, path } = tempFile('before');
    const { p, until } = poller();
    const mem = pinned(16);
    p.submitOp(OP_READ, fd, mem, 0, 6, 0, 1);
    writeFileSync(path, 'after!'); // an emulation would already have read 'before'
    expect(until(1)).toEqual([[1, 6]]);
    expect(Buffer.from(mem.buffer, 0, 6).toString()).toBe('after!');
  });

  it('embedded: flush hands reads over and runs them in one enter; the poll after it takes them without another; the eventfd is read only before sleeping', () => {
    const { fd } = tempFile(Buffer.alloc(8 * 4096, 7));
    const { p, done } = poller({ ...TRACKING, embedded: true });
    const mem = pinned(8 * 4096);
    for (let i = 0; i < 8; i++) p.submitOp(OP_READ, fd, mem, i * 4096, 4096, i * 4096, i);
    sys.resetSyscallCounts();
    // From the page cache the reads complete inside the enter that hands them over.
    expect(p.flush()).toBe(true);
    expect(sys.syscallCounts().io_uring_enter).toBe(1);
    p.poll(0);
    expect(done.map(([token]) => token).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(done.every(([, res]) => res === 4096)).toBe(true);
    const counts = sys.syscallCounts();
    expect(counts.io_uring_enter).toBe(1); // the poll took what was waiting, with no enter of its own
    expect(counts.read).toBe(0); // no eventfd read while work keeps coming
    // Nothing left: about to sleep on the eventfd, the flush clears it (and runs what raced in).
    expect(p.flush()).toBe(false);
    expect(sys.syscallCounts().read).toBe(1);
  });

  it('reads a pipe when data comes, and cancels a read still waiting', () => {
    const [r, w] = pipe();
    const [r2] = pipe();
    // Standalone: embedded, a tracking ring leaves pipes to the Poller (below).
    const { p, done, until } = poller({ ...TRACKING, embedded: false });
    const mem = pinned(64);
    // Submitted on blocking semantics: io_uring waits for data itself.
    sys.setNonblocking(r, false);
    sys.setNonblocking(r2, false);
    p.submitOp(OP_READ, r, mem, 0, 5, -1, 1);
    p.submitOp(OP_READ, r2, mem, 32, 5, -1, 2);
    p.poll(20);
    expect(done).toEqual([]);
    sys.write(w, Buffer.from('hello'));
    expect(until(1)).toEqual([[1, 5]]);
    p.cancelOp(2);
    expect(until(2)).toEqual([
      [1, 5],
      [2, -errno.ECANCELED],
    ]);
  });

  it('a re-created ring completes each operation in flight once, cancelled', () => {
    const [r] = pipe();
    sys.setNonblocking(r, false);
    const { p, done, until } = poller({ ...TRACKING, embedded: false });
    const mem = pinned(64);
    const before = sys.pinnedStats().held;
    p.submitOp(OP_READ, r, mem, 0, 8, -1, 5);
    p.poll(10);
    expect(sys.pinnedStats().held).toBe(before + 1);
    p.recreate();
    expect(until(1)).toEqual([[5, -errno.ECANCELED]]);
    expect(done).toHaveLength(1);
    expect(sys.pinnedStats().held).toBe(before);
  });

  it('embedded: a read on a pipe waits through the epoll, whose fd is readable the instant data comes; a file read stays in the ring', () => {
    // The kernel signals a tracking ring's eventfd 15-30 ms after a
    // poll-driven completion (note p): a pipe read in the ring would reach
    // an attached owner that late.
    const [r, w] = pipe();
    const { p, done } = poller({ ...TRACKING, embedded: true });
    const backend = p.backend as IoUringBackend;
    const mem = pinned(64);
    p.submitOp(OP_READ, r, mem, 0, 5, -1, 1);
    expect(p.flush()).toBe(false);
    expect(readableNow(backend.fd)).toBe(false);
    sys.write(w, Buffer.from('hello'));
    expect(readableNow(backend.fd)).toBe(true);
    for (const end = performance.now() + 2000; done.length < 1 && performance.now() < end; )
      p.poll(0);
    expect(done).toEqual([[1, 5]]);
    expect(Buffer.from(mem.buffer, 0, 5).toString()).toBe('hello');
    // A regular file: in the ring (the kernel reads it when the ring is entered).
    const { fd, path } = tempFile('before');
    p.submitOp(OP_READ, fd, mem, 8, 6, 0, 2);
    writeFileSync(path, 'after!'); // an emulation would already have read 'before'
    for (const end = performance.now() + 2000; done.length < 2 && performance.now() < end; )
      p.poll(0);
    expect(done[1]).toEqual([2, 6]);
    expect(Buffer.from(mem.buffer, 8, 6).toString()).toBe('after!');
  });

  it('embedded: watching a number tells the ring what it holds, so a file number reused by a pipe behind its back goes to the epoll', () => {
    const { p, until } = poller({ ...TRACKING, embedded: true });
    const backend = p.backend as IoUringBackend;
    const mem = pinned(64);
    const { path } = tempFile('a file first');
    const fd = openSync(path, 'r');
    p.submitOp(OP_READ, fd, mem, 0, 4, 0, 1); // a file: the ring reads it
    expect(until(1)).toEqual([[1, 4]]);
    closeSync(fd); // behind the Poller's back
    const [r, w] = pipe();
    expect(r).toBe(fd);
    // Watched, with no renewal (libev's ev_io_start of a watcher set before):
    // the epoll_ctl the watcher needs shows a pipe.
    p.set(r, READ);
    p.poll(0);
    p.set(r, 0);
    p.poll(0);
    const queued = backend.ring.toSubmit;
    p.submitOp(OP_READ, r, mem, 8, 5, -1, 2);
    expect(backend.ring.toSubmit).toBe(queued); // declined: emulated through the epoll
    expect(p.flush()).toBe(false);
    sys.write(w, Buffer.from('hello'));
    expect(readableNow(backend.fd)).toBe(true); // at once, not through the late eventfd signal
    expect(until(2)[1]).toEqual([2, 5]);
    expect(Buffer.from(mem.buffer, 8, 5).toString()).toBe('hello');
  });

  it('embedded: a late eventfd signal with nothing watched is cleared before sleeping (no fd left readable for ever)', async () => {
    // A file's number closed behind the backend's back and reused by a
    // pipe: it still counts as a file, so the read goes to the ring, and
    // the kernel signals the eventfd for it 15-30 ms after it completes.
    const { fd } = tempFile('file'); // closed by the dup2 below, which reuses the number
    const [r, w] = pipe();
    const { p, done } = poller({ ...TRACKING, embedded: true });
    const backend = p.backend as IoUringBackend;
    const mem = pinned(64);
    const finish = (count: number) => {
      for (const end = performance.now() + 2000; done.length < count && performance.now() < end; )
        p.poll(0);
    };
    p.submitOp(OP_READ, fd, mem, 0, 4, 0, 1);
    finish(1);
    sys.dup2(r, fd); // the number is a pipe now (closed at cleanup, as the file would have been)
    sys.setNonblocking(fd, false);
    p.submitOp(OP_READ, fd, mem, 0, 4, -1, 2);
    p.flush();
    sys.write(w, Buffer.from('pipe'));
    finish(2);
    expect(done).toEqual([
      [1, 4],
      [2, 4],
    ]);
    p.flush();
    // Wait for the late signal (a kernel that signals at once has none to come).
    for (
      const end = performance.now() + 1000;
      !readableNow(backend.fd) && performance.now() < end;
    )
      await new Promise((resolve) => setTimeout(resolve, 5));
    // What an attached owner does when woken: a poll, then a flush before sleeping.
    p.poll(0);
    expect(p.flush()).toBe(false);
    expect(readableNow(backend.fd)).toBe(false);
  });
});
