/**
 * Operations that carry memory, on a ring that tracks them (set up with
 * DEFER_TASKRUN): READ writes only into pinned memory, WRITE reads only from
 * it, and the memory stays allocated until each operation's own completion,
 * whatever JavaScript frees, collects, forges or closes meanwhile.
 */

import { spawnSync } from 'node:child_process';
import {
  closeSync,
  constants as fsConstants,
  mkdtempSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AT_FDCWD,
  cqeFlags,
  cqeRes,
  cqeUserDataLo,
  errno,
  IO_EVENT_DATA_WORD,
  IO_EVENT_RES_WORD,
  IO_EVENT_WORDS,
  IORING_ENTER_EXT_ARG,
  IORING_ENTER_GETEVENTS,
  IORING_SETUP_DEFER_TASKRUN,
  IORING_SETUP_SINGLE_ISSUER,
  IOSQE_ASYNC,
  IOSQE_CQE_SKIP_SUCCESS,
  IOSQE_IO_DRAIN,
  IOSQE_IO_LINK,
  iocbSetData,
  O_CLOEXEC,
  O_NONBLOCK,
  POLLIN,
  prepCancel,
  prepClose,
  prepFsync,
  prepIocbFsync,
  prepIocbPread,
  prepIocbPreadv,
  prepIocbPwrite,
  prepLinkat,
  prepLinkTimeout,
  prepMkdirat,
  prepNop,
  prepOpenat,
  prepPollAdd,
  prepRead,
  prepReadFixed,
  prepReadv,
  prepRenameat,
  prepSend,
  prepStatx,
  prepSymlinkat,
  prepTimeout,
  prepUnlinkat,
  prepWrite,
  prepWriteFixed,
  prepWritev,
  sqeSetData,
  sqeSetFlags,
  writeTimespec,
} from '@evring/abi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AioContext,
  claimFd,
  close,
  dup2,
  fcntl,
  IoUring,
  ownedFdCount,
  ownFd,
  pinnedAlloc,
  pinnedFree,
  pinnedStats,
  pipe2,
  write,
} from '../src/index.js';

const DEFER = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
const O_RDONLY = 0;
const EINVAL = -errno.EINVAL;

interface Cqe {
  userData: number;
  res: number;
  flags: number;
}

/** A small driver: queue SQEs, submit, wait for `n` completions within `ms`. */
function driver(ring: IoUring) {
  return {
    queue(prep: (sqes: Uint32Array, at: number) => void, userData: number): number {
      const at = ring.nextSqe();
      if (at < 0) throw new Error('SQ full');
      prep(ring.sqeWords, at);
      sqeSetData(ring.sqeWords, at, userData, 0);
      ring.advance();
      return at;
    },
    /** Enters (submitting what is queued) until `n` CQEs are reaped or `ms` pass. */
    reap(n: number, ms = 2000): Cqe[] {
      const out: Cqe[] = [];
      const deadline = Date.now() + ms;
      do {
        // What a failed SQE left unsubmitted goes in again (no SUBMIT_ALL).
        ring.enter(
          ring.toSubmit,
          n - out.length,
          IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
          20,
        );
        let head = ring.cqHead;
        const tail = ring.cqTail;
        while (head !== tail) {
          const at = ring.cqeAt(head);
          out.push({
            userData: cqeUserDataLo(ring.cqes, at),
            res: cqeRes(ring.cqes, at),
            flags: cqeFlags(ring.cqes, at),
          });
          head = (head + 1) >>> 0;
        }
        ring.setCqHead(head);
      } while (out.length < n && Date.now() < deadline);
      return out;
    },
  };
}

let dir: string;
let file: string;
const CONTENT = Buffer.from('the kernel read this into pinned memory\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evring-ops-'));
  file = join(dir, 'data');
  writeFileSync(file, CONTENT);
});

afterAll(() => rmSync(dir, { recursive: true }));

