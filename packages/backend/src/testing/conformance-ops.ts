/**
 * The conformance suite's operation cases: reads, writes and syncs of
 * regular files through `Poller.submitOp`, with the same results on every
 * backend, whether the kernel does them (io_uring on a tracking ring) or
 * the Poller emulates them. Registered by `describeConformance`.
 *
 * @module
 */

import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  errno,
  O_CLOEXEC,
  O_CREAT,
  O_NONBLOCK,
  O_RDWR,
  readStatx,
} from '@evring/abi';
import * as sys from '@evring/sys';
import { describe, expect, it } from 'vitest';
import { READ } from '../events.js';
import type { PinnedMemory } from '../ops.js';
import {
  OP_CLOSE,
  OP_FDATASYNC,
  OP_FSYNC,
  OP_FTRUNCATE,
  OP_LINKAT,
  OP_MKDIRAT,
  OP_OPENAT,
  OP_READ,
  OP_READV,
  OP_RENAMEAT,
  OP_STATX,
  OP_SYMLINKAT,
  OP_UNLINKAT,
  OP_WRITE,
  OP_WRITEV,
} from '../ops.js';
import { KILLED, type Poller } from '../poller.js';
import { becomesReadable, type FdScope } from './fixtures.js';

/** What the cases need of the suite: a poller whose completions are recorded. */
export interface OpsHarness {
  readonly poller: Poller;
  /** [token, result] per completion, in the order they came. */
  readonly done: [number, number][];
  /** [fd, revents] per readiness event the owner got. */
  readonly seen: [number, number][];
  /** Called with each completion as it is recorded: may submit more. */
  onDone: (token: number, res: number) => void;
}

/** Polls until `count` completions have come, for at most `waitMs`. */
function completions(h: OpsHarness, count: number, waitMs = 5000): [number, number][] {
  const deadline = performance.now() + waitMs;
  while (h.done.length < count && performance.now() < deadline) h.poller.poll(20);
  return h.done;
}

/** Polls for `ms`: for asserting that nothing more completes. */
function settle(h: OpsHarness, ms = 50): void {
  const deadline = performance.now() + ms;
  do h.poller.poll(10);
  while (performance.now() < deadline);
}

const TEXT = 'evring reads this file through its backend\n';
const O_RDONLY_CLOEXEC = O_CLOEXEC; // O_RDONLY is 0

