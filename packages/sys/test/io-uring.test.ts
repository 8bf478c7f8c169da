import { readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  cqeFlags,
  cqeRes,
  cqeUserDataHi,
  cqeUserDataLo,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLL_EVENT_SIZE,
  EPOLLIN,
  errno,
  IORING_ENTER_EXT_ARG,
  IORING_ENTER_GETEVENTS,
  IORING_FEAT_EXT_ARG,
  IORING_FEAT_NODROP,
  IORING_FEAT_SINGLE_MMAP,
  IORING_OP_NOP,
  IORING_OP_POLL_ADD,
  IORING_OP_TIMEOUT,
  IORING_SETUP_ATTACH_WQ,
  IORING_SETUP_CLAMP,
  IORING_SETUP_COOP_TASKRUN,
  IORING_SETUP_CQE32,
  IORING_SETUP_CQSIZE,
  IORING_SETUP_DEFER_TASKRUN,
  IORING_SETUP_IOPOLL,
  IORING_SETUP_NO_MMAP,
  IORING_SETUP_NO_SQARRAY,
  IORING_SETUP_SINGLE_ISSUER,
  IORING_SETUP_SQE128,
  IORING_SETUP_SQPOLL,
  IORING_SETUP_SUBMIT_ALL,
  IORING_SETUP_TASKRUN_FLAG,
  O_CLOEXEC,
  O_NONBLOCK,
  POLLIN,
  prepNop,
  prepPollAdd,
  prepRead,
  prepTimeout,
  sqeSetData,
  sqeSetData64,
} from '@evring/abi';
import { describe, expect, it } from 'vitest';
import {
  close,
  dup,
  epollCreate1,
  epollCtl,
  epollWait,
  eventfd,
  eventfdRead,
  IoUring,
  pinnedAlloc,
  pinnedFree,
  pipe2,
  resetSyscallCounts,
  syscallCounts,
  write,
} from '../src/index.js';

/** Minimal driver for tests: push one SQE through the ring's own bookkeeping, reap CQEs. */
function rings(ring: IoUring) {
  expect(ring.sqMask).toBe(ring.params.sqEntries - 1);
  expect(ring.cqMask).toBe(ring.params.cqEntries - 1);
  return {
    push(write: (sqes: Uint32Array, at: number) => void, userData: number | bigint): void {
      const at = ring.nextSqe();
      expect(at).toBeGreaterThanOrEqual(0);
      write(ring.sqeWords, at);
      sqeSetData64(ring.sqeWords, at, userData);
      ring.advance();
    },
    reap(): { lo: number; hi: number; res: number; flags: number }[] {
      const out = [];
      let head = ring.cqHead;
      const tail = ring.cqTail;
      while (head !== tail) {
        const base = ring.cqeAt(head);
        out.push({
          lo: cqeUserDataLo(ring.cqes, base),
          hi: cqeUserDataHi(ring.cqes, base),
          res: cqeRes(ring.cqes, base),
          flags: cqeFlags(ring.cqes, base),
        });
        head = (head + 1) >>> 0;
      }
      ring.setCqHead(head);
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
      expect(ring.cqes.buffer).toBe(new Uint32Array(ring.cqWords.buffer).buffer);
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
      expect.objectContaining({ code: 'EINVAL', errno: -errno.EINVAL, syscall: 'io_uring_setup' }),
    );
  });

  it('refuses SQPOLL, IOPOLL, ATTACH_WQ and NO_MMAP, which would bypass SQE checking', () => {
    for (const flags of [
      IORING_SETUP_SQPOLL,
      IORING_SETUP_IOPOLL,
      IORING_SETUP_ATTACH_WQ,
      IORING_SETUP_NO_MMAP,
      1 << 30,
    ]) {
      expect(() => IoUring.setup(4, { flags }), `flags ${flags}`).toThrow(
        expect.objectContaining({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }),
      );
    }
  });

  it('enters through a registered ring slot on this kernel, or a private fd when told not to', () => {
    const ring = IoUring.setup(4);
    const plain = IoUring.setup(4, { registerRing: false });
    try {
      expect(ring.registered).toBe(true);
      expect(plain.registered).toBe(false);
      for (const r of [ring, plain]) {
        const d = rings(r);
        d.push((q, at) => prepNop(q, at), 9);
        expect(r.enter(1, 1, IORING_ENTER_GETEVENTS)).toBe(1);
        expect(d.reap()).toEqual([{ lo: 9, hi: 0, res: 0, flags: 0 }]);
      }
    } finally {
      ring.close();
      plain.close();
    }
  });
});

