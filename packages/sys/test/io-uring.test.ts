import { readSync } from 'node:fs';
import {
  cqeFlags,
  cqeRes,
  cqeUserDataHi,
  cqeUserDataLo,
  errno,
  IORING_ENTER_EXT_ARG,
  IORING_ENTER_GETEVENTS,
  IORING_FEAT_EXT_ARG,
  IORING_FEAT_NODROP,
  IORING_FEAT_SINGLE_MMAP,
  IORING_OP_NOP,
  IORING_OP_POLL_ADD,
  IORING_OP_TIMEOUT,
  IORING_SETUP_CLAMP,
  IORING_SETUP_CQSIZE,
  IORING_SETUP_NO_MMAP,
  IORING_SETUP_SQPOLL,
  O_CLOEXEC,
  O_NONBLOCK,
  POLLIN,
  prepNop,
  prepPollAdd,
  prepRead,
  prepTimeout,
} from '@evring/abi';
import { describe, expect, it } from 'vitest';
import {
  close,
  eventfd,
  eventfdRead,
  IoUring,
  ioUringEnter,
  ioUringMmap,
  ioUringRegister,
  ioUringSetup,
  munmap,
  pinnedAlloc,
  pinnedFree,
  pipe2,
  resetSyscallCounts,
  syscallCounts,
  write,
} from '../src/index.js';
import { checkNoFdLeaks } from './fd-leaks.js';

checkNoFdLeaks();

/** Minimal ring driver for tests: push one SQE, reap CQEs. */
function rings(ring: IoUring) {
  const p = ring.params;
  const sq = new Uint32Array(ring.sqRing);
  const cq = new Uint32Array(ring.cqRing);
  const sqes = new DataView(ring.sqes);
  const cqView = new DataView(ring.cqRing);
  const at = (off: number) => off >>> 2;
  // params hold the offsets of ring_mask; the masks themselves live in the ring.
  const sqMask = Atomics.load(sq, at(p.sqOff.ringMask));
  const cqMask = Atomics.load(cq, at(p.cqOff.ringMask));
  expect(sqMask).toBe(p.sqEntries - 1);
  expect(cqMask).toBe(p.cqEntries - 1);
  return {
    push(write: (view: DataView, base: number) => void): void {
      const tail = Atomics.load(sq, at(p.sqOff.tail));
      const index = tail & sqMask;
      write(sqes, index * ring.sqeSize);
      Atomics.store(sq, at(p.sqOff.array) + index, index);
      Atomics.store(sq, at(p.sqOff.tail), tail + 1);
    },
    reap(): { lo: number; hi: number; res: number; flags: number }[] {
      const out = [];
      let head = Atomics.load(cq, at(p.cqOff.head));
      const tail = Atomics.load(cq, at(p.cqOff.tail));
      while (head !== tail) {
        const base = p.cqOff.cqes + (head & cqMask) * ring.cqeSize;
        out.push({
          lo: cqeUserDataLo(cqView, base),
          hi: cqeUserDataHi(cqView, base),
          res: cqeRes(cqView, base),
          flags: cqeFlags(cqView, base),
        });
        head = (head + 1) >>> 0;
      }
      Atomics.store(cq, at(p.cqOff.head), head);
      return out;
    },
  };
}

describe('io_uring setup', () => {
  it("reports this kernel's features; 6.x has single mmap, NODROP and EXT_ARG", () => {
    const ring = IoUring.setup(8);
    try {
      expect(ring.params.sqEntries).toBe(8);
      expect(ring.params.cqEntries).toBe(16);
      expect(ring.params.features & IORING_FEAT_SINGLE_MMAP).toBeTruthy();
      expect(ring.params.features & IORING_FEAT_NODROP).toBeTruthy();
      expect(ring.params.features & IORING_FEAT_EXT_ARG).toBeTruthy();
      expect(ring.singleMmap).toBe(true);
      expect(ring.cqRing).toBe(ring.sqRing);
    } finally {
      ring.close();
    }
  });

  it('sizes the CQ on its own with CQSIZE, and clamps with CLAMP', () => {
    const ring = IoUring.setup(4, { flags: IORING_SETUP_CQSIZE, cqEntries: 64 });
    expect(ring.params.cqEntries).toBe(64);
    ring.close();
    const big = IoUring.setup(1 << 20, { flags: IORING_SETUP_CLAMP });
    expect(big.params.sqEntries).toBe(32768);
    big.close();
  });

  it('throws a Node-shaped EINVAL for a bad entry count without CLAMP', () => {
    expect(() => IoUring.setup(1 << 20)).toThrow(
      expect.objectContaining({ code: 'EINVAL', errno: -errno.EINVAL!, syscall: 'io_uring_setup' }),
    );
  });

  it('refuses SQPOLL and NO_MMAP, which would bypass SQE checking', () => {
    expect(() => IoUring.setup(4, { flags: IORING_SETUP_SQPOLL })).toThrow(RangeError);
    expect(() => IoUring.setup(4, { flags: IORING_SETUP_NO_MMAP })).toThrow(RangeError);
  });

  it('rejects a params buffer shorter than 120 bytes', () => {
    expect(() => ioUringSetup(4, new Uint8Array(64))).toThrow(RangeError);
  });
});

