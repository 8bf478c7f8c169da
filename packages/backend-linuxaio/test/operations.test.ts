/**
 * Operations in the kernel through Linux AIO: what the conformance suite
 * cannot show because the emulation gives the same results. The kernel does
 * the read at the next poll (one io_submit for the batch), what AIO cannot
 * take (position −1, pipes) gets the emulation's results, a cancel before
 * the poll completes with ECANCELED without going to the kernel, an
 * O_DIRECT read completes later and wakes a sleeping owner, and memory
 * freed meanwhile is held until the completion.
 */

import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errno, O_CLOEXEC, O_NONBLOCK } from '@evring/abi';
import {
  FdTable,
  OP_FDATASYNC,
  OP_FSYNC,
  OP_READ,
  OP_READV,
  OP_WRITE,
  OP_WRITEV,
  Poller,
  realSys,
} from '@evring/backend';
import * as sys from '@evring/sys';
import { afterEach, describe, expect, it } from 'vitest';
import { linuxaioBackend } from '../src/index.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn();
});

function poller(options: Record<string, unknown> = {}) {
  const done: [number, number][] = [];
  const p = new Poller(linuxaioBackend, () => {}, {
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

function file(content: string, flags = 'r+'): { fd: number; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'evring-aio-ops-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'data');
  writeFileSync(path, content);
  const fd = openSync(path, flags);
  cleanups.push(() => sys.close(fd));
  return { fd, path };
}

/** Whether the temp dir's filesystem takes O_DIRECT (tmpfs does not). */
const DIRECT_OK = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'evring-aio-probe-'));
  try {
    writeFileSync(join(dir, 'probe'), '');
    closeSync(openSync(join(dir, 'probe'), constants.O_RDONLY | constants.O_DIRECT));
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

const counts = () => {
  const c = sys.syscallCounts();
  return { submit: c.io_submit ?? 0 };
};

describe('operations through Linux AIO', () => {
  it('reads, writes (plain and vectored) and syncs are native; a batch goes to the kernel in one io_submit at the next poll', () => {
    const { p, until } = poller();
    expect(p.backend.ops?.native).toEqual([
      OP_READ,
      OP_WRITE,
      OP_FSYNC,
      OP_FDATASYNC,
      OP_READV,
      OP_WRITEV,
    ]);
    const { fd, path } = file('0123456789abcdef');
    const mem = pinned(64);
    for (let i = 0; i < 8; i++) p.submitOp(OP_READ, fd, mem, i * 4, 2, i * 2, i);
    writeFileSync(path, 'ABCDEFGHIJKLMNOP'); // an emulation would already have read the old bytes
    const before = counts();
    const got = until(8);
    expect(got.map(([t]) => t).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(got.every(([, r]) => r === 2)).toBe(true);
    expect(Buffer.from(mem.buffer, 0, 2).toString()).toBe('AB');
    expect(Buffer.from(mem.buffer, 28, 2).toString()).toBe('OP');
    expect(counts().submit - before.submit).toBe(1);
  });

  it('a readv and a writev go to the kernel in the same io_submit, their iovec arrays naming pinned memory', () => {
    const { p, until } = poller();
    const { fd, path } = file('0123456789abcdef');
    const mem = pinned(256);
    const view = new DataView(mem.buffer);
    const iovec = (at: number, addr: number, len: number): void => {
      view.setBigUint64(at, BigInt(addr), true);
      view.setBigUint64(at + 8, BigInt(len), true);
    };
    iovec(0, mem.address + 100, 3);
    iovec(16, mem.address + 120, 2);
    p.submitOp(OP_READV, fd, mem, 0, 2, 4, 1);
    Buffer.from(mem.buffer).write('xyz', 200);
    iovec(32, mem.address + 200, 3);
    p.submitOp(OP_WRITEV, fd, mem, 32, 1, 13, 2);
    writeFileSync(path, 'ABCDEFGHIJKLMNOP'); // an emulation would already have read the old bytes
    const before = counts();
    expect(new Map(until(2))).toEqual(
      new Map([
        [1, 5],
        [2, 3],
      ]),
    );
    expect(Buffer.from(mem.buffer, 100, 3).toString()).toBe('EFG');
    expect(Buffer.from(mem.buffer, 120, 2).toString()).toBe('HI');
    expect(readFileSync(path, 'utf8')).toBe('ABCDEFGHIJKLMxyz');
    expect(counts().submit - before.submit).toBe(1);
  });

  it('position −1 and fds AIO cannot serve get the emulation results: the file offset, ESPIPE, EISDIR, EBADF', () => {
    const { p, until } = poller();
    const { fd } = file('offset-read');
    const [r, w] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
    cleanups.push(() => {
      sys.close(r);
      sys.close(w);
    });
    const dir = mkdtempSync(join(tmpdir(), 'evring-aio-dir-'));
    const dfd = openSync(dir, 'r');
    cleanups.push(() => {
      sys.close(dfd);
      rmSync(dir, { recursive: true, force: true });
    });
    const mem = pinned(64);
    p.submitOp(OP_READ, fd, mem, 0, 6, -1, 1);
    p.submitOp(OP_READ, r, mem, 16, 4, 0, 2);
    p.submitOp(OP_READ, dfd, mem, 16, 4, 0, 3);
    p.submitOp(OP_READ, 19_999, mem, 16, 4, 0, 4);
    p.submitOp(OP_READ, fd, mem, 32, 4, 7, 5); // after the refused ones, still in the kernel
    expect(new Map(until(5))).toEqual(
      new Map([
        [1, 6],
        [2, -errno.ESPIPE], // a pipe read at a position, as pread(2)
        [3, -errno.EISDIR],
        [4, -errno.EBADF],
        [5, 4],
      ]),
    );
    expect(Buffer.from(mem.buffer, 0, 6).toString()).toBe('offset');
    expect(Buffer.from(mem.buffer, 32, 4).toString()).toBe('read');
  });

  it("what AIO will not do goes back to the owner: the Poller emulates it, a bare owner gets sys's verdict", () => {
    const zero = openSync('/dev/zero', 'r');
    const dir = mkdtempSync(join(tmpdir(), 'evring-aio-dir-'));
    const dfd = openSync(dir, 'r');
    cleanups.push(() => {
      sys.close(zero);
      sys.close(dfd);
      rmSync(dir, { recursive: true, force: true });
    });
    const mem = pinned(64);
    new Uint8Array(mem.buffer).fill(0xaa);
    // Through a Poller: the results of pread(2) and pwrite(2).
    const { p, until } = poller();
    p.submitOp(OP_READ, zero, mem, 8, 4, 4096, 1);
    p.submitOp(OP_WRITE, dfd, mem, 0, 4, 0, 2);
    expect(new Map(until(2))).toEqual(
      new Map([
        [1, 4],
        [2, -errno.EBADF],
      ]),
    );
    expect([...new Uint8Array(mem.buffer, 6, 8)]).toEqual([0xaa, 0xaa, 0, 0, 0, 0, 0xaa, 0xaa]);
    // An owner that does no operations itself: sys's answer (ESPIPE, EISDIR).
    const done: [number, number][] = [];
    const owner = {
      fds: new FdTable(),
      fdEvent() {},
      fdKill() {},
      rearmAll() {},
      opComplete: (token: number, res: number) => done.push([token, res]),
    };
    const { backend } = linuxaioBackend.open(owner, { sys: realSys, embedded: false });
    if (!backend) throw new Error('no linuxaio backend');
    cleanups.push(() => backend.destroy());
    expect(backend.ops!.submit(OP_READ, zero, mem, 8, 4, 0, 3)).toBe(true);
    expect(backend.ops!.submit(OP_WRITE, dfd, mem, 0, 4, 0, 4)).toBe(true);
    const deadline = performance.now() + 2000;
    while (done.length < 2 && performance.now() < deadline) backend.poll(20);
    expect(new Map(done)).toEqual(
      new Map([
        [3, -errno.ESPIPE],
        [4, -errno.EISDIR],
      ]),
    );
  });

  it('a cancel before the poll completes with ECANCELED and reads nothing', () => {
    const { p, until } = poller();
    const { fd } = file('never read');
    const mem = pinned(16);
    p.submitOp(OP_READ, fd, mem, 0, 5, 0, 9);
    p.cancelOp(9);
    expect(until(1)).toEqual([[9, -errno.ECANCELED]]);
    expect(Buffer.from(mem.buffer, 0, 5)).toEqual(Buffer.alloc(5));
    p.cancelOp(9); // after its completion: nothing
    p.poll(0);
    expect(until(1)).toHaveLength(1);
  });

  it.skipIf(!DIRECT_OK)(
    'an O_DIRECT read completes in the kernel later: a sleeping owner wakes for it (skipped where the temp dir refuses O_DIRECT)',
    async () => {
      const content = 'D'.repeat(4096);
      const { path } = file(content);
      const fd = openSync(path, constants.O_RDONLY | constants.O_DIRECT);
      cleanups.push(() => sys.close(fd));
      const { p, done, until } = poller(); // embedded: sleeps on its fd
      const mem = pinned(8192);
      const aligned = (4096 - (mem.address % 4096)) % 4096;
      p.submitOp(OP_READ, fd, mem, aligned, 4096, 0, 1);
      p.poll(0); // submitted; an O_DIRECT read is usually still on its way
      if (done.length === 0) {
        const readable = await new Promise<boolean>((resolve) => {
          const watch = new sys.FdPoll(p.backend.fd, () => {
            watch.close();
            clearTimeout(timer);
            resolve(true);
          });
          watch.start(sys.UV_READABLE);
          const timer = setTimeout(() => {
            watch.close();
            resolve(false);
          }, 5000);
        });
        expect(readable).toBe(true);
      }
      expect(until(1)).toEqual([[1, 4096]]);
      expect(Buffer.from(mem.buffer, aligned, 4096).toString()).toBe(content);
    },
  );

  it('standalone (not embedded), a poll that would sleep still collects operations', () => {
    const { p, until } = poller({ embedded: false });
    const { fd } = file('standalone');
    const mem = pinned(16);
    p.submitOp(OP_FSYNC, fd, mem, 0, 0, 0, 1); // a kernel worker's job: completes after the io_submit
    p.submitOp(OP_READ, fd, mem, 0, 10, 0, 2);
    expect(new Map(until(2))).toEqual(
      new Map([
        [1, 0],
        [2, 10],
      ]),
    );
  });

  it('memory freed while its operation is queued is kept until the completion', () => {
    const { p, until } = poller();
    const { fd } = file('kept alive');
    const before = sys.pinnedStats().blocks;
    const mem = sys.pinnedAlloc(16);
    p.submitOp(OP_READ, fd, mem, 0, 4, 0, 1);
    p.poll(0); // in the kernel (or done): sys holds it until the completion is reaped
    sys.pinnedFree(mem.buffer);
    expect(until(1)).toEqual([[1, 4]]);
    expect(sys.pinnedStats().blocks).toBe(before);
  });
});