describe('a DEFER_TASKRUN ring tracks operations that carry memory', () => {
  it("READ into pinned memory: the data arrives, the CQE carries the caller's user_data", () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const fd = openSync(file, 'r');
    const mem = pinnedAlloc(64);
    try {
      const d = driver(ring);
      d.queue((q, at) => prepRead(q, at, fd, mem.address, 64, 0), 41);
      expect(d.reap(1)).toEqual([{ userData: 41, res: CONTENT.length, flags: 0 }]);
      expect(Buffer.from(mem.buffer, 0, CONTENT.length)).toEqual(CONTENT);
      expect(pinnedStats().held).toBe(0);
    } finally {
      pinnedFree(mem.buffer);
      closeSync(fd);
      ring.close();
    }
  });

  it('WRITE from pinned memory and FSYNC: the file holds the bytes', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const out = join(dir, 'written');
    const fd = openSync(out, 'w');
    const mem = pinnedAlloc(16);
    try {
      Buffer.from(mem.buffer).write('pinned bytes');
      const d = driver(ring);
      d.queue((q, at) => prepWrite(q, at, fd, mem.address, 12, 0), 1);
      expect(d.reap(1)).toEqual([{ userData: 1, res: 12, flags: 0 }]);
      d.queue((q, at) => prepFsync(q, at, fd, { datasync: true }), 2);
      expect(d.reap(1)).toEqual([{ userData: 2, res: 0, flags: 0 }]);
      expect(readFileSync(out, 'utf8')).toBe('pinned bytes');
    } finally {
      pinnedFree(mem.buffer);
      closeSync(fd);
      ring.close();
    }
  });

  it('refuses a READ or WRITE outside pinned memory, across its end, or with a second address', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const fd = openSync(file, 'r');
    const mem = pinnedAlloc(64);
    const other = new Uint8Array(64); // a heap buffer: its address is never acceptable
    try {
      const d = driver(ring);
      d.queue((q, at) => prepRead(q, at, fd, 0x1000, 8, 0), 1);
      d.queue((q, at) => prepRead(q, at, fd, mem.address + 32, 64, 0), 2); // runs past the block
      d.queue((q, at) => {
        prepRead(q, at, fd, mem.address, 8, 0);
        q[(at >>> 2) + 12] = 0x1000; // addr3 / the PI metadata pointer (bytes 48-63)
      }, 3);
      d.queue((q, at) => prepWrite(q, at, fd, mem.address, 8, 0), 4); // fine: a write to a read-only fd fails in the kernel
      d.queue((q, at) => {
        prepRead(q, at, fd, mem.address, 8, 0);
        sqeSetFlags(q, at, IOSQE_CQE_SKIP_SUCCESS); // sys must see each completion
      }, 5);
      const got = d.reap(5).sort((a, b) => a.userData - b.userData);
      expect(got.map((c) => [c.userData, c.res])).toEqual([
        [1, EINVAL],
        [2, EINVAL],
        [3, EINVAL],
        [4, -errno.EBADF],
        [5, EINVAL],
      ]);
      expect(Buffer.from(mem.buffer).every((b) => b === 0)).toBe(true);
      expect(other.every((b) => b === 0)).toBe(true);
    } finally {
      pinnedFree(mem.buffer);
      closeSync(fd);
      ring.close();
    }
  });

  it('a READ or WRITE of zero bytes touches no memory: it passes wherever its address points, holds nothing, and gets the fd’s own answer', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const fd = openSync(file, 'r+'); // the zero-byte write changes nothing
    const [r, w] = pipe2(O_CLOEXEC | O_NONBLOCK);
    try {
      const d = driver(ring);
      d.queue((q, at) => prepRead(q, at, fd, 0x1000, 0, 0), 1); // an address nothing owns
      d.queue((q, at) => prepWrite(q, at, fd, 0, 0, 0), 2);
      d.queue((q, at) => prepRead(q, at, r, 0x1000, 0, -1), 3); // an empty pipe: 0 at once, no wait
      d.queue((q, at) => prepRead(q, at, 19_999, 0x1000, 0, 0), 4); // no such fd: the kernel says so
      d.queue((q, at) => prepRead(q, at, fd, 0x1000, 1, 0), 5); // one byte there: refused as ever
      expect(pinnedStats().held).toBe(0);
      const got = d.reap(5).sort((a, b) => a.userData - b.userData);
      expect(got.map((c) => [c.userData, c.res])).toEqual([
        [1, 0],
        [2, 0],
        [3, 0],
        [4, -errno.EBADF],
        [5, EINVAL],
      ]);
      expect(pinnedStats().held).toBe(0);
      expect(readFileSync(file)).toEqual(CONTENT);
    } finally {
      closeSync(fd);
      close(r);
      close(w);
      ring.close();
    }
  });

  it("READV and WRITEV: the iovec array is sys's own copy; rewriting the caller's after submission moves nothing", () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const out = join(dir, 'vectored');
    const wfd = openSync(out, 'w');
    const a = pinnedAlloc(64);
    const b = pinnedAlloc(64);
    const decoy = pinnedAlloc(64);
    const vecs = pinnedAlloc(64); // the caller's iovec arrays
    const before = pinnedStats();
    try {
      const d = driver(ring);
      const iov = new DataView(vecs.buffer);
      const put = (at: number, addr: number, len: number): void => {
        iov.setBigUint64(at, BigInt(addr), true);
        iov.setBigUint64(at + 8, BigInt(len), true);
      };
      // A READV of 3 + 5 bytes on an empty pipe: it waits in the kernel.
      put(0, a.address + 10, 3);
      put(16, b.address, 5);
      d.queue((q, at) => prepReadv(q, at, rd, vecs.address, 2, -1), 1);
      expect(d.reap(1, 50)).toEqual([]);
      // Each entry's block is held; the array's own block is not: it was copied.
      expect(pinnedStats().held).toBe(before.held + 2);
      // The caller's array now names the decoy, and the first block is freed by JavaScript.
      put(0, decoy.address, 3);
      put(16, decoy.address + 8, 5);
      expect(pinnedFree(a.buffer)).toBe(true);
      write(wr, Buffer.from('abcdefgh'));
      expect(d.reap(1)).toEqual([{ userData: 1, res: 8, flags: 0 }]);
      expect(Buffer.from(b.buffer, 0, 5).toString()).toBe('defgh');
      expect(Buffer.from(decoy.buffer).every((x) => x === 0)).toBe(true);
      expect(pinnedStats().held).toBe(before.held);
      expect(pinnedStats().blocks).toBe(before.blocks - 1); // the freed block went with its read
      // A WRITEV gathers from two blocks, in order, at a position.
      Buffer.from(b.buffer).write('vectored', 0);
      Buffer.from(decoy.buffer).write(' writes', 0);
      put(32, b.address, 8);
      put(48, decoy.address, 7);
      d.queue((q, at) => prepWritev(q, at, wfd, vecs.address + 32, 2, 0), 2);
      expect(d.reap(1)).toEqual([{ userData: 2, res: 15, flags: 0 }]);
      expect(readFileSync(out, 'utf8')).toBe('vectored writes');
    } finally {
      for (const m of [b, decoy, vecs]) pinnedFree(m.buffer);
      close(rd);
      close(wr);
      closeSync(wfd);
      ring.close();
    }
  });

  it('refuses an iovec array or an entry outside pinned memory, an entry across its block, 0 or 1025 entries, a buffer index', () => {
    const ring = IoUring.setup(16, { flags: DEFER });
    const fd = openSync(file, 'r');
    const mem = pinnedAlloc(128);
    const vecs = pinnedAlloc(1025 * 16);
    try {
      const iov = new DataView(vecs.buffer);
      const put = (i: number, addr: number, len: number): void => {
        iov.setBigUint64(i * 16, BigInt(addr), true);
        iov.setBigUint64(i * 16 + 8, BigInt(len), true);
      };
      put(0, mem.address, 8); // good
      put(1, 0x1000, 8); // not pinned
      put(2, mem.address + 120, 16); // runs past the block's end
      put(3, 0x1000, 0); // empty: the kernel touches nothing, accepted
      put(4, mem.address + 64, 8);
      for (let i = 5; i < 1025; i++) put(i, mem.address, 1);
      const d = driver(ring);
      d.queue((q, at) => prepReadv(q, at, fd, 0x1000, 1, 0), 1); // the array on the heap
      d.queue((q, at) => prepReadv(q, at, fd, vecs.address, 2, 0), 2);
      d.queue((q, at) => prepReadv(q, at, fd, vecs.address + 32, 1, 0), 3);
      d.queue((q, at) => prepReadv(q, at, fd, vecs.address, 0, 0), 4);
      d.queue((q, at) => prepReadv(q, at, fd, vecs.address, 1025, 0), 5);
      d.queue((q, at) => {
        prepReadv(q, at, fd, vecs.address, 1, 0);
        q[(at >>> 2) + 10] = 1; // buf_index
      }, 6);
      d.queue((q, at) => prepReadv(q, at, fd, vecs.address + vecs.buffer.byteLength - 8, 1, 0), 7); // array past its block
      // Behind the refused ones (each stops the kernel's submission): the
      // SQE it did not consume is given back as written, and reads.
      d.queue((q, at) => prepReadv(q, at, fd, vecs.address + 48, 2, 0), 8);
      const got = d.reap(8).sort((x, y) => x.userData - y.userData);
      expect(got.map((c) => [c.userData, c.res])).toEqual([
        [1, EINVAL],
        [2, EINVAL],
        [3, EINVAL],
        [4, EINVAL],
        [5, EINVAL],
        [6, EINVAL],
        [7, EINVAL],
        [8, 8],
      ]);
      expect(Buffer.from(mem.buffer, 64, 8)).toEqual(CONTENT.subarray(0, 8));
      expect(Buffer.from(mem.buffer, 0, 64).every((x) => x === 0)).toBe(true);
      expect(pinnedStats().held).toBe(0);
    } finally {
      pinnedFree(mem.buffer);
      pinnedFree(vecs.buffer);
      closeSync(fd);
      ring.close();
    }
  });

  it('an SQE the index array names twice is refused both times and holds nothing; the identity array again reads', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const fd = openSync(file, 'r');
    const mem = pinnedAlloc(256);
    try {
      expect(ring.singleMmap).toBe(true); // the array is reachable through the one mapping
      const d = driver(ring);
      const head = ring.cqHead; // nothing consumed yet: SQ head and tail are 0 too
      expect(head).toBe(0);
      d.queue((q, at) => prepRead(q, at, fd, mem.address, 16, 0), 1);
      d.queue((q, at) => prepRead(q, at, fd, mem.address + 100, 16, 0), 2);
      // The second array entry names SQE 0 as well: the kernel would
      // consume that one SQE twice.
      const words = new Uint32Array(ring.cqes.buffer);
      const array = ring.params.sqOff.array >>> 2;
      words[array + 1] = 0;
      const got = d.reap(2);
      expect(got.map((c) => c.res)).toEqual([EINVAL, EINVAL]);
      // The first completion ends the operation and gets its user_data back;
      // the second consumption of the same SQE carries the spent token.
      expect(got[0]!.userData).toBe(1);
      expect(Buffer.from(mem.buffer).every((b) => b === 0)).toBe(true);
      expect(pinnedStats().held).toBe(0);
      // The array as IoUring set it: each SQE named once, and read.
      words[array + 2] = 2;
      words[array + 3] = 3;
      d.queue((q, at) => prepRead(q, at, fd, mem.address, 16, 0), 3);
      d.queue((q, at) => prepRead(q, at, fd, mem.address + 100, 16, 0), 4);
      expect(d.reap(2).map((c) => [c.userData, c.res])).toEqual([
        [3, 16],
        [4, 16],
      ]);
      expect(Buffer.from(mem.buffer, 100, 16)).toEqual(CONTENT.subarray(0, 16));
      expect(pinnedStats().held).toBe(0);
    } finally {
      pinnedFree(mem.buffer);
      closeSync(fd);
      ring.close();
    }
  });

  it('a block freed after use is no longer found at its address; a new block there is found as itself', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const fd = openSync(file, 'r');
    try {
      const d = driver(ring);
      const a = pinnedAlloc(4096);
      d.queue((q, at) => prepRead(q, at, fd, a.address, 16, 0), 1); // sys now knows where `a` is
      expect(d.reap(1)[0]!.res).toBe(16);
      const old = a.address;
      pinnedFree(a.buffer); // freed at once: nothing holds it
      d.queue((q, at) => prepRead(q, at, fd, old, 16, 0), 2);
      expect(d.reap(1)[0]!.res).toBe(EINVAL); // a freed block's address takes no new work
      // Blocks of a page are page-aligned, so a new one often lands where `a` was.
      const b = pinnedAlloc(4096);
      const c = pinnedAlloc(4096);
      try {
        expect(b.address % 4096).toBe(0);
        for (const [mem, tag] of [
          [b, 3],
          [c, 4],
        ] as const) {
          d.queue((q, at) => prepRead(q, at, fd, mem.address + 100, 16, 0), tag);
          expect(d.reap(1)[0]!.res).toBe(16);
          expect(Buffer.from(mem.buffer, 100, 16)).toEqual(CONTENT.subarray(0, 16));
        }
        // A range that starts in one block and runs into the next is still refused.
        d.queue((q, at) => prepRead(q, at, fd, b.address + 4090, 16, 0), 5);
        expect(d.reap(1)[0]!.res).toBe(EINVAL);
      } finally {
        pinnedFree(b.buffer);
        pinnedFree(c.buffer);
      }
    } finally {
      closeSync(fd);
      ring.close();
    }
  });

  it('linked chains: run in order; a refused link cancels the rest and frees their memory; a LINK_TIMEOUT ends a waiting read', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const out = join(dir, 'chained');
    const wfd = openSync(out, 'w+');
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const mem = pinnedAlloc(256);
    const before = pinnedStats();
    try {
      const d = driver(ring);
      const link = (prep: (q: Uint32Array, at: number) => void) => (q: Uint32Array, at: number) => {
        prep(q, at);
        sqeSetFlags(q, at, IOSQE_IO_LINK);
      };
      // WRITE -> FSYNC -> READ of what was written: each waits for the one before.
      Buffer.from(mem.buffer).write('chained', 0);
      d.queue(
        link((q, at) => prepWrite(q, at, wfd, mem.address, 7, 0)),
        1,
      );
      d.queue(
        link((q, at) => prepFsync(q, at, wfd)),
        2,
      );
      d.queue((q, at) => prepRead(q, at, wfd, mem.address + 64, 7, 0), 3);
      expect(d.reap(3)).toEqual([
        { userData: 1, res: 7, flags: 0 },
        { userData: 2, res: 0, flags: 0 },
        { userData: 3, res: 7, flags: 0 },
      ]);
      expect(Buffer.from(mem.buffer, 64, 7).toString()).toBe('chained');
      // A READ outside pinned memory in the middle: refused (an SQE that
      // fails at submission fails its whole chain, as the kernel does for
      // any invalid link: the head and the READ behind it are cancelled,
      // the READ without touching its pinned buffer).
      d.queue(
        link((q, at) => prepFsync(q, at, wfd)),
        4,
      );
      d.queue(
        link((q, at) => prepRead(q, at, wfd, 0x1000, 7, 0)),
        5,
      );
      d.queue((q, at) => prepRead(q, at, wfd, mem.address + 128, 7, 0), 6);
      const got = d.reap(3).sort((a, b) => a.userData - b.userData);
      expect(got.map((c) => [c.userData, c.res])).toEqual([
        [4, -errno.ECANCELED],
        [5, EINVAL],
        [6, -errno.ECANCELED],
      ]);
      expect(Buffer.from(mem.buffer, 128, 7).every((x) => x === 0)).toBe(true);
      expect(pinnedStats().held).toBe(before.held);
      // A read on an empty pipe, linked to a 20 ms timeout (its timespec pinned too).
      writeTimespec(new DataView(mem.buffer), 192, 0, 20_000_000);
      d.queue(
        link((q, at) => prepRead(q, at, rd, mem.address + 160, 8, -1)),
        7,
      );
      d.queue((q, at) => prepLinkTimeout(q, at, mem.address + 192), 8);
      expect(pinnedStats().held).toBe(before.held); // nothing submitted yet
      const timed = d.reap(2).sort((a, b) => a.userData - b.userData);
      expect(timed.map((c) => [c.userData, c.res])).toEqual([
        [7, -errno.ECANCELED],
        [8, -errno.ETIME],
      ]);
      expect(pinnedStats().held).toBe(before.held);
      // The same timeout's timespec on the heap: refused, and so is the read linked to it.
      d.queue(
        link((q, at) => prepRead(q, at, rd, mem.address + 160, 8, -1)),
        9,
      );
      d.queue((q, at) => prepLinkTimeout(q, at, 0x1000), 10);
      const refused = d.reap(2).sort((a, b) => a.userData - b.userData);
      expect(refused.map((c) => c.userData)).toEqual([9, 10]);
      expect(refused.every((c) => c.res < 0)).toBe(true);
      expect(pinnedStats().held).toBe(before.held);
    } finally {
      pinnedFree(mem.buffer);
      closeSync(wfd);
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('an ordinary ring still refuses READ, even into pinned memory', () => {
    const ring = IoUring.setup(8);
    const fd = openSync(file, 'r');
    const mem = pinnedAlloc(64);
    try {
      const d = driver(ring);
      d.queue((q, at) => prepRead(q, at, fd, mem.address, 64, 0), 9);
      expect(d.reap(1)).toEqual([{ userData: 9, res: EINVAL, flags: 0 }]);
      expect(Buffer.from(mem.buffer).every((b) => b === 0)).toBe(true);
    } finally {
      pinnedFree(mem.buffer);
      closeSync(fd);
      ring.close();
    }
  });

  it('memory freed by JavaScript mid-read stays allocated until the read completes', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const before = pinnedStats();
    const mem = pinnedAlloc(4096);
    try {
      const d = driver(ring);
      d.queue((q, at) => prepRead(q, at, rd, mem.address, 4096, -1), 7);
      expect(d.reap(1, 50)).toEqual([]); // the pipe is empty: the read waits in the kernel
      expect(pinnedStats().held).toBe(before.held + 1);
      expect(pinnedFree(mem.buffer)).toBe(true); // detached for JavaScript ...
      expect(pinnedStats().blocks).toBe(before.blocks + 1); // ... but not freed
      write(wr, Buffer.from('late'));
      expect(d.reap(1)).toEqual([{ userData: 7, res: 4, flags: 0 }]);
      expect(pinnedStats()).toEqual(before); // now it is
    } finally {
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('a pinned buffer with a read in flight cannot be transferred away: a transfer copies it', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const mem = pinnedAlloc(64);
    try {
      const d = driver(ring);
      d.queue((q, at) => prepRead(q, at, rd, mem.address, 8, -1), 1);
      expect(d.reap(1, 20)).toEqual([]);
      const moved = structuredClone(mem.buffer, { transfer: [mem.buffer] });
      expect(mem.buffer.byteLength).toBe(64); // still attached here
      write(wr, Buffer.from('in place'));
      expect(d.reap(1)).toEqual([{ userData: 1, res: 8, flags: 0 }]);
      expect(Buffer.from(mem.buffer, 0, 8).toString()).toBe('in place');
      expect(new Uint8Array(moved).every((b) => b === 0)).toBe(true); // the copy was taken before
    } finally {
      pinnedFree(mem.buffer);
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it("cancels by the caller's user_data; closing the ring cancels and waits for the rest", () => {
    const before = pinnedStats();
    const ring = IoUring.setup(8, { flags: DEFER });
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const mem = pinnedAlloc(64);
    try {
      const d = driver(ring);
      d.queue((q, at) => prepRead(q, at, rd, mem.address, 8, -1), 100);
      d.queue((q, at) => prepRead(q, at, rd, mem.address + 8, 8, -1), 200);
      expect(d.reap(2, 50)).toEqual([]);
      d.queue((q, at) => prepCancel(q, at, 100, 0), 300);
      const got = d.reap(2).sort((a, b) => a.userData - b.userData);
      expect(got).toEqual([
        { userData: 100, res: -errno.ECANCELED, flags: 0 },
        { userData: 300, res: 0, flags: 0 },
      ]);
      expect(pinnedStats().held).toBe(before.held + 1); // read 200 is still in flight
      pinnedFree(mem.buffer);
      ring.close(); // cancels read 200 and waits for it
      expect(pinnedStats()).toEqual(before);
    } finally {
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('close cancels a read deferred behind IOSQE_IO_DRAIN, which no cancel finds until what it waits for ends', () => {
    const before = pinnedStats();
    const ring = IoUring.setup(8, { flags: DEFER });
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const mem = pinnedAlloc(64);
    try {
      const d = driver(ring);
      d.queue((q, at) => prepPollAdd(q, at, rd, POLLIN, { multishot: true }), 1); // never fires
      d.queue((q, at) => {
        prepNop(q, at);
        sqeSetFlags(q, at, IOSQE_IO_DRAIN); // waits for the poll to end
      }, 2);
      d.queue((q, at) => prepRead(q, at, rd, mem.address, 8, -1), 3); // deferred behind the drain
      expect(d.reap(1, 50)).toEqual([]);
      pinnedFree(mem.buffer);
      expect(pinnedStats().held).toBe(before.held + 1);
      ring.close();
      expect(pinnedStats()).toEqual(before);
    } finally {
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('a forged CQE cannot release memory the kernel is still writing', () => {
    const before = pinnedStats();
    const ring = IoUring.setup(8, { flags: DEFER });
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const mem = pinnedAlloc(64);
    try {
      const d = driver(ring);
      const at = d.queue((q, a) => prepRead(q, a, rd, mem.address, 8, -1), 5);
      expect(d.reap(1, 20)).toEqual([]);
      // The SQE now holds sys's token; copy it into forged CQEs and move the tail.
      const token = [ring.sqeWords[(at >>> 2) + 8]!, ring.sqeWords[(at >>> 2) + 9]!];
      const tail = ring.cqTail;
      for (let i = 0; i < 4; i++) {
        const c = ring.cqeAt(tail + i) >>> 2;
        ring.cqWords[c] = token[0]!;
        ring.cqWords[c + 1] = token[1]!;
        ring.cqWords[c + 2] = 0;
        ring.cqWords[c + 3] = 0;
      }
      ring.cqWords[ring.params.cqOff.tail >>> 2] = tail + 4;
      // An enter in which the kernel posts nothing: sys must not read the forgeries.
      expect(ring.enter(0, 0, IORING_ENTER_GETEVENTS)).toBe(0);
      expect(ring.cqTail).toBe(tail); // the kernel's real tail is back
      expect(pinnedStats().held).toBe(before.held + 1);
      // A NOP whose user_data is the token, too: sys gives every SQE its own.
      const nop = d.queue((q, a) => prepNop(q, a), 0);
      ring.sqeWords[(nop >>> 2) + 8] = token[0]!;
      ring.sqeWords[(nop >>> 2) + 9] = token[1]!;
      const got = d.reap(1);
      expect(got.map((c) => c.res)).toEqual([0]); // only the NOP: the forged CQEs are gone
      pinnedFree(mem.buffer);
      expect(pinnedStats().held).toBe(before.held + 1); // the read still holds its memory
      write(wr, Buffer.from('12345678'));
      expect(d.reap(1)).toEqual([{ userData: 5, res: 8, flags: 0 }]);
      expect(pinnedStats()).toEqual(before);
    } finally {
      close(rd);
      close(wr);
      ring.close();
    }
  });
});

describe('fixed buffers: pinned blocks registered with the ring', () => {
  it('READ_FIXED and WRITE_FIXED inside the registered block; outside it, or an unknown index, refused', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const fd = openSync(file, 'r');
    const mem = pinnedAlloc(256);
    const other = pinnedAlloc(256);
    try {
      expect(ring.registerBuffers([mem.buffer])).toBe(1);
      expect(() => ring.registerBuffers([other.buffer])).toThrow(
        expect.objectContaining({ code: 'EBUSY' }),
      );
      const d = driver(ring);
      d.queue((q, at) => prepReadFixed(q, at, fd, mem.address + 100, 16, 0, 0), 1);
      d.queue((q, at) => prepReadFixed(q, at, fd, other.address, 16, 0, 0), 2); // not inside index 0
      d.queue((q, at) => prepReadFixed(q, at, fd, mem.address, 16, 0, 1), 3); // no index 1
      d.queue((q, at) => prepReadFixed(q, at, fd, mem.address + 250, 16, 0, 0), 4); // across the end
      d.queue((q, at) => prepWriteFixed(q, at, fd, mem.address, 4, 0, 0), 5); // read-only fd: the kernel says EBADF
      const got = d.reap(5).sort((a, b) => a.userData - b.userData);
      expect(got.map((c) => [c.userData, c.res])).toEqual([
        [1, 16],
        [2, EINVAL],
        [3, EINVAL],
        [4, EINVAL],
        [5, -errno.EBADF],
      ]);
      expect(Buffer.from(mem.buffer, 100, 16)).toEqual(CONTENT.subarray(0, 16));
      expect(Buffer.from(other.buffer).every((b) => b === 0)).toBe(true);
    } finally {
      pinnedFree(mem.buffer);
      pinnedFree(other.buffer);
      closeSync(fd);
      ring.close();
    }
  });

  it('a registered buffer freed by JavaScript lives until unregistered; only pinned buffers register', () => {
    const before = pinnedStats();
    const ring = IoUring.setup(8, { flags: DEFER });
    const plainRing = IoUring.setup(8);
    try {
      const mem = pinnedAlloc(4096);
      ring.registerBuffers([mem.buffer]);
      pinnedFree(mem.buffer);
      expect(pinnedStats().blocks).toBe(before.blocks + 1); // the kernel pins its pages: kept
      expect(ring.unregisterBuffers()).toBe(true);
      expect(pinnedStats()).toEqual(before);
      expect(ring.unregisterBuffers()).toBe(false);
      expect(() => ring.registerBuffers([new ArrayBuffer(64)])).toThrow(TypeError);
      const p = pinnedAlloc(64);
      expect(() => plainRing.registerBuffers([p.buffer])).toThrow(
        expect.objectContaining({ code: 'EINVAL' }),
      );
      ring.registerBuffers([p.buffer]);
      pinnedFree(p.buffer);
      ring.close(); // unregisters and lets the block go
      expect(pinnedStats()).toEqual(before);
    } finally {
      ring.close();
      plainRing.close();
    }
  });
});

/** Writes `text` and a NUL into pinned memory at `offset`; returns its address. */
function pinnedString(
  mem: { buffer: ArrayBuffer; address: number },
  offset: number,
  text: string,
): number {
  const n = Buffer.from(mem.buffer).write(`${text}\0`, offset);
  expect(n).toBe(Buffer.byteLength(text) + 1);
  return mem.address + offset;
}

describe('file operations with paths and structs in pinned memory', () => {
  it('OPENAT, STATX, MKDIRAT, RENAMEAT, UNLINKAT and CLOSE, each path a copy in pinned memory', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const mem = pinnedAlloc(4096);
    try {
      const d = driver(ring);
      const path = pinnedString(mem, 0, file);
      d.queue((q, at) => prepOpenat(q, at, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0), 1);
      const [opened] = d.reap(1);
      expect(opened!.res).toBeGreaterThanOrEqual(0);
      d.queue((q, at) => prepStatx(q, at, AT_FDCWD, path, 0, 0x7ff, mem.address + 1024), 2);
      expect(d.reap(1)).toEqual([{ userData: 2, res: 0, flags: 0 }]);
      const size = Number(new DataView(mem.buffer).getBigUint64(1024 + 40, true)); // stx_size
      expect(size).toBe(CONTENT.length);
      d.queue((q, at) => prepClose(q, at, opened!.res), 3);
      expect(d.reap(1)).toEqual([{ userData: 3, res: 0, flags: 0 }]);
      const sub = pinnedString(mem, 2048, join(dir, 'sub'));
      const moved = pinnedString(mem, 2304, join(dir, 'moved'));
      d.queue((q, at) => prepMkdirat(q, at, AT_FDCWD, sub, 0o755), 4);
      expect(d.reap(1)).toEqual([{ userData: 4, res: 0, flags: 0 }]);
      d.queue((q, at) => prepRenameat(q, at, AT_FDCWD, sub, AT_FDCWD, moved, 0), 5);
      expect(d.reap(1)).toEqual([{ userData: 5, res: 0, flags: 0 }]);
      d.queue((q, at) => prepUnlinkat(q, at, AT_FDCWD, moved, 0x200 /* AT_REMOVEDIR */), 6);
      expect(d.reap(1)).toEqual([{ userData: 6, res: 0, flags: 0 }]);
      // LINKAT and SYMLINKAT: two paths each, both in pinned memory.
      const second = pinnedString(mem, 2560, join(dir, 'second-name'));
      d.queue((q, at) => prepLinkat(q, at, AT_FDCWD, path, AT_FDCWD, second, 0), 7);
      expect(d.reap(1)).toEqual([{ userData: 7, res: 0, flags: 0 }]);
      expect(statSync(join(dir, 'second-name')).ino).toBe(statSync(file).ino);
      const target = pinnedString(mem, 2816, 'second-name');
      const link = pinnedString(mem, 2900, join(dir, 'sym'));
      d.queue((q, at) => prepSymlinkat(q, at, target, AT_FDCWD, link), 8);
      expect(d.reap(1)).toEqual([{ userData: 8, res: 0, flags: 0 }]);
      expect(readlinkSync(join(dir, 'sym'))).toBe('second-name');
      expect(pinnedStats().held).toBe(0);
    } finally {
      pinnedFree(mem.buffer);
      ring.close();
    }
  });

  it("holdOpenedFds: an OPENAT's fd is held for the environment until claimFd or a close takes it (an OP_CLOSE of it included); without it, not held", () => {
    const held = IoUring.setup(8, { flags: DEFER, holdOpenedFds: true });
    const plain = IoUring.setup(8, { flags: DEFER });
    const mem = pinnedAlloc(4096);
    const base = ownedFdCount();
    try {
      const path = pinnedString(mem, 0, file);
      const open = (ring: IoUring): number => {
        const d = driver(ring);
        d.queue((q, at) => prepOpenat(q, at, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0), 1);
        const [opened] = d.reap(1);
        expect(opened!.res).toBeGreaterThanOrEqual(0);
        return opened!.res;
      };
      const a = open(held);
      expect(ownedFdCount()).toBe(base + 1); // held since sys read its completion
      expect(claimFd(a)).toBe(true);
      expect(ownedFdCount()).toBe(base);
      expect(claimFd(a)).toBe(false);
      close(a);
      const b = open(held);
      expect(ownedFdCount()).toBe(base + 1);
      const d = driver(held);
      d.queue((q, at) => prepClose(q, at, b), 2);
      expect(d.reap(1)).toEqual([{ userData: 2, res: 0, flags: 0 }]);
      expect(ownedFdCount()).toBe(base); // the kernel's close took it
      const c = open(plain);
      expect(ownedFdCount()).toBe(base);
      expect(claimFd(c)).toBe(false);
      close(c);
    } finally {
      pinnedFree(mem.buffer);
      held.close();
      plain.close();
    }
  });

  it('an OP_CLOSE of a held fd that the kernel does not consume (its submission stopped before it) gives the hold back; consumed later, it takes it', () => {
    const ring = IoUring.setup(8, { flags: DEFER, holdOpenedFds: true });
    const mem = pinnedAlloc(4096);
    const base = ownedFdCount();
    try {
      const d = driver(ring);
      d.queue(
        (q, at) => prepOpenat(q, at, AT_FDCWD, pinnedString(mem, 0, file), O_RDONLY | O_CLOEXEC, 0),
        1,
      );
      const [opened] = d.reap(1);
      const fd = opened!.res;
      expect(fd).toBeGreaterThanOrEqual(0);
      expect(ownedFdCount()).toBe(base + 1);
      // A read into the heap (refused, so it fails at prep) stops the
      // kernel's submission: the close behind it stays in the SQ.
      d.queue((q, at) => prepRead(q, at, fd, 0x1000, 8, 0), 2);
      d.queue((q, at) => prepClose(q, at, fd), 3);
      expect(ring.enter(2, 0, 0)).toBe(1);
      expect(ownedFdCount(), 'the untaken close gives the hold back').toBe(base + 1);
      expect(fcntl(fd, 1 /* F_GETFD */)).toBeGreaterThanOrEqual(0);
      // Submitted again, the close runs, and takes the hold for good.
      const got = d.reap(2).sort((x, y) => x.userData - y.userData);
      expect(got.map((c) => [c.userData, c.res])).toEqual([
        [2, EINVAL],
        [3, 0],
      ]);
      expect(ownedFdCount()).toBe(base);
      expect(() => fcntl(fd, 1)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    } finally {
      pinnedFree(mem.buffer);
      ring.close();
    }
  });

  it('an OP_CLOSE of an owned fd ends its tie at the completion, and leaves a tie its number was given since', () => {
    const isOpen = (fd: number): boolean => {
      try {
        fcntl(fd, 1); // F_GETFD
        return true;
      } catch {
        return false;
      }
    };
    const ring = IoUring.setup(8, { flags: DEFER });
    const base = ownedFdCount();
    try {
      const d = driver(ring);
      const [a, b] = pipe2(O_NONBLOCK | O_CLOEXEC);
      ownFd(a);
      d.queue((q, at) => prepClose(q, at, a), 1);
      expect(d.reap(1)).toEqual([{ userData: 1, res: 0, flags: 0 }]);
      expect(ownedFdCount()).toBe(base); // ended by sys, as it read the completion
      // A close run by a kernel worker, its completion read later: meanwhile
      // the number is given to another file and tied (dup2 onto it). That
      // tie stays.
      const [c, e] = pipe2(O_NONBLOCK | O_CLOEXEC);
      ownFd(c);
      d.queue((q, at) => {
        prepClose(q, at, c);
        sqeSetFlags(q, at, IOSQE_ASYNC);
      }, 2);
      ring.enter(ring.toSubmit, 0, 0);
      const deadline = Date.now() + 2000;
      while (isOpen(c) && Date.now() < deadline) {} // the worker's close, bounded by time
      expect(isOpen(c)).toBe(false);
      dup2(b, c);
      ownFd(c);
      expect(d.reap(1)).toEqual([{ userData: 2, res: 0, flags: 0 }]);
      expect(ownedFdCount()).toBe(base + 1); // c's new tie, left alone
      close(c);
      close(b);
      close(e);
      expect(ownedFdCount()).toBe(base);
    } finally {
      ring.close();
    }
  });

  it('refuses paths and structs outside pinned memory, a path with no NUL before the block ends, and pointers sys has not checked', () => {
    const ring = IoUring.setup(8, { flags: DEFER });
    const mem = pinnedAlloc(64);
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      Buffer.from(mem.buffer).fill(0x61); // 64 × 'a', no NUL anywhere in the block
      const d = driver(ring);
      d.queue((q, at) => prepOpenat(q, at, AT_FDCWD, mem.address, O_RDONLY, 0), 1);
      d.queue((q, at) => prepOpenat(q, at, AT_FDCWD, 0x1000, O_RDONLY, 0), 2);
      d.queue((q, at) => prepStatx(q, at, AT_FDCWD, mem.address + 63, 0, 0x7ff, mem.address), 3); // statx buffer too small
      d.queue((q, at) => prepTimeout(q, at, 0x1000), 4); // a timespec on the heap
      d.queue((q, at) => prepSend(q, at, wr, mem.address, 8, 0), 5); // SEND: not checked on tracking rings yet
      // A second path outside pinned memory, for each opcode that carries two.
      const named = pinnedAlloc(64);
      const ok = named.address;
      Buffer.from(named.buffer).write('/tmp\0');
      d.queue((q, at) => prepLinkat(q, at, AT_FDCWD, ok, AT_FDCWD, 0x1000, 0), 6);
      d.queue((q, at) => prepSymlinkat(q, at, ok, AT_FDCWD, 0x1000), 7);
      d.queue((q, at) => prepSymlinkat(q, at, 0x1000, AT_FDCWD, ok), 8);
      const got = d.reap(8).sort((a, b) => a.userData - b.userData);
      pinnedFree(named.buffer);
      expect(got.map((c) => [c.userData, c.res])).toEqual([
        [1, EINVAL],
        [2, EINVAL],
        [3, EINVAL],
        [4, EINVAL],
        [5, EINVAL],
        [6, EINVAL],
        [7, EINVAL],
        [8, EINVAL],
      ]);
    } finally {
      pinnedFree(mem.buffer);
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('an open that completes as the ring closes has its fd closed, not leaked', () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const ring = IoUring.setup(8, { flags: DEFER });
    const mem = pinnedAlloc(512);
    try {
      const d = driver(ring);
      // Opening a FIFO for reading waits for a writer, in a kernel worker
      // (IOSQE_ASYNC: the inline attempt would open it non-blocking).
      d.queue((q, at) => {
        prepOpenat(q, at, AT_FDCWD, pinnedString(mem, 0, fifo), O_RDONLY, 0);
        sqeSetFlags(q, at, IOSQE_ASYNC);
      }, 1);
      expect(d.reap(1, 50)).toEqual([]);
      // Open the writing end without blocking: ENXIO until the kernel
      // worker's open is waiting as a reader (a blocking open could hang
      // the test if the worker had not started yet). Bounded by time.
      let writer = -1;
      const deadline = Date.now() + 5000;
      while (writer < 0) {
        try {
          writer = openSync(fifo, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() > deadline) throw err;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
      }
      // The reader's open completes now; its CQE waits, unread.
      pinnedFree(mem.buffer);
      ring.close(); // reaps it and closes the fd it returned
      closeSync(writer);
      expect(pinnedStats().held).toBe(0);
      // The leak check after this test fails if the opened fd was left open.
    } finally {
      ring.close();
    }
  });
});

describe('memory held by the kernel outlives everything JavaScript does (child processes)', () => {
  const child = (code: string) =>
    spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 30_000,
    });
  const sysUrl = new URL('../dist/index.js', import.meta.url).href;
  const abiUrl = import.meta.resolve('@evring/abi');

  it('a collected buffer, a worker exit with a read in flight: no crash, memory released', () => {
    const r = child(`
      import { IoUring, pinnedAlloc, pinnedStats, pipe2, write, close } from '${sysUrl}';
      import { prepRead, sqeSetData, IORING_ENTER_GETEVENTS, IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_SINGLE_ISSUER } from '${abiUrl}';
      import { Worker } from 'node:worker_threads';
      const ring = IoUring.setup(8, { flags: IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER });
      const [rd, wr] = pipe2(0o4000);
      (() => {
        const mem = pinnedAlloc(1 << 20);
        const at = ring.nextSqe();
        prepRead(ring.sqeWords, at, rd, mem.address, 1 << 20, -1);
        sqeSetData(ring.sqeWords, at, 1, 0);
        ring.advance();
        ring.enter(1, 0, IORING_ENTER_GETEVENTS);
      })();
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      const mid = pinnedStats();
      write(wr, Buffer.alloc(100, 7));
      ring.enter(0, 1, IORING_ENTER_GETEVENTS);
      const end = pinnedStats();
      ring.close(); close(rd); close(wr);
      // A worker that exits with a read in flight on its own ring.
      const w = new Worker(\`
        const { IoUring, pinnedAlloc, pipe2 } = await import('${sysUrl}');
        const { prepRead, IORING_ENTER_GETEVENTS, IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_SINGLE_ISSUER } = await import('${abiUrl}');
        const ring = IoUring.setup(8, { flags: IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER });
        const [rd] = pipe2(0o4000);
        const mem = pinnedAlloc(4096);
        prepRead(ring.sqeWords, ring.nextSqe(), rd, mem.address, 4096, -1);
        ring.advance();
        ring.enter(1, 0, IORING_ENTER_GETEVENTS);
        process.exit(0);
      \`, { eval: true });
      const code = await new Promise((r) => w.on('exit', r));
      console.log(JSON.stringify({ mid, end, code }));
    `);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { mid, end, code } = JSON.parse(r.stdout);
    expect(mid).toEqual({ blocks: 1, bytes: 1 << 20, held: 1 }); // collected by JavaScript, kept for the kernel
    expect(end).toEqual({ blocks: 0, bytes: 0, held: 0 });
    expect(code).toBe(0);
  });

  it('a READV whose buffers and iovec array are all collected mid-read, and a worker exiting with one in flight', () => {
    const r = child(`
      import { IoUring, pinnedAlloc, pinnedStats, pipe2, write, close } from '${sysUrl}';
      import { prepReadv, sqeSetData, IORING_ENTER_GETEVENTS, IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_SINGLE_ISSUER } from '${abiUrl}';
      import { Worker } from 'node:worker_threads';
      const DEFER = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER;
      const readv = (ring, rd) => {
        const a = pinnedAlloc(4096), b = pinnedAlloc(8192), vecs = pinnedAlloc(64);
        const v = new DataView(vecs.buffer);
        v.setBigUint64(0, BigInt(a.address), true); v.setBigUint64(8, 4096n, true);
        v.setBigUint64(16, BigInt(b.address), true); v.setBigUint64(24, 8192n, true);
        const at = ring.nextSqe();
        prepReadv(ring.sqeWords, at, rd, vecs.address, 2, -1);
        sqeSetData(ring.sqeWords, at, 1, 0);
        ring.advance();
        ring.enter(1, 0, IORING_ENTER_GETEVENTS);
      };
      const ring = IoUring.setup(8, { flags: DEFER });
      const [rd, wr] = pipe2(0o4000);
      readv(ring, rd);
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      const mid = pinnedStats();
      write(wr, Buffer.alloc(6000, 7));
      ring.enter(0, 1, IORING_ENTER_GETEVENTS);
      const end = pinnedStats();
      ring.close(); close(rd); close(wr);
      const w = new Worker(\`
        const { IoUring, pinnedAlloc, pipe2 } = await import('${sysUrl}');
        const { prepReadv, IORING_ENTER_GETEVENTS, IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_SINGLE_ISSUER } = await import('${abiUrl}');
        const ring = IoUring.setup(8, { flags: IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER });
        const [rd] = pipe2(0o4000);
        const a = pinnedAlloc(4096), vecs = pinnedAlloc(16);
        const v = new DataView(vecs.buffer);
        v.setBigUint64(0, BigInt(a.address), true); v.setBigUint64(8, 4096n, true);
        prepReadv(ring.sqeWords, ring.nextSqe(), rd, vecs.address, 1, -1);
        ring.advance();
        ring.enter(1, 0, IORING_ENTER_GETEVENTS);
        process.exit(0);
      \`, { eval: true });
      const code = await new Promise((r) => w.on('exit', r));
      console.log(JSON.stringify({ mid, end, code }));
    `);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { mid, end, code } = JSON.parse(r.stdout);
    // The two buffers are kept for the kernel; the iovec array's block was copied, so it went.
    expect(mid).toEqual({ blocks: 2, bytes: 4096 + 8192, held: 2 });
    expect(end).toEqual({ blocks: 0, bytes: 0, held: 0 });
    expect(code).toBe(0);
  });
});

describe('a tracking AIO context: reads and writes through pinned memory', () => {
  const EVENTS = new Uint32Array(8 * IO_EVENT_WORDS);
  const res = (i: number) => EVENTS[i * IO_EVENT_WORDS + IO_EVENT_RES_WORD]! | 0;
  const data = (i: number) => EVENTS[i * IO_EVENT_WORDS + IO_EVENT_DATA_WORD]!;

  it('PREAD, PREADV, PWRITE and FDSYNC complete through getevents; the ring stays with sys', () => {
    const aio = AioContext.setup(8, 4, { tracking: true });
    const fd = openSync(file, 'r');
    const out = join(dir, 'aio-written');
    const wfd = openSync(out, 'w');
    const mem = pinnedAlloc(4096);
    try {
      expect(aio.tracking).toBe(true);
      expect(() => aio.ring).toThrow(expect.objectContaining({ code: 'ERR_EVRING_NO_RING' }));
      const cbs = new Uint32Array(aio.iocbs);
      prepIocbPread(cbs, 0, fd, mem.address, 16, 0);
      iocbSetData(cbs, 0, 10, 0);
      // PREADV: two iovecs (16 bytes each) at 2048, pointing at 1024 and 1536.
      const iov = new DataView(mem.buffer, 2048, 32);
      iov.setBigUint64(0, BigInt(mem.address + 1024), true);
      iov.setBigUint64(8, 4n, true);
      iov.setBigUint64(16, BigInt(mem.address + 1536), true);
      iov.setBigUint64(24, 8n, true);
      prepIocbPreadv(cbs, 64, fd, mem.address + 2048, 2, 4);
      iocbSetData(cbs, 64, 11, 0);
      expect(aio.submit(Uint32Array.of(0, 1), 2)).toBe(2);
      expect(pinnedStats().held).toBe(3); // one block per buffer the kernel writes
      expect(aio.getevents(2, 8, EVENTS, 1000)).toBe(2);
      expect([data(0), res(0), data(1), res(1)].sort()).toEqual([10, 11, 12, 16].sort());
      expect(Buffer.from(mem.buffer, 0, 16)).toEqual(CONTENT.subarray(0, 16));
      expect(Buffer.from(mem.buffer, 1024, 4)).toEqual(CONTENT.subarray(4, 8));
      expect(Buffer.from(mem.buffer, 1536, 8)).toEqual(CONTENT.subarray(8, 16));
      prepIocbPwrite(cbs, 0, wfd, mem.address, 16, 0);
      prepIocbFsync(cbs, 64, wfd, { datasync: true });
      expect(aio.submit(Uint32Array.of(0), 1)).toBe(1);
      expect(aio.getevents(1, 8, EVENTS, 1000)).toBe(1);
      expect(res(0)).toBe(16);
      expect(aio.submit(Uint32Array.of(1), 1)).toBe(1);
      expect(aio.getevents(1, 8, EVENTS, 1000)).toBe(1);
      expect(res(0)).toBe(0);
      expect(readFileSync(out)).toEqual(CONTENT.subarray(0, 16));
      expect(pinnedStats().held).toBe(0);
    } finally {
      aio.destroy();
      pinnedFree(mem.buffer);
      closeSync(fd);
      closeSync(wfd);
    }
  });

  it('a PREAD or PWRITE of zero bytes passes wherever its address points, and holds nothing', () => {
    const aio = AioContext.setup(8, 4, { tracking: true });
    const fd = openSync(file, 'r+');
    try {
      const cbs = new Uint32Array(aio.iocbs);
      prepIocbPread(cbs, 0, fd, 0x1000, 0, 0);
      iocbSetData(cbs, 0, 20, 0);
      prepIocbPwrite(cbs, 64, fd, 0, 0, 0);
      iocbSetData(cbs, 64, 21, 0);
      expect(aio.submit(Uint32Array.of(0, 1), 2)).toBe(2);
      expect(pinnedStats().held).toBe(0);
      expect(aio.getevents(2, 8, EVENTS, 1000)).toBe(2);
      expect([data(0), res(0), data(1), res(1)].sort()).toEqual([20, 0, 21, 0].sort());
      prepIocbPread(cbs, 0, fd, 0x1000, 1, 0); // one byte there: refused as ever
      expect(() => aio.submit(Uint32Array.of(0), 1)).toThrow(RangeError);
      expect(readFileSync(file)).toEqual(CONTENT);
    } finally {
      aio.destroy();
      closeSync(fd);
    }
  });

  it('refuses buffers outside pinned memory and iocbs still in flight; an ordinary context refuses reads', () => {
    const aio = AioContext.setup(8, 4, { tracking: true });
    const plain = AioContext.setup(8, 4);
    const fd = openSync(file, 'r');
    const mem = pinnedAlloc(64);
    try {
      const cbs = new Uint32Array(aio.iocbs);
      prepIocbPread(cbs, 0, fd, 0x1000, 16, 0);
      expect(() => aio.submit(Uint32Array.of(0), 1)).toThrow(RangeError);
      prepIocbPread(cbs, 0, fd, mem.address + 32, 64, 0); // past the block's end
      expect(() => aio.submit(Uint32Array.of(0), 1)).toThrow(RangeError);
      prepIocbPread(cbs, 0, fd, mem.address, 16, 0);
      expect(aio.submit(Uint32Array.of(0), 1)).toBe(1);
      expect(() => aio.submit(Uint32Array.of(0), 1)).toThrow(/still in flight/);
      prepIocbPread(cbs, 64, fd, mem.address, 16, 0);
      expect(() => aio.submit(Uint32Array.of(1, 1), 2)).toThrow(/still in flight/); // twice in one batch
      expect(pinnedStats().held).toBe(1); // the refused batch took nothing
      const plainCbs = new Uint32Array(plain.iocbs);
      prepIocbPread(plainCbs, 0, fd, mem.address, 16, 0);
      expect(() => plain.submit(Uint32Array.of(0), 1)).toThrow(/only poll iocbs/);
      expect(aio.getevents(1, 8, EVENTS, 1000)).toBe(1);
      expect(pinnedStats().held).toBe(0);
    } finally {
      aio.destroy();
      plain.destroy();
      pinnedFree(mem.buffer);
      closeSync(fd);
    }
  });

  it('reads and writes go only to files and block devices: a batch stops before a pipe, socket or directory', () => {
    const aio = AioContext.setup(8, 4, { tracking: true });
    const fd = openSync(file, 'r');
    const dirFd = openSync(dir, 'r');
    const [r, w] = pipe2(0); // blocking: a read inside io_submit would hang the thread
    const mem = pinnedAlloc(64);
    try {
      const cbs = new Uint32Array(aio.iocbs);
      prepIocbPread(cbs, 0, fd, mem.address, 16, 0);
      prepIocbPread(cbs, 64, r, mem.address + 16, 16, 0);
      prepIocbPread(cbs, 128, fd, mem.address + 32, 16, 0);
      expect(aio.submit(Uint32Array.of(0, 1, 2), 3)).toBe(1); // stops before the pipe
      expect(aio.submit(Uint32Array.of(1, 2), 2)).toBe(-errno.ESPIPE); // as pread(2) there
      prepIocbPwrite(cbs, 64, w, mem.address + 16, 16, 0);
      expect(aio.submit(Uint32Array.of(1), 1)).toBe(-errno.ESPIPE);
      prepIocbPread(cbs, 64, dirFd, mem.address + 16, 16, 0);
      expect(aio.submit(Uint32Array.of(1), 1)).toBe(-errno.EISDIR);
      prepIocbPread(cbs, 64, 19_999, mem.address + 16, 16, 0);
      expect(aio.submit(Uint32Array.of(1), 1)).toBe(-errno.EBADF);
      expect(pinnedStats().held).toBe(1); // only the first read holds memory
      expect(aio.getevents(1, 8, EVENTS, 1000)).toBe(1);
      expect(res(0)).toBe(16);
    } finally {
      aio.destroy();
      pinnedFree(mem.buffer);
      closeSync(fd);
      closeSync(dirFd);
      close(r);
      close(w);
    }
  });

  it('memory freed before its completion is reaped stays until then; destroy releases what was never reaped', () => {
    const before = pinnedStats();
    const aio = AioContext.setup(8, 4, { tracking: true });
    const fd = openSync(file, 'r');
    try {
      const a = pinnedAlloc(64);
      const b = pinnedAlloc(64);
      const cbs = new Uint32Array(aio.iocbs);
      prepIocbPread(cbs, 0, fd, a.address, 16, 0);
      prepIocbPread(cbs, 64, fd, b.address, 16, 0);
      expect(aio.submit(Uint32Array.of(0, 1), 2)).toBe(2);
      pinnedFree(a.buffer);
      pinnedFree(b.buffer);
      expect(pinnedStats().blocks).toBe(before.blocks + 2); // held by their iocbs
      expect(aio.getevents(1, 1, EVENTS, 1000)).toBe(1);
      expect(pinnedStats().blocks).toBe(before.blocks + 1);
      aio.destroy(); // the other completion was never reaped
      expect(pinnedStats()).toEqual(before);
    } finally {
      aio.destroy();
      closeSync(fd);
    }
  });
});