describe('a NOP round trip through the mapped rings', () => {
  for (const singleMmap of [true, false]) {
    it(`with ${singleMmap ? 'one mapping (IORING_FEAT_SINGLE_MMAP)' : 'three mappings'}`, () => {
      const ring = IoUring.setup(8, { singleMmap });
      try {
        expect(ring.singleMmap).toBe(singleMmap);
        const r = rings(ring);
        for (let i = 0; i < 3; i++) r.push((q, at) => prepNop(q, at), 0x12345678 + i * 2 ** 32);
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
      expect(r).toBe(-errno.ETIME);
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
      r.push((q, at) => prepPollAdd(q, at, rd, POLLIN), 77);
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
      r.push((q, at) => prepRead(q, at, rd, 0x1000, 6, -1), 5);
      r.push((q, at) => prepNop(q, at), 6);
      // Without IORING_SETUP_SUBMIT_ALL the kernel stops at the failed SQE
      // (counting it); the NOP behind it goes in with the next enter.
      expect(ring.enter(2, 1, IORING_ENTER_GETEVENTS)).toBe(1);
      expect(ring.enter(1, 1, IORING_ENTER_GETEVENTS)).toBe(1);
      const cqes = r.reap();
      expect(cqes).toContainEqual({ lo: 5, hi: 0, res: -errno.EINVAL, flags: 0 });
      expect(cqes).toContainEqual({ lo: 6, hi: 0, res: 0, flags: 0 });
      expect(syscallCounts().sqe_rejected).toBe(1);
      // The rewritten SQE is a TIMEOUT the kernel refused; the data is still in the pipe.
      expect(ring.sqes.getUint8(0)).toBe(IORING_OP_TIMEOUT);
      const buf = Buffer.alloc(8);
      expect(readSync(rd, buf)).toBe(6);
    } finally {
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('checks the SQEs the kernel will consume even when the shared SQ head was rewritten', () => {
    const ring = IoUring.setup(4);
    const mem = pinnedAlloc(64);
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    try {
      write(wr, Buffer.from('secret'));
      const p = ring.params;
      const words = new Uint32Array(ring.cqes.buffer); // one mapping: the SQ ring's words too
      // A READ into pinned memory in slot 0, published by hand, and the
      // shared head moved past it: a check trusting that head sees nothing pending.
      prepRead(ring.sqeWords, 0, rd, mem.address, 6, -1);
      sqeSetData(ring.sqeWords, 0, 11, 0);
      words[p.sqOff.tail >>> 2] = 1;
      words[p.sqOff.head >>> 2] = 1;
      resetSyscallCounts();
      expect(ring.enter(1, 1, IORING_ENTER_GETEVENTS)).toBe(1);
      expect(syscallCounts().sqe_rejected).toBe(1);
      expect(cqeRes(ring.cqes, ring.cqeAt(0))).toBe(-errno.EINVAL);
      expect(new Uint8Array(mem.buffer, 0, 6).every((b) => b === 0)).toBe(true);
    } finally {
      ring.close();
      pinnedFree(mem.buffer);
      close(rd);
      close(wr);
    }
  });

  it('a refused SQE completes with -EINVAL on every ring flavour sys allows', () => {
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const flavours: Record<string, number> = {
      plain: 0,
      SQE128: IORING_SETUP_SQE128,
      CQE32: IORING_SETUP_CQE32,
      'SINGLE_ISSUER | DEFER_TASKRUN': IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
      NO_SQARRAY: IORING_SETUP_NO_SQARRAY,
      SUBMIT_ALL: IORING_SETUP_SUBMIT_ALL,
      'COOP_TASKRUN | TASKRUN_FLAG': IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
    };
    try {
      for (const [name, flags] of Object.entries(flavours)) {
        const ring = IoUring.setup(4, { flags });
        try {
          const r = rings(ring);
          r.push((q, at) => prepRead(q, at, rd, 0x10000, 8, -1), 7);
          expect(ring.enter(1, 1, IORING_ENTER_GETEVENTS), name).toBe(1);
          expect(r.reap(), name).toEqual([{ lo: 7, hi: 0, res: -errno.EINVAL, flags: 0 }]);
        } finally {
          ring.close();
        }
      }
    } finally {
      close(rd);
      close(wr);
    }
  });

  it('returns -EBADF once the ring is closed, without entering', () => {
    const ring = IoUring.setup(4);
    ring.close();
    resetSyscallCounts();
    expect(ring.enter(0, 0, 0)).toBe(-errno.EBADF);
    expect(syscallCounts().io_uring_enter).toBe(0);
  });

  it('refuses unknown enter flags with a RangeError', () => {
    const ring = IoUring.setup(4);
    expect(() => ring.enter(0, 0, 1 << 20)).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
    );
    ring.close();
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
      r.push((q, at) => prepNop(q, at), 1);
      ring.enter(1, 1, IORING_ENTER_GETEVENTS);
      expect(eventfdRead(efd)).toBeGreaterThanOrEqual(1);
      ring.unregisterEventfd();
    } finally {
      close(efd);
      ring.close();
    }
  });

  it('refuses opcodes whose argument carries pointers, and ring fds (sys registers those)', () => {
    const ring = IoUring.setup(4);
    for (const opcode of [0 /* REGISTER_BUFFERS */, 20 /* RING_FDS */, 21, 22 /* PBUF_RING */]) {
      expect(() => ring.register(opcode, new Uint8Array(64), 1), `opcode ${opcode}`).toThrow(
        RangeError,
      );
    }
    expect(() => ring.register(8 /* PROBE */, new Uint8Array(8), 4)).toThrow(RangeError);
    ring.close();
    expect(() => ring.register(8, new Uint8Array(4096), 4)).toThrow(
      expect.objectContaining({ code: 'EBADF', syscall: 'io_uring_register' }),
    );
  });

  it('registerEventfd takes an fd number and nothing else', () => {
    const ring = IoUring.setup(4);
    try {
      for (const bad of [1.5, '3', 1n, Symbol('s'), -1, Number.NaN]) {
        expect(() => ring.registerEventfd(bad as number)).toThrow(
          expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }),
        );
      }
    } finally {
      ring.close();
    }
  });
});