export function describeOperations(open: () => OpsHarness, scope: FdScope): void {
  describe('operations on regular files: the same results, natively or emulated', () => {
    const file = (content = TEXT): { fd: number; path: string } => {
      const dir = mkdtempSync(join(tmpdir(), 'evring-ops-'));
      const path = join(dir, 'data');
      writeFileSync(path, content);
      const fd = openSync(path, 'r+');
      scope.track(fd);
      scope.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
      return { fd, path };
    };
    const pinned = (size: number) => {
      const mem = sys.pinnedAlloc(size);
      scope.onCleanup(() => {
        sys.pinnedFree(mem.buffer);
      });
      return mem;
    };

    it('reads: whole, short at the end of the file, 0 at EOF, at the current offset', () => {
      const h = open();
      const { fd } = file();
      const mem = pinned(256);
      h.poller.submitOp(OP_READ, fd, mem, 0, 10, 0, 1);
      h.poller.submitOp(OP_READ, fd, mem, 64, 100, 30, 2); // only the file's tail is there
      h.poller.submitOp(OP_READ, fd, mem, 200, 16, TEXT.length, 3);
      const got = new Map(completions(h, 3));
      expect(got).toEqual(
        new Map([
          [1, 10],
          [2, TEXT.length - 30],
          [3, 0],
        ]),
      );
      expect(Buffer.from(mem.buffer, 0, 10).toString()).toBe(TEXT.slice(0, 10));
      expect(Buffer.from(mem.buffer, 64, TEXT.length - 30).toString()).toBe(TEXT.slice(30));
      h.done.length = 0;
      h.poller.submitOp(OP_READ, fd, mem, 0, 6, -1, 4); // position −1: the file's own offset (0 here)
      expect(completions(h, 1)).toEqual([[4, 6]]);
      expect(Buffer.from(mem.buffer, 0, 6).toString()).toBe(TEXT.slice(0, 6));
    });

    it('a read or write of zero bytes: 0, as read(2) and write(2) answer, on a file and on an empty pipe (no wait)', () => {
      const h = open();
      const { fd, path } = file();
      const mem = pinned(64);
      const [r, w] = sys.pipe2(O_CLOEXEC | O_NONBLOCK);
      scope.track(r, w);
      h.poller.submitOp(OP_READ, fd, mem, 0, 0, 0, 1);
      h.poller.submitOp(OP_WRITE, fd, mem, 64, 0, 3, 2); // at the block's very end: nothing is in it
      h.poller.submitOp(OP_READ, r, mem, 8, 0, -1, 3);
      h.poller.submitOp(OP_WRITE, w, mem, 8, 0, -1, 4);
      expect(new Map(completions(h, 4))).toEqual(
        new Map([
          [1, 0],
          [2, 0],
          [3, 0],
          [4, 0],
        ]),
      );
      expect(readFileSync(path, 'utf8')).toBe(TEXT);
    });

    it('writes then reads back; fsync and fdatasync complete with 0', () => {
      const h = open();
      const { fd, path } = file('');
      const mem = pinned(64);
      Buffer.from(mem.buffer).write('written by the kernel');
      h.poller.submitOp(OP_WRITE, fd, mem, 0, 21, 0, 7);
      expect(completions(h, 1)).toEqual([[7, 21]]);
      h.poller.submitOp(OP_FSYNC, fd, mem, 0, 0, 0, 8);
      h.poller.submitOp(OP_FDATASYNC, fd, mem, 0, 0, 0, 9);
      expect(new Map(completions(h, 3))).toEqual(
        new Map([
          [7, 21],
          [8, 0],
          [9, 0],
        ]),
      );
      expect(readFileSync(path, 'utf8')).toBe('written by the kernel');
    });

    /** Writes [address, length] iovecs into `mem` at `at`; returns `at`. */
    const iovecs = (mem: PinnedMemory, at: number, entries: [number, number][]): number => {
      const view = new DataView(mem.buffer);
      entries.forEach(([addr, len], i) => {
        view.setBigUint64(at + i * 16, BigInt(addr), true);
        view.setBigUint64(at + i * 16 + 8, BigInt(len), true);
      });
      return at;
    };

    it('readv and writev: scattered and gathered in order, at a position or the current offset', () => {
      const h = open();
      const { fd, path } = file();
      const a = pinned(64);
      const b = pinned(64);
      const vecs = pinned(256);
      // 7 bytes into a, none into b's empty entry, 9 into b: 16 from position 7.
      iovecs(vecs, 0, [
        [a.address + 3, 7],
        [b.address, 0],
        [b.address + 20, 9],
      ]);
      h.poller.submitOp(OP_READV, fd, vecs, 0, 3, 7, 1);
      // Past the end: short.
      iovecs(vecs, 64, [
        [a.address + 40, 8],
        [b.address + 40, 16],
      ]);
      h.poller.submitOp(OP_READV, fd, vecs, 64, 2, TEXT.length - 10, 2);
      expect(new Map(completions(h, 2))).toEqual(
        new Map([
          [1, 16],
          [2, 10],
        ]),
      );
      expect(Buffer.from(a.buffer, 3, 7).toString()).toBe(TEXT.slice(7, 14));
      expect(Buffer.from(b.buffer, 20, 9).toString()).toBe(TEXT.slice(14, 23));
      expect(Buffer.from(b.buffer, 0, 20).every((x) => x === 0)).toBe(true);
      expect(Buffer.from(a.buffer, 40, 8).toString()).toBe(TEXT.slice(-10, -2));
      expect(Buffer.from(b.buffer, 40, 2).toString()).toBe(TEXT.slice(-2));
      h.done.length = 0;
      // A writev gathers b's 9 bytes, then a's 7, over the file's start.
      iovecs(vecs, 128, [
        [b.address + 20, 9],
        [a.address + 3, 7],
      ]);
      h.poller.submitOp(OP_WRITEV, fd, vecs, 128, 2, 0, 3);
      expect(completions(h, 1)).toEqual([[3, 16]]);
      expect(readFileSync(path, 'utf8')).toBe(
        TEXT.slice(14, 23) + TEXT.slice(7, 14) + TEXT.slice(16),
      );
      h.done.length = 0;
      // Position −1: the file's offset (0 here), which moves.
      iovecs(vecs, 192, [[a.address, 4]]);
      h.poller.submitOp(OP_READV, fd, vecs, 192, 1, -1, 4);
      expect(completions(h, 1)).toEqual([[4, 4]]);
      expect(Buffer.from(a.buffer, 0, 4).toString()).toBe(TEXT.slice(14, 18));
    });

    it('readv with an entry outside pinned memory completes with EINVAL; a bad array is refused before anything starts', () => {
      const h = open();
      const { fd } = file();
      const a = pinned(64);
      const vecs = pinned(64);
      iovecs(vecs, 0, [
        [a.address, 4],
        [0x1000, 4],
      ]);
      h.poller.submitOp(OP_READV, fd, vecs, 0, 2, 0, 1);
      iovecs(vecs, 32, [[a.address + 60, 8]]); // past its block's end
      h.poller.submitOp(OP_READV, fd, vecs, 32, 1, 0, 2);
      expect(new Map(completions(h, 2))).toEqual(
        new Map([
          [1, -errno.EINVAL],
          [2, -errno.EINVAL],
        ]),
      );
      expect(Buffer.from(a.buffer).every((x) => x === 0)).toBe(true);
      expect(() => h.poller.submitOp(OP_READV, fd, vecs, 0, 0, 0, 3)).toThrow(RangeError);
      expect(() => h.poller.submitOp(OP_READV, fd, vecs, 56, 1, 0, 3)).toThrow(RangeError);
      expect(() => h.poller.submitOp(OP_WRITEV, fd, vecs, 0, 1025, 0, 3)).toThrow(RangeError);
      settle(h);
      expect(h.done).toHaveLength(2);
    });

    it('readv and writev on a pipe: a readv waits for data, a writev goes', () => {
      const h = open();
      const { r, w } = scope.pipe();
      const mem = pinned(256);
      const bytes = Buffer.from(mem.buffer);
      iovecs(mem, 0, [
        [mem.address + 100, 3],
        [mem.address + 120, 8],
      ]);
      h.poller.submitOp(OP_READV, r, mem, 0, 2, -1, 1);
      settle(h);
      expect(h.done, 'nothing to read yet').toEqual([]);
      sys.write(w, Buffer.from('vectors'));
      expect(completions(h, 1)).toEqual([[1, 7]]);
      expect(bytes.subarray(100, 103).toString()).toBe('vec');
      expect(bytes.subarray(120, 124).toString()).toBe('tors');
      bytes.write('pi', 200);
      bytes.write('pe', 210);
      iovecs(mem, 32, [
        [mem.address + 200, 2],
        [mem.address + 210, 2],
      ]);
      h.poller.submitOp(OP_WRITEV, w, mem, 32, 2, -1, 2);
      expect(completions(h, 2)[1]).toEqual([2, 4]);
      const back = Buffer.alloc(8);
      expect(sys.read(r, back)).toBe(4);
      expect(back.subarray(0, 4).toString()).toBe('pipe');
    });

    it('errors as -errno: EBADF for a number with no file, EISDIR for a directory', () => {
      const h = open();
      const dir = mkdtempSync(join(tmpdir(), 'evring-ops-dir-'));
      const dfd = openSync(dir, 'r');
      scope.track(dfd);
      scope.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
      const mem = pinned(64);
      h.poller.submitOp(OP_READ, 19_999, mem, 0, 8, 0, 1); // beyond every fd this process has
      h.poller.submitOp(OP_READ, dfd, mem, 0, 8, 0, 2);
      expect(new Map(completions(h, 2))).toEqual(
        new Map([
          [1, -errno.EBADF],
          [2, -errno.EISDIR],
        ]),
      );
    });

    it('what pread(2) and pwrite(2) answer, for every kind of fd: a directory, a pipe, a socket, a character device, a file open one way', () => {
      const h = open();
      const dir = mkdtempSync(join(tmpdir(), 'evring-ops-kinds-'));
      scope.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
      writeFileSync(join(dir, 'f'), TEXT);
      const kept = (fd: number): number => {
        scope.track(fd);
        return fd;
      };
      const dfd = kept(openSync(dir, 'r'));
      const readOnly = kept(openSync(join(dir, 'f'), 'r'));
      const writeOnly = kept(openSync(join(dir, 'f'), 'a'));
      const zero = kept(openSync('/dev/zero', 'r'));
      const nul = kept(openSync('/dev/null', 'r+'));
      const { r, w } = scope.pipe();
      const { a: s1 } = scope.socketpair();
      const mem = pinned(64);
      new Uint8Array(mem.buffer).fill(0xaa);
      // At a position: 4096, but 0 on the socket (io_uring would read a socket at 0).
      const cases: [
        op: typeof OP_READ | typeof OP_WRITE,
        fd: number,
        position: number,
        want: number,
      ][] = [
        [OP_READ, dfd, 4096, -errno.EISDIR],
        [OP_WRITE, dfd, 4096, -errno.EBADF], // a directory is never open for writing
        [OP_WRITE, readOnly, 4096, -errno.EBADF],
        [OP_READ, writeOnly, 4096, -errno.EBADF],
        [OP_READ, r, 4096, -errno.ESPIPE], // no positions on a pipe or a socket
        [OP_WRITE, w, 4096, -errno.ESPIPE],
        [OP_READ, s1, 0, -errno.ESPIPE],
        [OP_READ, zero, 4096, 8], // a character device with positions
        [OP_WRITE, zero, 4096, -errno.EBADF],
        [OP_WRITE, nul, 4096, 8],
        [OP_READ, nul, 4096, 0],
      ];
      cases.forEach(([op, fd, position], i) => {
        h.poller.submitOp(op, fd, mem, i === 7 ? 16 : 0, 8, position, i + 1);
      });
      expect(new Map(completions(h, cases.length))).toEqual(
        new Map(cases.map(([, , , want], i) => [i + 1, want])),
      );
      // /dev/zero's read wrote its 8 bytes, and only those.
      expect([...new Uint8Array(mem.buffer, 14, 12)]).toEqual([
        0xaa, 0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0xaa, 0xaa,
      ]);
    });

    it('a range outside its buffer is refused before anything starts', () => {
      const h = open();
      const { fd } = file();
      const mem = pinned(16);
      expect(() => h.poller.submitOp(OP_READ, fd, mem, 8, 16, 0, 1)).toThrow(RangeError);
      settle(h);
      expect(h.done).toEqual([]);
    });

    it('submitCheckedOp takes its range as checked: a range sys refuses completes with EINVAL, and nothing is read', () => {
      const h = open();
      const { fd } = file();
      const mem = pinned(16);
      h.poller.submitCheckedOp(OP_READ, fd, mem, 8, 16, 0, 1); // 8 bytes past the block's end
      h.poller.submitCheckedOp(OP_READ, fd, mem, 0, 8, 0, 2);
      expect(new Map(completions(h, 2))).toEqual(
        new Map([
          [1, -errno.EINVAL],
          [2, 8],
        ]),
      );
      expect(Buffer.from(mem.buffer, 0, 8).toString()).toBe(TEXT.slice(0, 8));
      expect(Buffer.from(mem.buffer, 8, 8).every((x) => x === 0)).toBe(true);
      settle(h);
      expect(h.done).toHaveLength(2);
    });

    it('submitCheckedOp with a number that is not an integer: each operation completes once, with EINVAL or a read inside its range, and no poll throws', () => {
      const h = open();
      // A file, and a procfs file (Linux AIO refuses it, so it is read with
      // a direct syscall from the flush, where sys's refusal used to escape
      // the poll as an exception and the operation never completed).
      const fds = [file().fd, openSync('/proc/self/stat', O_RDONLY_CLOEXEC)];
      scope.track(fds[1]!);
      const odd: [offset: number, length: number, position: number][] = [
        [0, 4, 0.5],
        [0.5, 4, 0],
        [0, 4.5, 0],
        [0, 4, Number.NaN],
        [0, Number.NaN, 0],
      ];
      const mem = pinned(16);
      let token = 0;
      for (const fd of fds) {
        for (const [offset, length, position] of odd) {
          h.poller.submitCheckedOp(OP_READ, fd, mem, offset, length, position, ++token);
        }
      }
      const done = completions(h, token);
      expect(done.map(([t]) => t).sort((a, b) => a - b)).toEqual(
        Array.from({ length: token }, (_, i) => i + 1),
      );
      for (const [, res] of done) {
        expect(res === -errno.EINVAL || (res >= 0 && res <= 4), `result ${res}`).toBe(true);
      }
      settle(h);
      expect(h.done).toHaveLength(token);
      expect(
        [...new Uint8Array(mem.buffer, 5)].every((x) => x === 0),
        'nothing past 5 bytes',
      ).toBe(true);
    });

    it('a block freed through sys while a read waits on a pipe: the read completes once, and the pipe keeps what it did not take', () => {
      const h = open();
      const { r, w } = scope.pipe();
      const mem = sys.pinnedAlloc(64); // freed below
      h.poller.submitOp(OP_READ, r, mem, 0, 64, -1, 1);
      settle(h);
      expect(h.done, 'nothing to read yet').toEqual([]);
      // Waiting in the Poller (emulated), the read holds no memory in sys,
      // so once the block is gone it is refused; in the kernel, sys keeps
      // the block until the kernel is done with it, and the read goes.
      const emulated = h.poller.waitingOps === 1;
      sys.pinnedFree(mem.buffer);
      sys.write(w, Buffer.from('hello'));
      expect(completions(h, 1)).toEqual([[1, emulated ? -errno.EINVAL : 5]]);
      settle(h);
      expect(h.done).toHaveLength(1);
      expect(h.poller.waitingOps).toBe(0);
      const rest = Buffer.alloc(8);
      expect(sys.read(r, rest)).toBe(emulated ? 5 : -errno.EAGAIN);
    });

    it('a cancel after the completion changes nothing: one completion, with its result', () => {
      const h = open();
      const { fd } = file();
      const mem = pinned(64);
      h.poller.submitOp(OP_READ, fd, mem, 0, 5, 0, 11);
      expect(completions(h, 1)).toEqual([[11, 5]]);
      h.poller.cancelOp(11);
      settle(h);
      expect(h.done).toEqual([[11, 5]]);
    });

    it('an attached owner wakes for a completion: flush() says poll again, or the pollable fd turns readable', async () => {
      const h = open();
      const { fd } = file();
      const mem = pinned(16);
      h.poller.submitOp(OP_FSYNC, fd, mem, 0, 0, 0, 21); // a kernel worker's job when native: completes later
      const again = h.poller.flush();
      expect(again || (await becomesReadable(h.poller.backend.fd, 5000))).toBe(true);
      expect(completions(h, 1)).toEqual([[21, 0]]);
    });

    it('path operations: openat, statx, ftruncate, renameat, mkdirat, linkat, symlinkat, unlinkat, close; ENOENT, EEXIST, ENOTEMPTY', () => {
      const h = open();
      const dir = mkdtempSync(join(tmpdir(), 'evring-ops-paths-'));
      scope.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
      const mem = pinned(2048);
      const bytes = new Uint8Array(mem.buffer);
      const put = (at: number, text: string): number => {
        bytes.set(Buffer.from(`${text}\0`), at);
        return at;
      };
      const file = put(0, join(dir, 'file'));
      const sub = put(256, join(dir, 'sub'));
      const moved = put(512, join(dir, 'sub', 'moved'));
      const empty = put(1000, '');
      const run = (
        op: Parameters<Poller['submitOp']>[0],
        fd: number,
        offset: number,
        length: number,
        position: number,
      ): number => {
        h.done.length = 0;
        h.poller.submitOp(op, fd, mem, offset, length, position, 1);
        const got = completions(h, 1);
        expect(got).toHaveLength(1);
        return got[0]![1];
      };
      expect(run(OP_OPENAT, AT_FDCWD, file, O_RDONLY_CLOEXEC, 0)).toBe(-errno.ENOENT);
      const fd = run(OP_OPENAT, AT_FDCWD, file, O_CREAT | O_RDWR | O_CLOEXEC, 0o600);
      expect(fd).toBeGreaterThanOrEqual(0);
      scope.track(fd);
      expect(run(OP_FTRUNCATE, fd, 0, 0, 42)).toBe(0);
      expect(run(OP_STATX, fd, empty, AT_EMPTY_PATH, 1536)).toBe(0);
      expect(readStatx(new DataView(mem.buffer), 1536)).toMatchObject({ size: 42, mode: 0o100600 });
      expect(run(OP_MKDIRAT, AT_FDCWD, sub, 0o700, 0)).toBe(0);
      expect(run(OP_MKDIRAT, AT_FDCWD, sub, 0o700, 0)).toBe(-errno.EEXIST);
      expect(run(OP_RENAMEAT, AT_FDCWD, file, 0, moved)).toBe(0);
      expect(run(OP_STATX, AT_FDCWD, file, 0, 1536)).toBe(-errno.ENOENT);
      expect(run(OP_UNLINKAT, AT_FDCWD, sub, AT_REMOVEDIR, 0)).toBe(-errno.ENOTEMPTY);
      // A second name for the file, then a symbolic link holding a relative target.
      const second = put(1100, join(dir, 'sub', 'second'));
      expect(run(OP_LINKAT, AT_FDCWD, moved, 0, second)).toBe(0);
      expect(run(OP_LINKAT, AT_FDCWD, moved, 0, second)).toBe(-errno.EEXIST);
      expect(run(OP_STATX, AT_FDCWD, second, 0, 1536)).toBe(0);
      expect(readStatx(new DataView(mem.buffer), 1536)).toMatchObject({ size: 42, nlink: 2 });
      const target = put(1300, 'second');
      const link = put(1320, join(dir, 'sub', 'link'));
      expect(run(OP_SYMLINKAT, AT_FDCWD, target, 0, link)).toBe(0);
      expect(run(OP_SYMLINKAT, AT_FDCWD, target, 0, link)).toBe(-errno.EEXIST);
      expect(readlinkSync(join(dir, 'sub', 'link'))).toBe('second');
      expect(run(OP_STATX, AT_FDCWD, link, 0, 1536)).toBe(0); // followed: the file
      expect(readStatx(new DataView(mem.buffer), 1536).size).toBe(42);
      expect(run(OP_LINKAT, AT_FDCWD, put(1400, join(dir, 'none')), 0, second)).toBe(-errno.ENOENT);
      expect(run(OP_UNLINKAT, AT_FDCWD, link, 0, 0)).toBe(0);
      expect(run(OP_UNLINKAT, AT_FDCWD, second, 0, 0)).toBe(0);
      expect(run(OP_UNLINKAT, AT_FDCWD, moved, 0, 0)).toBe(0);
      expect(run(OP_UNLINKAT, AT_FDCWD, sub, AT_REMOVEDIR, 0)).toBe(0);
      scope.untrack(fd);
      expect(run(OP_CLOSE, fd, 0, 0, 0)).toBe(0);
      expect(run(OP_CLOSE, fd, 0, 0, 0)).toBe(-errno.EBADF);
    });

    it('a path not NUL-terminated inside its buffer, or a statx buffer past its end, is refused before anything starts', () => {
      const h = open();
      const mem = pinned(64);
      new Uint8Array(mem.buffer).fill(0x61);
      expect(() => h.poller.submitOp(OP_OPENAT, AT_FDCWD, mem, 0, 0, 0, 1)).toThrow(RangeError);
      new Uint8Array(mem.buffer)[10] = 0;
      expect(() => h.poller.submitOp(OP_STATX, AT_FDCWD, mem, 0, 0, 32, 1)).toThrow(RangeError);
      expect(() => h.poller.submitOp(OP_RENAMEAT, AT_FDCWD, mem, 0, 0, 60, 1)).toThrow(RangeError);
      expect(() => h.poller.submitOp(OP_LINKAT, AT_FDCWD, mem, 0, 0, 60, 1)).toThrow(RangeError);
      expect(() => h.poller.submitOp(OP_SYMLINKAT, AT_FDCWD, mem, 0, 0, 60, 1)).toThrow(RangeError);
      expect(() => h.poller.submitOp(99 as never, 0, mem, 0, 0, 0, 1)).toThrow(RangeError);
      new Uint8Array(mem.buffer)[0] = 0; // a good path: only the token is wrong below
      for (const token of [-1, 1.5, 2 ** 31]) {
        expect(() => h.poller.submitOp(OP_UNLINKAT, AT_FDCWD, mem, 0, 0, 0, token)).toThrow(
          RangeError,
        );
        expect(() => h.poller.submitOp(OP_FSYNC, 0, mem, 0, 0, 0, token)).toThrow(RangeError);
      }
      settle(h);
      expect(h.done).toEqual([]);
    });

    it('a cancel right after the submit: exactly one completion, cancelled or with its result', () => {
      const h = open();
      const { fd } = file();
      const mem = pinned(64);
      h.poller.submitOp(OP_READ, fd, mem, 0, 5, 0, 31);
      h.poller.cancelOp(31);
      const got = completions(h, 1);
      settle(h);
      expect(h.done).toHaveLength(1);
      expect([-errno.ECANCELED, 5]).toContain(got[0]![1]);
    });

    it('pipes and sockets, blocking or not: a read waits for data, a write goes, a cancel ends a waiting read', () => {
      const h = open();
      const mem = pinned(256);
      const bytes = Buffer.from(mem.buffer);
      const blocking = sys.pipe2(O_CLOEXEC); // the thread must not block on these either
      scope.track(...blocking);
      const nonblocking = scope.pipe();
      const sp = scope.socketpair();
      const pairs: [number, number][] = [blocking, [nonblocking.r, nonblocking.w], [sp.a, sp.b]];
      let token = 100;
      for (const [r, w] of pairs) {
        h.done.length = 0;
        const reading = token++;
        h.poller.submitOp(OP_READ, r, mem, 0, 64, -1, reading);
        settle(h);
        expect(h.done, 'nothing to read yet').toEqual([]);
        sys.write(w, Buffer.from('hello'));
        expect(completions(h, 1)).toEqual([[reading, 5]]);
        expect(bytes.subarray(0, 5).toString()).toBe('hello');
        bytes.write('pong', 128);
        const writing = token++;
        h.poller.submitOp(OP_WRITE, w, mem, 128, 4, -1, writing);
        expect(completions(h, 2)[1]).toEqual([writing, 4]);
        const back = Buffer.alloc(8);
        expect(sys.read(r, back)).toBe(4);
        const cancelled = token++;
        h.poller.submitOp(OP_READ, r, mem, 0, 64, -1, cancelled);
        settle(h);
        h.poller.cancelOp(cancelled);
        expect(completions(h, 3)[2]).toEqual([cancelled, -errno.ECANCELED]);
        settle(h);
        expect(h.done).toHaveLength(3);
      }
    });

    it('a read, then a close of its fd, then the number taken by another file, all before a poll: the read reads its own file (one the kernel takes, and a procfs file)', () => {
      const h = open();
      const mem = pinned(64);
      const bytes = Buffer.from(mem.buffer);
      const first = file('the first file');
      const second = file('the other one!');
      const fd = openSync(first.path, 'r');
      scope.track(fd);
      h.poller.submitOp(OP_READ, fd, mem, 0, 14, 0, 1);
      h.poller.submitOp(OP_CLOSE, fd, mem, 0, 0, 0, 2);
      scope.untrack(fd);
      // Emulated, the close is done: the next open takes the number. (In the
      // kernel, it may still be queued: then the number is another one.)
      const other = openSync(second.path, 'r');
      scope.track(other);
      expect(new Map(completions(h, 2))).toEqual(
        new Map([
          [1, 14],
          [2, 0],
        ]),
      );
      expect(bytes.subarray(0, 14).toString()).toBe('the first file');
      // A file the kernel's AIO refuses (procfs): read some other way, still before the close.
      h.done.length = 0;
      const proc = openSync('/proc/self/stat', 'r');
      scope.track(proc);
      h.poller.submitOp(OP_READ, proc, mem, 16, 8, 0, 3);
      h.poller.submitOp(OP_CLOSE, proc, mem, 0, 0, 0, 4);
      scope.untrack(proc);
      scope.track(openSync(second.path, 'r'));
      const pid = `${process.pid} (`;
      expect(new Map(completions(h, 2))).toEqual(
        new Map([
          [3, 8],
          [4, 0],
        ]),
      );
      expect(bytes.subarray(16, 16 + Math.min(8, pid.length)).toString()).toBe(pid.slice(0, 8));
    });

    it('a close through the Poller of an fd it watches ends the watch: KILLED at once, the file let go (its writer gets EPIPE), nothing for the next file under the number', () => {
      const h = open();
      const mem = pinned(8);
      const [r, w] = sys.pipe2(O_CLOEXEC | O_NONBLOCK);
      scope.track(r, w);
      h.poller.set(r, READ);
      settle(h);
      h.seen.length = 0;
      h.poller.submitOp(OP_CLOSE, r, mem, 0, 0, 0, 1);
      scope.untrack(r);
      expect(h.seen).toEqual([[r, KILLED]]); // from the call itself: the watch cannot go on
      expect(h.poller.interest(r)).toBe(0);
      expect(completions(h, 1)).toEqual([[1, 0]]);
      // No poll of the backend's holds the read end open: it goes. (Linux AIO
      // ends a cancelled poll from a kernel worker, which lets go of the
      // file a little later: waited for, bounded by time.)
      const deadline = performance.now() + 2000;
      let res = sys.write(w, Buffer.from('x'));
      while (res !== -errno.EPIPE && performance.now() < deadline) {
        settle(h, 5);
        res = sys.write(w, Buffer.from('x'));
      }
      expect(res).toBe(-errno.EPIPE);
      const [r2, w2] = sys.pipe2(O_CLOEXEC | O_NONBLOCK);
      scope.track(r2, w2);
      expect(r2).toBe(r); // the lowest free number: the closed one
      sys.write(w2, Buffer.from('y'));
      settle(h);
      expect(h.seen).toEqual([[r, KILLED]]); // the new pipe is not watched
      // A close of an fd nobody watches reports nothing.
      h.poller.submitOp(OP_CLOSE, w2, mem, 0, 0, 0, 2);
      scope.untrack(w2);
      expect(completions(h, 2)).toEqual([
        [1, 0],
        [2, 0],
      ]);
      expect(h.seen).toEqual([[r, KILLED]]);
    });

    it("a file number closed behind the Poller's back and reused by a pipe: once a watcher is set on it anew, a read at a position gives ESPIPE", () => {
      const h = open();
      const mem = pinned(64);
      const { path } = file();
      for (const watched of [READ, 0]) {
        // A read at a position of the file: the backend learns it is a file.
        const fd = openSync(path, 'r');
        scope.track(fd);
        h.poller.submitOp(OP_READ, fd, mem, 0, 8, 0, 1);
        expect(completions(h, 1)).toEqual([[1, 8]]);
        h.done.length = 0;
        closeSync(fd); // behind the Poller's back
        scope.untrack(fd);
        const [r, w] = sys.pipe2(O_CLOEXEC | O_NONBLOCK);
        scope.track(r, w);
        expect(r).toBe(fd); // the lowest free number: the file's old one
        // A new watcher (libev's ev_io_set): the number may name another file now.
        h.poller.set(r, READ);
        h.poller.touch(r);
        settle(h);
        h.poller.set(r, watched); // gone again, or still there: the same answer
        h.poller.submitOp(OP_READ, r, mem, 0, 8, 4096, 2);
        expect(completions(h, 1, 2000)).toEqual([[2, -errno.ESPIPE]]);
        h.done.length = 0;
        h.poller.set(r, 0);
        settle(h);
        sys.close(r);
        sys.close(w);
        scope.untrack(r, w);
      }
    });

    it('a read waiting on a pipe whose number is closed and given to another pipe stays with its own pipe; no fd is left open', () => {
      const h = open();
      const mem = pinned(64);
      const bytes = Buffer.from(mem.buffer);
      const openFds = (): number => readdirSync('/proc/self/fd').length;
      const before = openFds();
      // Cancelled and ended waits give their fds back too.
      for (const end of ['cancel', 'data'] as const) {
        const p = sys.pipe2(O_CLOEXEC | O_NONBLOCK);
        h.poller.submitOp(OP_READ, p[0], mem, 0, 8, -1, 1);
        settle(h);
        if (end === 'cancel') h.poller.cancelOp(1);
        else sys.write(p[1], Buffer.from('x'));
        expect(completions(h, 1)[0]![0]).toBe(1);
        h.done.length = 0;
        sys.close(p[0]);
        sys.close(p[1]);
      }
      settle(h);
      expect(openFds()).toBe(before);
      const [r, w] = sys.pipe2(O_CLOEXEC | O_NONBLOCK);
      h.poller.submitOp(OP_READ, r, mem, 0, 32, -1, 2);
      settle(h);
      expect(h.done).toEqual([]);
      sys.close(r); // behind the Poller's back
      const [r2, w2] = sys.pipe2(O_CLOEXEC | O_NONBLOCK);
      scope.track(r2, w2, w);
      expect(r2).toBe(r); // the lowest free number: the read's old one
      sys.write(w2, Buffer.from('another pipe'));
      h.poller.set(r2, READ); // the number is watched again, now for the new pipe
      settle(h);
      expect(h.done).toEqual([]); // the new pipe's bytes are not the read's
      expect(sys.read(r2, Buffer.alloc(32))).toBe(12);
      sys.write(w, Buffer.from('its own'));
      expect(completions(h, 1)).toEqual([[2, 7]]);
      expect(bytes.subarray(0, 7).toString()).toBe('its own');
      h.poller.set(r2, 0);
      settle(h);
      expect(openFds()).toBe(before + 3); // r2, w2 and w: the read's own fd is closed
    });

    it('a waiting read and a watcher on the same pipe: both are served', () => {
      const h = open();
      const { r, w } = scope.pipe();
      const mem = pinned(64);
      h.poller.set(r, READ);
      h.poller.submitOp(OP_READ, r, mem, 0, 64, -1, 7);
      settle(h);
      expect(h.done).toEqual([]);
      expect(h.seen.filter(([fd]) => fd === r)).toEqual([]);
      sys.write(w, Buffer.from('shared'));
      expect(completions(h, 1)).toEqual([[7, 6]]);
      h.seen.length = 0;
      sys.write(w, Buffer.from('again')); // the watcher still gets what comes next
      const deadline = performance.now() + 2000;
      while (!h.seen.some(([fd]) => fd === r) && performance.now() < deadline) h.poller.poll(20);
      expect(h.seen.some(([fd, ev]) => fd === r && (ev & READ) !== 0)).toBe(true);
      h.poller.set(r, 0);
    });

    it('a thousand in flight (more than the queues hold): each completes once, with its own bytes', () => {
      const h = open();
      const size = 1000 * 8;
      const content = Buffer.alloc(size);
      for (let i = 0; i < 1000; i++) content.write(String(i).padStart(8, '0'), i * 8);
      const { fd } = file(content.toString());
      const mem = pinned(size);
      for (let i = 0; i < 1000; i++)
        h.poller.submitOp(OP_READ, fd, mem, (999 - i) * 8, 8, i * 8, i);
      const got = completions(h, 1000, 10_000);
      expect(got).toHaveLength(1000);
      expect(new Set(got.map(([t]) => t)).size).toBe(1000);
      expect(got.every(([, r]) => r === 8)).toBe(true);
      for (let i = 0; i < 1000; i += 97) {
        expect(Buffer.from(mem.buffer, (999 - i) * 8, 8).toString()).toBe(
          String(i).padStart(8, '0'),
        );
      }
      settle(h);
      expect(h.done).toHaveLength(1000);
    });

    it('completions that submit the next operation from inside the handler, past what the queues hold', () => {
      const h = open();
      const total = 2000;
      const lanes = 48;
      const content = Buffer.alloc(total * 8);
      for (let i = 0; i < total; i++) content.write(String(i).padStart(8, '0'), i * 8);
      const { fd } = file(content.toString());
      const mem = pinned(total * 8);
      let started = 0;
      const start = (): void => {
        const i = started++;
        h.poller.submitOp(OP_READ, fd, mem, i * 8, 8, i * 8, i);
      };
      h.onDone = () => {
        if (started < total) start();
      };
      for (let lane = 0; lane < lanes; lane++) start();
      const got = completions(h, total, 10_000);
      h.onDone = () => {};
      expect(got).toHaveLength(total);
      expect(new Set(got.map(([t]) => t)).size).toBe(total);
      expect(got.every(([, r]) => r === 8)).toBe(true);
      expect(Buffer.from(mem.buffer, 0, total * 8).equals(content)).toBe(true);
      settle(h);
      expect(h.done).toHaveLength(total);
    });
  });
}