describe('a NOP round trip through the mapped rings', () => {
  for (const singleMmap of [true, false]) {
    it(`with ${singleMmap ? 'one mapping (IORING_FEAT_SINGLE_MMAP)' : 'three mappings'}`, () => {
      const ring = IoUring.setup(8, { singleMmap });
      try {
        expect(ring.singleMmap).toBe(singleMmap);
        if (!singleMmap) expect(ring.cqRing).not.toBe(ring.sqRing);
        const r = rings(ring);
        for (let i = 0; i < 3; i++) r.push((v, b) => prepNop(v, b, 0x12345678 + i * 2 ** 32));
        expect(ring.enter(3, 3, IORING_ENTER_GETEVENTS)).toBe(3);
        const cqes = r.reap();
        expect(cqes).toEqual([0, 1, 2].map((i) => ({ lo: 0x12345678, hi: i, res: 0, flags: 0 })));
      } finally {
        ring.close();
      }
    });
  }
});

describe('io_uring_enter', () => {
  it('waits with a timeout through EXT_ARG and returns -ETIME', () => {
    const ring = IoUring.setup(4);
    try {
      const start = process.hrtime.bigint();
      const r = ring.enter(0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, 30);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      expect(r).toBe(-errno.ETIME!);
      expect(ms).toBeGreaterThanOrEqual(29);
    } finally {
      ring.close();
    }
  });

  it('needs EXT_ARG for a timeout', () => {
    const ring = IoUring.setup(4);
    expect(() => ring.enter(0, 0, IORING_ENTER_GETEVENTS, 5)).toThrow(RangeError);
    ring.close();
  });

  it('completes a POLL_ADD when a pipe becomes readable', () => {
    const ring = IoUring.setup(4);
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      const r = rings(ring);
      r.push((v, b) => prepPollAdd(v, b, rd, POLLIN, 77));
      expect(ring.enter(1, 0, 0)).toBe(1);
      expect(r.reap()).toEqual([]);
      write(wr, Buffer.from('x'));
      expect(ring.enter(0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, 1000)).toBe(0);
      const [cqe] = r.reap();
      expect(cqe).toEqual({ lo: 77, hi: 0, res: POLLIN, flags: 0 });
    } finally {
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('turns an SQE that would let the kernel write to a raw address into -EINVAL', () => {
    const ring = IoUring.setup(4);
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      write(wr, Buffer.from('secret'));
      resetSyscallCounts();
      const r = rings(ring);
      // A READ into address 0x1000: the kernel would write wherever JS says.
      r.push((v, b) => prepRead(v, b, rd, 0x1000, 6, -1, 5));
      r.push((v, b) => prepNop(v, b, 6));
      // Without IORING_SETUP_SUBMIT_ALL the kernel stops at the failed SQE
      // (counting it); the NOP behind it goes in with the next enter.
      expect(ring.enter(2, 1, IORING_ENTER_GETEVENTS)).toBe(1);
      expect(ring.enter(1, 1, IORING_ENTER_GETEVENTS)).toBe(1);
      const cqes = r.reap();
      expect(cqes).toContainEqual({ lo: 5, hi: 0, res: -errno.EINVAL!, flags: 0 });
      expect(cqes).toContainEqual({ lo: 6, hi: 0, res: 0, flags: 0 });
      expect(syscallCounts().sqe_rejected).toBe(1);
      // The rewritten SQE is a TIMEOUT the kernel refused; the data is still in the pipe.
      expect(new DataView(ring.sqes).getUint8(0)).toBe(IORING_OP_TIMEOUT);
      const buf = Buffer.alloc(8);
      expect(readSync(rd, buf)).toBe(6);
    } finally {
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('returns -EBADF for an fd that is not a ring made by sys, without entering', () => {
    const [rd, wr] = pipe2(O_CLOEXEC);
    expect(ioUringEnter(rd, 0, 0, 0)).toBe(-errno.EBADF!);
    close(rd);
    close(wr);
  });

  it('counts one io_uring_enter per call', () => {
    const ring = IoUring.setup(4);
    resetSyscallCounts();
    ring.enter(0, 0, 0);
    ring.enter(0, 0, 0);
    expect(syscallCounts().io_uring_enter).toBe(2);
    ring.close();
  });
});

describe('io_uring_register', () => {
  it('probes the supported opcodes', () => {
    const ring = IoUring.setup(4);
    const probe = ring.probe();
    expect(probe.supported.has(IORING_OP_NOP)).toBe(true);
    expect(probe.supported.has(IORING_OP_POLL_ADD)).toBe(true);
    expect(probe.lastOp).toBeGreaterThan(40);
    ring.close();
  });

  it('registers an eventfd that completions signal', () => {
    const ring = IoUring.setup(4);
    const efd = eventfd(0, O_NONBLOCK | O_CLOEXEC);
    try {
      ring.registerEventfd(efd);
      const r = rings(ring);
      r.push((v, b) => prepNop(v, b, 1));
      ring.enter(1, 1, IORING_ENTER_GETEVENTS);
      expect(eventfdRead(efd)).toBeGreaterThanOrEqual(1);
      ring.unregisterEventfd();
    } finally {
      close(efd);
      ring.close();
    }
  });

  it('refuses opcodes whose argument carries pointers', () => {
    const ring = IoUring.setup(4);
    expect(() => ioUringRegister(ring.fd, 0 /* REGISTER_BUFFERS */, new Uint8Array(16), 1)).toThrow(
      RangeError,
    );
    expect(() => ring.register(8 /* PROBE */, new Uint8Array(8), 4)).toThrow(RangeError);
    ring.close();
  });
});

describe('ring memory lifetime', () => {
  it('close() detaches every mapped buffer: stale views read nothing, new views throw', () => {
    const ring = IoUring.setup(4, { singleMmap: false });
    const sq = ring.sqRing;
    const cq = ring.cqRing;
    const sqes = ring.sqes;
    const view = new Uint32Array(sq);
    expect(view.length).toBeGreaterThan(0);
    ring.close();
    for (const ab of [sq, cq, sqes]) expect(ab.byteLength).toBe(0);
    expect(view.length).toBe(0);
    expect(view[0]).toBeUndefined();
    expect(() => new DataView(sq).getUint32(0)).toThrow();
    expect(() => ring.sqRing).toThrow(/closed/);
    ring.close(); // idempotent
    expect(ring.closed).toBe(true);
  });

  it('munmap() is idempotent and refuses buffers sys did not map', () => {
    const fd = ioUringSetup(4, new Uint8Array(120));
    const ab = ioUringMmap(fd, 0, 64);
    expect(munmap(ab)).toBe(true);
    expect(munmap(ab)).toBe(false);
    expect(() => munmap(new ArrayBuffer(64))).toThrow(TypeError);
    close(fd);
  });

  it('maps only rings made by ioUringSetup, at the three ring offsets', () => {
    const [rd, wr] = pipe2(O_CLOEXEC);
    expect(() => ioUringMmap(rd, 0, 4096)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    const fd = ioUringSetup(4, new Uint8Array(120));
    expect(() => ioUringMmap(fd, 4096, 64)).toThrow(RangeError);
    // This kernel accepts an oversized mmap but backs only the ring's pages: sys bounds it.
    expect(() => ioUringMmap(fd, 0, 1 << 29)).toThrow(RangeError);
    expect(() => ioUringMmap(fd, 0x10000000, 4 * 64 + 4096)).toThrow(RangeError);
    close(fd);
    close(rd);
    close(wr);
  });

  it('a transferred ring buffer is copied, never moved out from under sys', () => {
    const ring = IoUring.setup(4);
    const ab = ring.sqRing;
    const clone = structuredClone(ab, { transfer: [ab] });
    expect(ab.byteLength).toBeGreaterThan(0);
    expect(clone).not.toBe(ab);
    ring.close();
    expect(ab.byteLength).toBe(0);
    expect(clone.byteLength).toBeGreaterThan(0);
  });
});

describe('closing a ring whose fd was closed elsewhere', () => {
  it('still releases the mappings and does not throw', () => {
    const ring = IoUring.setup(4);
    const sq = ring.sqRing;
    close(ring.fd);
    expect(() => ring.close()).not.toThrow();
    expect(sq.byteLength).toBe(0);
  });
});

describe('pinned buffers for pointers the kernel only reads', () => {
  it('a TIMEOUT SQE reads its timespec from pinned memory and fires', () => {
    const ring = IoUring.setup(4);
    const ts = pinnedAlloc(16);
    try {
      new DataView(ts.buffer).setBigInt64(8, 20_000_000n, true); // 20 ms
      const r = rings(ring);
      r.push((v, b) => prepTimeout(v, b, ts.address, 0, 0, 42));
      const t0 = performance.now();
      expect(ring.enter(1, 1, IORING_ENTER_GETEVENTS)).toBe(1);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
      expect(r.reap()).toEqual([{ lo: 42, hi: 0, res: -errno.ETIME!, flags: 0 }]);
    } finally {
      ring.close();
      expect(pinnedFree(ts.buffer)).toBe(true);
      expect(pinnedFree(ts.buffer)).toBe(false);
      expect(ts.buffer.byteLength).toBe(0);
    }
  });
});