describe('ring memory lifetime', () => {
  it('close() detaches every mapped buffer: stale views read nothing; the ring reads as empty', () => {
    const ring = IoUring.setup(4, { singleMmap: false });
    const sq = ring.sqes.buffer;
    const cq = ring.cqes.buffer;
    const words = ring.sqeWords;
    expect(words.length).toBeGreaterThan(0);
    ring.close();
    for (const ab of [sq, cq]) expect(ab.byteLength).toBe(0);
    expect(words.length).toBe(0);
    expect(words[0]).toBeUndefined();
    expect(() => ring.sqes.getUint32(0)).toThrow();
    expect(ring.cqTail).toBe(0);
    expect(ring.toSubmit).toBe(0);
    expect(() => ring.nextSqe()).toThrow(expect.objectContaining({ code: 'EBADF' }));
    ring.close(); // idempotent
    expect(ring.closed).toBe(true);
  });

  it('a ring buffer cannot be freed through pinnedFree', () => {
    const ring = IoUring.setup(4);
    expect(() => pinnedFree(ring.sqes.buffer as ArrayBuffer)).toThrow(TypeError);
    expect(ring.sqes.byteLength).toBeGreaterThan(0);
    ring.close();
  });

  it('a transferred ring buffer is copied, never moved out from under sys', () => {
    const ring = IoUring.setup(4);
    const ab = ring.sqes.buffer as ArrayBuffer;
    const clone = structuredClone(ab, { transfer: [ab] });
    expect(ab.byteLength).toBeGreaterThan(0);
    expect(clone).not.toBe(ab);
    ring.close();
    expect(ab.byteLength).toBe(0);
    expect(clone.byteLength).toBeGreaterThan(0);
  });
});

describe('pinned buffers for pointers the kernel only reads', () => {
  it('a TIMEOUT SQE reads its timespec from pinned memory and fires', () => {
    const ring = IoUring.setup(4);
    const ts = pinnedAlloc(16);
    try {
      new DataView(ts.buffer).setBigInt64(8, 20_000_000n, true); // 20 ms
      const r = rings(ring);
      r.push((q, at) => prepTimeout(q, at, ts.address), 42);
      const t0 = performance.now();
      expect(ring.enter(1, 1, IORING_ENTER_GETEVENTS)).toBe(1);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
      expect(r.reap()).toEqual([{ lo: 42, hi: 0, res: -errno.ETIME, flags: 0 }]);
    } finally {
      ring.close();
      expect(pinnedFree(ts.buffer)).toBe(true);
      expect(pinnedFree(ts.buffer)).toBe(false);
      expect(ts.buffer.byteLength).toBe(0);
    }
  });

  it("a pinned record's size is its bytes until pinnedFree, then 0 (a freed block told without asking the buffer)", () => {
    const mem = pinnedAlloc(100);
    expect(mem.size).toBe(100);
    expect(mem.buffer.byteLength).toBe(100);
    const other = pinnedAlloc(8);
    expect(pinnedFree(mem.buffer)).toBe(true);
    expect(mem.size).toBe(0);
    expect(other.size).toBe(8); // only the freed block's record changes
    expect(pinnedFree(mem.buffer)).toBe(false);
    expect(mem.size).toBe(0);
    expect(() => pinnedFree(new ArrayBuffer(8))).toThrow(TypeError);
    expect(pinnedFree(other.buffer)).toBe(true);
    expect(other.size).toBe(0);
  });
});

// Completion I/O will let the kernel write into memory sys owns, and sys must
// learn of each completion before JavaScript can touch the CQ ring (whose
// memory JavaScript may rewrite). It builds on what these tests pin down:
// on a DEFER_TASKRUN ring the kernel posts completions only inside
// io_uring_enter with GETEVENTS. The ring's fd polls readable while
// completions wait in the deferred list, but a poller already asleep on it
// is not woken when they arrive (6.18); an eventfd registered with the ring
// is signalled, and that is what an attached loop watches.
describe('DEFER_TASKRUN: completions post only inside an enter', () => {
  const DEFER = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;

  /** Submits a POLL_ADD for `rd`, makes it ready, and reports what the CQ shows before any enter reaps. */
  function pollThenWrite(flags: number): {
    ring: IoUring;
    rd: number;
    wr: number;
    tailAfterWrite: number;
  } {
    const ring = IoUring.setup(4, { flags });
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    rings(ring).push((q, at) => prepPollAdd(q, at, rd, POLLIN), 5);
    expect(ring.enter(1, 0, 0)).toBe(1); // submitted, not waited for
    write(wr, Buffer.from('x')); // the poll fires inside this syscall
    return { ring, rd, wr, tailAfterWrite: ring.cqTail };
  }

  /** Whether `fd` polls readable now (epoll, no wait). */
  function readable(fd: number): boolean {
    const ep = epollCreate1(EPOLL_CLOEXEC);
    try {
      epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, 0, 0);
      return epollWait(ep, new Uint8Array(EPOLL_EVENT_SIZE), 1, 0) === 1;
    } finally {
      close(ep);
    }
  }

  it('an ordinary ring posts the completion on the way out of the write', () => {
    const { ring, rd, wr, tailAfterWrite } = pollThenWrite(0);
    try {
      expect(tailAfterWrite).toBe(1); // task work ran as write() returned to user space
    } finally {
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('a DEFER_TASKRUN ring keeps it until an enter asks for events, with its fd readable meanwhile', async () => {
    const { ring, rd, wr, tailAfterWrite } = pollThenWrite(DEFER);
    try {
      expect(tailAfterWrite).toBe(0);
      // Time and other syscalls do not post it either.
      await new Promise((resolve) => setTimeout(resolve, 50));
      close(dup(rd));
      expect(ring.cqTail).toBe(0);
      expect(readable(ring.fd)).toBe(true);
      expect(ring.enter(0, 0, 0)).toBe(0); // an enter without GETEVENTS: still deferred
      expect(ring.cqTail).toBe(0);
      expect(ring.enter(0, 0, IORING_ENTER_GETEVENTS)).toBe(0);
      expect(ring.cqTail).toBe(1);
      expect(rings(ring).reap()).toEqual([{ lo: 5, hi: 0, res: POLLIN, flags: 0 }]);
      expect(readable(ring.fd)).toBe(false);
    } finally {
      close(rd);
      close(wr);
      ring.close();
    }
  });

  it('a registered eventfd wakes a sleeping poller when deferred work arrives', async () => {
    const ring = IoUring.setup(4, { flags: DEFER });
    const efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    const [rd, wr] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const ep = epollCreate1(EPOLL_CLOEXEC);
    let exited: Promise<unknown> | null = null;
    try {
      ring.registerEventfd(efd);
      epollCtl(ep, EPOLL_CTL_ADD, efd, EPOLLIN, 0, 0);
      rings(ring).push((q, at) => prepPollAdd(q, at, rd, POLLIN), 6);
      expect(ring.enter(1, 0, 0)).toBe(1);
      // A worker thread stands in for the other side: it writes while this thread sleeps in epoll_wait.
      const writer = new Worker(
        `const { workerData } = require('node:worker_threads');
         setTimeout(() => require('node:fs').writeSync(workerData, 'x'), 50);`,
        { eval: true, workerData: wr, execArgv: [] },
      );
      exited = new Promise((resolve) => writer.once('exit', resolve));
      // Bounded by time; a signal (EINTR) only ends one wait.
      const deadline = Date.now() + 5000;
      let woke = 0;
      while (woke <= 0 && Date.now() < deadline) {
        woke = epollWait(
          ep,
          new Uint8Array(EPOLL_EVENT_SIZE),
          1,
          Math.max(1, deadline - Date.now()),
        );
        if (woke < 0) expect(woke).toBe(-errno.EINTR);
      }
      expect(woke).toBe(1);
      expect(ring.cqTail).toBe(0); // still deferred: the eventfd said so before any enter
      expect(ring.enter(0, 0, IORING_ENTER_GETEVENTS)).toBe(0);
      expect(rings(ring).reap()).toEqual([{ lo: 6, hi: 0, res: POLLIN, flags: 0 }]);
    } finally {
      // The worker is done with `wr` before it is closed.
      if (exited) await exited;
      close(ep);
      close(efd);
      close(rd);
      close(wr);
      ring.close();
    }
  });
});
